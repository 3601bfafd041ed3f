//! The values of the Terminal panel that cross to the window: a terminal's id, what to run in
//! it, what it sends and how it ended. The engine runs terminals with these same ids and exits,
//! so nothing converts between two copies.

use crate::session::{AgentKind, SessionId};
use serde::{Deserialize, Serialize};
use specta::Type;

/// A terminal of a registry. Ids are never reused while the registry lives, so a stale id finds
/// nothing rather than somebody else's shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
pub struct TerminalId(pub u64);

impl std::fmt::Display for TerminalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "term-{}", self.0)
    }
}

/// A string that is not a terminal id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a terminal id (expected term-<number>)")]
pub struct BadTerminalId(pub String);

impl std::str::FromStr for TerminalId {
    type Err = BadTerminalId;

    /// Reads the `term-7` form [`Display`](std::fmt::Display) writes (ACP's string ids).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix("term-").and_then(|n| n.parse().ok()).map(TerminalId).ok_or_else(|| BadTerminalId(s.to_owned()))
    }
}

/// How a terminal's process ended (ACP's `TerminalExitStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalExit {
    /// Its exit code, when it exited by itself.
    pub code: Option<u32>,
    /// The signal that ended it (`SIGHUP`), on Unix.
    pub signal: Option<String>,
}

impl TerminalExit {
    /// Whether it exited by itself with code 0.
    pub fn success(&self) -> bool {
        self.code == Some(0) && self.signal.is_none()
    }
}

impl std::fmt::Display for TerminalExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.signal, self.code) {
            (Some(signal), _) => write!(f, "killed by {signal}"),
            (None, Some(code)) => write!(f, "exited with code {code}"),
            (None, None) => f.write_str("exited"),
        }
    }
}

/// What a terminal sends to the window, in order; `exited` is last.
///
/// Output crosses as text, whole characters only: a string goes into xterm.js as it is, stays
/// readable in the IPC log, and costs less than base64 (+33% on every byte) except for the
/// escape character, which JSON writes as six. Bytes that are not UTF-8 arrive as U+FFFD, which
/// is what xterm.js would draw for them anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum TerminalEvent {
    /// Text the terminal printed (with its escape sequences), whole characters only.
    Output(String),
    /// The process ended.
    Exited(TerminalExit),
}

/// What to run instead of the person's shell: an agent's own interactive interface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalCommand {
    /// The agent whose interface to open (an ACP adapter opens its agent's CLI).
    pub agent: AgentKind,
    /// A Warden session of that agent to resume in it, where its CLI can resume.
    pub resume: Option<SessionId>,
}

/// A terminal that was opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalOpened {
    /// Its id for the other terminal commands.
    pub id: TerminalId,
    /// What its tab says: the shell's name, or the agent's (with "resumed" when it resumed).
    pub title: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_what_they_write_and_events_keep_their_wire_shape() {
        let id: TerminalId = "term-7".parse().unwrap();
        assert_eq!((id, id.to_string().as_str()), (TerminalId(7), "term-7"));
        assert!("7".parse::<TerminalId>().is_err() && "term-x".parse::<TerminalId>().is_err());
        let exit = TerminalEvent::Exited(TerminalExit { code: None, signal: Some("SIGHUP".into()) });
        assert_eq!(serde_json::to_value(&exit).unwrap(), serde_json::json!({ "type": "exited", "data": { "code": null, "signal": "SIGHUP" } }));
        assert_eq!(serde_json::to_value(TerminalId(3)).unwrap(), serde_json::json!(3), "a plain number for the window");
    }
}
