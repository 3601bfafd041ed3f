//! The worktree calls that name a worktree by its folder, as the window and `warden serve`
//! make them (the command line names one by project and branch instead): the list of a
//! project's worktrees for display, merging, the pull request and discarding. One function
//! each, so the window's command and a remote host answer alike. Every folder is looked up in
//! Warden's record first ([`recorded_at`]): any other folder is refused before git runs in it.

use super::{discard, list, merge, pr, recorded_at, WorktreeError, WorktreeInfo};
use crate::engine::Sessions;
use std::path::{Path, PathBuf};
use warden_core::worktree::{MergeHow, MergeOutcome};

/// Warden's worktrees of `project` with their state; none for a folder that is not a git
/// repository with a commit (nothing to list there, which is no error for a list).
pub fn list_of(data_dir: &Path, project: &Path) -> Result<Vec<WorktreeInfo>, WorktreeError> {
    match list(data_dir, project) {
        Ok(list) => Ok(list.into_iter().map(WorktreeInfo::from).collect()),
        Err(WorktreeError::NotGitRepository(_) | WorktreeError::NoCommits) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Brings the work of the worktree at `path` into its base branch in the main folder (`how`;
/// uncommitted work is committed first with `message`, refused without one). A conflict is an
/// answer, with every file, the base left as it was.
pub fn merge_at(data_dir: &Path, path: &Path, how: MergeHow, message: Option<String>) -> Result<MergeOutcome, WorktreeError> {
    let (main, worktree) = recorded_at(data_dir, path)?;
    let message = message.filter(|m| !m.trim().is_empty());
    match merge(&main, &worktree, how.into(), message.as_deref()) {
        Ok(commit) => Ok(MergeOutcome::Merged { commit }),
        Err(WorktreeError::Conflict { files }) => Ok(MergeOutcome::Conflict { files }),
        Err(e) => Err(e),
    }
}

/// Pushes the branch of the worktree at `path` and opens a pull request with `gh`; the
/// pull request's address (or what `gh` said).
pub fn pr_at(data_dir: &Path, path: &Path) -> Result<String, WorktreeError> {
    let (main, worktree) = recorded_at(data_dir, path)?;
    pr(&main, &worktree, None)
}

/// Removes the worktree at `path`, its folder and its branch (also when the folder was deleted
/// by hand). A session of this engine still running in it is stopped first: the person
/// confirmed the discard, and a session writing into a folder being removed would only fail.
pub async fn discard_at(sessions: &Sessions, path: &Path) -> Result<(), WorktreeError> {
    let data_dir = sessions.data_dir().to_owned();
    let (main, worktree) = off_thread({
        let (data_dir, path) = (data_dir.clone(), PathBuf::from(path));
        move || recorded_at(&data_dir, &path)
    })
    .await?;
    sessions
        .stop_sessions_in(&worktree.path)
        .await
        .map_err(|e| WorktreeError::Io(format!("the sessions in {} could not be read: {e}", worktree.path.display())))?;
    off_thread(move || discard(&data_dir, &main, &worktree)).await
}

/// Runs git work off the async threads.
async fn off_thread<T: Send + 'static>(work: impl FnOnce() -> Result<T, WorktreeError> + Send + 'static) -> Result<T, WorktreeError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| WorktreeError::Io(format!("the worktree task failed: {e}")))?
}
