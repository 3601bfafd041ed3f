//! What `warden run` and `warden run --remote` make of their session's events: one reducer
//! ([`RunProgress`]) for the cost of the task so far and the events that end the run (a turn
//! that did not finish its work, the gate waiting for the person, the task finished, the agent
//! gone), and how the run's end becomes its exit code and last line. The two loops keep only
//! what differs between them: where answers go and how proposed feedback is decided.

use super::run::{GATE_NOT_PASSED, OK, TURN_FAILED};
use warden_core::session::*;

/// How the run ended.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum End {
    /// The task passed.
    Passed,
    /// The agent finished but the task gate did not pass; why.
    GateNotPassed(String),
    /// The turn did not complete; why.
    Failed(String),
}

/// The events of one run seen so far.
#[derive(Debug, Default)]
pub(super) struct RunProgress {
    /// What the run's turns cost, as the agent reports it (the run is one task).
    cost_usd: Option<f64>,
}

impl RunProgress {
    /// Takes in one event of the session; `Some` when it ends the run. Events that wait for an
    /// answer (a permission request, proposed feedback) are the caller's and give `None` here.
    pub fn on(&mut self, event: &SessionEventKind) -> Option<End> {
        match event {
            // A turn that ended by itself is followed by the gate; any other ends the run.
            SessionEventKind::TurnEnded(ended) => {
                if let Some(cost) = ended.cost_usd {
                    self.cost_usd = Some(self.cost_usd.unwrap_or(0.0) + cost);
                }
                turn_outcome(ended).err().map(End::Failed)
            }
            SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Blocked, next: GateNext::WaitsForPerson, reason, .. }) => {
                Some(End::GateNotPassed(format!(
                    "the checks did not pass{}",
                    reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
                )))
            }
            SessionEventKind::FeedbackDismissed(_) => Some(End::GateNotPassed("the checks did not pass; their feedback was dismissed".into())),
            SessionEventKind::TaskFinished(finished) => Some(task_end(finished)),
            SessionEventKind::AgentExited(exited) => Some(End::Failed(format!("the agent exited (status {})", exit_text(exited)))),
            _ => None,
        }
    }

    /// The task's cost so far, in US dollars, when the agent reported any.
    #[cfg(test)]
    pub fn cost_usd(&self) -> Option<f64> {
        self.cost_usd
    }

    /// The exit code of a run that ended with `end`, and the line saying why it did not pass
    /// (with the cost so far and `session`, which names the session and where it ran).
    pub fn verdict(&self, end: End, session: &str) -> (u8, Option<String>) {
        let cost = self.cost_usd.map(|c| format!("; the task cost ${c:.4}")).unwrap_or_default();
        match end {
            End::Passed => (OK, None),
            End::GateNotPassed(message) => (GATE_NOT_PASSED, Some(format!("{message}{cost} ({session})"))),
            End::Failed(message) => (TURN_FAILED, Some(format!("{message}{cost} ({session})"))),
        }
    }

    /// [`verdict`](Self::verdict), with its line printed on stderr; returns the exit code.
    pub fn finish(&self, end: End, session: &str) -> u8 {
        let (code, line) = self.verdict(end, session);
        if let Some(line) = line {
            eprintln!("warden: {line}");
        }
        code
    }
}

/// How a finished task ends the run.
pub(super) fn task_end(finished: &TaskFinished) -> End {
    match finished.outcome {
        TaskOutcome::Passed => End::Passed,
        TaskOutcome::Exhausted => End::GateNotPassed(format!("the checks still failed after {} round(s)", finished.rounds)),
        TaskOutcome::AcceptedWithFindings => End::GateNotPassed("the work was accepted with failing checks".into()),
        TaskOutcome::Stopped => End::Failed("the task was stopped".into()),
        TaskOutcome::Failed => End::Failed("the task failed".into()),
    }
}

/// Why a turn that ended did not finish its work, in words; `Ok` when it did.
pub(super) fn turn_outcome(ended: &TurnEnded) -> Result<(), String> {
    match ended.stop_reason {
        StopReason::EndTurn => Ok(()),
        StopReason::Cancelled => Err("the turn was interrupted".into()),
        StopReason::MaxTokens => Err("the model hit its output limit".into()),
        StopReason::MaxTurns => Err("the agent hit its turn limit".into()),
        StopReason::Refusal => Err("the model refused".into()),
        StopReason::Error => Err(ended.error.clone().unwrap_or_else(|| "the turn failed".into())),
    }
}

/// How the agent process ended, in words.
pub(super) fn exit_text(exited: &AgentExited) -> String {
    match (exited.code, exited.signal) {
        (Some(code), _) => format!("code {code}"),
        (None, Some(signal)) => format!("signal {signal}"),
        _ => "unknown".into(),
    }
}

#[cfg(test)]
#[path = "run_progress_tests.rs"]
mod tests;
