//! Tasks and the task gate, as events of the session stream.
//!
//! A task is the person's prompt plus every feedback round Warden sends for it, until the gate
//! passes, the person accepts the work as it is, stops it, or the round limit is hit. When the
//! agent ends a turn of the task by itself (a candidate for done), the configured checks run,
//! the gate decides, and feedback may go back to the agent as a new turn. These are the typed
//! events of that loop (`taskStarted` … `taskFinished`), stored and shown like every other.

use super::ids::TurnId;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::fmt;

/// A task within its session: the number of the turn the person's prompt started. Unique in
/// the session and the same after a restart, since turns are numbered across restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct TaskId(pub u32);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Who a prompt comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MessageOrigin {
    /// The person wrote it.
    #[default]
    Person,
    /// Warden sent the checks' feedback: never shown as the person's words.
    Feedback,
    /// The person's words sent into the running turn (a steer): they start no turn.
    Steer,
}

/// A task began with the person's prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskStarted {
    /// The task.
    pub task: TaskId,
    /// Its first turn (the person's prompt).
    pub turn: TurnId,
}

/// The agent ended a turn of the task by itself: a candidate for done, the gate runs next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskCompleted {
    /// The task.
    pub task: TaskId,
    /// The turn that ended.
    pub turn: TurnId,
    /// The round (1 is the person's own turn, each feedback turn adds one).
    pub round: u32,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FindingSeverity {
    /// A failed test, a compile or type error.
    Error,
    /// Reported, never blocking on its own.
    Warning,
}

/// One problem a check reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// How bad.
    pub severity: FindingSeverity,
    /// What failed: a test's name, an error's code and message.
    pub title: String,
    /// The tool's own explanation.
    pub body: String,
    /// The file it points at, as the tool printed it.
    pub file: Option<String>,
    /// The line in `file`, 1-based.
    pub line: Option<u32>,
}

/// Test counts of a check, when its parser reads them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TestCounts {
    /// Tests that passed.
    pub passed: u32,
    /// Tests that failed.
    pub failed: u32,
    /// Tests skipped or ignored.
    pub ignored: u32,
}

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum CheckOutcome {
    /// It passed.
    Passed,
    /// It ran and reported failures: the agent's work is not done.
    Failed,
    /// It could not give a verdict (not found, timed out, cancelled, parser failed): an
    /// infrastructure problem, never sent to the agent.
    Error {
        /// Why, in words.
        reason: String,
    },
    /// It did not run (a check it comes `after` did not pass; it is switched off).
    Skipped {
        /// Why.
        reason: String,
    },
    /// It comes from the project's checks file, which the person has not trusted as it is: it
    /// never runs and is always shown as such.
    NotTrusted {
        /// Why, and what to do.
        reason: String,
    },
}

impl CheckOutcome {
    /// The lower-case word for text output: passed, failed, error, skipped, not trusted.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Error { .. } => "error",
            Self::Skipped { .. } => "skipped",
            Self::NotTrusted { .. } => "not trusted",
        }
    }
}

/// A check of the task started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckStarted {
    /// The task.
    pub task: TaskId,
    /// The round it checks.
    pub round: u32,
    /// The check's id in the configuration.
    pub check: String,
    /// Whether its failure blocks the gate.
    pub gate: bool,
    /// Why it runs (its filters that matched; empty when it has none).
    pub why: Vec<String>,
    /// The log its output streams to while it runs (readable before it ends); `None` in
    /// events stored before logs were announced at the start.
    #[serde(default)]
    pub log_path: Option<String>,
    /// A side run (a `task.started`, `tool.completed` or `files.changed` trigger, or an async
    /// check): reported, never part of the round's verdict.
    #[serde(default)]
    pub side: bool,
}

/// A check of the task ended (or was decided not to run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckFinished {
    /// The task.
    pub task: TaskId,
    /// The round it checked.
    pub round: u32,
    /// The check's id.
    pub check: String,
    /// Whether its failure blocks the gate.
    pub gate: bool,
    /// How it ended.
    pub outcome: CheckOutcome,
    /// Its exit code, when it ran and exited.
    pub exit_code: Option<i32>,
    /// How long it ran.
    pub duration_ms: u64,
    /// Test counts, when its parser reads them.
    pub counts: Option<TestCounts>,
    /// What its parser found.
    pub findings: Vec<Finding>,
    /// Its stored output.
    pub log_path: Option<String>,
    /// Why it ran (or why not).
    pub why: Vec<String>,
    /// A side run (see [`CheckStarted::side`]).
    #[serde(default)]
    pub side: bool,
}

/// The gate's verdict on a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum GateVerdict {
    /// Every gating check passed (or none ran).
    Passed,
    /// A gating check failed.
    Blocked,
    /// Blocked, and no more automatic rounds: the round limit, or the same failures twice.
    Exhausted,
}

/// What follows a gate decision, so a consumer (`warden run`, the window) knows whether to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum GateNext {
    /// The task finishes (`taskFinished` follows).
    TaskFinishes,
    /// Feedback goes to the agent at once (`feedbackSent` follows).
    FeedbackSent,
    /// Feedback is proposed (`feedbackProposed` follows) and waits for the person.
    FeedbackProposed,
    /// Nothing is proposed (feedback `never`, or a check that could not run blocks): the task
    /// waits for the person to accept it, re-run its checks or send a new prompt.
    WaitsForPerson,
}

/// The gate decided a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GateDecided {
    /// The task.
    pub task: TaskId,
    /// The round.
    pub round: u32,
    /// The verdict.
    pub verdict: GateVerdict,
    /// What follows.
    pub next: GateNext,
    /// Why, in words, when it is not obvious (exhausted: which limit).
    pub reason: Option<String>,
}

/// A finding of a failed check, as feedback carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckFinding {
    /// The check that reported it.
    pub check: String,
    /// The finding.
    pub finding: Finding,
}

/// Warden proposes feedback and waits for the person to send, edit or dismiss it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackProposed {
    /// The task.
    pub task: TaskId,
    /// The round whose checks failed.
    pub round: u32,
    /// The message that would be sent.
    pub text: String,
    /// The findings it is made of.
    pub findings: Vec<CheckFinding>,
}

/// Feedback went to the agent as a new turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackSent {
    /// The task.
    pub task: TaskId,
    /// The round the feedback starts (the failed round plus one).
    pub round: u32,
    /// The turn that carries it.
    pub turn: TurnId,
    /// What was sent.
    pub text: String,
    /// Sent without asking (`feedback = "auto"`).
    pub auto: bool,
}

/// The person dismissed the proposed feedback (the task stays blocked until accepted, re-run
/// or replaced by a new prompt).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackDismissed {
    /// The task.
    pub task: TaskId,
    /// The round whose feedback was dismissed.
    pub round: u32,
}

/// How a task ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TaskOutcome {
    /// The gate passed.
    Passed,
    /// The person accepted the work as it is, with failing checks (or moved on to a new
    /// prompt while feedback waited).
    AcceptedWithFindings,
    /// No more automatic rounds and the gate did not pass.
    Exhausted,
    /// Stopped or interrupted.
    Stopped,
    /// A turn failed (an error, a refusal, the output limit) or the agent exited.
    Failed,
}

impl TaskOutcome {
    /// Whether the gate let the work through (passed).
    pub fn passed(self) -> bool {
        self == Self::Passed
    }
}

/// A task ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskFinished {
    /// The task.
    pub task: TaskId,
    /// How.
    pub outcome: TaskOutcome,
    /// Rounds it took (1 when no feedback was sent).
    pub rounds: u32,
}

/// A feedback decision of the person, as the window and `warden run` send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FeedbackDecision {
    /// Send the (possibly edited) feedback to the agent.
    Send,
    /// Do not send it; the task stays blocked.
    Dismiss,
    /// Accept the work as it is: the task finishes as accepted with findings.
    Accept,
}

#[cfg(test)]
mod tests {
    use super::super::event::{SessionEventKind, UserMessage};
    use super::*;

    #[test]
    fn prompts_stored_before_origins_read_as_the_persons() {
        let stored = r#"{"type":"userMessage","data":{"turn":2,"text":"hi"}}"#;
        let SessionEventKind::UserMessage(m) = serde_json::from_str(stored).expect("an old event reads") else { panic!() };
        assert_eq!(m, UserMessage { turn: TurnId(2), text: "hi".into(), origin: MessageOrigin::Person, attachments: Vec::new() });
    }

    #[test]
    fn check_outcomes_are_tagged_by_status() {
        let json = serde_json::to_string(&CheckOutcome::Error { reason: "not found".into() }).expect("serializes");
        assert_eq!(json, r#"{"status":"error","reason":"not found"}"#);
        let back: CheckOutcome = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back.label(), "error");
    }
}
