//! The lines of a Claude Code transcript, as far as Warden reads them, and what a user line is.
//!
//! Shapes were checked against transcripts Claude Code 2.1.329 wrote (`tests/fixtures/
//! claude-history/`). Every field is optional: a line of a newer or older CLI that lacks one
//! still reads.

use crate::claude::wire::{ApiMessage, Content, ContentBlock, ToolResultContent};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

/// One line of a transcript.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Line {
    /// `user`, `assistant`, `system`, or one of many bookkeeping types (`attachment`,
    /// `summary`, `custom-title`, `cost-state`, `queue-operation`, …).
    #[serde(rename = "type")]
    pub kind: String,
    pub uuid: Option<String>,
    /// RFC 3339, e.g. `2026-11-21T07:48:13.331Z`.
    pub timestamp: Option<Value>,
    pub is_sidechain: Option<bool>,
    /// Context Claude added itself (caveats, expanded commands); not something the person typed.
    pub is_meta: Option<bool>,
    /// The summary a compaction left in place of the conversation.
    pub is_compact_summary: Option<bool>,
    /// An assistant line the CLI wrote for a failed model request.
    pub is_api_error_message: Option<bool>,
    /// The Anthropic API message (user and assistant lines).
    pub message: Option<ApiMessage>,
    /// The block index of an assistant line's content in its API message.
    pub api_block_index: Option<u32>,
    /// A tool's structured result (user lines carrying tool results), kept as written: it
    /// repeats the tool's output (often tens of kilobytes), and is only read when that output is
    /// shown in full.
    pub tool_use_result: Option<Box<RawValue>>,
    /// How the permission question for a tool was answered.
    pub permission_decision: Option<Value>,
    /// Set on results of tool calls that were denied.
    pub tool_denial_kind: Option<Value>,
    /// Where a user line came from (`{"kind": "task-notification"}` for background tasks).
    pub origin: Option<Value>,
    /// `system` lines: what kind.
    pub subtype: Option<String>,
    /// `system` lines: the text.
    pub content: Option<Value>,
    /// `system` lines: `info`, `warning`, `error`.
    pub level: Option<String>,
    /// `system/compact_boundary` lines.
    pub compact_metadata: Option<Value>,
    /// `summary` lines.
    pub summary: Option<Value>,
    /// `custom-title` lines (the person's `/rename`).
    pub custom_title: Option<Value>,
    /// `ai-title` lines.
    pub ai_title: Option<Value>,
    /// `cost-state` lines: the session's cost so far, over all processes.
    #[serde(rename = "totalCostUSD")]
    pub total_cost_usd: Option<f64>,
    /// The folder the session ran in.
    pub cwd: Option<String>,
}

/// The few fields of a structured tool result the conversion looks at.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResultMarks {
    /// A subagent started in the background hands back at once.
    pub is_async: Option<bool>,
    /// `async_launched` for the same.
    pub status: Option<Value>,
    /// The subagent a tool result came from.
    pub agent_id: Option<Value>,
}

impl ResultMarks {
    /// The marks of a structured result; nothing for one that is not an object.
    pub fn of(raw: Option<&RawValue>) -> Self {
        raw.and_then(|r| serde_json::from_str(r.get()).ok()).unwrap_or_default()
    }

    /// Whether the result says the tool went on in the background.
    pub fn background(&self) -> bool {
        self.is_async == Some(true) || self.status.as_ref().and_then(Value::as_str) == Some("async_launched")
    }
}

impl Line {
    pub fn text_field(v: &Option<Value>) -> Option<&str> {
        v.as_ref().and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn sidechain(&self) -> bool {
        self.is_sidechain == Some(true)
    }

    /// The line's time in milliseconds since the Unix epoch.
    pub fn at_ms(&self) -> Option<u64> {
        self.timestamp.as_ref().and_then(Value::as_str).and_then(super::time::parse_ms)
    }

    /// The title a bookkeeping line gives the session, and how much it counts: the person's
    /// own name (3) over Claude's generated title (2) over a summary (1).
    pub fn title(&self) -> Option<(u8, &str)> {
        match self.kind.as_str() {
            "custom-title" => Self::text_field(&self.custom_title).map(|t| (3, t)),
            "ai-title" => Self::text_field(&self.ai_title).map(|t| (2, t)),
            "summary" => Self::text_field(&self.summary).map(|t| (1, t)),
            _ => None,
        }
    }
}

/// What a user line of the main conversation is.
#[derive(Debug)]
pub(super) enum UserLine<'a> {
    /// Something the person typed.
    Prompt(String),
    /// A slash command (`/usage`, `/rename x`): a prompt when the model answers it, a notice
    /// when Claude handled it alone.
    Command(String),
    /// Output of a command Claude ran itself (`/usage`) or of a `!` shell command.
    CommandOutput { text: String, error: bool },
    /// Tool results, with any other text the line carries and whether it says the person
    /// interrupted.
    ToolResults { results: Vec<ToolResult<'a>>, text: String, interrupted: bool },
    /// The person interrupted the turn.
    Interrupted,
    /// A background task reported back: what it says, and the tool call that started it.
    TaskNotification { summary: String, tool_use_id: Option<String> },
    /// Claude's own context (caveats, expanded commands, compaction summaries): not shown.
    Hidden,
}

/// One tool result block.
#[derive(Debug)]
pub(super) struct ToolResult<'a> {
    pub tool_use_id: &'a str,
    pub content: Option<&'a ToolResultContent>,
    pub is_error: bool,
}

const INTERRUPTED: &str = "[Request interrupted by user";

/// Classifies a user line of the main conversation, text block by text block as Claude's own
/// session list does: blocks that open with a tag (`<ide_selection>`, `<system-reminder>`, …)
/// are context Claude added, not words the person typed.
pub(super) fn user_line(line: &Line) -> UserLine<'_> {
    if line.is_meta == Some(true) || line.is_compact_summary == Some(true) {
        return UserLine::Hidden;
    }
    let Some(message) = &line.message else { return UserLine::Hidden };
    let mut results = Vec::new();
    let mut texts = Vec::new();
    let mut attachments = 0;
    match &message.content {
        Content::Text(text) => texts.push(text.as_str()),
        Content::Blocks(blocks) => {
            for block in blocks {
                match block {
                    ContentBlock::Text { text } => texts.push(text.as_str()),
                    ContentBlock::ToolResult { tool_use_id, content, is_error } => {
                        results.push(ToolResult { tool_use_id, content: content.as_ref(), is_error: *is_error })
                    }
                    _ => attachments += 1,
                }
            }
        }
    }
    let task = line.origin.as_ref().and_then(|o| o.get("kind")).and_then(Value::as_str) == Some("task-notification");
    let mut words = Vec::new();
    let mut special = None;
    for text in texts.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if text.starts_with(INTERRUPTED) {
            special.get_or_insert(UserLine::Interrupted);
        } else if task || text.starts_with("<task-notification>") {
            let summary = tag(text, "summary").unwrap_or("A background task reported back").to_owned();
            let tool_use_id = tag(text, "tool-use-id").map(str::to_owned);
            special.get_or_insert(UserLine::TaskNotification { summary, tool_use_id });
        } else if let Some(name) = tag(text, "command-name") {
            let args = tag(text, "command-args").unwrap_or("");
            let name = if name.starts_with('/') { name.to_owned() } else { format!("/{name}") };
            special.get_or_insert(UserLine::Command(if args.is_empty() { name } else { format!("{name} {args}") }));
        } else if let Some(output) = command_output(text) {
            special.get_or_insert(output);
        } else if !opens_with_tag(text) {
            words.push(text);
        }
    }
    if !results.is_empty() {
        let interrupted = matches!(special, Some(UserLine::Interrupted));
        return UserLine::ToolResults { results, text: words.join("\n"), interrupted };
    }
    if !words.is_empty() {
        return UserLine::Prompt(words.join("\n"));
    }
    match special {
        Some(special) => special,
        None if attachments > 0 && texts.is_empty() => UserLine::Prompt("[attachment]".to_owned()),
        None => UserLine::Hidden,
    }
}

/// Whether text starts with an XML-like tag (`<name>` or `<name attr…>`), which is how Claude
/// marks context it adds itself.
fn opens_with_tag(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else { return false };
    let mut chars = rest.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_lowercase()) {
        return false;
    }
    for c in chars {
        if c == '>' || c.is_whitespace() {
            return true;
        }
        if !(c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return false;
        }
    }
    false
}

/// Output of a local or `!` command, from the tags Claude wraps it in.
pub(super) fn command_output(text: &str) -> Option<UserLine<'static>> {
    if let Some(input) = tag(text, "bash-input") {
        return Some(UserLine::Command(format!("! {input}")));
    }
    let stdout = tag(text, "local-command-stdout").or_else(|| tag(text, "bash-stdout"));
    let stderr = tag(text, "local-command-stderr").or_else(|| tag(text, "bash-stderr"));
    if stdout.is_none() && stderr.is_none() {
        return None;
    }
    let parts: Vec<&str> = [stdout, stderr].into_iter().flatten().filter(|t| !t.trim().is_empty()).collect();
    let error = stderr.is_some_and(|t| !t.trim().is_empty());
    Some(UserLine::CommandOutput { text: crate::claude::adapter::strip_ansi(&parts.join("\n")), error })
}

/// The text between `<name>` and `</name>`, trimmed.
pub(super) fn tag<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&close).map_or(text.len(), |e| start + e);
    Some(text[start..end].trim())
}
