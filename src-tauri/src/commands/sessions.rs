//! Commands for stored sessions. Starting and driving sessions from the window comes with the
//! desk; these read what the engine stored (including sessions run by `warden run`).

use crate::error::IpcError;
use crate::state::AppState;
use tauri::State;
use warden_core::session::{SessionEvent, SessionId, SessionRecord};

/// The stored sessions of a project, newest first.
#[tauri::command]
#[specta::specta]
pub fn session_list(state: State<'_, AppState>, project: String) -> Result<Vec<SessionRecord>, IpcError> {
    let project = warden_engine::resolve_project_dir(&project)?;
    state.engine.store().sessions(Some(&project.to_string_lossy())).map_err(IpcError::internal)
}

/// A session's stored events after `after_seq` (0 for all): the transcript to show, and what a
/// window that saw a gap in `seq` re-reads.
#[tauri::command]
#[specta::specta]
pub fn session_events(state: State<'_, AppState>, session_id: SessionId, after_seq: u64) -> Result<Vec<SessionEvent>, IpcError> {
    state.engine.store().events(&session_id, after_seq).map_err(IpcError::internal)
}
