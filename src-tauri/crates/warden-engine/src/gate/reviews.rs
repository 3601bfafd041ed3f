//! Reviews in the task gate: after a round's checks (and sync webhooks), the round's matching
//! `[[review]]` entries run, in parallel with each other, each a read-only reviewer session
//! started through the review engine ([`crate::review::runner`]). Each is reported in the
//! reviewed session's stream as `ReviewStarted` / `ReviewFinished` (through the round's
//! [`GateMsg::Event`]s, so the actor numbers them), and its result goes back to the gate with
//! the round's: a review whose findings include one of its `block_on` severities blocks the gate
//! like a failing check, and those findings go through the same feedback.
//!
//! How the gate, which runs inside a session's actor without an `&Engine`, starts reviewers: the
//! engine's sessions part ([`Sessions`]) holds everything a review needs (the store, the file
//! journal, starting sessions), so each session's gate gets a [`Reviewers`] with a weak
//! reference to it, handed over where sessions are spawned (`engine/sessions.rs`). Weak, because
//! the sessions part owns the live sessions whose gates hold it.
//!
//! Decided:
//! - Planned with the checks (`select::plan`), under the same trust: a project entry of an
//!   untrusted file is reported as skipped ("not trusted"), never run. `when.*` filters and
//!   `min_changed_lines` are decided then; `after` once the checks are in (a check that did not
//!   pass, or did not run, skips the review with the reason).
//! - `scope = "round"` reviews the turn of the task's last round (the latest prompt's turn); a
//!   round fed back inside Claude's held turn end shares that turn with the rounds before it, so
//!   there the round's scope is the whole turn.
//! - `budget_usd` per review: the reviewer's reported cost (its turns' ends) is summed as it
//!   comes; once it reaches the budget the reviewer is stopped and the review is an error saying
//!   so — unless its answer was already in (the turn that reached the budget was the one that
//!   answered): an answer paid for is kept.
//! - A review that finds nothing changed is skipped, not an error. An error is never sent to
//!   the agent; it blocks only with `on_infra_error = "block"` (as a check that cannot run).
//! - Stop (the round's cancel) stops every running reviewer's session.

use super::select::RoundInput;
use super::GateMsg;
use crate::discovery::AgentBinary;
use crate::engine::{RunOptions, Sessions};
use crate::review::runner::{review_in, ReviewAsk, ReviewRequest};
use crate::review::ReviewError;
use crate::sink::EventSink;
use std::ffi::OsString;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Notify};
use warden_core::review::{ReviewFinding, ReviewScope, ReviewSeverity, Reviewer};
use warden_core::session::*;
use warden_gate::config::{Feedback, Review, ReviewScopeName};
use warden_gate::run::Cancel;

/// How long a review whose reviewer reached its budget may still take to hand over an answer
/// it already has (reading it is all that is left).
const BUDGET_GRACE: Duration = Duration::from_secs(2);

/// What a session's gate knows about reviews beyond the configuration: entries added for this
/// run only, and how reviewer agents are started.
#[derive(Debug, Clone, Default)]
pub struct GateReviews {
    /// `[[review]]` entries of this run only (`warden run --review AGENT[:MODEL]`), the
    /// person's own: trusted, never written to a file.
    pub extra: Vec<Review>,
    /// How to start reviewers of an agent (its executable and environment); an agent not
    /// listed is found as usual, with Warden's environment.
    pub runs: Vec<ReviewerRun>,
}

/// How reviewers of one agent are started.
#[derive(Debug, Clone)]
pub struct ReviewerRun {
    /// The agent.
    pub agent: AgentKind,
    /// Its executable, instead of discovering one.
    pub binary: Option<AgentBinary>,
    /// Extra environment for it.
    pub env: Vec<(OsString, OsString)>,
}

/// What the gate starts reviewers with (see the module's notes).
#[derive(Clone, Default)]
pub(crate) struct Reviewers {
    sessions: Weak<Sessions>,
    setup: GateReviews,
}

impl std::fmt::Debug for Reviewers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reviewers").field("setup", &self.setup).finish_non_exhaustive()
    }
}

impl Reviewers {
    pub(crate) fn new(sessions: Weak<Sessions>, setup: GateReviews) -> Self {
        Self { sessions, setup }
    }

    /// The entries added for this run only.
    pub(crate) fn extra(&self) -> &[Review] {
        &self.setup.extra
    }

    fn run_options(&self, agent: AgentKind) -> RunOptions {
        let run = self.setup.runs.iter().find(|r| r.agent == agent);
        RunOptions { binary: run.and_then(|r| r.binary.clone()), env: run.map(|r| r.env.clone()).unwrap_or_default(), ..Default::default() }
    }
}

/// A review the round runs once its checks are in.
#[derive(Debug, Clone)]
pub(crate) struct PlannedReview {
    /// The entry.
    pub(crate) review: Review,
    /// What it does with its blocking findings (the run's `--feedback` applied).
    pub(crate) feedback: Feedback,
}

/// A review's result as the gate judges it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GateReview {
    /// The entry's id.
    pub(crate) entry: String,
    /// How its findings are named to the agent and in the composer: `reviewer codex`.
    pub(crate) label: String,
    /// The severities that block.
    pub(crate) block_on: Vec<ReviewSeverity>,
    /// What happens to its blocking findings.
    pub(crate) feedback: Feedback,
    /// The event reported.
    pub(crate) finished: ReviewFinished,
    /// The findings the person marked as false positives for this task
    /// ([`warden_core::review::finding_key`]): shown, never blocking, never sent again.
    pub(crate) false_positives: Vec<String>,
}

impl GateReview {
    /// Its findings at a `block_on` severity (none unless it completed).
    pub(crate) fn blocking(&self) -> Vec<&ReviewFinding> {
        match &self.finished.outcome {
            ReviewRunOutcome::Completed { result } => result
                .findings
                .iter()
                .filter(|f| self.block_on.contains(&f.severity))
                .filter(|f| !self.false_positives.contains(&warden_core::review::finding_key(f.file.as_deref(), &f.title)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether it blocks the gate with findings.
    pub(crate) fn blocks(&self) -> bool {
        !self.blocking().is_empty()
    }

    /// Whether it is part of the gate and could not review.
    pub(crate) fn gate_error(&self) -> bool {
        self.finished.gate && matches!(self.finished.outcome, ReviewRunOutcome::Error { .. })
    }

    /// Whether it did not run because the project file is not trusted.
    pub(crate) fn not_trusted(&self) -> bool {
        matches!(&self.finished.outcome, ReviewRunOutcome::Skipped { reason } if reason.starts_with(NOT_TRUSTED))
    }
}

/// How a review skipped for trust says so (and is told apart).
const NOT_TRUSTED: &str = "not trusted: ";

/// The reviewer as the events name it before its session exists.
fn reviewer_of(review: &Review) -> Reviewer {
    Reviewer { agent: review.agent.kind, model: review.model.clone(), session_id: None }
}

/// `reviewer codex` (with the model when set); two reviews of a round with the same label get
/// their entry's id after it, so their findings stay apart.
fn label_of(review: &Review, all: &[&Review]) -> String {
    let mut label = format!("reviewer {}", review.agent);
    if let Some(model) = &review.model {
        label.push_str(&format!(":{model}"));
    }
    let same = all.iter().filter(|r| r.agent == review.agent && r.model == review.model).count();
    if same > 1 {
        label.push_str(&format!(" ({})", review.id));
    }
    label
}

/// The round's id of a review in the reviewed session's stream: unique per run of a round.
fn review_id(input: &RoundInput, entry: &str) -> String {
    format!("review-{}-{entry}", input.log_stamp)
}

/// A review decided without running (a filter, trust): its `ReviewFinished`, skipped.
pub(crate) fn skipped(input: &RoundInput, review: &Review, feedback: Feedback, reason: String) -> GateReview {
    GateReview {
        entry: review.id.clone(),
        label: label_of(review, &[review]),
        block_on: review.block_on.clone(),
        feedback,
        finished: ReviewFinished {
            review: review_id(input, &review.id),
            scope: ReviewScope::Task { task: input.task },
            task: Some(input.task),
            round: Some(input.round),
            reviewer: reviewer_of(review),
            entry: Some(review.id.clone()),
            gate: review.gates(),
            outcome: ReviewRunOutcome::Skipped { reason },
            duration_ms: 0,
            cost_usd: None,
        },
        false_positives: Vec::new(),
    }
}

/// A review of an untrusted project entry.
pub(crate) fn not_trusted(input: &RoundInput, review: &Review, feedback: Feedback, why: &str) -> GateReview {
    skipped(input, review, feedback, format!("{NOT_TRUSTED}{why}"))
}

/// Runs the round's reviews in parallel, each reported as it starts and ends through `tx` as
/// events of round `run`; returns their results in the order planned. `checks` are the round's
/// results, for `after`.
pub(crate) async fn run_reviews(
    input: &RoundInput,
    planned: Vec<PlannedReview>,
    checks: &[CheckFinished],
    cancel: &Cancel,
    reviewers: Option<&Reviewers>,
    run: u64,
    tx: &mpsc::UnboundedSender<GateMsg>,
) -> Vec<GateReview> {
    if planned.is_empty() {
        return Vec::new();
    }
    let all: Vec<&Review> = planned.iter().map(|p| &p.review).collect();
    let labels: Vec<String> = planned.iter().map(|p| label_of(&p.review, &all)).collect();
    let mut set = tokio::task::JoinSet::new();
    let mut results: Vec<Option<GateReview>> = vec![None; planned.len()];
    for (index, (plan, label)) in planned.into_iter().zip(labels).enumerate() {
        let after = after_failed(&plan.review, checks);
        let mut decided = |reason: String| {
            let mut review = skipped(input, &plan.review, plan.feedback, reason);
            review.label = label.clone();
            let _ = tx.send(GateMsg::Event { run, kind: SessionEventKind::ReviewFinished(review.finished.clone()) });
            results[index] = Some(review);
        };
        if let Some(reason) = after {
            decided(reason);
            continue;
        }
        let Some(sessions) = reviewers.and_then(|r| r.sessions.upgrade()) else {
            decided("reviews cannot run in this session (it was started without Warden's engine)".to_owned());
            continue;
        };
        let run_options = reviewers.map(|r| r.run_options(plan.review.agent.kind)).unwrap_or_default();
        let job = Job {
            input: input.clone(),
            plan,
            label,
            run_options,
            cancel: cancel.clone(),
            run,
            tx: tx.clone(),
        };
        set.spawn(async move { (index, job.run(sessions).await) });
    }
    while let Some(joined) = set.join_next().await {
        match joined {
            Ok((index, review)) => results[index] = Some(review),
            Err(e) => tracing::error!("a review task failed: {e}"),
        }
    }
    results.into_iter().flatten().collect()
}

/// Why a review does not run after its `after` checks, if it does not.
fn after_failed(review: &Review, checks: &[CheckFinished]) -> Option<String> {
    review.after.iter().find_map(|id| match checks.iter().find(|c| &c.check == id) {
        Some(c) if c.outcome == CheckOutcome::Passed => None,
        Some(c) => Some(format!("check `{id}` did not pass in this round ({})", outcome_word(&c.outcome))),
        None => Some(format!("check `{id}` did not run in this round")),
    })
}

fn outcome_word(outcome: &CheckOutcome) -> &'static str {
    match outcome {
        CheckOutcome::Passed => "passed",
        CheckOutcome::Failed => "failed",
        CheckOutcome::Error { .. } => "could not run",
        CheckOutcome::Skipped { .. } => "skipped",
        CheckOutcome::NotTrusted { .. } => "not trusted",
    }
}

/// One review running.
struct Job {
    input: RoundInput,
    plan: PlannedReview,
    label: String,
    run_options: RunOptions,
    cancel: Cancel,
    run: u64,
    tx: mpsc::UnboundedSender<GateMsg>,
}

impl Job {
    fn emit(&self, kind: SessionEventKind) {
        let _ = self.tx.send(GateMsg::Event { run: self.run, kind });
    }

    async fn run(self, sessions: Arc<Sessions>) -> GateReview {
        let review = &self.plan.review;
        let begun = Instant::now();
        let scope = match review.scope {
            ReviewScopeName::Task => ReviewScope::Task { task: self.input.task },
            ReviewScopeName::Round => last_turn(&sessions, &self.input.session).map_or(ReviewScope::Task { task: self.input.task }, |turn| ReviewScope::Turn { turn }),
        };
        let mut started = ReviewStarted {
            review: review_id(&self.input, &review.id),
            scope: scope.clone(),
            task: Some(self.input.task),
            round: Some(self.input.round),
            reviewer: reviewer_of(review),
            entry: Some(review.id.clone()),
            gate: review.gates(),
        };
        let request = ReviewRequest {
            project: self.input.project.to_string_lossy().into_owned(),
            ask: ReviewAsk {
                session: self.input.session.clone(),
                scope: scope.clone(),
                agent: review.agent.kind,
                agent_name: review.agent.name.clone(),
                model: review.model.clone(),
                instructions: review.instructions.clone(),
                run: self.run_options.clone(),
                timeout: review.timeout,
            },
            diff_dir: None,
        };
        let watch = Arc::new(Watch { budget: review.budget_usd, state: Mutex::new(WatchState::default()), first: Notify::new(), spent: Notify::new() });
        let sink: Arc<dyn EventSink> = watch.clone();
        let mut running = Box::pin(review_in(&sessions, request, sink));
        // `ReviewStarted` names the reviewer's session, so it is sent once that exists (or the
        // start failed).
        let mut early = None;
        tokio::select! {
            () = watch.first.notified() => {}
            ended = &mut running => early = Some(ended),
            () = self.cancel.cancelled() => {}
        }
        started.reviewer.session_id = watch.session();
        if let Some(Ok(done)) = &early {
            started.reviewer.session_id = done.result.reviewer.session_id.clone();
        }
        if let Some(reviewer) = &started.reviewer.session_id {
            if let Err(e) = sessions.store().set_reviews(reviewer, &self.input.session) {
                tracing::warn!(%reviewer, "could not link the reviewer's session: {e}");
            }
        }
        self.emit(SessionEventKind::ReviewStarted(started.clone()));
        let ended = match early {
            Some(ended) => Ended::Done(ended),
            None => {
                tokio::select! {
                    ended = &mut running => Ended::Done(ended),
                    () = self.cancel.cancelled() => Ended::Stopped,
                    () = watch.spent.notified() => match tokio::time::timeout(BUDGET_GRACE, &mut running).await {
                        Ok(Ok(done)) => Ended::Done(Ok(done)),
                        _ => Ended::OverBudget,
                    },
                }
            }
        };
        drop(running);
        let cost = watch.cost();
        let outcome = match ended {
            Ended::Done(Ok(done)) => ReviewRunOutcome::Completed { result: done.result },
            Ended::Done(Err(ReviewError::NothingChanged(what))) => ReviewRunOutcome::Skipped { reason: format!("{what} changed no file: nothing to review") },
            Ended::Done(Err(e)) => ReviewRunOutcome::Error { reason: e.to_string() },
            Ended::Stopped => ReviewRunOutcome::Error { reason: "stopped: the task ended before the review did".to_owned() },
            Ended::OverBudget => ReviewRunOutcome::Error {
                reason: format!(
                    "the reviewer was stopped: its reported cost (${:.2}) reached the review's budget (${:.2}, `budget_usd`)",
                    cost.unwrap_or(0.0),
                    review.budget_usd.unwrap_or(0.0)
                ),
            },
        };
        if !matches!(outcome, ReviewRunOutcome::Completed { .. }) {
            // A review given up on (Stop, budget) leaves its reviewer running: stop it.
            if let Some(handle) = watch.session().and_then(|id| sessions.handle(&id)) {
                handle.stop().await;
            }
        }
        let reviewer = match &outcome {
            ReviewRunOutcome::Completed { result } => result.reviewer.clone(),
            _ => started.reviewer.clone(),
        };
        let finished = ReviewFinished {
            review: started.review,
            scope,
            task: started.task,
            round: started.round,
            reviewer,
            entry: started.entry,
            gate: started.gate,
            outcome,
            duration_ms: u64::try_from(begun.elapsed().as_millis()).unwrap_or(u64::MAX),
            cost_usd: cost,
        };
        self.emit(SessionEventKind::ReviewFinished(finished.clone()));
        // What the person marked as false positives in earlier rounds of the task stays out.
        let false_positives = sessions
            .store()
            .false_positives(&self.input.session, self.input.task)
            .map(|marked| marked.into_iter().map(|f| f.key).collect())
            .unwrap_or_else(|e| {
                tracing::warn!("the task's false positives could not be read: {e}");
                Vec::new()
            });
        GateReview { entry: review.id.clone(), label: self.label, block_on: review.block_on.clone(), feedback: self.plan.feedback, finished, false_positives }
    }
}

/// How a running review ended.
// Made once per review and matched at once: boxing the outcome would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Ended {
    Done(Result<crate::review::ReviewOutcome, ReviewError>),
    Stopped,
    OverBudget,
}

/// The latest prompt's turn of the session: the task's last round.
fn last_turn(sessions: &Sessions, session: &SessionId) -> Option<TurnId> {
    let events = sessions.store().events(session, 0).ok()?;
    events.iter().rev().find_map(|e| match &e.kind {
        SessionEventKind::UserMessage(m) => Some(m.turn),
        _ => None,
    })
}

/// Watches the reviewer's events: its session (the first event names it) and what its turns
/// cost, against the review's budget.
struct Watch {
    budget: Option<f64>,
    state: Mutex<WatchState>,
    first: Notify,
    spent: Notify,
}

#[derive(Default)]
struct WatchState {
    session: Option<SessionId>,
    cost: Option<f64>,
}

impl Watch {
    fn lock(&self) -> std::sync::MutexGuard<'_, WatchState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn session(&self) -> Option<SessionId> {
        self.lock().session.clone()
    }

    fn cost(&self) -> Option<f64> {
        self.lock().cost
    }
}

impl EventSink for Watch {
    fn send(&self, event: &SessionEvent) {
        let mut state = self.lock();
        if state.session.is_none() {
            state.session = Some(event.session_id.clone());
            // `notify_one` keeps the permit for a waiter that comes later.
            self.first.notify_one();
        }
        if let SessionEventKind::TurnEnded(ended) = &event.kind {
            if let Some(cost) = ended.cost_usd {
                let total = state.cost.unwrap_or(0.0) + cost;
                state.cost = Some(total);
                if self.budget.is_some_and(|b| total >= b) {
                    self.spent.notify_one();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_gate::config::{ReviewAgent, When};

    fn review(id: &str, agent: AgentKind, after: &[&str]) -> Review {
        let mut r = Review::on_the_fly(id.into(), ReviewAgent { kind: agent, name: None }, None, Feedback::Auto);
        r.after = after.iter().map(|s| s.to_string()).collect();
        r.when = When::default();
        r
    }

    fn check(id: &str, outcome: CheckOutcome) -> CheckFinished {
        CheckFinished {
            task: TaskId(1),
            round: 1,
            check: id.into(),
            gate: true,
            outcome,
            exit_code: None,
            duration_ms: 0,
            counts: None,
            findings: vec![],
            log_path: None,
            why: vec![],
            side: false,
        }
    }

    #[test]
    fn after_needs_every_named_check_to_have_passed() {
        let r = review("r", AgentKind::Codex, &["tests", "lint"]);
        let passed = [check("tests", CheckOutcome::Passed), check("lint", CheckOutcome::Passed)];
        assert_eq!(after_failed(&r, &passed), None);
        let failed = [check("tests", CheckOutcome::Passed), check("lint", CheckOutcome::Failed)];
        assert_eq!(after_failed(&r, &failed).as_deref(), Some("check `lint` did not pass in this round (failed)"));
        assert_eq!(after_failed(&r, &passed[..1]).as_deref(), Some("check `lint` did not run in this round"));
    }

    #[test]
    fn labels_name_the_agent_and_model_and_tell_twins_apart() {
        let a = review("a", AgentKind::Codex, &[]);
        let b = review("b", AgentKind::Codex, &[]);
        let c = review("c", AgentKind::Claude, &[]);
        assert_eq!(label_of(&c, &[&a, &c]), "reviewer claude");
        assert_eq!(label_of(&a, &[&a, &b, &c]), "reviewer codex (a)");
        let mut m = c.clone();
        m.model = Some("opus".into());
        assert_eq!(label_of(&m, &[&m]), "reviewer claude:opus");
    }
}

#[cfg(test)]
#[path = "reviews_tests.rs"]
mod gate_tests;
