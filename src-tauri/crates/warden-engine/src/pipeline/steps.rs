//! The pipeline's driver: each step's session started, its events pumped (and forwarded to the
//! caller), the plan captured and approved, the implementer's gate awaited, the reviews run and
//! their blocking findings sent back, the state reported after every change.

use super::prompts::{blocking, implement_prompt, plan_prompt, review_feedback, PLANNER_STOP};
use super::{PipelineControl, PipelineRequest, PipelineSink};
use crate::engine::{Engine, NewSession, RunOptions};
use crate::review::{review, ReviewAsk, ReviewRequest, DEFAULT_TIMEOUT};
use crate::sink::{ChannelSink, EventSink};
use crate::session::ReviewReport;
use crate::{SessionError, SessionHandle};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use warden_core::agent::AgentChoice;
use warden_core::pipeline::*;
use warden_core::review::{ReviewScope, Reviewer};
use warden_core::session::*;

/// Why the pipeline ended before its last step.
pub(super) enum Stop {
    /// An agent failed, or the pipeline was stopped.
    Failed(String),
    /// The work was not accepted (plan rejected, gate not passed, findings left).
    NotPassed(String),
}

fn failed(why: impl std::fmt::Display) -> Stop {
    Stop::Failed(why.to_string())
}

/// A step's live session: its handle and the events the pipeline reads before forwarding.
struct StepSession {
    handle: SessionHandle,
    rx: mpsc::UnboundedReceiver<SessionEvent>,
}

/// Drives one pipeline run.
pub(super) struct Driver<'a> {
    engine: &'a Engine,
    request: PipelineRequest,
    sink: Arc<dyn EventSink>,
    states: Arc<dyn PipelineSink>,
    controls: mpsc::UnboundedReceiver<PipelineControl>,
    /// Whether every sender of controls is gone: no decision can come any more.
    controls_closed: bool,
    state: PipelineState,
}

impl<'a> Driver<'a> {
    pub(super) fn new(
        engine: &'a Engine,
        request: PipelineRequest,
        sink: Arc<dyn EventSink>,
        states: Arc<dyn PipelineSink>,
        controls: mpsc::UnboundedReceiver<PipelineControl>,
        state: PipelineState,
    ) -> Self {
        Self { engine, request, sink, states, controls, controls_closed: false, state }
    }

    fn emit(&self) {
        self.states.state(&self.state);
    }

    /// Runs every step; the final state is returned and reported.
    pub(super) async fn run(mut self) -> PipelineState {
        self.emit();
        let ended = self.steps().await;
        self.state.status = match ended {
            Ok(()) => PipelineStatus::Passed,
            Err(Stop::Failed(reason)) => PipelineStatus::Failed { reason },
            Err(Stop::NotPassed(reason)) => PipelineStatus::NotPassed { reason },
        };
        let ok = self.state.status == PipelineStatus::Passed;
        for step in &mut self.state.steps {
            match step.status {
                StepStatus::Waiting => step.status = StepStatus::Skipped,
                StepStatus::Running | StepStatus::AwaitingApproval if !ok => step.status = StepStatus::Failed,
                _ => {}
            }
        }
        self.emit();
        self.state
    }

    async fn steps(&mut self) -> Result<(), Stop> {
        let specs = self.request.spec.steps.clone();
        let Some(implement) = specs.iter().position(|s| s.role == PipelineRole::Implement) else {
            return Err(failed("the pipeline has no implement step"));
        };
        let plan = match specs.first() {
            Some(first) if first.role == PipelineRole::Plan => Some(self.plan_step(0, first).await?),
            _ => None,
        };
        let spec = &specs[implement];
        let prompt = implement_prompt(&self.request.prompt, plan.as_deref(), spec.instructions.as_deref());
        let run = self.request.run_options(self.agent(spec)?.0.kind());
        let mut session = self.start(implement, spec, self.request.permission_mode, self.request.sandbox, run).await?;
        let ended = self.implement_and_review(implement, &specs, &mut session, prompt).await;
        session.handle.stop().await;
        self.drain(&mut session);
        ended
    }

    /// The agent a step names.
    fn agent(&self, spec: &PipelineStepSpec) -> Result<(AgentChoice, Option<String>), Stop> {
        let custom = self.engine.custom_agents().map_err(failed)?;
        let choice = AgentChoice::pick(&spec.agent, &custom).map_err(Stop::Failed)?;
        let name = match &choice {
            AgentChoice::Custom(agent) => Some(agent.name.clone()),
            AgentChoice::Preset(_) => None,
        };
        Ok((choice, name))
    }

    /// Starts step `index`'s session.
    async fn start(&mut self, index: usize, spec: &PipelineStepSpec, mode: PermissionMode, sandbox: Option<Sandbox>, run: RunOptions) -> Result<StepSession, Stop> {
        let (choice, name) = self.agent(spec)?;
        let kind = choice.kind();
        let (agent_name, sandbox) = agent_settings(kind, name, sandbox.filter(|_| kind == AgentKind::Codex)).map_err(failed)?;
        let new = NewSession { project: self.request.project.clone(), model: spec.model.clone(), permission_mode: mode, agent: kind, agent_name, sandbox, run, worktree: None, group: None };
        let (tx, rx) = mpsc::unbounded_channel();
        let handle = self.engine.sessions().start(new, Arc::new(ChannelSink(tx))).await.map_err(|e| failed(format!("the {} step could not start: {e}", spec.role.as_str())))?;
        self.state.current = index;
        let step = &mut self.state.steps[index];
        step.session_id = Some(handle.id().clone());
        step.status = StepStatus::Running;
        step.round = self.state.round;
        self.emit();
        Ok(StepSession { handle, rx })
    }

    /// The next event of `session`, minding the person's controls meanwhile.
    async fn next(&mut self, session: &mut StepSession) -> Result<SessionEvent, Stop> {
        loop {
            tokio::select! {
                event = session.rx.recv() => return event.ok_or_else(|| failed("the step's session ended unexpectedly")),
                control = self.controls.recv(), if !self.controls_closed => match control {
                    Some(PipelineControl::Stop) => return Err(failed("the pipeline was stopped")),
                    // A decision with no plan waiting: nothing to do.
                    Some(PipelineControl::Plan(_)) => {}
                    // No one left to decide: the steps go on by themselves.
                    None => self.controls_closed = true,
                },
            }
        }
    }

    /// Forwards what is left of a stopped session's events.
    fn drain(&self, session: &mut StepSession) {
        while let Ok(event) = session.rx.try_recv() {
            self.sink.send(&event);
        }
    }

    fn add_cost(&mut self, index: usize, cost: Option<f64>) {
        if let Some(cost) = cost {
            let step = &mut self.state.steps[index];
            step.cost_usd = Some(step.cost_usd.unwrap_or(0.0) + cost);
        }
    }

    /// The plan step: the planner's plan, approved (and maybe edited) by the person.
    async fn plan_step(&mut self, index: usize, spec: &PipelineStepSpec) -> Result<String, Stop> {
        let mut run = self.request.run_options(self.agent(spec)?.0.kind());
        // The planner's turn is no task to check: it changes nothing.
        run.gate.checks = false;
        let mut session = self.start(index, spec, PermissionMode::Plan, Some(Sandbox::ReadOnly), run).await?;
        let written = self.plan_turn(index, spec, &mut session).await;
        session.handle.stop().await;
        self.drain(&mut session);
        let plan = written?;
        if spec.approve == PlanApproval::Auto {
            return Ok(self.approved(index, plan));
        }
        self.state.status = PipelineStatus::AwaitingApproval { plan: plan.clone() };
        self.state.steps[index].status = StepStatus::AwaitingApproval;
        self.emit();
        match self.controls.recv().await {
            Some(PipelineControl::Plan(PlanDecision::Approve { text })) => {
                let plan = text.filter(|t| !t.trim().is_empty()).unwrap_or(plan);
                self.state.status = PipelineStatus::Running;
                Ok(self.approved(index, plan))
            }
            Some(PipelineControl::Plan(PlanDecision::Reject)) => Err(Stop::NotPassed("the person rejected the plan".into())),
            Some(PipelineControl::Stop) => Err(failed("the pipeline was stopped")),
            None => Err(Stop::NotPassed("no one was there to approve the plan".into())),
        }
    }

    fn approved(&mut self, index: usize, plan: String) -> String {
        self.state.steps[index].status = StepStatus::Done;
        self.state.plan = Some(plan.clone());
        self.emit();
        plan
    }

    /// The planner's turn: its plan question answered "stop here" (and kept from the caller),
    /// or its final answer when it asks none.
    async fn plan_turn(&mut self, index: usize, spec: &PipelineStepSpec, session: &mut StepSession) -> Result<String, Stop> {
        let turn = session.handle.prompt(plan_prompt(&self.request.prompt, spec.instructions.as_deref())).await.map_err(failed)?;
        let mut plan: Option<String> = None;
        let mut plan_request: Option<PermissionRequestId> = None;
        let mut text = String::new();
        loop {
            let event = self.next(session).await?;
            match &event.kind {
                SessionEventKind::PermissionRequested(request) if plan_request.is_none() && (request.plan.is_some() || request.input.is_plan_approval()) => {
                    plan = request.plan.clone().or_else(|| request.input.plan().map(str::to_owned));
                    plan_request = Some(request.request_id.clone());
                    // Denied and the turn stopped: the planner must not go on to implement.
                    let answer = PermissionAnswer::new(PermissionDecision::DenyAndStop).with_message(PLANNER_STOP);
                    match session.handle.resolve(request.request_id.clone(), answer, DecisionSource::Mode).await {
                        Ok(()) | Err(SessionError::UnknownRequest(_)) => {}
                        Err(e) => return Err(failed(e)),
                    }
                    continue;
                }
                SessionEventKind::PermissionResolved(resolved) if plan_request.as_ref() == Some(&resolved.request_id) => continue,
                SessionEventKind::AgentMessageChunk(chunk) if chunk.parent.is_none() => text.push_str(&chunk.text),
                SessionEventKind::TurnEnded(ended) if ended.turn == turn => {
                    self.add_cost(index, ended.cost_usd);
                    let ended = ended.clone();
                    self.sink.send(&event);
                    let plan = plan.filter(|p| !p.trim().is_empty()).or_else(|| Some(text.trim().to_owned()).filter(|t| !t.is_empty()));
                    return match (plan, ended.stop_reason) {
                        (Some(plan), _) => Ok(plan),
                        (None, StopReason::EndTurn) => Err(failed("the planner ended its turn without a plan")),
                        (None, _) => Err(failed(format!("the planner's turn failed: {}", ended.error.unwrap_or_else(|| format!("{:?}", ended.stop_reason))))),
                    };
                }
                SessionEventKind::AgentExited(_) => {
                    self.sink.send(&event);
                    return Err(failed("the planner's agent exited"));
                }
                _ => {}
            }
            self.sink.send(&event);
        }
    }

    /// The implementer's first task, then review rounds until no reviewer blocks.
    async fn implement_and_review(&mut self, implement: usize, specs: &[PipelineStepSpec], session: &mut StepSession, prompt: String) -> Result<(), Stop> {
        let reviews: Vec<usize> = (implement + 1..specs.len()).filter(|i| specs[*i].role == PipelineRole::Review).collect();
        let mut task = self.implement_round(implement, session, prompt).await?;
        loop {
            self.state.steps[implement].status = StepStatus::Done;
            self.emit();
            let mut feedback = Vec::new();
            for &index in &reviews {
                // The first round's task is the implementer's whole work; later, its whole
                // session (the fixes and what they fixed).
                let scope = if self.state.round == 1 { ReviewScope::Task { task } } else { ReviewScope::Session };
                if let Some(text) = self.review_step(index, &specs[index], &session.handle, scope).await? {
                    feedback.push(text);
                }
            }
            if feedback.is_empty() {
                return Ok(());
            }
            if self.state.round >= self.state.max_rounds {
                return Err(Stop::NotPassed(format!("the reviewers' blocking findings remain after {} round(s)", self.state.round)));
            }
            self.state.round += 1;
            self.state.current = implement;
            self.state.steps[implement].status = StepStatus::Running;
            self.state.steps[implement].round = self.state.round;
            self.emit();
            task = self.implement_round(implement, session, feedback.join("\n\n")).await?;
        }
    }

    /// One prompt to the implementer, then its task gate: the task's id once it passed.
    async fn implement_round(&mut self, index: usize, session: &mut StepSession, prompt: String) -> Result<TaskId, Stop> {
        session.handle.prompt(prompt).await.map_err(failed)?;
        loop {
            let event = self.next(session).await?;
            self.sink.send(&event);
            match &event.kind {
                SessionEventKind::TurnEnded(ended) => {
                    self.add_cost(index, ended.cost_usd);
                    self.emit();
                    if ended.stop_reason != StopReason::EndTurn {
                        return Err(failed(format!("the implementer's turn failed: {}", ended.error.clone().unwrap_or_else(|| format!("{:?}", ended.stop_reason)))));
                    }
                }
                SessionEventKind::TaskFinished(finished) => {
                    return match finished.outcome {
                        TaskOutcome::Passed => Ok(finished.task),
                        TaskOutcome::Exhausted => Err(Stop::NotPassed(format!("the checks still failed after {} round(s)", finished.rounds))),
                        TaskOutcome::AcceptedWithFindings => Err(Stop::NotPassed("the work was accepted with failing checks".into())),
                        TaskOutcome::Stopped => Err(failed("the implementer's task was stopped")),
                        TaskOutcome::Failed => Err(failed("the implementer's task failed")),
                    };
                }
                SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Blocked, next: GateNext::WaitsForPerson, reason, .. }) => {
                    return Err(Stop::NotPassed(format!("the checks did not pass{}", reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default())));
                }
                SessionEventKind::FeedbackDismissed(_) => return Err(Stop::NotPassed("the checks did not pass; their feedback was dismissed".into())),
                SessionEventKind::AgentExited(_) => return Err(failed("the implementer's agent exited")),
                _ => {}
            }
        }
    }

    /// One review of the implementer's work: the feedback for its blocking findings, if any.
    /// It is reported as `ReviewStarted` / `ReviewFinished` in the implementer's stream (its
    /// live actor numbers them), like any review of a session's work.
    async fn review_step(&mut self, index: usize, spec: &PipelineStepSpec, implementer: &SessionHandle, scope: ReviewScope) -> Result<Option<String>, Stop> {
        let (choice, name) = self.agent(spec)?;
        let kind = choice.kind();
        let reviewed = implementer.id().clone();
        let begun = std::time::Instant::now();
        let mut started = ReviewStarted {
            review: self.engine.next_review_id(&reviewed),
            scope: scope.clone(),
            task: match scope {
                ReviewScope::Task { task } => Some(task),
                _ => None,
            },
            round: None,
            reviewer: Reviewer { agent: kind, model: spec.model.clone(), session_id: None },
            entry: None,
            gate: false,
        };
        let mut reported = false;
        self.state.current = index;
        let step = &mut self.state.steps[index];
        step.status = StepStatus::Running;
        step.round = self.state.round;
        self.emit();
        let (ids, mut seen) = mpsc::unbounded_channel();
        let sink = Arc::new(ReviewerSink { caller: self.sink.clone(), seen: Mutex::new(None), ids });
        let request = ReviewRequest {
            project: self.request.project.clone(),
            ask: ReviewAsk {
                session: reviewed.clone(),
                scope: scope.clone(),
                agent: kind,
                agent_name: name,
                model: spec.model.clone(),
                instructions: spec.instructions.clone(),
                run: self.request.run_options(kind),
                timeout: DEFAULT_TIMEOUT,
            },
            diff_dir: None,
        };
        let reviewing = review(self.engine, request, sink);
        tokio::pin!(reviewing);
        let outcome = loop {
            tokio::select! {
                outcome = &mut reviewing => break outcome,
                Some(id) = seen.recv() => {
                    if let Err(e) = self.engine.store().set_reviews(&id, &reviewed) {
                        tracing::warn!(reviewer = %id, "could not link the reviewer's session: {e}");
                    }
                    self.state.steps[index].session_id = Some(id.clone());
                    self.emit();
                    started.reviewer.session_id = Some(id);
                    report(implementer, ReviewReport::Started(started.clone())).await;
                    reported = true;
                }
                control = self.controls.recv(), if !self.controls_closed => match control {
                    Some(PipelineControl::Stop) => return Err(failed("the pipeline was stopped")),
                    Some(PipelineControl::Plan(_)) => {}
                    None => self.controls_closed = true,
                },
            }
        };
        if !reported {
            report(implementer, ReviewReport::Started(started.clone())).await;
        }
        let finished = ReviewFinished {
            review: started.review.clone(),
            scope,
            task: started.task,
            round: started.round,
            reviewer: outcome.as_ref().map_or_else(|_| started.reviewer.clone(), |o| o.result.reviewer.clone()),
            entry: None,
            gate: false,
            outcome: match &outcome {
                Ok(done) => ReviewRunOutcome::Completed { result: done.result.clone() },
                Err(e) => ReviewRunOutcome::Error { reason: e.to_string() },
            },
            duration_ms: u64::try_from(begun.elapsed().as_millis()).unwrap_or(u64::MAX),
            cost_usd: outcome.as_ref().ok().and_then(|o| o.cost_usd),
        };
        report(implementer, ReviewReport::Finished(finished)).await;
        let outcome = outcome.map_err(|e| failed(format!("the review by {} failed: {e}", spec.agent)))?;
        self.add_cost(index, outcome.cost_usd);
        let step = &mut self.state.steps[index];
        step.session_id = outcome.result.reviewer.session_id.clone().or(step.session_id.take());
        let found = blocking(&outcome.result, &spec.block_on);
        step.status = if found.is_empty() { StepStatus::Done } else { StepStatus::ChangesRequested };
        self.emit();
        let label = match &spec.model {
            Some(model) => format!("{} {model}", spec.agent),
            None => spec.agent.clone(),
        };
        Ok((!found.is_empty()).then(|| review_feedback(&label, &found)))
    }
}

/// Puts a review's event in the implementer's stream; an implementer that ended meanwhile gets
/// none (its stream is closed), which loses nothing the pipeline needs.
async fn report(implementer: &SessionHandle, report: ReviewReport) {
    if let Err(e) = implementer.report_review(report).await {
        tracing::debug!(session = %implementer.id(), "the review's event was not added: {e}");
    }
}

/// The reviewer's events for the caller, without its questions (the review answers them
/// itself); its session id reported once.
struct ReviewerSink {
    caller: Arc<dyn EventSink>,
    seen: Mutex<Option<SessionId>>,
    ids: mpsc::UnboundedSender<SessionId>,
}

impl EventSink for ReviewerSink {
    fn send(&self, event: &SessionEvent) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.is_none() {
                *seen = Some(event.session_id.clone());
                let _ = self.ids.send(event.session_id.clone());
            }
        }
        if !matches!(event.kind, SessionEventKind::PermissionRequested(_)) {
            self.caller.send(event);
        }
    }
}
