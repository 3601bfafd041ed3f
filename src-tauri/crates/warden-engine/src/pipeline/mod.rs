//! Pipelines: one task handed from agent to agent along a saved sequence of roles
//! (`[[pipeline]]` in `checks.toml`, [`warden_core::pipeline::PipelineSpec`]).
//!
//! [`run`] drives one on top of the ordinary session API, each step a Warden session of its own
//! (same permissions, rules and journal as any other):
//! - **plan**: a session in plan mode gets the task; the plan is its plan-approval question's
//!   text (Claude's `ExitPlanMode`) or, for an agent without one, its final answer. The question
//!   is denied and the turn stopped, so the planner never implements; the person approves
//!   (maybe edited) or rejects the plan through [`PipelineControl`], unless `approve = "auto"`.
//! - **implement**: a session with the task and the approved plan, under the task gate (checks,
//!   their feedback and round limit as configured); the caller answers its questions and
//!   feedback decisions like any session's.
//! - **review**: [`crate::review::review`] on the implementer's work once its gate passed;
//!   blocking findings go back to the implementer as its next prompt, and every reviewer runs
//!   again, within the pipeline's round limit.
//!
//! Every step's session events go to the caller's [`EventSink`] (except the planner's plan
//! question, which the pipeline answers itself, and the reviewers' questions, which the review
//! answers itself); the pipeline's [`PipelineState`] goes to a [`PipelineSink`] after every
//! change. [`runs`] keeps the runs a front end started, for its later calls.

pub mod prompts;
pub mod runs;
mod steps;

use crate::engine::{Engine, RunOptions};
use crate::sink::EventSink;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::mpsc;
use warden_core::pipeline::*;
use warden_core::session::{AgentKind, PermissionMode, Sandbox};

/// Receives a pipeline's state after every change. Must not block.
pub trait PipelineSink: Send + Sync {
    /// The whole state, as it is now.
    fn state(&self, state: &PipelineState);
}

/// A sink that forwards into a tokio channel, for the headless command and tests.
#[derive(Debug, Clone)]
pub struct PipelineChannel(pub mpsc::UnboundedSender<PipelineState>);

impl PipelineSink for PipelineChannel {
    fn state(&self, state: &PipelineState) {
        let _ = self.0.send(state.clone());
    }
}

/// What the person (or the headless command) tells a running pipeline.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineControl {
    /// The decision on the plan that waits for approval.
    Plan(PlanDecision),
    /// Stop the pipeline: its current session is stopped, the pipeline fails.
    Stop,
}

/// A pipeline to run.
#[derive(Debug, Clone)]
pub struct PipelineRequest {
    /// The project folder, as typed.
    pub project: String,
    /// The pipeline.
    pub spec: PipelineSpec,
    /// The task.
    pub prompt: String,
    /// The implementer's permission mode.
    pub permission_mode: PermissionMode,
    /// The implementer's sandbox, for Codex (workspace-write by default).
    pub sandbox: Option<Sandbox>,
    /// How agents run: the implementer's gate options come from here.
    pub run: RunOptions,
    /// How particular agents run instead of `run` (their binary and environment; tests give
    /// each agent its mock), the gate options still from `run`.
    pub run_for: Vec<(AgentKind, RunOptions)>,
}

impl PipelineRequest {
    /// The run options of a session of `agent`.
    fn run_options(&self, agent: AgentKind) -> RunOptions {
        let mut run = self.run_for.iter().find(|(kind, _)| *kind == agent).map_or_else(|| self.run.clone(), |(_, run)| run.clone());
        run.gate = self.run.gate;
        run
    }
}

/// The pipelines configured for `project` (its canonical folder), enabled ones only, or why
/// the configuration cannot be read.
pub fn configured(project: &Path, data_dir: &Path) -> Result<Vec<PipelineSpec>, String> {
    match warden_gate::config::load(project, data_dir) {
        Ok(config) => Ok(config.pipelines.into_iter().filter(|p| p.disabled.is_none()).map(|p| p.spec).collect()),
        Err(errors) => Err(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")),
    }
}

/// The pipeline `id` of `project`: by id, else by name in any case.
pub fn find(project: &Path, data_dir: &Path, id: &str) -> Result<PipelineSpec, String> {
    let all = configured(project, data_dir)?;
    let found = all.iter().find(|p| p.id == id).or_else(|| all.iter().find(|p| p.name.eq_ignore_ascii_case(id)));
    match found {
        Some(spec) => Ok(spec.clone()),
        None if all.is_empty() => Err(format!("the project has no pipeline `{id}` (no [[pipeline]] in .warden/checks.toml or your personal layer)")),
        None => Err(format!("the project has no pipeline `{id}` (known: {})", all.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", "))),
    }
}

/// The state of a pipeline about to start.
pub fn initial_state(request: &PipelineRequest, run_id: String) -> PipelineState {
    PipelineState {
        run_id,
        pipeline: request.spec.id.clone(),
        name: request.spec.name.clone(),
        project: request.project.clone(),
        steps: request
            .spec
            .steps
            .iter()
            .map(|s| PipelineStepState {
                role: s.role,
                agent: s.agent.clone(),
                model: s.model.clone(),
                session_id: None,
                status: StepStatus::Waiting,
                round: 1,
                cost_usd: None,
            })
            .collect(),
        current: 0,
        round: 1,
        max_rounds: request.spec.max_rounds.max(1),
        status: PipelineStatus::Running,
        plan: None,
    }
}

/// Runs the pipeline to its end and returns its final state (also sent to `states`). Step
/// sessions' events go to `sink`; the person's decisions come through `controls`.
pub async fn run(
    engine: &Engine,
    request: PipelineRequest,
    sink: Arc<dyn EventSink>,
    states: Arc<dyn PipelineSink>,
    controls: mpsc::UnboundedReceiver<PipelineControl>,
) -> PipelineState {
    run_as(new_run_id(), engine, request, sink, states, controls).await
}

/// A fresh id for a pipeline run.
pub fn new_run_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// [`run`] under an id the caller chose (the window returns it before the run starts).
pub async fn run_as(
    run_id: String,
    engine: &Engine,
    request: PipelineRequest,
    sink: Arc<dyn EventSink>,
    states: Arc<dyn PipelineSink>,
    controls: mpsc::UnboundedReceiver<PipelineControl>,
) -> PipelineState {
    let state = initial_state(&request, run_id);
    steps::Driver::new(engine, request, sink, states, controls, state).run().await
}
