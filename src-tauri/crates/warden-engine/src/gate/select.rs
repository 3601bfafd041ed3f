//! Which checks run, for a trigger: the project's merged configuration read, the trust of the
//! project file applied (untrusted entries are reported, never run), and every enabled check
//! of that trigger whose `when.*` filters match. For the task-completed round, the sync checks
//! run in the round and the `mode = "async"` ones are handed to a side run
//! ([`super::side`]): they start with the round, the round is judged without them, and they
//! report when they end. Then the round itself: the checks run, each announced with the log
//! its output streams to, each result reported as it comes.
//!
//! The round's `[[review]]` entries are planned here too, under the same trust, and run after
//! the checks and sync webhooks (`super::reviews`).
//!
//! An `after` between a sync and an async check is ignored (they run in different runs), as
//! is any `after` naming a check that is not in the same run.

use super::reviews::{self, GateReview, PlannedReview, Reviewers};
use super::{convert, GateMsg, GateOptions};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_gate::config::{self, Feedback, GateSettings, Mode, OnInfraError, Review, Trigger};
use warden_gate::filters::{self, Decision, Situation};
use warden_gate::run::{self, Cancel, CheckToRun, RunOptions};
use warden_gate::trust::{EntryTrust, FileTrust, TrustStore};

/// What a round needs to know.
#[derive(Debug, Clone)]
pub struct RoundInput {
    /// The project.
    pub project: PathBuf,
    /// The project whose personal checks layer and trust apply: the main folder when
    /// `project` is one of Warden's worktrees ([`crate::worktrees::rules_project`]), else
    /// `project`.
    pub home: PathBuf,
    /// Warden's data folder (the personal layer, trust, logs).
    pub data_dir: PathBuf,
    /// The session (names the logs' folder).
    pub session: SessionId,
    /// The task and its round.
    pub task: TaskId,
    /// The round.
    pub round: u32,
    /// What the task changed and who works on it.
    pub situation: Situation,
    /// Only these checks (a re-run of the failed ones); `None` for every matching one.
    pub only: Option<Vec<String>>,
    /// The run's overrides.
    pub options: GateOptions,
    /// Names the run's logs ([`log_stamp`]): a re-run of the same round keeps the earlier logs.
    pub log_stamp: u64,
}

impl RoundInput {
    /// How the round's checks run: in the project, their logs in a folder of the round's own,
    /// named in advance so each check's log can be announced when it starts.
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            project: self.project.clone(),
            log_dir: config::project_logs(&self.data_dir, &self.project)
                .join(format!("{}-task{}-round{}", self.session, self.task, self.round)),
            log_cap: run::DEFAULT_LOG_CAP,
            log_stamp: Some(self.log_stamp),
        }
    }

    /// The log check `id` of this run writes (what `CheckStarted.log_path` says), created
    /// empty now so it can be opened at once. `None` when it cannot be created: the check then
    /// fails to start and its result says why.
    pub fn announce_log(&self, id: &str) -> Option<String> {
        let path = self.run_options().log_path(id)?;
        match run::prepare_log(&path) {
            Ok(()) => Some(path.display().to_string()),
            Err(e) => {
                tracing::warn!(check = id, "cannot create the check's log {}: {e}", path.display());
                None
            }
        }
    }
}

/// A stamp for a run's logs: the time in milliseconds, moved past the last one handed out, so
/// two runs of one process never share a log name.
pub fn log_stamp() -> u64 {
    static LAST: AtomicU64 = AtomicU64::new(0);
    let now = crate::now_ms();
    let previous = LAST.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| Some(now.max(last + 1))).unwrap_or(0);
    now.max(previous + 1)
}

/// How a round's results are judged once they are in.
#[derive(Debug, Clone)]
pub struct RoundRules {
    /// Rounds at most for automatic feedback.
    pub max_rounds: u32,
    /// Whether a check that could not run blocks.
    pub on_infra_error: OnInfraError,
    /// Each check's feedback, by id.
    pub feedback: HashMap<String, Feedback>,
    /// `[gate] budget_usd`: the task cost at which automatic feedback stops.
    pub budget_usd: Option<f64>,
}

/// A planned run: what runs, and what is only reported.
pub(crate) struct Planned {
    /// The checks to run now, with why.
    pub(crate) to_run: Vec<(CheckToRun, Vec<String>)>,
    /// The round's async checks: run beside it, never waited for.
    pub(crate) detached: Vec<(CheckToRun, Vec<String>)>,
    /// Checks decided without running (skipped by a filter in the round, not trusted).
    pub(crate) reported: Vec<CheckFinished>,
    /// How the round is judged.
    pub(crate) rules: RoundRules,
    /// What the person should know (a broken configuration, …).
    pub(crate) notices: Vec<String>,
    /// The round's reviews to run once its checks are in ([`super::reviews`]).
    pub(crate) reviews: Vec<PlannedReview>,
    /// Reviews decided without running (a filter, trust).
    pub(crate) reported_reviews: Vec<GateReview>,
}

/// Plans the checks `trigger` runs. For [`Trigger::TaskCompleted`] that is the round (sync
/// checks, gating as configured; a check a filter skips is reported as skipped) and its async
/// checks (`detached`). For any other trigger every matching check runs, never gating, and a
/// check a filter skips is not reported: these triggers fire on every tool call or burst of
/// writes, and a "skipped" line each time would bury the checks that ran.
pub(crate) fn plan(input: &RoundInput, trigger: Trigger) -> Planned {
    plan_with(input, trigger, &[])
}

/// [`plan`], with `extra` reviews added for this run only (`warden run --review`): the
/// task-completed round also plans its reviews, under the same trust as its checks.
pub(crate) fn plan_with(input: &RoundInput, trigger: Trigger, extra: &[Review]) -> Planned {
    let round = trigger == Trigger::TaskCompleted;
    let mut planned = Planned {
        to_run: Vec::new(),
        detached: Vec::new(),
        reported: Vec::new(),
        rules: rules_of(&GateSettings::default(), &input.options),
        notices: Vec::new(),
        reviews: Vec::new(),
        reported_reviews: Vec::new(),
    };
    let gate_config = match config::load_in(&input.project, &input.home, &input.data_dir) {
        Ok(c) => c,
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            planned.notices.push(format!(
                "The checks configuration has {} error(s), so no checks ran: {first}",
                errors.len()
            ));
            return planned;
        }
    };
    planned.rules = rules_of(&gate_config.gate, &input.options);
    let hash = gate_config.project_file.as_ref().map(|f| f.sha256.clone());
    let store = TrustStore::new(&input.data_dir, &input.home);
    let file_trust = match store.file_trust(hash.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            planned.notices.push(format!("The trust of the project's checks file could not be read ({e}): its checks are treated as not trusted."));
            FileTrust::NotTrusted { changed: false }
        }
    };
    let mut runs_project_entry = false;
    for entry in gate_config.checks.iter().filter(|e| e.disabled.is_none() && e.spec.on == trigger) {
        if let Some(only) = &input.only {
            if !only.contains(&entry.id) {
                continue;
            }
        }
        let check = &entry.spec;
        let detached = round && check.mode == Mode::Async;
        let gates = round && check.gate && !detached;
        let feedback = input.options.feedback.unwrap_or(check.feedback);
        planned.rules.feedback.insert(entry.id.clone(), feedback);
        let reported = |outcome: CheckOutcome, why: Vec<String>| CheckFinished {
            task: input.task,
            round: input.round,
            check: entry.id.clone(),
            gate: gates,
            outcome,
            exit_code: None,
            duration_ms: 0,
            counts: None,
            findings: Vec::new(),
            log_path: None,
            why,
            side: false,
        };
        let why = match filters::decide(&check.when, &input.situation) {
            Decision::Run { reasons } => reasons,
            Decision::Skip { reason } => {
                if round {
                    planned.reported.push(reported(CheckOutcome::Skipped { reason: reason.clone() }, vec![reason]));
                }
                continue;
            }
        };
        match EntryTrust::of(entry.source, &file_trust) {
            EntryTrust::NotTrusted(reason) => planned.reported.push(reported(CheckOutcome::NotTrusted { reason }, why)),
            trust => {
                runs_project_entry |= trust == EntryTrust::Trusted;
                let mut to_run = CheckToRun::from_check(check);
                to_run.gate = gates;
                if detached {
                    planned.detached.push((to_run, why));
                } else {
                    planned.to_run.push((to_run, why));
                }
            }
        }
    }
    if round {
        runs_project_entry |= plan_reviews(input, &gate_config, extra, &file_trust, &mut planned);
    }
    if let (true, FileTrust::RunOnce, Some(hash)) = (runs_project_entry, &file_trust, hash.as_deref()) {
        // "Run once" is spent by this run (a side run's too: it ran the project's commands).
        if let Err(e) = store.take_run_once(hash) {
            planned.notices.push(format!("Could not record that the one allowed run of the project's checks was used: {e}"));
        }
    }
    planned
}

/// Plans the round's reviews (the configuration's enabled ones, then `extra`): a filter that
/// does not match or an untrusted project entry is reported as skipped. Returns whether a
/// project entry will run (which spends a "run once").
fn plan_reviews(input: &RoundInput, config: &config::GateConfig, extra: &[Review], file_trust: &FileTrust, planned: &mut Planned) -> bool {
    let mut runs_project_entry = false;
    let entries = config
        .reviews
        .iter()
        .filter(|e| e.disabled.is_none())
        .map(|e| (&e.spec, e.source))
        .chain(extra.iter().map(|r| (r, config::Source::Personal)));
    for (review, source) in entries {
        if input.only.as_ref().is_some_and(|only| !only.contains(&review.id)) {
            continue;
        }
        let feedback = input.options.feedback.unwrap_or(review.feedback);
        planned.rules.feedback.insert(review.id.clone(), feedback);
        if let Decision::Skip { reason } = filters::decide(&review.when, &input.situation) {
            planned.reported_reviews.push(reviews::skipped(input, review, feedback, reason));
            continue;
        }
        match EntryTrust::of(source, file_trust) {
            EntryTrust::NotTrusted(why) => planned.reported_reviews.push(reviews::not_trusted(input, review, feedback, &why)),
            trust => {
                runs_project_entry |= trust == EntryTrust::Trusted;
                planned.reviews.push(PlannedReview { review: review.clone(), feedback });
            }
        }
    }
    runs_project_entry
}

fn rules_of(settings: &GateSettings, options: &GateOptions) -> RoundRules {
    RoundRules {
        max_rounds: options.max_rounds.unwrap_or(settings.max_rounds).max(1),
        on_infra_error: settings.on_infra_error,
        feedback: HashMap::new(),
        budget_usd: options.budget_usd.or(settings.budget_usd),
    }
}

/// Runs one round and reports everything to the actor over `tx`, ending with
/// [`GateMsg::RoundDone`]. Stale rounds are told apart by `run`. The round's async checks run
/// beside it as a side run, stopped by `side` (the session's Stop), not by `cancel`.
pub async fn run_round(input: RoundInput, run: u64, cancel: Cancel, side: Cancel, tx: mpsc::UnboundedSender<GateMsg>, reviewers: Option<Reviewers>) {
    let planned = {
        let input = input.clone();
        let options = input.options;
        let extra: Vec<Review> = reviewers.as_ref().map(|r| r.extra().to_vec()).unwrap_or_default();
        match tokio::task::spawn_blocking(move || plan_with(&input, Trigger::TaskCompleted, &extra)).await {
            Ok(p) => p,
            Err(e) => Planned {
                to_run: Vec::new(),
                detached: Vec::new(),
                reported: Vec::new(),
                rules: rules_of(&GateSettings::default(), &options),
                notices: vec![format!("The checks could not be planned: {e}")],
                reviews: Vec::new(),
                reported_reviews: Vec::new(),
            },
        }
    };
    let event = |kind: SessionEventKind| GateMsg::Event { run, kind };
    for text in planned.notices {
        let _ = tx.send(event(SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text })));
    }
    let mut results = planned.reported.clone();
    for r in &planned.reported {
        let _ = tx.send(event(SessionEventKind::CheckFinished(r.clone())));
    }
    if !planned.detached.is_empty() {
        tokio::spawn(super::side::run_detached(input.clone(), planned.detached, side, tx.clone()));
    }
    let emit = |kind| drop(tx.send(event(kind)));
    results.extend(run_announced(&input, planned.to_run, &cancel, &emit).await);
    // Sync webhooks (review servers) take part after the checks (W4: see `webhooks::sync`).
    let ran: Vec<String> = results.iter().map(|r| r.check.clone()).collect();
    results.extend(super::webhooks::sync::review_round(&input, &ran, &cancel, &emit).await);
    // Then the reviews, which may wait for checks (`after`).
    let mut reviews = planned.reported_reviews;
    for r in &reviews {
        emit(SessionEventKind::ReviewFinished(r.finished.clone()));
    }
    if !cancel.is_cancelled() {
        reviews.extend(super::reviews::run_reviews(&input, planned.reviews, &results, &cancel, reviewers.as_ref(), run, &tx).await);
    }
    let _ = tx.send(GateMsg::RoundDone { run, results, rules: planned.rules, reviews });
}

/// Runs `checks` for `input`'s task and round: each announced first (`CheckStarted` with the
/// log its output streams to), each result reported as it comes; returns the results.
pub(crate) async fn run_announced(
    input: &RoundInput,
    checks: Vec<(CheckToRun, Vec<String>)>,
    cancel: &Cancel,
    emit: &(dyn Fn(SessionEventKind) + Send + Sync),
) -> Vec<CheckFinished> {
    if checks.is_empty() {
        return Vec::new();
    }
    let why: BTreeMap<String, Vec<String>> = checks.iter().map(|(c, why)| (c.id.clone(), why.clone())).collect();
    for (check, why) in &checks {
        let log_path = input.announce_log(&check.id);
        let started = CheckStarted { task: input.task, round: input.round, check: check.id.clone(), gate: check.gate, why: why.clone(), log_path, side: false };
        emit(SessionEventKind::CheckStarted(started));
    }
    let options = input.run_options();
    let why_of = |id: &str| why.get(id).cloned().unwrap_or_default();
    let finished = run::run_checks(checks.into_iter().map(|(c, _)| c).collect(), &options, cancel, |result| {
        emit(SessionEventKind::CheckFinished(convert::check_finished(input.task, input.round, result, why_of(&result.id))));
    })
    .await;
    finished.iter().map(|r| convert::check_finished(input.task, input.round, r, why_of(&r.id))).collect()
}
