//! What a search over stored sessions answers, as the window sees it: a hit ([`SearchHit`])
//! names the session, the event, what kind of text matched, where the window finds it in the
//! transcript ([`SearchTarget`]) and a short excerpt with the matched words marked. The
//! engine's session store fills them (`warden_engine::store`); they live here so the IPC layer
//! can type them.

use crate::session::{MessageId, SessionId, ToolCallId};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Which text of a session matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum SearchHitKind {
    /// The person's prompt (or feedback Warden sent for them).
    Prompt,
    /// The agent's answer.
    Answer,
    /// The agent's visible reasoning.
    Thought,
    /// A tool call's title and input (the command, the file and its new text, the pattern…).
    ToolInput,
    /// What a tool returned.
    ToolOutput,
}

impl SearchHitKind {
    /// The name stored in the search index (the same as the serialised one).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prompt => "prompt",
            Self::Answer => "answer",
            Self::Thought => "thought",
            Self::ToolInput => "toolInput",
            Self::ToolOutput => "toolOutput",
        }
    }
}

impl std::str::FromStr for SearchHitKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "prompt" => Self::Prompt,
            "answer" => Self::Answer,
            "thought" => Self::Thought,
            "toolInput" => Self::ToolInput,
            "toolOutput" => Self::ToolOutput,
            other => return Err(format!("unknown search hit kind {other:?}")),
        })
    }
}

/// Where the window finds a hit in the transcript it folds from the events: the prompt of a
/// turn, a message (all the streamed pieces of one text block joined), or a tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum SearchTarget {
    /// The prompt that started turn `turn`.
    Prompt {
        /// The turn.
        turn: u32,
    },
    /// A text block of the agent's: its message, which block, the subagent call it belongs to.
    Message {
        /// The message.
        message_id: MessageId,
        /// Which text block of the message.
        part: u32,
        /// The subagent call the message belongs to, if any.
        parent: Option<ToolCallId>,
        /// Reasoning rather than the answer.
        thought: bool,
    },
    /// A tool call (its input or its output).
    Tool {
        /// The call.
        id: ToolCallId,
    },
}

/// A stretch of a text, in UTF-16 code units (as the window's strings count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TextRange {
    /// Where it starts.
    pub start: u32,
    /// Where it ends (exclusive).
    pub end: u32,
}

/// One match of a search over a project's sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// The session.
    pub session_id: SessionId,
    /// The event the matched text starts in (a message's first piece, a tool call's update
    /// that carried the output).
    pub seq: u64,
    /// Which text matched.
    pub kind: SearchHitKind,
    /// Where the window finds it in the transcript.
    pub target: SearchTarget,
    /// A short excerpt around the match, with `…` where it was cut.
    pub snippet: String,
    /// The matched words in `snippet`.
    pub matches: Vec<TextRange>,
    /// The session's title, as the session list shows it.
    pub session_title: String,
    /// When the event was recorded, in milliseconds since the Unix epoch.
    pub at_ms: u64,
}

/// How often a text occurs in one stored tool output (see `search_session_outputs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OutputMatches {
    /// The event that carried the output.
    pub seq: u64,
    /// Occurrences, ignoring case.
    pub count: u32,
}
