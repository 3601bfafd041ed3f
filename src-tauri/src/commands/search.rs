//! Commands for search: full-text search over every stored session of a project, and the
//! matches in the tool outputs a session's window does not hold (for its Ctrl+F count).

use crate::error::IpcError;
use crate::state::AppState;
use tauri::State;
use warden_core::search::{OutputMatches, SearchHit};
use warden_core::session::SessionId;
use warden_engine::store::SearchError;

/// Tool outputs one `search_session_outputs` call looks into at most: a window asks for the
/// outputs it let go of, which its memory budget keeps to a few thousand.
const MAX_OUTPUTS: usize = 20_000;

/// Full-text search over the stored events of every session of `project` (its worktree
/// sessions included): prompts, answers, reasoning, tool inputs and outputs. Best matches
/// first, at most `limit` (capped at 500). Words match words they start; `"…"` is an exact
/// phrase. A query with no word in it is an error saying so.
#[tauri::command]
#[specta::specta]
pub async fn search_project(state: State<'_, AppState>, project: String, query: String, limit: u32) -> Result<Vec<SearchHit>, IpcError> {
    let project = warden_engine::resolve_project_dir(&project)?;
    let engine = state.engine.clone();
    blocking(move || {
        engine.store().search_project(&project.to_string_lossy(), &query, limit as usize).map_err(|e| match e {
            SearchError::Query(e) => IpcError::internal(e),
            SearchError::Store(e) => IpcError::internal(format!("The search failed: {e}")),
        })
    })
    .await
}

/// How often `needle` occurs (ignoring case) in the stored outputs of the tool call updates
/// `seqs` of a session: the outputs its window let go of or never received whole. With
/// `claude_project`, the session is a Claude Code session of that project shown read-only (not
/// stored): its transcript's outputs are counted instead, those the window was sent without.
#[tauri::command]
#[specta::specta]
pub async fn search_session_outputs(
    state: State<'_, AppState>,
    session_id: SessionId,
    seqs: Vec<u64>,
    needle: String,
    claude_project: Option<String>,
) -> Result<Vec<OutputMatches>, IpcError> {
    if seqs.len() > MAX_OUTPUTS {
        return Err(IpcError::internal(format!("At most {MAX_OUTPUTS} outputs can be searched at once, not {}", seqs.len())));
    }
    let engine = state.engine.clone();
    blocking(move || match claude_project {
        Some(project) => engine.history().output_matches(&project, session_id.as_str(), &seqs, &needle).map_err(IpcError::from),
        None => engine.store().output_matches(&session_id, &seqs, &needle).map_err(IpcError::internal),
    })
    .await
}

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IpcError> + Send + 'static) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(IpcError::internal(format!("the search task failed: {e}"))),
    }
}
