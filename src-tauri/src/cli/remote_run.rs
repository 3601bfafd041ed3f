//! `warden run --remote DEST` (and `--container`, `--remote-command`): the same task as a local
//! `warden run`, on the engine of another host, through a transport. The output and the exit
//! codes are those of a local run; permission questions are answered here, by the same flags
//! and stdin lines. A lost connection is reconnected (with backoff, bounded) and the stream
//! goes on from its last `seq`.

use super::approve::{AnswerTo, Approver};
use super::run::{RunArgs, SETUP_FAILED, TURN_FAILED};
use super::run_progress::{End, RunProgress};
use super::transcript::Transcript;
use std::time::Duration;
use warden_core::session::*;
use warden_remote::{Remote, StartSession, Transport};

/// Reconnect attempts after a lost connection, with pauses of 1, 2, 4, 8 s.
const RECONNECTS: u32 = 5;


/// Options of a local run that have no remote counterpart yet: named, so they are refused
/// rather than silently ignored.
fn unsupported(args: &RunArgs) -> Option<&'static str> {
    [
        (args.resume.is_some(), "--resume"),
        (args.pipeline.is_some(), "--pipeline"),
        (args.worktree, "--worktree"),
        (!args.review.is_empty(), "--review"),
        (args.feedback.is_some(), "--feedback"),
        (args.max_rounds.is_some(), "--max-rounds"),
        (args.budget.is_some(), "--budget"),
    ]
    .into_iter()
    .find_map(|(given, flag)| given.then_some(flag))
}

/// Runs the task through `transport`; returns the exit code.
pub async fn run(args: RunArgs, transport: Transport) -> u8 {
    let fail = |code: u8, message: String| {
        eprintln!("warden: {message}");
        code
    };
    if let Some(flag) = unsupported(&args) {
        return fail(SETUP_FAILED, format!("{flag} is not available with a remote run yet"));
    }
    let place = transport.describe();
    let mut remote = match Remote::connect(transport).await {
        Ok(remote) => remote,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    let start = StartSession {
        project: args.project.clone(),
        agent: args.agent.clone(),
        model: args.model.clone(),
        permission_mode: args.permission_mode,
        sandbox: args.sandbox,
        checks: args.checks == super::run::OnOff::On,
        prompt: None,
        agent_name: None,
        worktree: None,
    };
    let started = match remote.connection().start_session(start).await {
        Ok(started) => started,
        Err(e) => return fail(SETUP_FAILED, format!("{e} (on {place})")),
    };
    let id = started.session.id.clone();
    eprintln!("warden: running on {place} in {}", started.session.project);
    let mut events = match remote.follow(&id, 0).await {
        Ok(events) => events,
        Err(e) => return fail(SETUP_FAILED, e.to_string()),
    };
    if let Err(e) = remote.connection().prompt(&id, &args.prompt).await {
        let _ = remote.connection().stop(&id).await;
        return fail(TURN_FAILED, e.to_string());
    }
    let mut out = Transcript::new(args.json);
    let mut approver = Approver::new(args.approve, args.json, false);
    let mut interrupts = 0;
    let mut progress = RunProgress::default();
    let outcome = loop {
        let lost = remote.connection().on_lost();
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break End::Failed("the event stream ended".into()) };
                out.print(&event);
                if let Some(end) = progress.on(&event.kind) {
                    break end;
                }
                match &event.kind {
                    SessionEventKind::PermissionRequested(request) => approver.asked(request.clone(), &OnHost { remote: &remote, session: &id }, &mut out).await,
                    SessionEventKind::PermissionResolved(resolved) => approver.resolved(&resolved.request_id),
                    // Feedback decisions are not asked over a remote run yet: dismissed, as a
                    // local run without anyone to ask does.
                    SessionEventKind::FeedbackProposed(p) => {
                        let _ = remote.connection().decide_feedback(&id, p.task, FeedbackDecision::Dismiss, None).await;
                        break End::GateNotPassed("the checks did not pass; their feedback was not sent (a remote run does not ask for it yet)".into());
                    }
                    _ => {}
                }
            }
            lost = lost => {
                eprintln!("warden: the connection to {place} was lost ({lost}); reconnecting");
                match remote.reconnect_with_backoff(RECONNECTS, Duration::from_secs(1)).await {
                    Ok(()) => eprintln!("warden: reconnected; the stream goes on after event {}", remote.last_seq(&id).unwrap_or(0)),
                    Err(e) => break End::Failed(format!("{place} cannot be reached again ({e}); session {id} goes on there")),
                }
            }
            line = approver.next_line() => approver.answer(line, &OnHost { remote: &remote, session: &id }, &mut out).await,
            _ = tokio::signal::ctrl_c() => {
                interrupts += 1;
                if interrupts == 1 {
                    eprintln!("warden: interrupting the turn (Ctrl-C again to stop at once)");
                    let _ = remote.connection().interrupt(&id).await;
                } else {
                    break End::Failed("stopped".into());
                }
            }
        }
    };
    if remote.connection().lost_now().is_none() {
        let _ = remote.connection().stop(&id).await;
        // The events of stopping (status, exit) belong to the record too: they follow the stop
        // closely, so a short quiet spell means they are all here.
        while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(300), events.recv()).await {
            out.print(&event);
        }
    }
    out.finish();
    progress.finish(outcome, &format!("session {id} on {place}"))
}

/// A session on the host, as the place the run's answers go.
struct OnHost<'a> {
    remote: &'a Remote,
    session: &'a SessionId,
}

impl AnswerTo for OnHost<'_> {
    async fn resolve(&self, id: PermissionRequestId, answer: PermissionAnswer, source: DecisionSource) {
        if let Err(e) = self.remote.connection().resolve_permission_as(self.session, &id, answer, Some(source)).await {
            eprintln!("warden: {e}");
        }
    }
}
