//! The task gate inside a session: when a turn of a task ends as a candidate for done, the
//! project's checks run, the gate decides, and feedback goes back to the agent as a new turn —
//! at once (`auto`, within the round limit and the cost budget, never for the same failures
//! twice in a row),
//! after the person's decision (`ask`), or never.
//!
//! The session actor owns one [`SessionGate`] and hands it what happens (a prompt, a turn's
//! end, a Stop); the gate answers with [`Step`]s for the actor to carry out in order (events to
//! emit, feedback to send as a turn, the end of a check round's file recording). Checks run in
//! a task of their own (`select.rs`), which reports back over a channel the actor reads, so
//! every event still gets its `seq` from the actor. A project with no checks configuration
//! costs two `stat`s per turn end: no process, no file read.
//!
//! After the checks, the round's `[[review]]` entries run (`reviews.rs`); a review whose
//! findings reach its `block_on` severities blocks like a failing check, and its findings are
//! part of the same feedback.
//!
//! Decisions documented here: a task's id is the number of its first turn. A person's new
//! prompt while a task waits for a feedback decision (or stays blocked) finishes that task as
//! accepted with findings; while its checks run, they are cancelled and it finishes as
//! stopped. Files the checks change (a formatter) are recorded by the file journal under the
//! pseudo tool call id `check:<task>:<round>` ([`check_call_id`]), never as the agent's; checks
//! re-run on request are recorded the same way, under `check:<task>:<round>:rerun<n>`.
//!
//! Transport of feedback: an agent that holds its turn's end for Warden (Claude's `Stop` hook,
//! [`crate::adapter::Output::TurnEnding`]) gets the checks run while it waits; automatic
//! feedback then goes back as the hook's answer and the model continues inside the same turn
//! (one turn, one result). Anything else the gate decides there (passed, proposed, exhausted)
//! lets the turn end and is announced once it has ended, so the person never sees a verdict
//! for a turn that still runs. Every other agent — and Claude when it gave up waiting — gets
//! feedback as a new turn. Warden counts the rounds either way.

pub mod convert;
mod feedback;
mod reviews;
mod select;
mod side;
pub mod webhooks;

use crate::session::SessionError;
use reviews::GateReview;
pub(crate) use reviews::Reviewers;
pub use reviews::{GateReviews, ReviewerRun};
use select::{RoundInput, RoundRules};
use std::collections::BTreeSet;
use std::path::PathBuf;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_gate::config::{Feedback, OnInfraError};
use warden_gate::filters::Situation;
use warden_gate::run::Cancel;

pub use warden_gate::config::Feedback as FeedbackMode;

/// How a session runs its gate (what `warden run --checks/--feedback/--max-rounds` set).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateOptions {
    /// Whether checks run at all; off, every task passes when the agent ends its turn.
    pub checks: bool,
    /// Overrides every check's `feedback`.
    pub feedback: Option<Feedback>,
    /// Overrides `[gate] max_rounds`.
    pub max_rounds: Option<u32>,
    /// Overrides `[gate] budget_usd` (`warden run --budget`).
    pub budget_usd: Option<f64>,
}

impl Default for GateOptions {
    fn default() -> Self {
        Self { checks: true, feedback: None, max_rounds: None, budget_usd: None }
    }
}

/// The pseudo tool call id the file journal records a check round's changes under.
pub fn check_call_id(task: TaskId, round: u32) -> ToolCallId {
    ToolCallId(format!("check:{task}:{round}"))
}

/// Whether a tool call id is a check round's (see [`check_call_id`]).
pub fn is_check_call(id: &ToolCallId) -> bool {
    id.as_str().starts_with("check:")
}

/// A person's gate command, through the session handle.
#[derive(Debug, Clone)]
pub(crate) enum GateCommand {
    SendFeedback { task: TaskId, text: Option<String> },
    Dismiss { task: TaskId },
    Accept { task: TaskId },
    Rerun { task: TaskId, only_failed: bool },
}

/// What a check round reports to the actor.
// Events are moved once from the round's task to the actor: boxing them would only add an
// allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum GateMsg {
    /// An event of round `run`.
    Event { run: u64, kind: SessionEventKind },
    /// Round `run` is over: its checks' and its reviews' results.
    RoundDone { run: u64, results: Vec<CheckFinished>, rules: RoundRules, reviews: Vec<GateReview> },
    /// An event of a side run (`side.rs`: other triggers, async checks): emitted whatever the
    /// task is doing, never judged.
    Side { kind: SessionEventKind },
}

/// What the actor does for the gate, in order.
// Steps live for one call of the actor; an event's size does not matter there.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum Step {
    /// Emit an event.
    Emit(SessionEventKind),
    /// Send feedback as a new turn (origin feedback), then announce it.
    Feedback { task: TaskId, round: u32, text: String, auto: bool },
    /// A check round is over: record what it changed, then close the turn's recording unless
    /// the turn still runs (a round inside Claude's Stop hook).
    EndCheckRecording {
        /// The round's pseudo tool call.
        call: ToolCallId,
        /// Whether the turn's recording ends too.
        end_turn: bool,
    },
    /// A re-run of checks after the turn ended: open the task's last turn's recording again
    /// and record the round under `call`.
    BeginCheckRecording {
        /// The task's last turn.
        turn: TurnId,
        /// The round's pseudo tool call.
        call: ToolCallId,
    },
    /// Answer the agent's held turn end ([`crate::adapter::Output::TurnEnding`]): with
    /// feedback it works on in the same turn, without it the turn ends.
    AnswerTurnEnding {
        /// The agent's request id.
        id: String,
        /// The feedback text.
        feedback: Option<String>,
    },
    /// Start a check round ([`SessionGate::launch`]). A step of its own so that the actor
    /// starts it only after the file journal's snapshot the round's changes are measured from.
    StartRound(Box<RoundStart>),
}

/// What the actor does with the file journal's recording when a turn ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TurnRecording {
    /// The turn's recording ends.
    End,
    /// A check round starts: its changes are recorded under this pseudo tool call before the
    /// turn's recording ends.
    BeginCheck(ToolCallId),
    /// A round begun inside the turn still runs: the recording stays open until it is over.
    KeepOpen,
}

/// A check round ready to start.
#[derive(Debug)]
pub(crate) struct RoundStart {
    input: RoundInput,
    run: u64,
    cancel: Cancel,
}

#[derive(Debug)]
enum Phase {
    /// A turn of the task runs.
    Working,
    /// Its checks run.
    Checking { run: u64, cancel: Cancel },
    /// Feedback is proposed; the person decides.
    Proposed { text: String },
    /// Blocked, nothing proposed (dismissed, `never`, or a check that could not run blocks).
    Blocked,
}

#[derive(Debug)]
struct Task {
    id: TaskId,
    round: u32,
    turn: Option<TurnId>,
    phase: Phase,
    changed: BTreeSet<String>,
    changed_lines: u64,
    /// The signature of the last round's failures.
    previous: Option<Vec<String>>,
    /// The last round's results.
    last: Vec<CheckFinished>,
    /// The last round's reviews.
    last_reviews: Vec<GateReview>,
    /// The check round whose file changes are being recorded.
    recording: Option<ToolCallId>,
    /// The agent's held turn end, while its round runs inside the turn.
    hook: Option<String>,
    /// The task's latest turn (a re-run's changes are recorded under it).
    last_turn: TurnId,
    /// What the task's turns cost, as the agent reports it; `None` while no turn reported a
    /// cost (an agent that reports none is never stopped by `[gate] budget_usd`).
    cost_usd: Option<f64>,
}

/// The project whose personal checks layer and trust apply to `project`: its main folder when
/// it is one of Warden's worktrees (so a worktree runs the checks the person trusted there, as
/// long as its project file has the same content), else `project` itself.
pub(crate) fn home_of(data_dir: Option<&std::path::Path>, project: &std::path::Path) -> PathBuf {
    data_dir.map(|d| crate::worktrees::rules_project(d, project)).unwrap_or_else(|| project.to_owned())
}

/// Whether the task gate of a session in `project` has checks to run when a turn ends: checks
/// are on and a configuration exists for the project (its own file or the person's layer), or
/// the run brings reviewers of its own (`warden run --review`). Asked at each turn's end, and
/// when Claude Code starts: only then is its `Stop` hook registered, which lets a round run
/// inside the turn. The hook costs Claude about 15 ms at every turn's end, so a session with
/// nothing to check does without it; one configured later runs its checks when the turn ends,
/// as for the other agents.
pub fn has_checks(checks_on: bool, extra_reviews: bool, project: &std::path::Path, data_dir: Option<&std::path::Path>) -> bool {
    let Some(data_dir) = data_dir else { return false };
    checks_on && (extra_reviews || warden_gate::config::exists_in(project, &home_of(Some(data_dir), project), data_dir))
}

/// One session's task and gate.
pub(crate) struct SessionGate {
    session: SessionId,
    project: PathBuf,
    /// Whose personal layer and trust apply (see [`RoundInput::home`]).
    home: PathBuf,
    /// `None`: no data folder known (tests of the actor alone): no checks.
    data_dir: Option<PathBuf>,
    options: GateOptions,
    agent: AgentKind,
    task: Option<Task>,
    runs: u64,
    tx: mpsc::UnboundedSender<GateMsg>,
    rx: Option<mpsc::UnboundedReceiver<GateMsg>>,
    /// What the gate decided inside a turn that is to be announced once that turn has ended.
    deferred: Option<(TurnId, Vec<Step>)>,
    /// A round run inside a turn, to be judged once the turn has ended: with a cost budget set,
    /// the turn's cost (reported only at its end) must be known first.
    unjudged: Option<(TurnId, Vec<CheckFinished>, Vec<GateReview>, RoundRules)>,
    /// Checks outside the task-completed round (`side.rs`).
    side: side::SideRuns,
    /// How the rounds start reviewers (`reviews.rs`); `None`: reviews cannot run.
    reviewers: Option<Reviewers>,
}

impl SessionGate {
    pub(crate) fn new(session: SessionId, project: PathBuf, data_dir: Option<PathBuf>, options: GateOptions, agent: AgentKind) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let side = side::SideRuns::new(session.clone(), project.clone(), data_dir.clone(), options, agent, tx.clone());
        let home = home_of(data_dir.as_deref(), &project);
        Self { session, project, home, data_dir, options, agent, task: None, runs: 0, tx, rx: Some(rx), deferred: None, unjudged: None, side, reviewers: None }
    }

    /// Lets the rounds run their reviews with `reviewers`.
    pub(crate) fn with_reviews(mut self, reviewers: Reviewers) -> Self {
        self.reviewers = Some(reviewers);
        self
    }

    /// The channel check rounds report over (taken once, by the actor's loop).
    pub(crate) fn take_receiver(&mut self) -> Option<mpsc::UnboundedReceiver<GateMsg>> {
        self.rx.take()
    }

    /// A prompt is about to start `turn`. The person's prompt finishes any open task and
    /// starts a new one; feedback continues the open task.
    pub(crate) fn before_prompt(&mut self, turn: TurnId, origin: MessageOrigin) -> Vec<Step> {
        if origin == MessageOrigin::Feedback {
            if let Some(task) = &mut self.task {
                task.turn = Some(turn);
                task.last_turn = turn;
                task.phase = Phase::Working;
            }
            return Vec::new();
        }
        let mut steps = match self.task.as_ref().map(|t| &t.phase) {
            Some(Phase::Checking { .. }) => self.finish(TaskOutcome::Stopped),
            Some(Phase::Proposed { .. } | Phase::Blocked) => self.finish(TaskOutcome::AcceptedWithFindings),
            Some(Phase::Working) => self.finish(TaskOutcome::Stopped),
            None => Vec::new(),
        };
        let id = TaskId(turn.0);
        self.side.task_started(id);
        self.task = Some(Task {
            id,
            round: 1,
            turn: Some(turn),
            phase: Phase::Working,
            changed: BTreeSet::new(),
            changed_lines: 0,
            previous: None,
            last: Vec::new(),
            last_reviews: Vec::new(),
            recording: None,
            hook: None,
            last_turn: turn,
            cost_usd: None,
        });
        steps.push(Step::Emit(SessionEventKind::TaskStarted(TaskStarted { task: id, turn })));
        steps
    }

    /// Sees every event the actor emits: the agent's file changes make the task's changed
    /// paths (a check round's own changes do not).
    pub(crate) fn observe(&mut self, kind: &SessionEventKind) {
        self.side.observe(kind, self.task.as_ref().map(|t| (t.id, t.round)));
        let (Some(task), SessionEventKind::FileChanges(changes)) = (&mut self.task, kind) else { return };
        if changes.tool_call_id.as_ref().is_some_and(is_check_call) {
            return;
        }
        for op in &changes.ops {
            task.changed.insert(op.path.clone());
            task.changed_lines += u64::from(op.lines_added.unwrap_or(0)) + u64::from(op.lines_removed.unwrap_or(0));
        }
    }

    /// The agent holds its turn's end for Warden (`id` answers it). A candidate for done
    /// (`may_complete`: no question pending, not stopping) of the task's current turn with
    /// checks configured starts the round inside the turn: the pseudo tool call to record its
    /// changes under is returned. Anything else is answered at once: the turn ends as usual.
    pub(crate) fn turn_ending(&mut self, turn: TurnId, id: String, may_complete: bool) -> (Option<ToolCallId>, Vec<Step>) {
        let let_end = |id| (None, vec![Step::AnswerTurnEnding { id, feedback: None }]);
        let Some(task) = &self.task else { return let_end(id) };
        if task.turn != Some(turn) || !matches!(task.phase, Phase::Working) || !may_complete || !self.configured() {
            return let_end(id);
        }
        let (task_id, round) = (task.id, task.round);
        let call = check_call_id(task_id, round);
        if let Some(task) = &mut self.task {
            task.hook = Some(id);
            task.recording = Some(call.clone());
        }
        let mut steps = vec![Step::Emit(SessionEventKind::TaskCompleted(TaskCompleted { task: task_id, turn, round }))];
        steps.extend(self.start_round(None));
        (Some(call), steps)
    }

    /// Whether checks may run for this session's project: on, and a configuration exists (or
    /// this run adds reviews of its own, `warden run --review`).
    fn configured(&self) -> bool {
        let extra = self.reviewers.as_ref().is_some_and(|r| !r.extra().is_empty());
        has_checks(self.options.checks, extra, &self.project, self.data_dir.as_deref())
    }

    /// A turn ended. `may_complete` is false while a question is pending or the session stops.
    /// Returns what becomes of the turn's recording (a check round starting keeps recording
    /// under its pseudo tool call) and the steps.
    pub(crate) fn turn_ended(&mut self, ended: &TurnEnded, may_complete: bool) -> (TurnRecording, Vec<Step>) {
        // What the gate decided inside this turn is announced now that it has ended.
        let deferred = match self.deferred.take() {
            Some((turn, steps)) if turn == ended.turn => steps,
            other => {
                self.deferred = other;
                Vec::new()
            }
        };
        let Some(task) = &mut self.task else { return (TurnRecording::End, deferred) };
        if task.turn != Some(ended.turn) {
            return (TurnRecording::End, deferred);
        }
        task.turn = None;
        if let Some(cost) = ended.cost_usd {
            task.cost_usd = Some(task.cost_usd.unwrap_or(0.0) + cost);
        }
        let in_turn_round = matches!(task.phase, Phase::Checking { .. });
        let unjudged = match self.unjudged.take() {
            Some((turn, results, reviews, rules)) if turn == ended.turn => Some((results, reviews, rules)),
            _ => None,
        };
        if ended.stop_reason != StopReason::EndTurn || !may_complete {
            let outcome = if ended.stop_reason == StopReason::Cancelled || !may_complete { TaskOutcome::Stopped } else { TaskOutcome::Failed };
            let mut steps = deferred;
            steps.extend(self.finish(outcome));
            return (TurnRecording::End, steps);
        }
        if let Some((results, reviews, rules)) = unjudged {
            let mut steps = deferred;
            steps.extend(self.judge(results, reviews, &rules));
            return (TurnRecording::End, steps);
        }
        if in_turn_round {
            // The agent stopped waiting for the round begun in its Stop hook: the round goes
            // on, and its feedback will be a new turn.
            task.hook = None;
            return (TurnRecording::KeepOpen, deferred);
        }
        if !deferred.is_empty() {
            return (TurnRecording::End, deferred);
        }
        let (id, round) = (task.id, task.round);
        let mut steps = vec![Step::Emit(SessionEventKind::TaskCompleted(TaskCompleted { task: id, turn: ended.turn, round }))];
        if !self.configured() {
            steps.extend(self.decided(GateVerdict::Passed, GateNext::TaskFinishes, None));
            steps.extend(self.finish(TaskOutcome::Passed));
            return (TurnRecording::End, steps);
        }
        let call = check_call_id(id, round);
        if let Some(task) = &mut self.task {
            task.recording = Some(call.clone());
        }
        steps.extend(self.start_round(None));
        (TurnRecording::BeginCheck(call), steps)
    }

    /// Starts a round the actor was handed as [`Step::StartRound`].
    pub(crate) fn launch(&self, start: RoundStart) {
        tokio::spawn(select::run_round(start.input, start.run, start.cancel, self.side.cancel(), self.tx.clone(), self.reviewers.clone()));
    }

    fn start_round(&mut self, only: Option<Vec<String>>) -> Option<Step> {
        let (Some(task), Some(data_dir)) = (&mut self.task, &self.data_dir) else { return None };
        self.runs += 1;
        let cancel = Cancel::new();
        task.phase = Phase::Checking { run: self.runs, cancel: cancel.clone() };
        let input = RoundInput {
            project: self.project.clone(),
            home: self.home.clone(),
            data_dir: data_dir.clone(),
            session: self.session.clone(),
            task: task.id,
            round: task.round,
            situation: Situation {
                changed_paths: task.changed.iter().cloned().collect(),
                changed_lines: task.changed_lines,
                agent: Some(self.agent.as_str().to_owned()),
                tool: None,
                success: Some(true),
                round: task.round,
            },
            only,
            options: self.options,
            log_stamp: select::log_stamp(),
        };
        Some(Step::StartRound(Box::new(RoundStart { input, run: self.runs, cancel })))
    }

    /// A check round reported.
    pub(crate) fn on_msg(&mut self, msg: GateMsg) -> Vec<Step> {
        if let GateMsg::Side { mut kind } = msg {
            // The one place side runs' events are marked as such.
            match &mut kind {
                SessionEventKind::CheckStarted(started) => started.side = true,
                SessionEventKind::CheckFinished(finished) => finished.side = true,
                _ => {}
            }
            return vec![Step::Emit(kind)];
        }
        let current = match self.task.as_ref().map(|t| &t.phase) {
            Some(Phase::Checking { run, .. }) => *run,
            _ => return Vec::new(),
        };
        match msg {
            GateMsg::Event { run, kind } if run == current => vec![Step::Emit(kind)],
            GateMsg::RoundDone { run, results, rules, reviews } if run == current => self.judge(results, reviews, &rules),
            _ => Vec::new(),
        }
    }

    /// Judges a round; a round run inside the agent's held turn end answers it (see
    /// [`Self::in_turn`]).
    fn judge(&mut self, results: Vec<CheckFinished>, reviews: Vec<GateReview>, rules: &RoundRules) -> Vec<Step> {
        let Some(task) = &mut self.task else { return Vec::new() };
        let hook = task.hook.take();
        let turn = task.turn;
        let end_turn = turn.is_none();
        let recording: Vec<Step> = task.recording.take().map(|call| Step::EndCheckRecording { call, end_turn }).into_iter().collect();
        if let (Some(id), Some(turn), Some(_)) = (&hook, turn, rules.budget_usd) {
            // The budget is checked against what the task cost, which Claude reports only when
            // the turn ends: let it end, and judge then (feedback becomes a new turn).
            task.phase = Phase::Blocked;
            self.unjudged = Some((turn, results, reviews, rules.clone()));
            let mut steps = recording;
            steps.push(Step::AnswerTurnEnding { id: id.clone(), feedback: None });
            return steps;
        }
        let verdict = self.verdict(results, reviews, rules);
        match (hook, turn) {
            (Some(id), Some(turn)) => {
                let mut steps = recording;
                steps.extend(self.in_turn(id, turn, verdict));
                steps
            }
            _ => recording.into_iter().chain(verdict).collect(),
        }
    }

    /// Carries a verdict reached inside the agent's held turn end: automatic feedback becomes
    /// the hook's answer (the turn goes on, announced as a feedback message of that turn);
    /// anything else lets the turn end and waits for its end to be announced.
    fn in_turn(&mut self, id: String, turn: TurnId, verdict: Vec<Step>) -> Vec<Step> {
        let mut now = Vec::new();
        let mut later = Vec::new();
        let mut answered = false;
        for step in verdict {
            match step {
                Step::Feedback { task, round, text, auto } => {
                    now.push(Step::AnswerTurnEnding { id: id.clone(), feedback: Some(text.clone()) });
                    now.push(Step::Emit(SessionEventKind::UserMessage(UserMessage { turn, text: text.clone(), origin: MessageOrigin::Feedback, attachments: Vec::new() })));
                    now.push(Step::Emit(SessionEventKind::FeedbackSent(FeedbackSent { task, round, turn, text, auto })));
                    answered = true;
                }
                Step::Emit(kind) if !answered => later.push(Step::Emit(kind)),
                other => now.push(other),
            }
        }
        if answered {
            // What was decided before the feedback (the gate's verdict) is news now.
            let mut steps = later;
            steps.extend(now);
            return steps;
        }
        now.push(Step::AnswerTurnEnding { id, feedback: None });
        self.deferred = Some((turn, later));
        now
    }

    /// The gate's verdict on a round's results, with what follows from it.
    fn verdict(&mut self, results: Vec<CheckFinished>, reviews: Vec<GateReview>, rules: &RoundRules) -> Vec<Step> {
        let Some(task) = &mut self.task else { return Vec::new() };
        let mut steps: Vec<Step> = Vec::new();
        task.last = results;
        // What the reviewers cost is the task's too (`[gate] budget_usd`).
        for cost in reviews.iter().filter_map(|r| r.finished.cost_usd) {
            task.cost_usd = Some(task.cost_usd.unwrap_or(0.0) + cost);
        }
        task.last_reviews = reviews;
        task.phase = Phase::Blocked;
        let failing = feedback::failing(&task.last);
        let blocking = feedback::blocking(&task.last_reviews);
        let infra_blocks = rules.on_infra_error == OnInfraError::Block
            && (task.last.iter().any(|r| r.gate && matches!(r.outcome, CheckOutcome::Error { .. })) || task.last_reviews.iter().any(GateReview::gate_error));
        if failing.is_empty() && blocking.is_empty() {
            if infra_blocks {
                steps.extend(self.decided(GateVerdict::Blocked, GateNext::WaitsForPerson, Some("a check or review could not run and `on_infra_error` is block".into())));
                return steps;
            }
            // Passed, but never silently over checks that did not run because of trust.
            let untrusted = task.last.iter().filter(|r| matches!(r.outcome, CheckOutcome::NotTrusted { .. })).count()
                + task.last_reviews.iter().filter(|r| r.not_trusted()).count();
            let reason = (untrusted > 0).then(|| format!("{untrusted} check(s) or review(s) of the project's file are not trusted and did not run"));
            steps.extend(self.decided(GateVerdict::Passed, GateNext::TaskFinishes, reason));
            steps.extend(self.finish(TaskOutcome::Passed));
            return steps;
        }
        let modes: Vec<Feedback> = failing
            .iter()
            .map(|r| rules.feedback.get(&r.check).copied().unwrap_or_default())
            .chain(blocking.iter().map(|r| r.feedback))
            .collect();
        let mode = if modes.contains(&Feedback::Ask) {
            Feedback::Ask
        } else if modes.contains(&Feedback::Auto) {
            Feedback::Auto
        } else {
            Feedback::Never
        };
        let text = feedback::compose(&failing, &blocking);
        let findings = feedback::findings(&failing, &blocking);
        let signature = feedback::signature(&failing, &blocking);
        let (id, round) = (task.id, task.round);
        let over_budget = over_budget(task.cost_usd, rules.budget_usd);
        let repeated = task.previous.as_ref() == Some(&signature);
        task.previous = Some(signature);
        match mode {
            Feedback::Never => steps.extend(self.decided(GateVerdict::Blocked, GateNext::WaitsForPerson, Some("feedback is off for the failing checks".into()))),
            Feedback::Ask => {
                if let Some(task) = &mut self.task {
                    task.phase = Phase::Proposed { text: text.clone() };
                }
                // The person decides, so the budget does not stop it: it is only said.
                steps.extend(self.decided(GateVerdict::Blocked, GateNext::FeedbackProposed, over_budget));
                steps.push(Step::Emit(SessionEventKind::FeedbackProposed(FeedbackProposed { task: id, round, text, findings })));
            }
            Feedback::Auto if round >= rules.max_rounds => {
                steps.extend(self.decided(GateVerdict::Exhausted, GateNext::TaskFinishes, Some(format!("the round limit ({}) is reached", rules.max_rounds))));
                steps.extend(self.finish(TaskOutcome::Exhausted));
            }
            Feedback::Auto if repeated => {
                steps.extend(self.decided(GateVerdict::Exhausted, GateNext::TaskFinishes, Some("the checks failed exactly as in the previous round".into())));
                steps.extend(self.finish(TaskOutcome::Exhausted));
            }
            Feedback::Auto if over_budget.is_some() => {
                steps.extend(self.decided(GateVerdict::Exhausted, GateNext::TaskFinishes, over_budget));
                steps.extend(self.finish(TaskOutcome::Exhausted));
            }
            Feedback::Auto => {
                steps.extend(self.decided(GateVerdict::Blocked, GateNext::FeedbackSent, None));
                steps.push(self.feedback_step(text, true));
            }
        }
        steps
    }

    /// Counts the round and hands the actor the feedback turn.
    fn feedback_step(&mut self, text: String, auto: bool) -> Step {
        let task = self.task.as_mut().expect("called with an open task");
        task.round += 1;
        task.phase = Phase::Working;
        Step::Feedback { task: task.id, round: task.round, text, auto }
    }

    fn decided(&self, verdict: GateVerdict, next: GateNext, reason: Option<String>) -> Vec<Step> {
        let Some(task) = &self.task else { return Vec::new() };
        vec![Step::Emit(SessionEventKind::GateDecided(GateDecided { task: task.id, round: task.round, verdict, next, reason }))]
    }

    /// Finishes the open task (cancelling its checks).
    fn finish(&mut self, outcome: TaskOutcome) -> Vec<Step> {
        let Some(task) = self.task.take() else { return Vec::new() };
        let mut steps = Vec::new();
        if let Phase::Checking { cancel, .. } = &task.phase {
            cancel.cancel();
        }
        if let Some(call) = task.recording {
            steps.push(Step::EndCheckRecording { call, end_turn: task.turn.is_none() });
        }
        steps.push(Step::Emit(SessionEventKind::TaskFinished(TaskFinished { task: task.id, outcome, rounds: task.round })));
        steps
    }

    /// Stop, an interrupt while checks run, or the agent's exit: the open task ends (a
    /// running turn's end finishes it through [`Self::turn_ended`] instead).
    /// A round running inside the agent's held turn end is cancelled and the hook answered
    /// first, so the turn can end (or be interrupted).
    pub(crate) fn stop(&mut self, outcome: TaskOutcome, turn_running: bool) -> Vec<Step> {
        self.side.stop();
        if let Some(id) = self.task.as_mut().and_then(|t| t.hook.take()) {
            let mut steps = self.finish(outcome);
            steps.push(Step::AnswerTurnEnding { id, feedback: None });
            return steps;
        }
        if turn_running && self.task.as_ref().is_some_and(|t| t.turn.is_some()) {
            return Vec::new();
        }
        self.finish(outcome)
    }

    /// A person's command. `busy`: a turn runs.
    pub(crate) fn command(&mut self, command: GateCommand, busy: bool) -> Result<Vec<Step>, SessionError> {
        let task_id = match &command {
            GateCommand::SendFeedback { task, .. } | GateCommand::Dismiss { task } | GateCommand::Accept { task } | GateCommand::Rerun { task, .. } => *task,
        };
        let Some(task) = self.task.as_mut().filter(|t| t.id == task_id) else { return Err(SessionError::UnknownTask(task_id)) };
        let checking = matches!(task.phase, Phase::Checking { .. });
        let working = matches!(task.phase, Phase::Working);
        match command {
            GateCommand::SendFeedback { text, .. } => {
                if checking {
                    return Err(SessionError::ChecksRunning(task_id));
                }
                if working || busy {
                    return Err(SessionError::Busy);
                }
                let failing = feedback::failing(&task.last);
                let blocking = feedback::blocking(&task.last_reviews);
                let text = match (text, &task.phase) {
                    (Some(text), _) if !text.trim().is_empty() => text,
                    (_, Phase::Proposed { text }) => text.clone(),
                    _ if !failing.is_empty() || !blocking.is_empty() => feedback::compose(&failing, &blocking),
                    _ => return Err(SessionError::NoFeedback(task_id)),
                };
                Ok(vec![self.feedback_step(text, false)])
            }
            GateCommand::Dismiss { .. } => match task.phase {
                Phase::Proposed { .. } => {
                    task.phase = Phase::Blocked;
                    Ok(vec![Step::Emit(SessionEventKind::FeedbackDismissed(FeedbackDismissed { task: task_id, round: task.round }))])
                }
                _ => Err(SessionError::NoFeedback(task_id)),
            },
            GateCommand::Accept { .. } => {
                if working || busy {
                    return Err(SessionError::Busy);
                }
                Ok(self.finish(TaskOutcome::AcceptedWithFindings))
            }
            GateCommand::Rerun { only_failed, .. } => {
                if checking {
                    return Err(SessionError::ChecksRunning(task_id));
                }
                if working || busy {
                    return Err(SessionError::Busy);
                }
                let only = only_failed.then(|| {
                    let reviews = task.last_reviews.iter().filter(|r| r.blocks() || matches!(r.finished.outcome, ReviewRunOutcome::Error { .. }));
                    task.last.iter().filter(|r| r.outcome != CheckOutcome::Passed).map(|r| r.check.clone()).chain(reviews.map(|r| r.entry.clone())).collect()
                });
                // What a re-run changes (a formatter) is recorded as the check's, like a round's.
                let call = ToolCallId(format!("check:{}:{}:rerun{}", task.id, task.round, self.runs + 1));
                task.recording = Some(call.clone());
                let mut steps = vec![Step::BeginCheckRecording { turn: task.last_turn, call }];
                steps.extend(self.start_round(only));
                Ok(steps)
            }
        }
    }
}

/// Why the budget is spent, when `[gate] budget_usd` is set and the task's reported cost has
/// reached it. A task whose agent reported no cost is never over it.
fn over_budget(cost: Option<f64>, budget: Option<f64>) -> Option<String> {
    let (cost, budget) = (cost?, budget?);
    (cost >= budget).then(|| format!("the task has cost ${cost:.2}, which reaches the budget of ${budget:.2} (`[gate] budget_usd`)"))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod in_turn_tests;
