//! Answering an agent's question with choices (Claude Code's `AskUserQuestion`, Codex's
//! `request_user_input`): the person's answers go to the agent as its tool expects. Declining
//! to answer is a denial through `permission_resolve`.

use crate::error::IpcError;
use crate::state::AppState;
use tauri::State;
use warden_core::session::{DecisionSource, PermissionAnswer, PermissionRequestId, QuestionAnswer, SessionId};

/// Answers a waiting question with choices of a session: one answer per question answered.
#[tauri::command]
#[specta::specta]
pub async fn question_answer(
    state: State<'_, AppState>,
    remote: State<'_, crate::remote_window::RemoteWindow>,
    session_id: SessionId,
    request_id: PermissionRequestId,
    answers: Vec<QuestionAnswer>,
) -> Result<(), IpcError> {
    // A remote project's session is answered on its host (a local one always here).
    if state.engine.sessions().handle(&session_id).is_none() {
        if let Some(answered) = remote.answer(&session_id, &request_id, PermissionAnswer::answered(answers.clone())).await {
            return answered;
        }
    }
    let handle = state.engine.sessions().handle(&session_id).ok_or(warden_engine::SessionError::NotRunning)?;
    Ok(handle.resolve(request_id, PermissionAnswer::answered(answers), DecisionSource::User).await?)
}
