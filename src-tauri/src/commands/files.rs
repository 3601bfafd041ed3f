//! Commands for the file journal: what agents changed in a project, each change before and
//! after, and rolling changes back (or a rollback forward again). Journal work reads and writes
//! files, so it runs on a blocking thread, never on the window's.

use crate::error::IpcError;
use crate::state::AppState;
use std::sync::Arc;
use tauri::State;
use warden_core::journal::{FileDiff, FileOp, RollbackId, RollbackOutcome, RollbackReport, RollbackTarget};
use warden_core::session::SessionId;
use warden_engine::journal::RollbackError;
use warden_engine::{Engine, EngineError};

/// Every file change recorded in a project (or in one of its sessions), rollbacks' own included,
/// oldest first.
#[tauri::command]
#[specta::specta]
pub async fn files_log(state: State<'_, AppState>, project: String, session_id: Option<SessionId>) -> Result<Vec<FileOp>, IpcError> {
    blocking(&state, move |engine| engine.file_log(&project, session_id.as_ref())).await
}

/// The files a change, tool call, turn or session changed, before and after, for the diff
/// viewer.
#[tauri::command]
#[specta::specta]
pub async fn files_diff(state: State<'_, AppState>, project: String, target: RollbackTarget) -> Result<Vec<FileDiff>, IpcError> {
    blocking(&state, move |engine| engine.file_diff(&project, &target)).await
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
    blocking(&state, move |engine| outcome(engine.rollback(&project, target, force))).await
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
    blocking(&state, move |engine| outcome(engine.redo(&project, rollback_id, force))).await
}

/// Conflicts are an answer, not a failure: the window offers to force.
fn outcome(done: Result<RollbackReport, EngineError>) -> Result<RollbackOutcome, EngineError> {
    match done {
        Ok(report) => Ok(RollbackOutcome::Done(report)),
        Err(EngineError::Rollback(RollbackError::Conflicts(conflicts))) => Ok(RollbackOutcome::Conflicts(conflicts)),
        Err(e) => Err(e),
    }
}

async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Engine) -> Result<T, EngineError> + Send + 'static,
) -> Result<T, IpcError> {
    let engine: Arc<Engine> = state.engine.clone();
    match tauri::async_runtime::spawn_blocking(move || work(&engine)).await {
        Ok(result) => Ok(result?),
        Err(e) => Err(IpcError::internal(format!("the file journal task failed: {e}"))),
    }
}
