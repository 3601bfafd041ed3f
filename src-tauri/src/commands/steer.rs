//! Commands for a running session's turn and model: a steer (words sent into the running turn)
//! and a model or effort switch, each refused with the reason where the agent does not take it.

use crate::error::IpcError;
use crate::state::AppState;
use tauri::State;
use warden_core::session::{Effort, SessionId};
use warden_engine::SessionHandle;

/// Sends `text` into the session's running turn (Codex's `turn/steer`). Refused when no turn
/// runs or the session's agent cannot steer (its `controls` event says `canSteer: false`).
#[tauri::command]
#[specta::specta]
pub async fn session_steer(state: State<'_, AppState>, session_id: SessionId, text: String) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.steer(text).await?)
}

/// Switches the session's model and/or effort (`null`: unchanged), where the agent allows it;
/// a `controls` event follows with what is in use.
#[tauri::command]
#[specta::specta]
pub async fn session_set_model(
    state: State<'_, AppState>,
    session_id: SessionId,
    model: Option<String>,
    effort: Option<Effort>,
) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.set_model(model, effort).await?)
}

fn live(state: &AppState, id: &SessionId) -> Result<SessionHandle, IpcError> {
    state.engine.sessions().handle(id).ok_or_else(|| warden_engine::SessionError::NotRunning.into())
}
