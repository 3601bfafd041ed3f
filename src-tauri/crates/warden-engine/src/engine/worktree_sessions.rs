//! Sessions in their own worktree: the one path the window, best of N and `warden run
//! --worktree` take. The worktree is made (branch from the title, the files asked for and the
//! configured ones copied in), the project's setup command runs in it when asked and allowed
//! (bounded, logged under the gate's logs), then the session starts with the worktree as its
//! project. Whatever fails on the way removes the just-made worktree again, so a failed start
//! leaves no folder or branch behind.

use super::sessions::{NewSession, Sessions, StartError};
use crate::session::SessionHandle;
use crate::sink::EventSink;
use crate::worktrees::{self, setup, CreateOptions, Worktree, WorktreeError, WorktreeStart};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_core::session::SessionWorktree;

impl Sessions {
    /// Makes a worktree of `new.project` as `start` asks, runs its setup command when asked
    /// and allowed, and starts `new` in it (`new.project` becomes the worktree's folder,
    /// `new.worktree` says where it came from). Returns the session and notes to show the
    /// person (a detached base, submodules, a setup command that was not allowed to run, a
    /// configured file to copy that is not there). A failing setup is an error naming its log
    /// and last lines; then, as on any other failure, the worktree is removed again.
    pub async fn start_in_worktree(
        &self,
        mut new: NewSession,
        start: WorktreeStart,
        sink: Arc<dyn EventSink>,
    ) -> Result<(SessionHandle, Vec<String>), StartError> {
        let project = crate::resolve_project_dir(&new.project)?;
        // The agent is found first: a missing one should not cost a worktree and its setup.
        if new.run.binary.is_none() {
            new.run.binary = Some(self.agent_binary(new.agent, new.agent_name.as_deref(), &new.run).await?);
        }
        let data_dir = self.data_dir().to_owned();
        let made = {
            let (data_dir, project, start) = (data_dir.clone(), project.clone(), start.clone());
            blocking(move || make(&data_dir, &project, &start)).await?
        };
        let Made { main, worktree, mut notes } = made;
        if start.run_setup {
            match run_setup(&data_dir, &main, &worktree).await {
                Ok(note) => notes.extend(note),
                Err(failed) => {
                    remove(&data_dir, &main, &worktree).await;
                    return Err(failed.into());
                }
            }
        }
        new.project = worktree.path.to_string_lossy().into_owned();
        new.worktree = Some(SessionWorktree {
            main: main.to_string_lossy().into_owned(),
            branch: worktree.branch.clone(),
            base_branch: worktree.base_branch.clone(),
            base_commit: worktree.base_commit.clone(),
        });
        match self.start(new, sink).await {
            Ok(handle) => Ok((handle, notes)),
            Err(failed) => {
                remove(&data_dir, &main, &worktree).await;
                Err(failed)
            }
        }
    }

    /// Stops the live sessions of this process whose project is `folder` (a worktree about to
    /// be discarded); returns how many there were.
    pub async fn stop_sessions_in(&self, folder: &Path) -> Result<usize, StartError> {
        let key = folder.to_string_lossy().into_owned();
        let handles: Vec<SessionHandle> = self
            .store()
            .sessions(Some(&key))?
            .into_iter()
            .filter(|record| record.project == key)
            .filter_map(|record| self.handle(&record.id))
            .collect();
        for handle in &handles {
            handle.stop().await;
        }
        Ok(handles.len())
    }
}

/// A worktree just made, with its main folder and the notes for the person.
struct Made {
    main: PathBuf,
    worktree: Worktree,
    notes: Vec<String>,
}

/// Makes the worktree: the files `start` lists are copied strictly (a missing one is an
/// error), the configured `[worktree] copy` ones when they are there, whether `start` lists
/// them too or not (a missing one is a note: a `.env` that some checkouts lack should not stop
/// every worktree).
fn make(data_dir: &Path, project: &Path, start: &WorktreeStart) -> Result<Made, WorktreeError> {
    let main = worktrees::repository(project)?;
    let settings = setup::settings(&main, data_dir);
    // A configured file the window sent back as asked for (a prefilled list) stays lenient.
    let mut copy: Vec<String> = start.copy.iter().filter(|f| !settings.copy.contains(f)).cloned().collect();
    let mut notes = Vec::new();
    for file in settings.copy {
        if copy.contains(&file) {
            continue;
        }
        if std::fs::symlink_metadata(main.join(&file)).is_ok() {
            copy.push(file);
        } else {
            notes.push(format!("{file} (listed in [worktree] copy) is not in the project: it was not copied"));
        }
    }
    let options = CreateOptions { base: start.base.clone(), branch: start.branch.clone(), title: start.title.clone(), copy };
    let (worktree, made_notes) = worktrees::create(data_dir, &main, &options)?;
    notes.splice(0..0, made_notes);
    Ok(Made { main, worktree, notes })
}

/// Runs the project's setup command in the new worktree when it has one and it may run; a
/// note when it may not (see [`setup`]).
async fn run_setup(data_dir: &Path, main: &Path, worktree: &Worktree) -> Result<Option<String>, WorktreeError> {
    let settings = {
        let (main, data_dir) = (main.to_owned(), data_dir.to_owned());
        blocking(move || Ok(setup::settings(&main, &data_dir))).await?
    };
    let Some(command) = settings.setup else { return Ok(settings.note) };
    if !settings.trusted {
        let why = settings.note.unwrap_or_else(|| "the project's checks file is not trusted".into());
        return Ok(Some(why));
    }
    setup::run(data_dir, main, &command, &worktree.path, settings.setup_timeout).await?;
    Ok(settings.note)
}

/// Removes a worktree made for a start that failed; a failure to remove is only logged (the
/// start's own error is what the person needs to see, and `warden worktrees discard` can
/// clean up later).
async fn remove(data_dir: &Path, main: &Path, worktree: &Worktree) {
    let (data_dir, main, worktree) = (data_dir.to_owned(), main.to_owned(), worktree.clone());
    if let Err(e) = blocking(move || worktrees::discard(&data_dir, &main, &worktree)).await {
        tracing::warn!("the worktree of a failed start could not be removed: {e}");
    }
}

/// Runs git work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, WorktreeError> + Send + 'static) -> Result<T, WorktreeError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| WorktreeError::Io(format!("the worktree task failed: {e}")))?
}
