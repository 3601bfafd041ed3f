//! Commands of the window's pipelines: the project's configured pipelines (for the New Session
//! dialog), starting one in the background (configured, or defined in the dialog), saving one
//! into the person's layer, the plan decision, stopping, and the runs of this
//! window; every change of a run's state is pushed as the typed event [`PipelineChanged`].

use super::checks::ChecksData;
use crate::error::IpcError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;
use tokio::sync::mpsc;
use warden_core::pipeline::{PipelineSpec, PipelineState, PlanDecision};
use warden_core::session::PermissionMode;
use warden_engine::pipeline::{PipelineControl, PipelineRequest, PipelineSink};
use warden_engine::RunOptions;

/// A pipeline's state changed (a step started or ended, a plan waits, a round began, a cost
/// came in): the whole state.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct PipelineChanged(pub PipelineState);

/// The pipeline runs of this window: their latest state and how to tell them the person's
/// decisions.
#[derive(Default, Clone)]
pub struct PipelineRuns(Arc<Mutex<HashMap<String, Run>>>);

struct Run {
    /// When it started, to list runs in order.
    started_ms: u64,
    state: PipelineState,
    controls: mpsc::UnboundedSender<PipelineControl>,
}

impl PipelineRuns {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Run>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn control(&self, run_id: &str, control: PipelineControl) -> Result<(), IpcError> {
        let runs = self.lock();
        let run = runs.get(run_id).ok_or_else(|| IpcError::internal(format!("no pipeline run {run_id}")))?;
        run.controls.send(control).map_err(|_| IpcError::internal("the pipeline has ended"))
    }
}

/// Keeps the latest state and tells the window.
struct WindowSink<R: Runtime> {
    app: AppHandle<R>,
    runs: PipelineRuns,
}

impl<R: Runtime> PipelineSink for WindowSink<R> {
    fn state(&self, state: &PipelineState) {
        if let Some(run) = self.runs.lock().get_mut(&state.run_id) {
            run.state = state.clone();
        }
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
    need_task(&prompt)?;
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
    need_task(&prompt)?;
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

/// Refuses an empty task before anything else is looked at.
fn need_task(prompt: &str) -> Result<(), IpcError> {
    if prompt.trim().is_empty() {
        return Err(IpcError::internal("a pipeline needs a task: write what should be done"));
    }
    Ok(())
}

/// Runs `spec` in the background and records the run for this window.
fn start<R: Runtime>(app: AppHandle<R>, state: &AppState, folder: &std::path::Path, spec: PipelineSpec, prompt: String, permission_mode: PermissionMode) -> Result<PipelineState, IpcError> {
    let request = PipelineRequest {
        project: folder.to_string_lossy().into_owned(),
        spec,
        prompt,
        permission_mode,
        sandbox: None,
        run: RunOptions::default(),
        run_for: Vec::new(),
    };
    let runs = app.state::<PipelineRuns>().inner().clone();
    let run_id = warden_engine::pipeline::new_run_id();
    let first = warden_engine::pipeline::initial_state(&request, run_id.clone());
    let (controls, control_rx) = mpsc::unbounded_channel();
    runs.lock().insert(run_id.clone(), Run { started_ms: warden_engine::now_ms(), state: first.clone(), controls });
    let engine = state.engine.clone();
    let sink: Arc<dyn warden_engine::EventSink> = state.channels.clone();
    let states = Arc::new(WindowSink { app, runs });
    tauri::async_runtime::spawn(async move {
        warden_engine::pipeline::run_as(run_id, &engine, request, sink, states, control_rx).await;
    });
    Ok(first)
}

/// The person's decision on the plan a run waits with.
#[tauri::command]
#[specta::specta]
pub fn pipeline_decide(runs: State<'_, PipelineRuns>, run_id: String, decision: PlanDecision) -> Result<(), IpcError> {
    runs.control(&run_id, PipelineControl::Plan(decision))
}

/// Stops a run: its current step's session stops, the run fails.
#[tauri::command]
#[specta::specta]
pub fn pipeline_stop(runs: State<'_, PipelineRuns>, run_id: String) -> Result<(), IpcError> {
    runs.control(&run_id, PipelineControl::Stop)
}

/// The runs of `project` in this window, oldest first, as they are now (for a view that opens
/// after they started).
#[tauri::command]
#[specta::specta]
pub fn pipeline_runs(runs: State<'_, PipelineRuns>, project: String) -> Result<Vec<PipelineState>, IpcError> {
    let folder = warden_engine::resolve_project_dir(&project)?;
    let folder = folder.to_string_lossy();
    let runs = runs.lock();
    let mut found: Vec<&Run> = runs.values().filter(|r| r.state.project == folder).collect();
    found.sort_by_key(|r| r.started_ms);
    Ok(found.into_iter().map(|r| r.state.clone()).collect())
}
