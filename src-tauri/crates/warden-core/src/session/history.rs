//! Claude Code's own stored conversations of a project, as Warden offers them for viewing and
//! import.
//!
//! Claude Code keeps every session's transcript in its configuration folder, whether it was run
//! in a terminal, by another front end or by Warden. The window lists the ones Warden does not
//! hold yet, shows them read-only, and imports one to continue it as a Warden session.

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
