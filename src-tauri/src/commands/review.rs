//! Commands of the window's reviews: start a review of a session's task, turn or whole session
//! with an agent of the person's choice (it runs in the background and is reported in the
//! session's stream), the agents that can review, and the findings marked as false positives.

use crate::error::IpcError;
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime, State};
use warden_core::agent::AgentView;
use warden_core::review::{FalsePositive, ReviewScope};
use warden_core::session::{AgentKind, SessionId, TaskId};
use warden_engine::review::on_demand;
use warden_engine::ReviewAsk;

/// Starts a review of `session_id`'s `scope` by `agent` (for a custom agent, the one named
/// `agent_name`), with `model` when not the agent's default and the person's `instructions`.
/// Returns the review's id at once; `reviewStarted` and `reviewFinished` follow in the session's
/// stream, the reviewer's own session in its own. Async so that it runs on the runtime the
/// review is spawned on.
#[tauri::command]
#[specta::specta]
pub async fn review_start(
    state: State<'_, AppState>,
    session_id: SessionId,
    scope: ReviewScope,
    agent: AgentKind,
    agent_name: Option<String>,
    model: Option<String>,
    instructions: Option<String>,
) -> Result<String, IpcError> {
    let ask = ReviewAsk::on_demand(session_id, scope, agent, agent_name, model, instructions);
    // The reviewer's events and the review's reports both go to the window's channels: the
    // reviewer's session can be opened like any other while it works.
    let started = state.engine.review_session(ask, state.channels.clone(), state.channels.clone()).map_err(IpcError::internal)?;
    Ok(started.review)
}

/// The agents that can review: those of the New Session dialog that can start a session now.
#[tauri::command]
#[specta::specta]
pub async fn review_agents<R: Runtime>(app: AppHandle<R>) -> Result<Vec<AgentView>, IpcError> {
    let custom = app.state::<AppState>().engine.custom_agents().map_err(IpcError::internal)?;
    Ok(on_demand::reviewers(&custom).await)
}

/// The findings marked as false positives in `task` of `session_id`.
#[tauri::command]
#[specta::specta]
pub fn review_false_positives(state: State<'_, AppState>, session_id: SessionId, task: TaskId) -> Result<Vec<FalsePositive>, IpcError> {
    state.engine.store().false_positives(&session_id, task).map_err(IpcError::internal)
}

/// Marks the finding of `file` titled `title` as a false positive in `task` (`marked`), or takes
/// the mark back; returns the task's marks as they are now.
#[tauri::command]
#[specta::specta]
pub fn review_mark_false_positive(
    state: State<'_, AppState>,
    session_id: SessionId,
    task: TaskId,
    file: Option<String>,
    title: String,
    marked: bool,
) -> Result<Vec<FalsePositive>, IpcError> {
    on_demand::mark_false_positive(state.engine.store(), &session_id, task, file.as_deref(), &title, marked).map_err(IpcError::internal)
}
