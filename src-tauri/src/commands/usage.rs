//! Commands for the usage view: a project's (or every project's) usage over a time range, and
//! the same as CSV, returned as text or saved where the person chooses in the save dialog.
//!
//! The save dialog is opened here, not by the window, so the file written is always one the
//! person picked: no path from the webview is ever written to.

use crate::error::IpcError;
use crate::state::AppState;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use warden_core::usage::{PriceTable, UsageReport};
use warden_engine::store::UsageQuery;
use warden_engine::Engine;

/// Usage of `project` (a project folder, its worktree sessions included; `None`: every
/// project) from the turns ended in `[from_ms, to_ms)`, days beginning `utc_offset_minutes`
/// east of UTC (the window's time zone). Costs the agents did not report are estimated from
/// the shipped price table and counted apart.
#[tauri::command]
#[specta::specta]
pub async fn usage_report(
    state: State<'_, AppState>,
    project: Option<String>,
    from_ms: u64,
    to_ms: u64,
    utc_offset_minutes: i32,
) -> Result<UsageReport, IpcError> {
    let query = query(project, from_ms, to_ms, utc_offset_minutes)?;
    let engine = state.engine.clone();
    blocking(move || engine.store().usage_report(&query, &prices()?).map_err(IpcError::internal)).await
}

/// The same usage as CSV text: one row per day, agent and model.
#[tauri::command]
#[specta::specta]
pub async fn usage_csv(
    state: State<'_, AppState>,
    project: Option<String>,
    from_ms: u64,
    to_ms: u64,
    utc_offset_minutes: i32,
) -> Result<String, IpcError> {
    let query = query(project, from_ms, to_ms, utc_offset_minutes)?;
    csv(state.engine.clone(), query).await
}

/// Asks where to save the usage CSV and writes it there: the path written, or `None` when the
/// person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn usage_export<R: Runtime>(
    app: AppHandle<R>,
    project: Option<String>,
    from_ms: u64,
    to_ms: u64,
    utc_offset_minutes: i32,
) -> Result<Option<String>, IpcError> {
    let query = query(project, from_ms, to_ms, utc_offset_minutes)?;
    let engine = app.state::<AppState>().engine.clone();
    let text = csv(engine, query).await?;
    save(&app, text).await
}

/// Asks where to save a usage CSV the window already holds (a remote project's, read from its
/// host: what the host stores stays there, the person decides where this copy goes) and writes
/// it there: the path written, or `None` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn usage_save_csv<R: Runtime>(app: AppHandle<R>, text: String) -> Result<Option<String>, IpcError> {
    save(&app, text).await
}

/// The save dialog and the write, for both exports.
async fn save<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<Option<String>, IpcError> {
    let dialog = app.dialog().file().set_title("Export Usage").add_filter("CSV", &["csv"]).set_file_name("warden-usage.csv");
    blocking(move || {
        let Some(chosen) = dialog.blocking_save_file() else { return Ok(None) };
        let path = chosen.into_path().map_err(|e| IpcError::internal(format!("The chosen file is unusable: {e}")))?;
        std::fs::write(&path, text).map_err(|e| IpcError::internal(format!("Could not write {}: {e}", path.display())))?;
        Ok(Some(path.to_string_lossy().into_owned()))
    })
    .await
}

fn query(project: Option<String>, from_ms: u64, to_ms: u64, utc_offset_minutes: i32) -> Result<UsageQuery, IpcError> {
    Ok(UsageQuery::new(project.as_deref(), from_ms, to_ms, utc_offset_minutes)?)
}

fn prices() -> Result<PriceTable, IpcError> {
    PriceTable::shipped().map_err(IpcError::internal)
}

async fn csv(engine: Arc<Engine>, query: UsageQuery) -> Result<String, IpcError> {
    blocking(move || engine.store().usage_csv(&query, &prices()?).map_err(IpcError::internal)).await
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, IpcError> + Send + 'static) -> Result<T, IpcError> {
    match tauri::async_runtime::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(IpcError::internal(format!("the usage task failed: {e}"))),
    }
}
