//! The contract between a session actor and an agent protocol.

use std::time::Instant;
use warden_core::session::{PermissionDecision, PermissionRequestId, SessionEventKind, TurnId};

/// What an adapter makes of a line of agent output.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// An event for the session's stream.
    Event(SessionEventKind),
    /// A line to write back to the agent (an answer it needs to go on).
    Send(String),
    /// The agent finished starting up and takes prompts.
    Ready,
}

/// One agent protocol spoken over stdio lines. Pure state: the actor owns the process and the
/// I/O, the adapter only translates, so every rule can be tested on recorded output.
pub trait AgentAdapter: Send {
    /// Lines to write right after the process starts.
    fn start(&mut self) -> Vec<String>;
    /// Lines that send a prompt and open turn `turn`.
    fn prompt(&mut self, turn: TurnId, text: &str, now: Instant) -> Vec<String>;
    /// Lines that ask the agent to stop the current turn (none when no turn is open).
    fn interrupt(&mut self) -> Vec<String>;
    /// Translates one line of stdout (without its newline).
    fn on_line(&mut self, line: &[u8], now: Instant) -> Vec<Output>;
    /// Answers a pending permission question: the lines to write and the events that follow
    /// from the answer. `None` when no such question is pending (already answered, withdrawn).
    fn answer(
        &mut self,
        request: &PermissionRequestId,
        decision: PermissionDecision,
        message: Option<&str>,
        now: Instant,
    ) -> Option<(Vec<String>, Vec<SessionEventKind>)>;
    /// Questions still waiting for an answer.
    fn pending_requests(&self) -> Vec<PermissionRequestId>;
    /// Whether a turn has started and not yet ended.
    fn turn_open(&self) -> bool;
}
