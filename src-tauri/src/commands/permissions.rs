//! Commands for permissions: answering questions, the session's mode and rules, the project's
//! rules, the audit log, and what is waiting for the person.

use crate::error::IpcError;
use crate::events::WaitingRequest;
use crate::state::AppState;
use tauri::State;
use warden_core::permission::{Rule, RuleSet};
use warden_core::session::*;
use warden_engine::SessionHandle;

/// Answers a permission question of a session: of this machine, or of a remote project's host
/// (through the connection that session came from).
#[tauri::command]
#[specta::specta]
pub async fn permission_resolve(
    state: State<'_, AppState>,
    remote: State<'_, crate::remote_window::RemoteWindow>,
    session_id: SessionId,
    request_id: PermissionRequestId,
    answer: PermissionAnswer,
) -> Result<(), IpcError> {
    // A session of this machine first: no host can take the answers meant for one.
    if state.engine.sessions().handle(&session_id).is_none() {
        if let Some(answered) = remote.answer(&session_id, &request_id, answer.clone()).await {
            return answered;
        }
    }
    let handle = live(&state, &session_id)?;
    Ok(handle.resolve(request_id, answer, DecisionSource::User).await?)
}

/// Every permission question waiting for an answer, in every session of this window.
#[tauri::command]
#[specta::specta]
pub fn permissions_waiting(state: State<'_, AppState>) -> Vec<WaitingRequest> {
    state.channels.waiting()
}

/// Switches a running session's permission mode.
#[tauri::command]
#[specta::specta]
pub async fn session_set_mode(state: State<'_, AppState>, session_id: SessionId, mode: PermissionMode) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.set_mode(mode).await?)
}

/// Replaces a running session's own rules (the Permissions panel removes one this way).
#[tauri::command]
#[specta::specta]
pub async fn session_rules_set(state: State<'_, AppState>, session_id: SessionId, rules: RuleSet) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.set_session_rules(rules).await?)
}

/// The permission rules Warden keeps for a project.
#[tauri::command]
#[specta::specta]
pub fn project_rules_get(state: State<'_, AppState>, project: String) -> Result<RuleSet, IpcError> {
    Ok(state.engine.permissions().project_rules(&project)?)
}

/// Replaces the permission rules of a project.
#[tauri::command]
#[specta::specta]
pub fn project_rules_set(state: State<'_, AppState>, project: String, rules: RuleSet) -> Result<(), IpcError> {
    Ok(state.engine.permissions().set_project_rules(&project, &rules)?)
}

/// Reads a rule as typed in an editor: the rule in its normal form, or why it is not one.
#[tauri::command]
#[specta::specta]
pub fn rule_parse(text: String) -> Result<Rule, IpcError> {
    Rule::parse(&text).map_err(IpcError::internal)
}

/// The permission decisions of a project's sessions, or of one session, oldest first.
#[tauri::command]
#[specta::specta]
pub fn permission_log(
    state: State<'_, AppState>,
    project: String,
    session_id: Option<SessionId>,
) -> Result<Vec<PermissionLogEntry>, IpcError> {
    Ok(state.engine.permissions().permission_log(&project, session_id.as_ref())?)
}

fn live(state: &AppState, id: &SessionId) -> Result<SessionHandle, IpcError> {
    state.engine.sessions().handle(id).ok_or_else(|| warden_engine::SessionError::NotRunning.into())
}
