//! Commands for Claude Code's own sessions of a project: list the ones Warden does not hold,
//! show one read-only, import one to continue it in Warden.
//!
//! Reading transcripts touches many files, so each command runs off the main thread.

use crate::error::IpcError;
use crate::state::AppState;
use std::sync::Arc;
use tauri::State;
use warden_core::session::*;
use warden_engine::{History, HistoryError};

/// Runs an engine call on a blocking thread.
async fn blocking<T: Send + 'static>(
    state: State<'_, AppState>,
    call: impl FnOnce(&History) -> Result<T, HistoryError> + Send + 'static,
) -> Result<T, IpcError> {
    let history: Arc<History> = state.engine.history().clone();
    tauri::async_runtime::spawn_blocking(move || call(&history)).await.map_err(IpcError::internal)?.map_err(IpcError::from)
}

/// Claude Code sessions of a project that Warden has not started or imported, newest first.
#[tauri::command]
#[specta::specta]
pub async fn claude_history_list(state: State<'_, AppState>, project: String) -> Result<Vec<ClaudeHistoryEntry>, IpcError> {
    blocking(state, move |history| history.list(&project)).await
}

/// Tool outputs longer than this come without their text in a transcript sent to the window,
/// as in a stored session's backlog: a long transcript is mostly tool output, which made opening
/// it slow and heavy. A row that is expanded reads its output back with `claude_history_output`.
const OUTPUT_LIMIT: usize = 4096;

/// A Claude Code session read as events, to show before importing; nothing is stored. The
/// events carry the Claude session id as their session id. Large tool outputs are left out (see
/// [`OUTPUT_LIMIT`]), and so are the long chat texts far from the end, which
/// `claude_history_texts` reads back in pages: together they were most of what opening a long
/// session carried.
#[tauri::command]
#[specta::specta]
pub async fn claude_history_events(
    state: State<'_, AppState>,
    project: String,
    agent_session_id: String,
) -> Result<ClaudeHistoryView, IpcError> {
    blocking(state, move |history| history.events_to_show(&project, &agent_session_id, OUTPUT_LIMIT)).await
}

/// The chat texts `claude_history_events` left out of events `from_seq..=to_seq` (a page of
/// them), from the state of the transcript its answer named (`snapshot`); an error says so when
/// the transcript changed since.
#[tauri::command]
#[specta::specta]
pub async fn claude_history_texts(
    state: State<'_, AppState>,
    project: String,
    agent_session_id: String,
    snapshot: String,
    from_seq: u64,
    to_seq: u64,
) -> Result<Vec<HistoryText>, IpcError> {
    blocking(state, move |history| history.texts(&project, &agent_session_id, &snapshot, from_seq, to_seq)).await
}

/// The whole output of one tool call of a Claude Code session shown read-only (what
/// `claude_history_events` left out); `None` when the transcript has no result for that call.
#[tauri::command]
#[specta::specta]
pub async fn claude_history_output(
    state: State<'_, AppState>,
    project: String,
    agent_session_id: String,
    tool_call_id: String,
) -> Result<Option<ToolOutput>, IpcError> {
    blocking(state, move |history| history.output(&project, &agent_session_id, &tool_call_id)).await
}

/// Imports a Claude Code session as a stopped Warden session with the same id, ready to
/// resume; a session already held is returned as it is.
#[tauri::command]
#[specta::specta]
pub async fn claude_history_import(
    state: State<'_, AppState>,
    project: String,
    agent_session_id: String,
) -> Result<SessionRecord, IpcError> {
    blocking(state, move |history| history.import(&project, &agent_session_id)).await
}
