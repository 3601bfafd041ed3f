//! The pipeline runs one front end started (the window, or a host's `warden serve` for every
//! client of a remote project): their latest state, and how to tell them the person's plan
//! decision or Stop. Starting a run here records it before it goes on in the background; each
//! change of its state is kept and passed on to the front end's own [`PipelineSink`].

use super::{initial_state, new_run_id, run_as, PipelineControl, PipelineRequest, PipelineSink};
use crate::engine::{Engine, RunOptions};
use crate::sink::EventSink;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use warden_core::pipeline::{PipelineSpec, PipelineState};
use warden_core::session::PermissionMode;

/// Why a call about runs did nothing.
#[derive(Debug, thiserror::Error)]
pub enum RunsError {
    /// An empty task.
    #[error("a pipeline needs a task: write what should be done")]
    NoTask,
    /// No run has this id here.
    #[error("no pipeline run {0}")]
    Unknown(String),
    /// The run has ended: it takes no decision any more.
    #[error("the pipeline has ended")]
    Ended,
}

/// A run as a front end asks for it: `spec` on `prompt` in `folder` (a project folder the
/// caller resolved), the implementer in `permission_mode`, agents as they run by default.
pub fn request(folder: &Path, spec: PipelineSpec, prompt: String, permission_mode: PermissionMode) -> PipelineRequest {
    PipelineRequest {
        project: folder.to_string_lossy().into_owned(),
        spec,
        prompt,
        permission_mode,
        sandbox: None,
        run: RunOptions::default(),
        run_for: Vec::new(),
    }
}

/// Refuses an empty task (front ends call it first, before anything else is looked at).
pub fn need_task(prompt: &str) -> Result<(), RunsError> {
    if prompt.trim().is_empty() {
        return Err(RunsError::NoTask);
    }
    Ok(())
}

/// The runs started here, by id.
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

    /// Starts `request` on the current tokio runtime. Returns its first state at once; step
    /// sessions' events go to `sink`, every state to `changes` (after it is kept here).
    pub fn start(&self, engine: &Arc<Engine>, request: PipelineRequest, sink: Arc<dyn EventSink>, changes: Arc<dyn PipelineSink>) -> Result<PipelineState, RunsError> {
        need_task(&request.prompt)?;
        let run_id = new_run_id();
        let first = initial_state(&request, run_id.clone());
        let (controls, control_rx) = mpsc::unbounded_channel();
        self.lock().insert(run_id.clone(), Run { started_ms: crate::now_ms(), state: first.clone(), controls });
        let engine = engine.clone();
        let states = Arc::new(Keep { runs: self.clone(), then: changes });
        tokio::spawn(async move {
            run_as(run_id, &engine, request, sink, states, control_rx).await;
        });
        Ok(first)
    }

    /// Tells run `run_id` the person's decision (the plan, or Stop).
    pub fn control(&self, run_id: &str, control: PipelineControl) -> Result<(), RunsError> {
        let runs = self.lock();
        let run = runs.get(run_id).ok_or_else(|| RunsError::Unknown(run_id.to_owned()))?;
        run.controls.send(control).map_err(|_| RunsError::Ended)
    }

    /// The runs of `folder` (as [`PipelineRuns::start`] got it), oldest first, as they are now.
    pub fn of_project(&self, folder: &Path) -> Vec<PipelineState> {
        let folder = folder.to_string_lossy();
        let runs = self.lock();
        let mut found: Vec<&Run> = runs.values().filter(|r| r.state.project == folder).collect();
        found.sort_by_key(|r| r.started_ms);
        found.into_iter().map(|r| r.state.clone()).collect()
    }

    /// Whether a run is still going (a host's engine stays up for it).
    pub fn any_running(&self) -> bool {
        self.lock().values().any(|r| !r.controls.is_closed())
    }
}

/// Keeps each state, then passes it on.
struct Keep {
    runs: PipelineRuns,
    then: Arc<dyn PipelineSink>,
}

impl PipelineSink for Keep {
    fn state(&self, state: &PipelineState) {
        if let Some(run) = self.runs.lock().get_mut(&state.run_id) {
            run.state = state.clone();
        }
        self.then.state(state);
    }
}

/// A sink that drops the states (the runs' own record is enough: a host's clients ask for it).
pub struct NoChanges;

impl PipelineSink for NoChanges {
    fn state(&self, _: &PipelineState) {}
}
