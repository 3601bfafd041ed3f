//! Codex's thread items as they stream: messages and reasoning become text chunks, commands,
//! file changes, MCP calls and web searches become tool calls whose status and output follow
//! the item's life (`item/started`, deltas, `item/completed`).

use super::adapter::{notice, raw, CodexAdapter};
use super::tools::{self, Described};
use super::wire::*;
use crate::adapter::Output;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use warden_core::session::*;

/// How often a running command's output is re-sent while it streams (each update carries the
/// whole output so far).
const OUTPUT_EVERY: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub(super) struct ToolState {
    pub status: ToolCallStatus,
    started: Instant,
    /// Output streamed so far.
    output: String,
    last_sent: Option<Instant>,
    pub described: Described,
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
                    input: arguments.clone(),
                    locations: Vec::new(),
                },
            ),
            Item::DynamicToolCall { id, tool, arguments, .. } => (
                id,
                Described {
                    name: tool.clone(),
                    kind: ToolKind::Other,
                    title: tool.clone(),
                    input: arguments.clone(),
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
                    input: json!({"query": query, "codex": raw_item}),
                    locations: Vec::new(),
                },
            ),
            Item::ImageView { id, path } => (
                id,
                Described {
                    name: "ViewImage".into(),
                    kind: ToolKind::Read,
                    title: format!("View {}", tools::display_path(std::path::Path::new(path), &self.project)),
                    input: json!({"path": path}),
                    locations: vec![ToolLocation { path: path.clone(), line: None }],
                },
            ),
            _ => return None,
        };
        Some((described.0.clone(), described.1))
    }

    pub(super) fn open_tool(&mut self, id: String, described: Described, now: Instant, out: &mut Vec<Output>) {
        if self.tools.contains_key(&id) {
            return;
        }
        out.push(Output::Event(SessionEventKind::ToolCall(ToolCall {
            id: ToolCallId(id.clone()),
            parent: None,
            name: described.name.clone(),
            kind: described.kind,
            title: described.title.clone(),
            raw_input: described.input.clone(),
            locations: described.locations.clone(),
            status: ToolCallStatus::Running,
        })));
        let state = ToolState { status: ToolCallStatus::Running, started: now, output: String::new(), last_sent: None, described };
        self.tools.insert(id, state);
    }

    pub(super) fn output_delta(&mut self, id: &str, delta: &str, now: Instant, out: &mut Vec<Output>) {
        let Some(state) = self.tools.get_mut(id) else { return };
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
                self.set_status(&id, item_status(&status), Some(output), now, out);
            }
            Item::FileChange { id, changes, status } => {
                let streamed = self.tools.get(&id).map(|s| s.output.clone()).unwrap_or_default();
                let text = if streamed.is_empty() { tools::patch_summary(&changes) } else { streamed };
                self.set_status(&id, item_status(&status), Some(ToolOutput::new(text, None)), now, out);
            }
            Item::McpToolCall { id, status, result, error, .. } => {
                let output = match (error, result) {
                    (Some(e), _) => ToolOutput::new(e.message, None),
                    (None, Some(r)) => ToolOutput::new(content_text(&r.content), r.structured_content),
                    (None, None) => ToolOutput::new(String::new(), None),
                };
                self.set_status(&id, item_status(&status), Some(output), now, out);
            }
            Item::DynamicToolCall { id, status, success, .. } => {
                let status = if success == Some(false) { ToolCallStatus::Failed } else { item_status(&status) };
                self.set_status(&id, status, None, now, out);
            }
            Item::WebSearch { id, .. } | Item::ImageView { id, .. } => self.set_status(&id, ToolCallStatus::Completed, None, now, out),
            Item::ContextCompaction => out.push(notice(NoticeLevel::Info, "Codex compacted the conversation.".into())),
            Item::UserMessage | Item::HookPrompt | Item::FunctionCallOutput | Item::EnteredReviewMode | Item::ExitedReviewMode => {}
            Item::Other => {
                let kind = holder.item.get("type").and_then(Value::as_str).unwrap_or("?");
                out.push(raw(format!("a Codex item Warden does not show yet ('{kind}')")));
            }
        }
    }

    /// Moves a call to `status` (a stale or backwards change is dropped).
    pub(super) fn set_status(&mut self, id: &str, status: ToolCallStatus, output: Option<ToolOutput>, now: Instant, out: &mut Vec<Output>) {
        let Some(state) = self.tools.get_mut(id) else { return };
        if !state.status.can_become(status) {
            return;
        }
        state.status = status;
        let duration_ms = status.is_terminal().then(|| now.saturating_duration_since(state.started).as_millis() as u64);
        out.push(Output::Event(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId(id.to_owned()),
            status: Some(status),
            output,
            duration_ms,
            ..Default::default()
        })));
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

/// A command, file change or MCP call status as a tool call status.
fn item_status(status: &str) -> ToolCallStatus {
    match status {
        "completed" => ToolCallStatus::Completed,
        "declined" => ToolCallStatus::Denied,
        "inProgress" => ToolCallStatus::Running,
        _ => ToolCallStatus::Failed,
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
