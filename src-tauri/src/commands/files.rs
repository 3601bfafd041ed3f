//! Commands for the file journal: what agents changed in a project, each change before and
//! after, rolling changes back (or a rollback forward again), and per-hunk decisions (revert,
//! keep, comment). Journal work reads and writes files, so it runs on a blocking thread, never
//! on the window's.

use crate::error::IpcError;
use crate::state::AppState;
use std::sync::Arc;
use tauri::State;
use warden_core::journal::{
    FileDiff, FileHunks, FileOp, HunkComment, HunkRevertPlan, NewHunkComment, OpId, RollbackId, RollbackOutcome, RollbackPlan,
    RollbackTarget,
};
use warden_core::session::SessionId;
use warden_engine::{Files, FilesError};

/// Every file change recorded in a project (or in one of its sessions), rollbacks' own included,
/// oldest first.
#[tauri::command]
#[specta::specta]
pub async fn files_log(state: State<'_, AppState>, project: String, session_id: Option<SessionId>) -> Result<Vec<FileOp>, IpcError> {
    blocking(&state, move |files| files.file_log(&project, session_id.as_ref())).await
}

/// The files a change, tool call, turn or session changed, before and after, for the diff
/// viewer.
#[tauri::command]
#[specta::specta]
pub async fn files_diff(state: State<'_, AppState>, project: String, target: RollbackTarget) -> Result<Vec<FileDiff>, IpcError> {
    blocking(&state, move |files| files.file_diff(&project, &target)).await
}

/// Rolls back what `target` names. Files changed since come back as `conflicts` (nothing was
/// changed) for the window to show; asking again with `force` goes ahead over them.
#[tauri::command]
#[specta::specta]
pub async fn files_rollback(
    state: State<'_, AppState>,
    project: String,
    target: RollbackTarget,
    force: bool,
) -> Result<RollbackOutcome, IpcError> {
    blocking(&state, move |files| files.rollback_outcome(&project, target, force)).await
}

/// Undoes a rollback: the files go back to what it found. Refused over conflicts like a
/// rollback.
#[tauri::command]
#[specta::specta]
pub async fn files_redo(
    state: State<'_, AppState>,
    project: String,
    rollback_id: RollbackId,
    force: bool,
) -> Result<RollbackOutcome, IpcError> {
    blocking(&state, move |files| files.redo_outcome(&project, rollback_id, force)).await
}

/// What rolling back `target` would do, path by path (and which files changed since), without
/// doing it: the plan `files_rollback` carries out if nothing changes in between.
#[tauri::command]
#[specta::specta]
pub async fn files_rollback_plan(state: State<'_, AppState>, project: String, target: RollbackTarget) -> Result<RollbackPlan, IpcError> {
    blocking(&state, move |files| files.rollback_plan(&project, &target)).await
}

/// What undoing rollback `rollback_id` would do, path by path, without doing it.
#[tauri::command]
#[specta::specta]
pub async fn files_redo_plan(state: State<'_, AppState>, project: String, rollback_id: RollbackId) -> Result<RollbackPlan, IpcError> {
    blocking(&state, move |files| files.redo_plan(&project, rollback_id)).await
}

/// The hunks of the change `ops` (of one text file) made, numbered from 1, each with the
/// person's decision (open, kept, reverted).
#[tauri::command]
#[specta::specta]
pub async fn files_hunks(state: State<'_, AppState>, project: String, ops: Vec<OpId>) -> Result<FileHunks, IpcError> {
    blocking(&state, move |files| files.file_hunks(&project, &ops)).await
}

/// What reverting hunks `hunks` of that change would do, without doing it: the plan
/// `files_revert_hunks` carries out, and which hunks changed on disk since.
#[tauri::command]
#[specta::specta]
pub async fn files_hunk_revert_plan(
    state: State<'_, AppState>,
    project: String,
    ops: Vec<OpId>,
    hunks: Vec<u32>,
) -> Result<HunkRevertPlan, IpcError> {
    blocking(&state, move |files| files.hunk_revert_plan(&project, &ops, &hunks)).await
}

/// Reverts hunks `hunks` of that change (a partial rollback, undone by `files_redo`). A hunk
/// changed since comes back as `conflicts` (nothing was changed); `force` goes ahead over it.
#[tauri::command]
#[specta::specta]
pub async fn files_revert_hunks(
    state: State<'_, AppState>,
    project: String,
    ops: Vec<OpId>,
    hunks: Vec<u32>,
    force: bool,
) -> Result<RollbackOutcome, IpcError> {
    blocking(&state, move |files| files.revert_hunks_outcome(&project, &ops, &hunks, force)).await
}

/// Marks a hunk (by its fingerprint) kept, or with `kept` false, open again.
#[tauri::command]
#[specta::specta]
pub async fn files_keep_hunk(
    state: State<'_, AppState>,
    project: String,
    session_id: SessionId,
    path: String,
    fingerprint: String,
    kept: bool,
) -> Result<(), IpcError> {
    blocking(&state, move |files| files.keep_hunk(&project, &path, &fingerprint, &session_id, kept)).await
}

/// Stores the person's comment on a line range of a change: a finding from the person, for the
/// feedback composer.
#[tauri::command]
#[specta::specta]
pub async fn files_add_comment(state: State<'_, AppState>, project: String, comment: NewHunkComment) -> Result<HunkComment, IpcError> {
    blocking(&state, move |files| files.add_comment(&project, comment)).await
}

/// The person's comments on a session's changes, oldest first; with `unsent`, only those not
/// sent to the agent yet.
#[tauri::command]
#[specta::specta]
pub async fn files_comments(
    state: State<'_, AppState>,
    project: String,
    session_id: SessionId,
    unsent: bool,
) -> Result<Vec<HunkComment>, IpcError> {
    blocking(&state, move |files| files.comments(&project, &session_id, unsent)).await
}

/// Removes a comment; whether there was one.
#[tauri::command]
#[specta::specta]
pub async fn files_delete_comment(state: State<'_, AppState>, project: String, id: u64) -> Result<bool, IpcError> {
    blocking(&state, move |files| files.delete_comment(&project, id)).await
}

/// Records that comments went to the agent with the feedback.
#[tauri::command]
#[specta::specta]
pub async fn files_mark_comments_sent(state: State<'_, AppState>, project: String, ids: Vec<u64>) -> Result<(), IpcError> {
    blocking(&state, move |files| files.mark_comments_sent(&project, &ids)).await
}

async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Files) -> Result<T, FilesError> + Send + 'static,
) -> Result<T, IpcError> {
    let files: Arc<Files> = state.engine.files().clone();
    match tauri::async_runtime::spawn_blocking(move || work(&files)).await {
        Ok(result) => Ok(result?),
        Err(e) => Err(IpcError::internal(format!("the file journal task failed: {e}"))),
    }
}
