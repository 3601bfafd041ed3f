//! Claude Code's own stored conversations of a project, as Warden offers them for viewing and
//! import.
//!
//! Claude Code keeps every session's transcript in its configuration folder, whether it was run
//! in a terminal, by another front end or by Warden. The window lists the ones Warden does not
//! hold yet, shows them read-only, and imports one to continue it as a Warden session.

use super::SessionEvent;
use serde::{Deserialize, Serialize};
use specta::Type;

/// One Claude Code session found on disk for a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClaudeHistoryEntry {
    /// Claude's session id (the transcript's file name). Importing it makes it the Warden
    /// session id too, so resuming runs `claude --resume=<id>`.
    pub agent_session_id: String,
    /// What to call it: the name the person gave it in Claude (`/rename`), else Claude's
    /// generated title or summary, else the first prompt, shortened; empty when the transcript
    /// has none of these.
    pub title: String,
    /// The first prompt, shortened to one line, when there is one.
    pub first_prompt: Option<String>,
    /// Milliseconds since the Unix epoch of the first entry (the file's modification time when
    /// no entry carries a time).
    pub created_ms: u64,
    /// Milliseconds since the Unix epoch of the last entry (or the file's modification time).
    pub updated_ms: u64,
    /// Prompts the person typed (slash commands, tool results and Claude's own notes excluded).
    pub prompts: u32,
    /// Size of the transcript file in bytes.
    pub bytes: u64,
    /// Set when the transcript could not be read; the other fields are then partial.
    pub error: Option<String>,
}

/// A Claude Code session read to show read-only: its events, with the long chat texts far from
/// the end sent without their text, so a long session opens fast; the window reads those texts
/// back in pages as their rows come into view (`claude_history_texts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ClaudeHistoryView {
    /// The session's events, numbered from 1, as `claude_history_events` always sent them, but
    /// for the texts named in `elided_texts` (empty) and large tool outputs (see
    /// `ToolOutput::elided_bytes`).
    pub events: Vec<SessionEvent>,
    /// Which state of the transcript files these events were read from (their sizes and
    /// modification times): texts are read back only from the same state.
    pub snapshot: String,
    /// The agent message and thinking chunks sent with an empty text, in `seq` order.
    pub elided_texts: Vec<ElidedText>,
}

/// A chat text left out of a [`ClaudeHistoryView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ElidedText {
    /// The event (an agent message or thinking chunk) whose text was left out.
    pub seq: u64,
    /// The text's length in bytes (UTF-8).
    pub bytes: u64,
}

/// A chat text read back for a [`ClaudeHistoryView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryText {
    /// The event whose text this is.
    pub seq: u64,
    /// The whole text.
    pub text: String,
}
