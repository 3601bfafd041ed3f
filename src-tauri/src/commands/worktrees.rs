//! Commands for sessions' worktrees in the window: what the New Session dialog offers, the
//! worktrees of a project and one's state, everything on its branch versus its base with one
//! file's diff, and bringing the work back (commit, merge, pull request) or discarding it.
//!
//! A worktree is named by its folder (the `project` of a session in it). Every folder that
//! comes from the window is looked up in Warden's record of its worktrees first
//! (`worktrees::recorded_at`): any other folder is refused before git runs in it. The git work
//! is the engine's, the same functions `warden serve` answers a remote window with; these only
//! call it off the async threads and map the error.

use super::checks::ChecksData;
use crate::error::IpcError;
use crate::state::AppState;
use std::path::Path;
use tauri::State;
use warden_core::journal::FileDiff;
use warden_core::worktree::MergeOutcome;
use warden_engine::worktrees::{self, MergeHow, WorktreeChanges, WorktreeInfo, WorktreeOptions};

/// What a worktree session of `project` titled `title` would get: whether the project can
/// have one (and why not), its branches, the suggested branch, and the configured files to
/// copy and setup command with whether it may run.
#[tauri::command]
#[specta::specta]
pub async fn worktree_options(data: State<'_, ChecksData>, project: String, title: String) -> Result<WorktreeOptions, IpcError> {
    let data_dir = data.0.clone();
    let project = warden_engine::resolve_project_dir(&project)?;
    blocking(move || Ok(worktrees::options(&data_dir, &project, &title))).await
}

/// Warden's worktrees of `project` with their state (none for a folder that is not a git
/// repository with a commit: nothing to list there).
#[tauri::command]
#[specta::specta]
pub async fn worktree_list(data: State<'_, ChecksData>, project: String) -> Result<Vec<WorktreeInfo>, IpcError> {
    let data_dir = data.0.clone();
    let project = warden_engine::resolve_project_dir(&project)?;
    blocking(move || worktrees::list_of(&data_dir, &project).map_err(IpcError::internal)).await
}

/// The state of the worktree at `path`: a folder deleted by hand is `missing`, not an error.
#[tauri::command]
#[specta::specta]
pub async fn worktree_state(data: State<'_, ChecksData>, path: String) -> Result<WorktreeInfo, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || worktrees::state(&data_dir, Path::new(&path)).map_err(IpcError::internal)).await
}

/// Everything on the worktree's branch versus its base: commits, and file by file what changed
/// (committed, uncommitted, untracked).
#[tauri::command]
#[specta::specta]
pub async fn worktree_changes(data: State<'_, ChecksData>, path: String) -> Result<WorktreeChanges, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || worktrees::changes(&data_dir, Path::new(&path)).map_err(IpcError::internal)).await
}

/// One file's diff in the worktree: before at the merge base, after in the folder now.
#[tauri::command]
#[specta::specta]
pub async fn worktree_diff(data: State<'_, ChecksData>, path: String, file: String) -> Result<FileDiff, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || worktrees::diff(&data_dir, Path::new(&path), &file).map_err(IpcError::internal)).await
}

/// Commits everything uncommitted in the worktree with `message`; returns the commit's id.
#[tauri::command]
#[specta::specta]
pub async fn worktree_commit(data: State<'_, ChecksData>, path: String, message: String) -> Result<String, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || worktrees::commit(&data_dir, Path::new(&path), &message).map_err(IpcError::internal)).await
}

/// Brings the worktree's work into its base branch in the main folder (`how`: merge, squash or
/// rebase; uncommitted work is committed first with `message`, which is refused without one).
/// A conflict is answered with every file, the base left as it was; otherwise the base's commit
/// after the merge.
#[tauri::command]
#[specta::specta]
pub async fn worktree_merge(data: State<'_, ChecksData>, path: String, how: MergeHow, message: Option<String>) -> Result<MergeOutcome, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || worktrees::merge_at(&data_dir, Path::new(&path), how, message).map_err(IpcError::internal)).await
}

/// Pushes the worktree's branch and opens a pull request with `gh` (a clear message when it is
/// not installed or not logged in); returns the pull request's address.
#[tauri::command]
#[specta::specta]
pub async fn worktree_pr(data: State<'_, ChecksData>, path: String) -> Result<String, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || worktrees::pr_at(&data_dir, Path::new(&path)).map_err(IpcError::internal)).await
}

/// Removes the worktree's folder and its branch (also when the folder was deleted by hand).
/// A session of this window still running in it is stopped first: the person confirmed the
/// discard, and a session writing into a folder being removed would only fail.
#[tauri::command]
#[specta::specta]
pub async fn worktree_discard(state: State<'_, AppState>, path: String) -> Result<(), IpcError> {
    worktrees::discard_at(state.engine.sessions(), Path::new(&path)).await.map_err(IpcError::internal)
}

/// Runs git work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IpcError> + Send + 'static) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(IpcError::internal(format!("the worktree task failed: {e}"))),
    }
}
