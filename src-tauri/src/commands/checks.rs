//! Commands for the task gate's checks in the window: the merged configuration with its trust
//! (for the Checks panel and the trust dialog), the person's trust decision pinned to the exact
//! content they were shown, a check's stored log read in pages, and the person's gate actions
//! on a task (send, dismiss or accept feedback; re-run checks). The work is warden-gate's
//! `panel` (the same calls `warden serve` answers for a remote project); the types are
//! warden-core's `checks`.

use crate::error::IpcError;
use crate::state::AppState;
use std::path::{Path, PathBuf};
use tauri::State;
use warden_core::checks::{ChecksLogPage, ChecksOverview, ChecksTrustDecision};
use warden_core::session::{FeedbackDecision, SessionId, TaskId};
use warden_gate::panel;

/// Warden's data folder, where the gate keeps trust records, personal layers and check logs.
pub struct ChecksData(pub PathBuf);

/// The project's merged checks configuration, its trust, errors, and what trusting it would
/// allow.
#[tauri::command]
#[specta::specta]
pub async fn checks_overview(data: State<'_, ChecksData>, project: String) -> Result<ChecksOverview, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || overview_of(&project, &data_dir)).await
}

/// Records the person's decision about the project file. `sha256` is the content they were
/// shown; when the file changed since, nothing is decided and the error says so. Returns the
/// overview as it is after the decision.
#[tauri::command]
#[specta::specta]
pub async fn checks_trust(
    data: State<'_, ChecksData>,
    project: String,
    decision: ChecksTrustDecision,
    sha256: Option<String>,
) -> Result<ChecksOverview, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || decide(&project, &data_dir, decision, sha256.as_deref())).await
}

/// A page of a check's log from `offset`. Only files under Warden's own checks log folder are
/// read; any other path is refused.
#[tauri::command]
#[specta::specta]
pub async fn checks_log(data: State<'_, ChecksData>, path: String, offset: u64) -> Result<ChecksLogPage, IpcError> {
    let data_dir = data.0.clone();
    blocking(move || read_log(&data_dir, Path::new(&path), offset)).await
}

/// The person's decision on the feedback proposed for `task`: send it (`text` is what is sent,
/// as edited; `None` sends the proposed text), dismiss it, or accept the work as it is.
#[tauri::command]
#[specta::specta]
pub async fn task_feedback(
    state: State<'_, AppState>,
    session_id: SessionId,
    task: TaskId,
    decision: FeedbackDecision,
    text: Option<String>,
) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.decide_feedback(task, decision, text).await?)
}

/// Runs `task`'s checks again (only those that failed, with `only_failed`).
#[tauri::command]
#[specta::specta]
pub async fn task_rerun(state: State<'_, AppState>, session_id: SessionId, task: TaskId, only_failed: bool) -> Result<(), IpcError> {
    Ok(live(&state, &session_id)?.rerun_checks(task, only_failed).await?)
}

fn live(state: &AppState, id: &SessionId) -> Result<warden_engine::SessionHandle, IpcError> {
    state.engine.sessions().handle(id).ok_or_else(|| warden_engine::SessionError::NotRunning.into())
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IpcError> + Send + 'static) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(IpcError::internal(format!("the checks task failed: {e}"))),
    }
}

fn overview_of(project: &str, data_dir: &Path) -> Result<ChecksOverview, IpcError> {
    let project = warden_engine::resolve_project_dir(project)?;
    panel::checks_overview(&project, data_dir).map_err(IpcError::internal)
}

fn decide(project: &str, data_dir: &Path, decision: ChecksTrustDecision, shown: Option<&str>) -> Result<ChecksOverview, IpcError> {
    let folder = warden_engine::resolve_project_dir(project)?;
    panel::decide_trust(&folder, data_dir, decision, shown).map_err(IpcError::internal)
}

fn read_log(data_dir: &Path, path: &Path, offset: u64) -> Result<ChecksLogPage, IpcError> {
    panel::log_page(data_dir, path, offset).map_err(IpcError::internal)
}
