//! Which checks a round runs: the project's merged configuration read, the trust of the
//! project file applied (untrusted entries are reported, never run), and every enabled
//! `task.completed` check whose `when.*` filters match the task. Then the round itself: the
//! checks run, each result announced as it comes.

use super::{convert, GateMsg, GateOptions};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_gate::config::{self, Feedback, GateSettings, Mode, OnInfraError, Trigger};
use warden_gate::filters::{self, Decision, Situation};
use warden_gate::run::{self, Cancel, CheckToRun, RunOptions};
use warden_gate::trust::{EntryTrust, FileTrust, TrustStore};

/// What a round needs to know.
#[derive(Debug, Clone)]
pub struct RoundInput {
    /// The project.
    pub project: PathBuf,
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
}

impl RoundInput {
    /// How the round's checks run: in the project, their logs in a folder of the round's own.
    pub fn run_options(&self) -> RunOptions {
        RunOptions {
            project: self.project.clone(),
            log_dir: config::project_logs(&self.data_dir, &self.project)
                .join(format!("{}-task{}-round{}", self.session, self.task, self.round)),
            log_cap: run::DEFAULT_LOG_CAP,
        }
    }
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

/// A planned round: what runs, and what is only reported.
struct Planned {
    to_run: Vec<(CheckToRun, Vec<String>)>,
    reported: Vec<CheckFinished>,
    rules: RoundRules,
    notices: Vec<String>,
}

fn plan(input: &RoundInput) -> Planned {
    let mut planned = Planned {
        to_run: Vec::new(),
        reported: Vec::new(),
        rules: rules_of(&GateSettings::default(), &input.options),
        notices: Vec::new(),
    };
    let gate_config = match config::load(&input.project, &input.data_dir) {
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
    let store = TrustStore::new(&input.data_dir, &input.project);
    let file_trust = match store.file_trust(hash.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            planned.notices.push(format!("The trust of the project's checks file could not be read ({e}): its checks are treated as not trusted."));
            FileTrust::NotTrusted { changed: false }
        }
    };
    let mut runs_project_entry = false;
    for entry in gate_config.checks.iter().filter(|e| e.disabled.is_none() && e.spec.on == Trigger::TaskCompleted) {
        if let Some(only) = &input.only {
            if !only.contains(&entry.id) {
                continue;
            }
        }
        let check = &entry.spec;
        let gates = check.gate && check.mode != Mode::Async;
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
        };
        let why = match filters::decide(&check.when, &input.situation) {
            Decision::Run { reasons } => reasons,
            Decision::Skip { reason } => {
                planned.reported.push(reported(CheckOutcome::Skipped { reason: reason.clone() }, vec![reason]));
                continue;
            }
        };
        match EntryTrust::of(entry.source, &file_trust) {
            EntryTrust::NotTrusted(reason) => planned.reported.push(reported(CheckOutcome::NotTrusted { reason }, why)),
            trust => {
                runs_project_entry |= trust == EntryTrust::Trusted;
                let mut to_run = CheckToRun::from_check(check);
                // An async check is reported, never blocking (in this cut it is still waited for).
                to_run.gate = gates;
                planned.to_run.push((to_run, why));
            }
        }
    }
    if let (true, FileTrust::RunOnce, Some(hash)) = (runs_project_entry, &file_trust, hash.as_deref()) {
        // "Run once" is spent by this round.
        if let Err(e) = store.take_run_once(hash) {
            planned.notices.push(format!("Could not record that the one allowed run of the project's checks was used: {e}"));
        }
    }
    planned
}

fn rules_of(settings: &GateSettings, options: &GateOptions) -> RoundRules {
    RoundRules {
        max_rounds: options.max_rounds.unwrap_or(settings.max_rounds).max(1),
        on_infra_error: settings.on_infra_error,
        feedback: HashMap::new(),
        budget_usd: settings.budget_usd,
    }
}

/// Runs one round and reports everything to the actor over `tx`, ending with
/// [`GateMsg::RoundDone`]. Stale rounds are told apart by `run`.
pub async fn run_round(input: RoundInput, run: u64, cancel: Cancel, tx: mpsc::UnboundedSender<GateMsg>) {
    let planned = {
        let input = input.clone();
        let options = input.options;
        match tokio::task::spawn_blocking(move || plan(&input)).await {
            Ok(p) => p,
            Err(e) => Planned {
                to_run: Vec::new(),
                reported: Vec::new(),
                rules: rules_of(&GateSettings::default(), &options),
                notices: vec![format!("The checks could not be planned: {e}")],
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
    let why: BTreeMap<String, Vec<String>> = planned.to_run.iter().map(|(c, why)| (c.id.clone(), why.clone())).collect();
    for (check, why) in &planned.to_run {
        let started = CheckStarted { task: input.task, round: input.round, check: check.id.clone(), gate: check.gate, why: why.clone() };
        let _ = tx.send(event(SessionEventKind::CheckStarted(started)));
    }
    if !planned.to_run.is_empty() {
        let options = input.run_options();
        let checks = planned.to_run.into_iter().map(|(c, _)| c).collect();
        let why_of = |id: &str| why.get(id).cloned().unwrap_or_default();
        let finished = run::run_checks(checks, &options, &cancel, |result| {
            let done = convert::check_finished(input.task, input.round, result, why_of(&result.id));
            let _ = tx.send(event(SessionEventKind::CheckFinished(done)));
        })
        .await;
        results.extend(finished.iter().map(|r| convert::check_finished(input.task, input.round, r, why_of(&r.id))));
    }
    // Sync webhooks (review servers) take part after the checks (W4: see `webhooks::sync`).
    let ran: Vec<String> = results.iter().map(|r| r.check.clone()).collect();
    results.extend(super::webhooks::sync::review_round(&input, &ran, &cancel, &|kind| drop(tx.send(event(kind)))).await);
    let _ = tx.send(GateMsg::RoundDone { run, results, rules: planned.rules });
}
