//! Sync webhook endpoints as participants of a gate round (the seeds' review server): each
//! trusted `mode = "sync"` endpoint that takes `task.completed` receives the round's event
//! while the gate waits; its answer (`{verdict, summary, findings}`) counts as a check result
//! named after the endpoint, gating like a check. When it cannot be reached after its last
//! retry and the entry says `on_failure = "fallback"`, its `fallback` checks run instead (the
//! seeds' local fallback) and the endpoint itself is reported as skipped.

use crate::gate::convert;
use crate::gate::select::RoundInput;
use std::path::Path;
use warden_core::session::*;
use warden_gate::config::{self, OnFailure};
use warden_gate::endpoints::configured_in;
use warden_gate::run::{self, Cancel, CheckToRun};
use warden_gate::secrets::Secrets;
use warden_webhooks::review::{self, Review};
use warden_webhooks::{Endpoint, Event, EventType, Mode, SyncOutcome};

/// One sync endpoint of the round and what it falls back to.
struct Participant {
    endpoint: Endpoint,
    fallback: Vec<String>,
}

/// The trusted, usable sync endpoints of the project that take `task.completed`, with their
/// fallback checks (empty unless `on_failure = "fallback"`).
fn participants(project: &Path, home: &Path, data_dir: &Path, only: Option<&[String]>) -> Vec<Participant> {
    let Ok(config) = config::load_in(project, home, data_dir) else { return Vec::new() };
    // Trust is `home`'s: a worktree's endpoints are those its main folder trusted.
    let Ok(configured) = configured_in(&config, home, data_dir, &Secrets::system()) else { return Vec::new() };
    configured
        .into_iter()
        .filter_map(|c| c.endpoint.ok())
        .filter(|e| e.mode == Mode::Sync && e.takes(EventType::TaskCompleted))
        .filter(|e| only.is_none_or(|only| only.contains(&e.id)))
        .map(|endpoint| {
            let entry = config.webhooks.iter().find(|w| w.id == endpoint.id);
            let fallback = entry
                .filter(|w| w.spec.on_failure == OnFailure::Fallback)
                .map(|w| w.spec.fallback.clone())
                .unwrap_or_default();
            Participant { endpoint, fallback }
        })
        .collect()
}

/// The `data` of the round's `task.completed` event as a review server receives it.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest<'a> {
    /// The project folder.
    pub project: &'a str,
    /// The session.
    pub session: &'a SessionId,
    /// The agent of the session.
    pub agent: Option<&'a str>,
    /// The task.
    pub task: TaskId,
    /// The round to review.
    pub round: u32,
    /// The paths the task changed (as the file journal recorded them).
    pub changed_paths: &'a [String],
}

/// The round's event. A fresh id per round: each round is a new question.
fn round_event(input: &RoundInput) -> Event {
    let project = input.project.to_string_lossy();
    let data = ReviewRequest {
        project: &project,
        session: &input.session,
        agent: input.situation.agent.as_deref(),
        task: input.task,
        round: input.round,
        changed_paths: &input.situation.changed_paths,
    };
    Event::now(EventType::TaskCompleted, serde_json::to_value(data).unwrap_or_default())
}

/// A review's findings as the stream carries them: critical, high and medium are errors.
fn findings(review: &Review) -> Vec<Finding> {
    review
        .findings
        .iter()
        .map(|f| Finding {
            severity: match f.severity {
                review::Severity::Critical | review::Severity::High | review::Severity::Medium => FindingSeverity::Error,
                review::Severity::Low | review::Severity::Info => FindingSeverity::Warning,
            },
            title: f.title.clone(),
            body: f.body.clone(),
            file: f.file.clone(),
            line: f.line,
        })
        .collect()
}

/// What a sync delivery came to, as a check result (`None`: unreachable, fallback decides).
fn outcome(answer: &SyncOutcome) -> Option<(CheckOutcome, Vec<Finding>)> {
    Some(match answer {
        SyncOutcome::Review { review, .. } => match review.verdict {
            review::Verdict::Approve => (CheckOutcome::Passed, findings(review)),
            review::Verdict::NeedsAttention => (CheckOutcome::Failed, findings(review)),
            review::Verdict::Error => (CheckOutcome::Error { reason: format!("the review server could not review: {}", review.summary) }, Vec::new()),
        },
        SyncOutcome::InvalidAnswer { error, .. } => (CheckOutcome::Error { reason: error.clone() }, Vec::new()),
        SyncOutcome::Refused { error, .. } => (CheckOutcome::Error { reason: format!("refused: {error}") }, Vec::new()),
        SyncOutcome::Unreachable { .. } => return None,
    })
}

/// Runs the round's sync endpoints (one after the other, after the round's checks) and their
/// fallbacks; every start and result goes to `emit` as it happens; returns the results for
/// the gate's verdict. `ran`: the checks of this round (a fallback check that ran already is
/// not run twice).
pub(crate) async fn review_round(
    input: &RoundInput,
    ran: &[String],
    cancel: &Cancel,
    emit: &(dyn Fn(SessionEventKind) + Send + Sync),
) -> Vec<CheckFinished> {
    let participants = {
        let (project, home, data_dir, only) = (input.project.clone(), input.home.clone(), input.data_dir.clone(), input.only.clone());
        tokio::task::spawn_blocking(move || participants(&project, &home, &data_dir, only.as_deref())).await.unwrap_or_default()
    };
    if participants.is_empty() {
        return Vec::new();
    }
    // The process's service of the data folder (the publisher's, when the engine has one):
    // its outbox connection and HTTP client, not new ones each round.
    let service = match super::shared_service(&input.data_dir) {
        Ok((service, notice)) => {
            if let Some(notice) = notice {
                tracing::warn!("{notice}");
            }
            service
        }
        Err(e) => {
            emit(SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text: format!("Review webhooks were not asked: {e}") }));
            return Vec::new();
        }
    };
    let project = input.project.to_string_lossy().into_owned();
    let mut results = Vec::new();
    for p in participants {
        let id = p.endpoint.id.clone();
        let why = vec![format!("sync webhook {}", p.endpoint.url)];
        emit(SessionEventKind::CheckStarted(CheckStarted { task: input.task, round: input.round, check: id.clone(), gate: true, why: why.clone(), log_path: None, side: false }));
        let started = std::time::Instant::now();
        let event = round_event(input);
        let answer = tokio::select! {
            answer = service.deliver_sync(&project, &p.endpoint, &event) => answer,
            () = cancel.cancelled() => Ok(SyncOutcome::Refused { delivery: 0, error: "cancelled".into() }),
        };
        let answer = answer.unwrap_or_else(|e| SyncOutcome::Refused { delivery: 0, error: e.to_string() });
        let (result, fallback) = match outcome(&answer) {
            Some(decided) => (decided, Vec::new()),
            None if !p.fallback.is_empty() => {
                let reason = format!("unreachable after its last retry; its fallback checks ran instead ({})", p.fallback.join(", "));
                ((CheckOutcome::Skipped { reason }, Vec::new()), p.fallback.clone())
            }
            None => {
                let error = match &answer {
                    SyncOutcome::Unreachable { error, .. } => error.clone(),
                    _ => String::new(),
                };
                ((CheckOutcome::Error { reason: format!("unreachable after its last retry: {error}") }, Vec::new()), Vec::new())
            }
        };
        let done = CheckFinished {
            task: input.task,
            round: input.round,
            check: id,
            gate: true,
            outcome: result.0,
            exit_code: None,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            counts: None,
            findings: result.1,
            log_path: None,
            why,
            side: false,
        };
        emit(SessionEventKind::CheckFinished(done.clone()));
        results.push(done);
        let pending: Vec<String> = fallback.into_iter().filter(|c| !ran.contains(c)).collect();
        if !pending.is_empty() && !cancel.is_cancelled() {
            results.extend(run_fallback(input, &pending, cancel, emit).await);
        }
    }
    results
}

/// Runs the checks named `ids` (as configured, trusted or personal) for the round.
async fn run_fallback(
    input: &RoundInput,
    ids: &[String],
    cancel: &Cancel,
    emit: &(dyn Fn(SessionEventKind) + Send + Sync),
) -> Vec<CheckFinished> {
    let Ok(config) = config::load_in(&input.project, &input.home, &input.data_dir) else { return Vec::new() };
    let file = warden_gate::trust::TrustStore::new(&input.data_dir, &input.home)
        .file_trust(config.project_file.as_ref().map(|f| f.sha256.as_str()))
        .unwrap_or(warden_gate::trust::FileTrust::NotTrusted { changed: false });
    let why = vec!["fallback of an unreachable review webhook".to_owned()];
    let mut checks = Vec::new();
    let mut results = Vec::new();
    for entry in config.checks.iter().filter(|e| ids.contains(&e.id) && e.disabled.is_none()) {
        if let warden_gate::trust::EntryTrust::NotTrusted(reason) = warden_gate::trust::EntryTrust::of(entry.source, &file) {
            let done = CheckFinished {
                task: input.task,
                round: input.round,
                check: entry.id.clone(),
                gate: entry.spec.gate,
                outcome: CheckOutcome::NotTrusted { reason },
                exit_code: None,
                duration_ms: 0,
                counts: None,
                findings: Vec::new(),
                log_path: None,
                why: why.clone(),
                side: false,
            };
            emit(SessionEventKind::CheckFinished(done.clone()));
            results.push(done);
            continue;
        }
        emit(SessionEventKind::CheckStarted(CheckStarted {
            task: input.task,
            round: input.round,
            check: entry.id.clone(),
            gate: entry.spec.gate,
            why: why.clone(),
            log_path: input.announce_log(&entry.id),
            side: false,
        }));
        checks.push(CheckToRun::from_check(&entry.spec));
    }
    let options = input.run_options();
    let finished = run::run_checks(checks, &options, cancel, |r| {
        emit(SessionEventKind::CheckFinished(convert::check_finished(input.task, input.round, r, why.clone())));
    })
    .await;
    results.extend(finished.iter().map(|r| convert::check_finished(input.task, input.round, r, why.clone())));
    results
}
