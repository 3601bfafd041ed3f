//! Codex's thread items as they stream: messages and reasoning become text chunks, commands,
//! file changes, MCP calls and web searches become tool calls whose status and output follow
//! the item's life (`item/started`, deltas, `item/completed`).

use super::adapter::{raw, CodexAdapter};
use super::tools::{self, Described};
use super::wire::*;
use crate::adapter::{notice, Output};
use crate::tool_calls::Ended;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use warden_core::session::*;

/// How often a running command's output is re-sent while it streams (each update carries the
/// whole output so far).
const OUTPUT_EVERY: Duration = Duration::from_millis(250);

/// What the adapter keeps about a call besides its status and clock (which the tracker keeps).
#[derive(Debug)]
pub(super) struct CodexCall {
    /// Output streamed so far.
    output: String,
    last_sent: Option<Instant>,
    pub described: Described,
    /// Whether the file journal was told the call's start ([`Output::ToolWaits`]), which is
    /// told once even when Codex asks again (a command retried outside its sandbox).
    pub journaled: bool,
}

impl CodexAdapter {
    pub(super) fn text(&mut self, kind: PartKind, message: String, part: u32, delta: &str, out: &mut Vec<Output>) {
        if delta.is_empty() {
            return;
        }
        self.streamed.entry((message.clone(), part)).or_default().push_str(delta);
        out.push(chunk(kind, message, part, delta.to_owned()));
    }

    /// A message's complete text: whatever of it did not stream.
    pub(super) fn text_done(&mut self, kind: PartKind, message: String, part: u32, full: &str, out: &mut Vec<Output>) {
        let streamed = self.streamed.remove(&(message.clone(), part)).unwrap_or_default();
        if let Some(rest) = full.strip_prefix(streamed.as_str()).filter(|r| !r.is_empty()) {
            out.push(chunk(kind, message, part, rest.to_owned()));
        }
    }

    pub(super) fn item_started(&mut self, holder: ItemHolder, now: Instant, out: &mut Vec<Output>) {
        let item = match serde_json::from_value::<Item>(holder.item.clone()) {
            Ok(item) => item,
            Err(e) => return out.push(raw(format!("could not read a Codex item: {e}"))),
        };
        if let Some((id, described)) = self.describe(&item, &holder.item) {
            self.open_tool(id, described, now, out);
        }
    }

    /// The tool call an item is, for items that are one.
    fn describe(&self, item: &Item, raw_item: &Value) -> Option<(String, Described)> {
        let described = match item {
            Item::CommandExecution { id, command, cwd, .. } => (id, tools::command(command, cwd.as_deref(), raw_item)),
            Item::FileChange { id, changes, .. } => {
                let raw_changes = raw_item.get("changes").cloned().unwrap_or(Value::Null);
                (id, tools::file_change(changes, &self.project, &raw_changes))
            }
            Item::McpToolCall { id, server, tool, arguments, .. } => (
                id,
                Described {
                    name: format!("mcp__{server}__{tool}"),
                    kind: ToolKind::Other,
                    title: format!("{server}: {tool}"),
                    input: ToolInput::other(arguments.clone()),
                    raw: arguments.clone(),
                    locations: Vec::new(),
                },
            ),
            Item::DynamicToolCall { id, tool, arguments, .. } => (
                id,
                Described {
                    name: tool.clone(),
                    kind: ToolKind::Other,
                    title: tool.clone(),
                    input: ToolInput::other(arguments.clone()),
                    raw: arguments.clone(),
                    locations: Vec::new(),
                },
            ),
            Item::WebSearch { id, query } => (
                id,
                Described {
                    name: "WebSearch".into(),
                    kind: ToolKind::Search,
                    title: if query.is_empty() {
                        "Search the web".into()
                    } else {
                        format!("Search the web for \"{}\"", tools::one_line(query, 60))
                    },
                    input: ToolInput::WebSearch { query: query.clone() },
                    raw: raw_item.clone(),
                    locations: Vec::new(),
                },
            ),
            Item::ImageView { id, path } => (
                id,
                Described {
                    name: "ViewImage".into(),
                    kind: ToolKind::Read,
                    title: format!("View {}", tools::display_path(std::path::Path::new(path), &self.project)),
                    input: ToolInput::Read { path: path.clone(), offset: None, limit: None, cwd: None },
                    raw: raw_item.clone(),
                    locations: vec![ToolLocation { path: path.clone(), line: None }],
                },
            ),
            _ => return None,
        };
        Some((described.0.clone(), described.1))
    }

    /// Announces an item as a running call (Codex reports items once they run; one it asks
    /// about first moves to awaiting permission next).
    pub(super) fn open_tool(&mut self, id: String, described: Described, now: Instant, out: &mut Vec<Output>) {
        if self.tools.contains(&id) {
            return;
        }
        let call = ToolCall {
            id: ToolCallId(id),
            parent: None,
            name: described.name.clone(),
            kind: described.kind,
            title: described.title.clone(),
            input: described.input.clone(),
            raw_input: described.raw.clone(),
            locations: described.locations.clone(),
            status: ToolCallStatus::Running,
        };
        let state = CodexCall { output: String::new(), last_sent: None, described, journaled: false };
        out.extend(self.tools.announce(call, state, now).map(Output::Event));
    }

    pub(super) fn output_delta(&mut self, id: &str, delta: &str, now: Instant, out: &mut Vec<Output>) {
        let Some(state) = self.tools.data_mut(id) else { return };
        state.output.push_str(delta);
        if state.last_sent.is_some_and(|at| now.saturating_duration_since(at) < OUTPUT_EVERY) {
            return;
        }
        state.last_sent = Some(now);
        out.push(Output::Event(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId(id.to_owned()),
            output: Some(ToolOutput::new(state.output.clone(), None)),
            ..Default::default()
        })));
    }

    pub(super) fn item_completed(&mut self, holder: ItemHolder, now: Instant, out: &mut Vec<Output>) {
        let item = match serde_json::from_value::<Item>(holder.item.clone()) {
            Ok(item) => item,
            Err(e) => return out.push(raw(format!("could not read a Codex item: {e}"))),
        };
        // An item seen only finished is still a call of the timeline.
        if let Some((id, described)) = self.describe(&item, &holder.item) {
            self.open_tool(id, described, now, out);
        }
        match item {
            Item::AgentMessage { id, text } | Item::Plan { id, text } => self.text_done(PartKind::Text, id, 0, &text, out),
            Item::Reasoning { id, summary, content } => {
                for (part, text) in summary.iter().enumerate() {
                    self.text_done(PartKind::Thought, id.clone(), part as u32, text, out);
                }
                for (part, text) in content.iter().enumerate() {
                    self.text_done(PartKind::Thought, format!("{id}:content"), part as u32, text, out);
                }
            }
            Item::CommandExecution { id, status, aggregated_output, exit_code, duration_ms, .. } => {
                let streamed = self.tools.get(&id).map(|s| s.output.clone()).unwrap_or_default();
                let text = aggregated_output.unwrap_or(streamed);
                let output = ToolOutput::new(text, Some(json!({"exitCode": exit_code, "durationMs": duration_ms, "status": status})));
                self.item_ended(&id, &status, Some(output), now, out);
            }
            Item::FileChange { id, changes, status } => {
                let streamed = self.tools.get(&id).map(|s| s.output.clone()).unwrap_or_default();
                let text = if streamed.is_empty() { tools::patch_summary(&changes) } else { streamed };
                self.item_ended(&id, &status, Some(ToolOutput::new(text, None)), now, out);
            }
            Item::McpToolCall { id, status, result, error, .. } => {
                let output = match (error, result) {
                    (Some(e), _) => ToolOutput::new(e.message, None),
                    (None, Some(r)) => ToolOutput::new(content_text(&r.content), r.structured_content),
                    (None, None) => ToolOutput::new(String::new(), None),
                };
                self.item_ended(&id, &status, Some(output), now, out);
            }
            Item::DynamicToolCall { id, status, success, .. } => {
                let status = if success == Some(false) { "failed" } else { status.as_str() };
                self.item_ended(&id, status, None, now, out);
            }
            Item::WebSearch { id, .. } | Item::ImageView { id, .. } => {
                out.extend(self.tools.finish(&id, Ended::Succeeded, now, None).map(Output::Event))
            }
            Item::ContextCompaction => out.push(notice(NoticeLevel::Info, "Codex compacted the conversation.".into())),
            Item::UserMessage | Item::HookPrompt | Item::FunctionCallOutput | Item::EnteredReviewMode | Item::ExitedReviewMode => {}
            Item::Other => {
                let kind = holder.item.get("type").and_then(Value::as_str).unwrap_or("?");
                out.push(raw(format!("a Codex item Warden does not show yet ('{kind}')")));
            }
        }
    }

    /// An item completed in Codex's `status` (`completed`, `declined`, `failed`; a stale
    /// `inProgress` only says it runs).
    fn item_ended(&mut self, id: &str, status: &str, output: Option<ToolOutput>, now: Instant, out: &mut Vec<Output>) {
        let moved = match item_ended(status) {
            Some(ended) => self.tools.finish(id, ended, now, output),
            None => self.tools.set_status(id, ToolCallStatus::Running, now, output),
        };
        out.extend(moved.map(Output::Event));
    }

}

/// Which stream a piece of text belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum PartKind {
    Text,
    Thought,
}

fn chunk(kind: PartKind, message: String, part: u32, text: String) -> Output {
    let chunk = MessageChunk { message_id: MessageId(message), part, parent: None, text };
    Output::Event(match kind {
        PartKind::Text => SessionEventKind::AgentMessageChunk(chunk),
        PartKind::Thought => SessionEventKind::AgentThoughtChunk(chunk),
    })
}

/// How a command, file change or MCP call with this status ended; `None` while it runs.
fn item_ended(status: &str) -> Option<Ended> {
    match status {
        "completed" => Some(Ended::Succeeded),
        "declined" => Some(Ended::Declined),
        "inProgress" => None,
        _ => Some(Ended::Errored),
    }
}

/// The text of an MCP result's content blocks.
fn content_text(content: &[Value]) -> String {
    content
        .iter()
        .map(|c| match c.get("text").and_then(Value::as_str) {
            Some(text) => text.to_owned(),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
