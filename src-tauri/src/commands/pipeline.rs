//! Commands of the window's pipelines: the project's configured pipelines (for the New Session
//! dialog), starting one in the background (configured, or defined in the dialog), saving one
//! into the person's layer, the plan decision, stopping, and the runs of this window (kept by
//! the engine's `pipeline::runs`, as a host keeps a remote project's); every change of a run's
//! state is pushed as the typed event [`PipelineChanged`].

use super::checks::ChecksData;
use crate::error::IpcError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;
use warden_core::pipeline::{PipelineSpec, PipelineState, PlanDecision};
use warden_core::session::PermissionMode;
use warden_engine::pipeline::runs::need_task;
use warden_engine::pipeline::{PipelineControl, PipelineSink};

/// A pipeline's state changed (a step started or ended, a plan waits, a round began, a cost
/// came in): the whole state.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct PipelineChanged(pub PipelineState);

/// The pipeline runs of this window (the engine's record of them: their latest state and
/// how to tell them the person's decisions).
pub type PipelineRuns = warden_engine::pipeline::runs::PipelineRuns;

/// Tells the window of every change.
struct WindowSink<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> PipelineSink for WindowSink<R> {
    fn state(&self, state: &PipelineState) {
        let _ = PipelineChanged(state.clone()).emit(&self.app);
    }
}

/// The enabled pipelines of `project`; an error when its configuration cannot be read.
#[tauri::command]
#[specta::specta]
pub async fn pipeline_list(data: State<'_, ChecksData>, project: String) -> Result<Vec<PipelineSpec>, IpcError> {
    let project = warden_engine::resolve_project_dir(&project)?;
    warden_engine::pipeline::configured(&project, &data.0).map_err(IpcError::internal)
}

/// Starts the pipeline `pipeline` of `project` on `prompt`, the implementer in
/// `permission_mode`. Returns its first state at once; the run goes on in the background, its
/// steps' sessions in the session list like any other, its changes as [`PipelineChanged`].
#[tauri::command]
#[specta::specta]
pub async fn pipeline_start<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    project: String,
    pipeline: String,
    prompt: String,
    permission_mode: PermissionMode,
) -> Result<PipelineState, IpcError> {
    need_task(&prompt).map_err(IpcError::internal)?;
    let folder = warden_engine::resolve_project_dir(&project)?;
    let data_dir = app.state::<ChecksData>().0.clone();
    let spec = warden_engine::pipeline::find(&folder, &data_dir, &pipeline).map_err(IpcError::internal)?;
    start(app, &state, &folder, spec, prompt, permission_mode)
}

/// Starts a pipeline given whole (defined in the New Session dialog) as
/// [`pipeline_start`] does, after the same checks as a `[[pipeline]]` of the file; nothing is
/// written.
#[tauri::command]
#[specta::specta]
pub async fn pipeline_start_spec<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    project: String,
    spec: PipelineSpec,
    prompt: String,
    permission_mode: PermissionMode,
) -> Result<PipelineState, IpcError> {
    need_task(&prompt).map_err(IpcError::internal)?;
    let folder = warden_engine::resolve_project_dir(&project)?;
    warden_gate::config::pipeline::check_spec(&spec).map_err(IpcError::internal)?;
    start(app, &state, &folder, spec, prompt, permission_mode)
}

/// Saves `spec` into the person's own layer for `project` (`<data>/checks/<key>.toml`),
/// keeping what the file already holds; an id that exists is refused unless `replace`. Returns
/// the project's pipelines as they are now.
#[tauri::command]
#[specta::specta]
pub async fn pipeline_save(data: State<'_, ChecksData>, project: String, spec: PipelineSpec, replace: bool) -> Result<Vec<PipelineSpec>, IpcError> {
    let folder = warden_engine::resolve_project_dir(&project)?;
    warden_gate::config::save::save_pipeline(&folder, &data.0, &spec, replace).map_err(|e| IpcError::internal(e.to_string()))?;
    warden_engine::pipeline::configured(&folder, &data.0).map_err(IpcError::internal)
}

/// Runs `spec` in the background and records the run for this window.
fn start<R: Runtime>(app: AppHandle<R>, state: &AppState, folder: &std::path::Path, spec: PipelineSpec, prompt: String, permission_mode: PermissionMode) -> Result<PipelineState, IpcError> {
    let runs = app.state::<PipelineRuns>().inner().clone();
    let sink: Arc<dyn warden_engine::EventSink> = state.channels.clone();
    let request = warden_engine::pipeline::runs::request(folder, spec, prompt, permission_mode);
    runs.start(&state.engine, request, sink, Arc::new(WindowSink { app })).map_err(IpcError::internal)
}

/// The person's decision on the plan a run waits with.
#[tauri::command]
#[specta::specta]
pub fn pipeline_decide(runs: State<'_, PipelineRuns>, run_id: String, decision: PlanDecision) -> Result<(), IpcError> {
    runs.control(&run_id, PipelineControl::Plan(decision)).map_err(IpcError::internal)
}

/// Stops a run: its current step's session stops, the run fails.
#[tauri::command]
#[specta::specta]
pub fn pipeline_stop(runs: State<'_, PipelineRuns>, run_id: String) -> Result<(), IpcError> {
    runs.control(&run_id, PipelineControl::Stop).map_err(IpcError::internal)
}

/// The runs of `project` in this window, oldest first, as they are now (for a view that opens
/// after they started).
#[tauri::command]
#[specta::specta]
pub fn pipeline_runs(runs: State<'_, PipelineRuns>, project: String) -> Result<Vec<PipelineState>, IpcError> {
    let folder = warden_engine::resolve_project_dir(&project)?;
    Ok(runs.of_project(&folder))
}
