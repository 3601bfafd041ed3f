//! Commands for the file journal: what agents changed in a project, each change before and
//! after, and rolling changes back (or a rollback forward again). Journal work reads and writes
//! files, so it runs on a blocking thread, never on the window's.

use crate::error::IpcError;
use crate::state::AppState;
use std::sync::Arc;
use tauri::State;
use warden_core::journal::{FileDiff, FileOp, RollbackId, RollbackOutcome, RollbackPlan, RollbackTarget};
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
