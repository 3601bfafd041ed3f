//! The host's answers to [`WorktreesRequest`]s: each calls the engine function the window's
//! `worktree_*` / `best_of_*` command calls, after the host has checked what the client named
//! (its words are untrusted):
//!
//! - a project folder is resolved by the engine's `resolve_project_dir` and must be a project a
//!   client opened on this host (the project itself, or a folder inside its repository);
//! - a worktree folder must be one Warden recorded (`worktrees::recorded_at`, by the exact
//!   folder, never a folder it holds) whose repository is such an open project, so a client
//!   cannot reach another repository's worktrees through this host;
//! - a branch, base or file name is checked by the engine as the window's is (names refused
//!   before git sees them, files only inside the worktree, no symbolic link followed);
//! - a best-of-N pick must name a member whose worktree is of an open project.

use super::Server;
use crate::protocol::{ErrorKind, RemoteError};
use crate::request_worktrees::{WorktreesRequest as Ask, WorktreesResponse as Answer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use warden_engine::best_of::{self, BestOfError};
use warden_engine::worktrees::{self, WorktreeError};

/// Answers one worktree or best-of-N call.
pub(super) async fn handle(server: &Arc<Server>, request: Ask) -> Result<Answer, RemoteError> {
    let data_dir = server.data_dir.clone();
    match request {
        Ask::Options { project, title } => {
            let project = open_project(server, &project)?;
            off_thread(move || Ok(worktrees::options(&data_dir, &project, &title))).await.map(Answer::Options)
        }
        Ask::List { project } => {
            let project = open_project(server, &project)?;
            off_thread(move || worktrees::list_of(&data_dir, &project)).await.map(Answer::List)
        }
        Ask::State { path } => {
            let path = open_worktree(server, &path).await?;
            off_thread(move || worktrees::state(&data_dir, &path)).await.map(Answer::State)
        }
        Ask::Changes { path } => {
            let path = open_worktree(server, &path).await?;
            off_thread(move || worktrees::changes(&data_dir, &path)).await.map(Answer::Changes)
        }
        Ask::Diff { path, file } => {
            let path = open_worktree(server, &path).await?;
            off_thread(move || worktrees::diff(&data_dir, &path, &file)).await.map(Answer::Diff)
        }
        Ask::Commit { path, message } => {
            let path = open_worktree(server, &path).await?;
            off_thread(move || worktrees::commit(&data_dir, &path, &message)).await.map(Answer::Committed)
        }
        Ask::Merge { path, how, message } => {
            let path = open_worktree(server, &path).await?;
            off_thread(move || worktrees::merge_at(&data_dir, &path, how, message)).await.map(Answer::Merged)
        }
        Ask::Pr { path } => {
            let path = open_worktree(server, &path).await?;
            off_thread(move || worktrees::pr_at(&data_dir, &path)).await.map(Answer::Pr)
        }
        Ask::Discard { path } => {
            let path = open_worktree(server, &path).await?;
            worktrees::discard_at(server.engine.sessions(), &path).await.map_err(worktree_error)?;
            Ok(Answer::Discarded)
        }
        Ask::BestOfStart(mut asked) => {
            asked.project = open_project(server, &asked.project)?.to_string_lossy().into_owned();
            let group = best_of::start_asked(server.engine.sessions(), asked, server.sink()).await.map_err(best_of_error)?;
            // Its sessions keep this engine from ending while they run, as a single session does.
            for record in &group.sessions {
                if let Some(handle) = server.engine.sessions().handle(&record.id) {
                    server.keep(handle);
                }
            }
            Ok(Answer::BestOfStarted(group.into()))
        }
        Ask::BestOfCompare { group } => {
            let sessions = server.engine.sessions().clone();
            let entries = tokio::task::spawn_blocking(move || best_of::compare(&sessions, &group)).await.map_err(RemoteError::failed)?;
            entries.map(Answer::BestOfCompared).map_err(best_of_error)
        }
        Ask::BestOfPick { group, session, how, message } => {
            member_of_open_project(server, &group, &session).await?;
            let picked = best_of::pick(server.engine.sessions(), &group, &session, how.into(), message).await.map_err(best_of_error)?;
            Ok(Answer::BestOfPicked(picked))
        }
    }
}

/// `project` resolved on the host, refused unless a client opened it here.
fn open_project(server: &Server, project: &str) -> Result<PathBuf, RemoteError> {
    let folder = warden_engine::resolve_project_dir(project).map_err(RemoteError::bad)?;
    if !server.open_folders().contains(&folder) {
        return Err(RemoteError::bad(format!("{} is not a project open on this host: open the project first", folder.display())));
    }
    Ok(folder)
}

/// Refuses a repository `main` unless an open project is it or a folder inside it.
fn of_open_project(server: &Server, main: &Path, what: &str) -> Result<(), RemoteError> {
    if server.open_folders().iter().any(|p| p.starts_with(main)) {
        return Ok(());
    }
    Err(RemoteError::bad(format!("{what} is a worktree of {}, which is not a project open on this host: open the project first", main.display())))
}

/// The worktree folder `path` as Warden recorded it, refused unless it is one of Warden's
/// worktrees of a project open here. (A folder deleted by hand is still found by its record.)
async fn open_worktree(server: &Server, path: &str) -> Result<PathBuf, RemoteError> {
    let (data_dir, asked) = (server.data_dir.clone(), PathBuf::from(path));
    let (main, worktree) = off_thread(move || worktrees::recorded_at(&data_dir, &asked)).await?;
    of_open_project(server, &main, path)?;
    Ok(worktree.path)
}

/// Refuses a pick whose member is not in a worktree of a project open here (what `pick`
/// itself refuses, an unknown group or member, it answers with its own words).
async fn member_of_open_project(server: &Server, group: &str, session: &warden_core::session::SessionId) -> Result<(), RemoteError> {
    let (engine, group, session) = (server.engine.clone(), group.to_owned(), session.clone());
    let data_dir = server.data_dir.clone();
    let main = tokio::task::spawn_blocking(move || {
        let records = engine.store().group(&group).map_err(RemoteError::failed)?;
        let chosen = records.into_iter().find(|r| r.id == session);
        Ok::<_, RemoteError>(chosen.and_then(|r| worktrees::recorded_at(&data_dir, Path::new(&r.project)).ok()).map(|(main, w)| (main, w.path)))
    })
    .await
    .map_err(RemoteError::failed)??;
    match main {
        Some((main, folder)) => of_open_project(server, &main, &folder.to_string_lossy()),
        None => Ok(()),
    }
}

/// Runs git work off the async threads, its error turned into the protocol's.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> Result<T, WorktreeError> + Send + 'static) -> Result<T, RemoteError> {
    tokio::task::spawn_blocking(work).await.map_err(RemoteError::failed)?.map_err(worktree_error)
}

/// What the person asked for that cannot be done is [`ErrorKind::BadRequest`] (with the
/// engine's words, as the window shows them); git or the disk failing is [`ErrorKind::Failed`].
pub(super) fn worktree_error(e: WorktreeError) -> RemoteError {
    use WorktreeError as E;
    let kind = match &e {
        E::GitMissing | E::Git(_) | E::Io(_) | E::Setup(_) => ErrorKind::Failed,
        E::NotFound(_) => ErrorKind::NotFound,
        _ => ErrorKind::BadRequest,
    };
    RemoteError::new(kind, e.to_string())
}

fn best_of_error(e: BestOfError) -> RemoteError {
    let kind = match &e {
        BestOfError::Worktree(w) => return worktree_error(w.clone()),
        BestOfError::UnknownGroup(_) => ErrorKind::NotFound,
        BestOfError::Store(_) | BestOfError::DiscardFailed { .. } => ErrorKind::Failed,
        _ => ErrorKind::BadRequest,
    };
    RemoteError::new(kind, e.to_string())
}
