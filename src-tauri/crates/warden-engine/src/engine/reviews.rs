//! On-demand reviews (the window's Review with…, `warden review`): a reviewer of the person's
//! choice reads what a session's task, turn or whole session changed, in the background, and
//! the review is reported as `ReviewStarted` / `ReviewFinished` in the REVIEWED session's
//! stream, so its window shows it beside the task.
//!
//! One writer per stream: a session live in this process gets the events from its actor
//! ([`SessionHandle::report_review`]), which numbers them like its own; a session no process
//! drives gets them appended to the store after its last event; a session another process
//! drives (a `warden run`, another window) gets none — that process's actor numbers its events
//! and a second writer would collide with it — and the review still runs and answers its caller.
//!
//! The reviewer's own session is an ordinary session; its record names the session it reviews
//! (`SessionRecord::reviews`), and the events name it (`Reviewer::session_id`).

use super::Engine;
use crate::review::{review, review_input, ReviewAsk, ReviewError, ReviewOutcome, ReviewRequest};
use crate::session::ReviewReport;
use crate::sink::EventSink;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use warden_core::review::{ReviewScope, Reviewer};
use warden_core::session::*;

/// A review running in the background.
#[derive(Debug)]
pub struct StartedReview {
    /// Its id in the reviewed session's stream (`review-<n>`).
    pub review: String,
    /// Ends with the review, after its `ReviewFinished` was reported.
    pub done: JoinHandle<Result<ReviewOutcome, ReviewError>>,
}

/// The numbers handed out per session in this process, so two reviews asked for at once (their
/// `ReviewStarted` not stored yet) get different ids.
fn handed_out() -> &'static Mutex<HashMap<SessionId, u32>> {
    static HANDED_OUT: OnceLock<Mutex<HashMap<SessionId, u32>>> = OnceLock::new();
    HANDED_OUT.get_or_init(Default::default)
}

impl Engine {
    /// Starts a review of `ask.session` in the background and returns its id at once. What of
    /// the session is reviewed is checked first (an unknown session, task or turn, or a scope
    /// that changed nothing, is refused here, not reported as a failed review). The reviewer's
    /// events go to `reviewer_sink`; the review's own events into the reviewed session's stream
    /// (see the module's notes), and to `reports` when they were appended to the store here.
    pub fn review_session(
        self: &Arc<Self>,
        ask: ReviewAsk,
        reviewer_sink: Arc<dyn EventSink>,
        reports: Arc<dyn EventSink>,
    ) -> Result<StartedReview, ReviewError> {
        let record = self.store().session(&ask.session)?.ok_or_else(|| ReviewError::UnknownSession(ask.session.clone()))?;
        // A review against a git base needs no journal; the others say it is missing.
        let journal = self.files().journal().ok().map(|j| j.as_ref());
        // Refused now rather than after a reviewer started: nothing to review is the person's
        // answer, not the review's.
        review_input(self.store(), journal, Path::new(&record.project), &ask.session, ask.scope.clone())?;
        let (task, round) = self.task_and_round(&ask.session, &ask.scope);
        let review = self.next_review_id(&ask.session);
        let request = ReviewRequest { project: record.project.clone(), ask: ask.clone(), diff_dir: None };
        let started = ReviewStarted {
            review: review.clone(),
            scope: ask.scope.clone(),
            task,
            round,
            reviewer: Reviewer { agent: ask.agent, model: ask.model.clone(), session_id: None },
            entry: None,
            gate: false,
        };
        let engine = self.clone();
        let done = tokio::spawn(async move { engine.run_review(request, started, reviewer_sink, reports).await });
        Ok(StartedReview { review, done })
    }

    /// Runs the review and reports it: `ReviewStarted` once the reviewer's session exists (so it
    /// names it) or the start failed, `ReviewFinished` at the end, an error never as a pass.
    async fn run_review(
        self: Arc<Self>,
        request: ReviewRequest,
        mut started: ReviewStarted,
        reviewer_sink: Arc<dyn EventSink>,
        reports: Arc<dyn EventSink>,
    ) -> Result<ReviewOutcome, ReviewError> {
        let reviewed = request.ask.session.clone();
        let begun = Instant::now();
        let (first_tx, first_rx) = oneshot::channel();
        let sink: Arc<dyn EventSink> = Arc::new(FirstSession { reviewed: reviewed.clone(), first: Mutex::new(Some(first_tx)), inner: reviewer_sink });
        let mut running = Box::pin(review(&self, request, sink));
        let mut outcome = None;
        tokio::select! {
            reviewer = first_rx => started.reviewer.session_id = reviewer.ok(),
            ended = &mut running => outcome = Some(ended),
        }
        if let Some(reviewer) = &started.reviewer.session_id {
            if let Err(e) = self.store().set_reviews(reviewer, &reviewed) {
                tracing::warn!(%reviewer, "could not link the reviewer's session: {e}");
            }
        }
        if started.reviewer.session_id.is_none() {
            started.reviewer.session_id = outcome.as_ref().and_then(|o| o.as_ref().ok()).and_then(|o| o.result.reviewer.session_id.clone());
        }
        self.report(&reviewed, ReviewReport::Started(started.clone()), &reports).await;
        let outcome = match outcome {
            Some(outcome) => outcome,
            None => running.await,
        };
        let reviewer_session = started.reviewer.session_id.clone();
        let (result, cost_usd) = match &outcome {
            Ok(done) => (ReviewRunOutcome::Completed { result: done.result.clone() }, done.cost_usd),
            // The reviewer's session, if it started, knows what it cost even without an answer.
            Err(e) => {
                let cost = reviewer_session.as_ref().and_then(|id| self.store().session(id).ok().flatten()).map(|r| r.cost_usd).filter(|c| *c > 0.0);
                (ReviewRunOutcome::Error { reason: e.to_string() }, cost)
            }
        };
        let finished = ReviewFinished {
            review: started.review,
            scope: started.scope,
            task: started.task,
            round: started.round,
            reviewer: match &outcome {
                Ok(done) => done.result.reviewer.clone(),
                Err(_) => started.reviewer,
            },
            entry: None,
            gate: false,
            outcome: result,
            duration_ms: begun.elapsed().as_millis() as u64,
            cost_usd,
        };
        self.report(&reviewed, ReviewReport::Finished(finished), &reports).await;
        outcome
    }

    /// Puts a review's event in the reviewed session's stream through its one writer.
    async fn report(&self, session: &SessionId, report: ReviewReport, reports: &Arc<dyn EventSink>) {
        if let Some(handle) = self.sessions().handle(session) {
            match handle.report_review(report.clone()).await {
                Ok(()) => return,
                // It ended meanwhile: its actor stored its last event before refusing, so the
                // store is the one writer now.
                Err(e) => tracing::debug!(%session, "the reviewed session ended before the review's event: {e}"),
            }
        }
        match self.store().session(session) {
            // The store reads a session whose process is gone as over; one that is not over is
            // driven by another process, whose actor numbers its events.
            Ok(Some(record)) if !record.status.is_over() => {
                tracing::warn!(%session, "the reviewed session runs in another process; the review is not added to its stream");
            }
            Ok(Some(_)) => match self.store().append_next(session, crate::now_ms(), report.into_kind()) {
                Ok(event) => reports.send(&event),
                Err(e) => tracing::warn!(%session, "could not store the review's event: {e}"),
            },
            Ok(None) => {}
            Err(e) => tracing::warn!(%session, "could not read the reviewed session: {e}"),
        }
    }

    /// The next `review-<n>` of a session: after every review stored and every one handed out
    /// here.
    pub(crate) fn next_review_id(&self, session: &SessionId) -> String {
        let stored = self
            .store()
            .events(session, 0)
            .map(|events| {
                events
                    .iter()
                    .filter_map(|e| match &e.kind {
                        SessionEventKind::ReviewStarted(r) => review_number(&r.review),
                        SessionEventKind::ReviewFinished(r) => review_number(&r.review),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0);
        let mut handed = handed_out().lock().unwrap_or_else(|p| p.into_inner());
        let next = handed.get(session).copied().unwrap_or(0).max(stored) + 1;
        handed.insert(session.clone(), next);
        format!("review-{next}")
    }

    /// For a task's review: the task and its latest round (from the stored events).
    fn task_and_round(&self, session: &SessionId, scope: &ReviewScope) -> (Option<TaskId>, Option<u32>) {
        let ReviewScope::Task { task } = *scope else { return (None, None) };
        let round = self.store().events(session, 0).ok().and_then(|events| {
            events
                .iter()
                .filter_map(|e| match &e.kind {
                    SessionEventKind::TaskCompleted(c) if c.task == task => Some(c.round),
                    SessionEventKind::GateDecided(g) if g.task == task => Some(g.round),
                    SessionEventKind::TaskFinished(f) if f.task == task => Some(f.rounds),
                    _ => None,
                })
                .max()
        });
        (Some(task), round)
    }
}

/// The number of `review-<n>`.
fn review_number(id: &str) -> Option<u32> {
    id.strip_prefix("review-")?.parse().ok()
}

/// Passes the reviewer's events on, and tells once which session is the reviewer's (the first
/// event of a session other than the reviewed one).
struct FirstSession {
    reviewed: SessionId,
    first: Mutex<Option<oneshot::Sender<SessionId>>>,
    inner: Arc<dyn EventSink>,
}

impl EventSink for FirstSession {
    fn send(&self, event: &SessionEvent) {
        if event.session_id != self.reviewed {
            if let Some(first) = self.first.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = first.send(event.session_id.clone());
            }
        }
        self.inner.send(event);
    }
}

#[cfg(test)]
mod tests {
    use super::review_number;

    #[test]
    fn review_ids_are_numbered() {
        assert_eq!(review_number("review-12"), Some(12));
        assert_eq!(review_number("lint-1"), None);
    }
}
