//! The one tool-call tracker every agent adapter drives: each call's status and clock, the one
//! status machine, the one rule for when the clock runs, and the one mapping from a permission
//! decision (or from how the agent says a call ended) to a status.
//!
//! It lives in the engine rather than in core because it speaks the adapters' language
//! ([`SessionEventKind`] updates built for the actor, `Instant`s fed by the actor); core keeps
//! the vocabulary it is built on ([`ToolCallStatus`] with `can_become` and `is_terminal`).
//!
//! # Decisions, the same for every agent
//!
//! - **Status machine**: core's [`ToolCallStatus::can_become`]. A move it refuses (a stale
//!   "running" after a result, anything after a final status) is dropped without an event.
//! - **Clock**: a call's clock starts when it starts running: when it moves to `Running` (after
//!   permission is granted, or at once when the agent announces it running), and it starts
//!   again if the call goes back to waiting for permission and is then allowed (Claude reports a
//!   call running before it asks), so the time a person takes to decide is never counted as
//!   running time. It stops at a final status, which carries the duration when the call ran.
//!   A call that never ran (denied, or cancelled while it waited) has no duration.
//! - **Permission decisions** ([`status_after`]): any allowing answer → `Running`; deny and
//!   *deny and stop* → `Denied` (the person refused this call; the stop ends the turn, and the
//!   other calls it ends become `Cancelled`); a question nobody answered because the session
//!   stopped → `Cancelled`.
//! - **How a call ended** ([`Ended`]): success → `Completed`; the agent declined it → `Denied`;
//!   an error on a call Warden or the agent refused → `Denied`; an error while the turn is
//!   being stopped, or the agent saying it was interrupted → `Cancelled`; any other error →
//!   `Failed`. Calls still open when a turn ends become `Cancelled` when the turn was stopped
//!   and `Failed` otherwise.

use std::collections::HashMap;
use std::time::Instant;
use warden_core::session::{PermissionDecision, SessionEventKind, ToolCall, ToolCallId, ToolCallStatus, ToolCallUpdate, ToolOutput};

/// How the agent says a call's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It ran and succeeded.
    Succeeded,
    /// It reported an error.
    Errored,
    /// The agent declined to run it (Codex's `declined`).
    Declined,
    /// The agent says it was interrupted (Claude's "[Request interrupted by user…").
    Interrupted,
}

/// The status a permission decision moves its call to (see the module's note).
pub fn status_after(decision: PermissionDecision) -> ToolCallStatus {
    match decision {
        PermissionDecision::AllowOnce | PermissionDecision::AllowSession | PermissionDecision::AllowAlways => {
            ToolCallStatus::Running
        }
        PermissionDecision::Deny | PermissionDecision::DenyAndStop => ToolCallStatus::Denied,
        PermissionDecision::Cancelled => ToolCallStatus::Cancelled,
    }
}

/// One call as tracked: its status and clock, and what the adapter keeps about it (`data`,
/// reachable through `Deref`).
#[derive(Debug)]
pub struct Tracked<T> {
    /// Where the call is in its life (changed only through [`ToolCalls`]).
    pub status: ToolCallStatus,
    /// When it last started running; `None` while it does not run.
    running_since: Option<Instant>,
    /// Warden or the agent refused it: an error it reports reads as denied.
    refused: bool,
    data: T,
}

impl<T> std::ops::Deref for Tracked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

/// Every open call of one agent process, by the agent's id.
#[derive(Debug)]
pub struct ToolCalls<T = ()> {
    calls: HashMap<String, Tracked<T>>,
    /// The turn is being stopped (an interrupt or a deny-and-stop was sent).
    stopping: bool,
}

impl<T> Default for ToolCalls<T> {
    fn default() -> Self {
        Self { calls: HashMap::new(), stopping: false }
    }
}

impl<T> ToolCalls<T> {
    /// No calls.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the call is known.
    pub fn contains(&self, id: &str) -> bool {
        self.calls.contains_key(id)
    }

    /// A known call.
    pub fn get(&self, id: &str) -> Option<&Tracked<T>> {
        self.calls.get(id)
    }

    /// What the adapter keeps about a known call, to change it.
    pub fn data_mut(&mut self, id: &str) -> Option<&mut T> {
        self.calls.get_mut(id).map(|c| &mut c.data)
    }

    /// A known call's status.
    pub fn status(&self, id: &str) -> Option<ToolCallStatus> {
        self.calls.get(id).map(|c| c.status)
    }

    /// Every known call.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Tracked<T>)> {
        self.calls.iter()
    }

    /// Starts tracking a call first heard of in `status` (its clock starts if it is running).
    /// Returns false, changing nothing, for a call already known.
    pub fn open(&mut self, id: &str, status: ToolCallStatus, data: T, now: Instant) -> bool {
        if self.calls.contains_key(id) {
            return false;
        }
        let running_since = (status == ToolCallStatus::Running).then_some(now);
        self.calls.insert(id.to_owned(), Tracked { status, running_since, refused: false, data });
        true
    }

    /// [`Self::open`] for `call`, returning the event that announces it (`None` when known).
    pub fn announce(&mut self, call: ToolCall, data: T, now: Instant) -> Option<SessionEventKind> {
        self.open(&call.id.0, call.status, data, now).then(|| SessionEventKind::ToolCall(call))
    }

    /// Moves a call to `status` under the one status machine and clock rule. `None` when the
    /// call is unknown or may not move there; else the duration the move reports (on a final
    /// status of a call that ran).
    pub fn move_to(&mut self, id: &str, status: ToolCallStatus, now: Instant) -> Option<Option<u64>> {
        let call = self.calls.get_mut(id)?;
        if !call.status.can_become(status) {
            return None;
        }
        call.status = status;
        let duration_ms = match status {
            ToolCallStatus::Running => {
                call.running_since = Some(now);
                None
            }
            // Waiting for a decision is not running.
            ToolCallStatus::AwaitingPermission | ToolCallStatus::Pending => {
                call.running_since = None;
                None
            }
            // A denied call never ran, whatever the agent reported before the denial.
            ToolCallStatus::Denied => None,
            ToolCallStatus::Completed | ToolCallStatus::Failed | ToolCallStatus::Cancelled => {
                call.running_since.map(|since| now.saturating_duration_since(since).as_millis() as u64)
            }
        };
        if status.is_terminal() {
            call.running_since = None;
        }
        Some(duration_ms)
    }

    /// Moves a call to `status`: the update event (with `output`), or `None` when the move is
    /// refused or the call unknown.
    pub fn set_status(&mut self, id: &str, status: ToolCallStatus, now: Instant, output: Option<ToolOutput>) -> Option<SessionEventKind> {
        let Some(duration_ms) = self.move_to(id, status, now) else {
            if output.is_some() && !self.calls.contains_key(id) {
                tracing::debug!(id, "result for a tool call this process did not announce");
            }
            return None;
        };
        Some(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId(id.to_owned()),
            status: Some(status),
            output,
            duration_ms,
            ..Default::default()
        }))
    }

    /// A permission decision about a call: it moves to [`status_after`] the decision; a refused
    /// call's later error reads as denied; deny-and-stop stops the turn.
    pub fn decide(&mut self, id: &str, decision: PermissionDecision, now: Instant) -> Option<SessionEventKind> {
        if decision == PermissionDecision::DenyAndStop {
            self.stopping = true;
        }
        if !decision.allows() {
            self.refuse(id);
        }
        self.set_status(id, status_after(decision), now, None)
    }

    /// Warden or the agent refused a call without moving it yet (Claude's own rules deny it and
    /// its error result follows): that error reads as denied.
    pub fn refuse(&mut self, id: &str) {
        if let Some(call) = self.calls.get_mut(id) {
            call.refused = true;
        }
    }

    /// The status a call takes when the agent says it ended so (see the module's note).
    pub fn outcome(&self, id: &str, ended: Ended) -> ToolCallStatus {
        let refused = self.calls.get(id).is_some_and(|c| c.refused);
        match ended {
            Ended::Succeeded => ToolCallStatus::Completed,
            Ended::Declined => ToolCallStatus::Denied,
            Ended::Errored | Ended::Interrupted if refused => ToolCallStatus::Denied,
            Ended::Interrupted => ToolCallStatus::Cancelled,
            Ended::Errored if self.stopping => ToolCallStatus::Cancelled,
            Ended::Errored => ToolCallStatus::Failed,
        }
    }

    /// The agent says a call ended: it moves to its [`Self::outcome`], with `output`.
    pub fn finish(&mut self, id: &str, ended: Ended, now: Instant, output: Option<ToolOutput>) -> Option<SessionEventKind> {
        let status = self.outcome(id, ended);
        self.set_status(id, status, now, output)
    }

    /// Warden asked the agent to stop the turn: errors from now on read as cancelled, and so do
    /// the calls still open at its end.
    pub fn stop(&mut self) {
        self.stopping = true;
    }

    /// Whether the turn is being stopped.
    pub fn stopping(&self) -> bool {
        self.stopping
    }

    /// The turn ended: calls still open did not finish in it, and become `Cancelled` when it
    /// was stopped (`cancelled`, or [`Self::stop`] asked) and `Failed` otherwise. Finished
    /// calls are forgotten. Returns the updates, in no particular order of calls.
    pub fn end_turn(&mut self, cancelled: bool, now: Instant) -> Vec<SessionEventKind> {
        let end = if cancelled || self.stopping { ToolCallStatus::Cancelled } else { ToolCallStatus::Failed };
        let mut open: Vec<String> = self.calls.iter().filter(|(_, c)| !c.status.is_terminal()).map(|(id, _)| id.clone()).collect();
        open.sort();
        let events = open.iter().filter_map(|id| self.set_status(id, end, now, None)).collect();
        self.calls.retain(|_, c| !c.status.is_terminal());
        self.stopping = false;
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use ToolCallStatus::*;

    fn at(start: Instant, ms: u64) -> Instant {
        start + Duration::from_millis(ms)
    }

    fn moved(event: Option<SessionEventKind>) -> (Option<ToolCallStatus>, Option<u64>) {
        match event {
            Some(SessionEventKind::ToolCallUpdate(u)) => (u.status, u.duration_ms),
            other => panic!("an update: {other:?}"),
        }
    }

    #[test]
    fn the_clock_runs_from_the_last_start_to_the_end_and_waiting_is_not_running() {
        let t = Instant::now();
        let mut calls = ToolCalls::<()>::new();
        assert!(calls.open("a", Running, (), t));
        assert!(!calls.open("a", Pending, (), t), "a known call is not opened again");
        assert_eq!(moved(calls.set_status("a", AwaitingPermission, at(t, 1000), None)), (Some(AwaitingPermission), None));
        assert_eq!(moved(calls.decide("a", PermissionDecision::AllowOnce, at(t, 3000))), (Some(Running), None));
        assert_eq!(moved(calls.finish("a", Ended::Succeeded, at(t, 10_000), None)), (Some(Completed), Some(7000)));
        assert!(calls.set_status("a", Running, at(t, 11_000), None).is_none(), "a finished call never moves again");
    }

    #[test]
    fn a_call_that_never_ran_has_no_duration() {
        let t = Instant::now();
        let mut calls = ToolCalls::<()>::new();
        calls.open("denied", Running, (), t);
        assert_eq!(moved(calls.decide("denied", PermissionDecision::Deny, at(t, 5))), (Some(Denied), None));
        calls.open("waiting", AwaitingPermission, (), t);
        assert_eq!(moved(calls.decide("waiting", PermissionDecision::Cancelled, at(t, 5))), (Some(Cancelled), None));
    }

    #[test]
    fn deny_and_stop_denies_the_call_and_cancels_the_rest_of_the_turn() {
        let t = Instant::now();
        let mut calls = ToolCalls::<()>::new();
        calls.open("asked", AwaitingPermission, (), t);
        calls.open("other", Running, (), t);
        assert_eq!(moved(calls.decide("asked", PermissionDecision::DenyAndStop, at(t, 1))), (Some(Denied), None));
        assert_eq!(calls.outcome("other", Ended::Errored), Cancelled, "an error while stopping reads as cancelled");
        let ended: Vec<_> = calls.end_turn(false, at(t, 4)).into_iter().map(|e| moved(Some(e))).collect();
        assert_eq!(ended, [(Some(Cancelled), Some(4))]);
        assert!(calls.iter().next().is_none(), "finished calls are forgotten");
        assert!(!calls.stopping(), "the next turn starts afresh");
    }

    #[test]
    fn errors_read_by_what_happened_to_the_call() {
        let mut calls = ToolCalls::<()>::new();
        calls.open("x", Running, (), Instant::now());
        assert_eq!(calls.outcome("x", Ended::Errored), Failed);
        assert_eq!(calls.outcome("x", Ended::Declined), Denied);
        assert_eq!(calls.outcome("x", Ended::Interrupted), Cancelled);
        calls.refuse("x");
        assert_eq!(calls.outcome("x", Ended::Errored), Denied);
        assert_eq!(calls.outcome("x", Ended::Succeeded), Completed);
    }
}
