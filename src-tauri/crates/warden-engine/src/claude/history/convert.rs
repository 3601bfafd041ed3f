//! A transcript read into Warden's event stream, as if Warden had recorded the session.
//!
//! - Each prompt the person typed is a `userMessage` and starts a turn; the turn ends
//!   (`turnEnded`, with the tokens of its main-thread model requests) at the next prompt, at an
//!   interruption, or at the end of the file.
//! - Claude writes one line per content block; text and thinking become one chunk each
//!   (message id = the API message id, part = the block's index in it).
//! - Tool calls start `running` and end with their result: `completed`, `failed`, `denied` (the
//!   permission answer said no) or `cancelled` (interrupted).
//! - A subagent's transcript (`<session>/subagents/agent-*.jsonl`) is inserted before its tool
//!   call's result, every event nested under that call.
//! - Slash commands Claude handled alone, their output, and background-task reports become
//!   notices; Claude's own context lines (caveats, attachments, bookkeeping) are left out.
//! - A line that is not JSON, or a user, assistant or system line that does not have the
//!   expected shape, becomes an `unrecognised` event with the line.
//!
//! To show a transcript ([`read_events_to_show`]) tool outputs over a limit are left out (as the
//! stored sessions' backlog leaves them out, see [`ToolOutput::elided_bytes`]); [`read_output`]
//! reads one back by its tool call, from the one line that holds it.

use super::lines::{command_output, user_line, Line, ResultMarks, ToolResult, UserLine};
use super::transcript::{entries, subagents, subagents_dir, Entry};
use crate::claude::tools;
use crate::claude::wire::{Content, ContentBlock};
use crate::claude::{raw_output, DEFAULT_DENY_MESSAGE};
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use warden_core::session::*;

/// Reads the transcript at `path` (and its subagents' transcripts beside it) into events of
/// session `session_id`, numbered from 1. A file that cannot be read at all gives a single
/// `unrecognised` event saying why; nothing here panics on bad input.
pub fn read_events(session_id: &SessionId, path: &Path) -> Vec<SessionEvent> {
    read(session_id, path, None)
}

/// [`read_events`] for showing: tool outputs come without their structured result, and those
/// longer than `output_limit` bytes without their text too (with [`ToolOutput::elided_bytes`]
/// set); [`read_output`] reads one back whole. A long transcript is mostly tool output, which
/// made opening one slow and heavy.
pub fn read_events_to_show(session_id: &SessionId, path: &Path, output_limit: usize) -> Vec<SessionEvent> {
    read(session_id, path, Some(output_limit))
}

fn read(session_id: &SessionId, path: &Path, output_limit: Option<usize>) -> Vec<SessionEvent> {
    let fallback_ms = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as u64);
    let kinds = match std::fs::read(path) {
        Ok(bytes) => convert(&bytes, &subagents_dir(path), fallback_ms, output_limit),
        Err(e) => vec![(fallback_ms, SessionEventKind::Unrecognised(RawOutput {
            reason: format!("could not read {}: {e}", path.display()),
            text: String::new(),
            bytes: 0,
        }))],
    };
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, (at_ms, kind))| SessionEvent { session_id: session_id.clone(), seq: i as u64 + 1, at_ms, kind })
        .collect()
}

fn convert(bytes: &[u8], subagents_dir: &Path, fallback_ms: u64, output_limit: Option<usize>) -> Vec<(u64, SessionEventKind)> {
    let main = entries(bytes);
    let (blocks, unmatched) = subagents(subagents_dir, &main);
    let mut c = Converter { now_ms: fallback_ms, blocks, output_limit, ..Default::default() };
    c.project = main.iter().find_map(|e| match e {
        Entry::Line(l) => l.cwd.as_deref().map(PathBuf::from),
        Entry::Bad(_) => None,
    });
    for (i, entry) in main.iter().enumerate() {
        c.entry(entry, None, &main[i + 1..]);
    }
    c.close_turn(false);
    let mut unmatched = unmatched;
    let mut leftover: Vec<String> = c.blocks.keys().cloned().collect();
    leftover.sort();
    unmatched.extend(leftover.into_iter().map(|tool| format!("started by {tool}, which the transcript does not contain")));
    for why in unmatched {
        c.notice(NoticeLevel::Warning, format!("A subagent transcript was not shown ({why})."));
    }
    c.out
}

struct Turn {
    id: TurnId,
    started_ms: u64,
    last_ms: u64,
    usage: Usage,
    context_tokens: Option<u64>,
    stop_reason: Option<String>,
    error: Option<String>,
    cost_at_start: f64,
    cost_seen: bool,
}

struct Tool {
    started_ms: u64,
    open: bool,
}

#[derive(Default)]
struct Converter {
    out: Vec<(u64, SessionEventKind)>,
    now_ms: u64,
    project: Option<PathBuf>,
    turns: u32,
    turn: Option<Turn>,
    tools: HashMap<String, Tool>,
    /// Subagent transcripts not yet shown, by the tool call that started them.
    blocks: HashMap<String, Vec<Entry>>,
    /// Blocks seen per message id, for lines without `apiBlockIndex`.
    blocks_seen: HashMap<String, u32>,
    /// Message ids whose tokens were counted (every block line repeats them).
    counted: HashSet<String>,
    uuids: HashSet<String>,
    /// Subagent calls of the main thread waiting for their result, innermost last.
    agent_calls: Vec<String>,
    /// The session's cost so far, from Claude's `cost-state` lines.
    cost: f64,
    /// Tool outputs longer than this (bytes) are left out, when set.
    output_limit: Option<usize>,
}

impl Converter {
    fn emit(&mut self, kind: SessionEventKind) {
        if let Some(turn) = &mut self.turn {
            turn.last_ms = turn.last_ms.max(self.now_ms);
        }
        self.out.push((self.now_ms, kind));
    }

    fn notice(&mut self, level: NoticeLevel, text: String) {
        self.emit(SessionEventKind::Notice(SessionNotice { level, text }));
    }

    /// `parent` is the subagent call an entry of a subagent transcript runs under; `rest` is what
    /// follows in the same transcript (to tell a slash command the model answered from one it
    /// did not).
    fn entry(&mut self, entry: &Entry, parent: Option<&str>, rest: &[Entry]) {
        let line = match entry {
            Entry::Bad(raw) => return self.emit(SessionEventKind::Unrecognised(raw.clone())),
            Entry::Line(line) => line,
        };
        if let Some(uuid) = &line.uuid {
            // A resumed or forked session can repeat lines; show each once.
            if !self.uuids.insert(uuid.clone()) {
                return;
            }
        }
        if let Some(ms) = line.at_ms() {
            self.now_ms = ms;
        }
        // Old CLIs wrote subagent lines into the main transcript; they belong to the open
        // subagent call, when there is one.
        let inline_parent = (parent.is_none() && line.sidechain()).then(|| self.open_subagent()).flatten();
        let parent = parent.map(str::to_owned).or(inline_parent);
        let main_thread = parent.is_none() && !line.sidechain();
        match line.kind.as_str() {
            "user" => self.user(line, main_thread, rest),
            "assistant" => self.assistant(line, parent, main_thread),
            "system" => self.system(line),
            "cost-state" => {
                if let Some(total) = line.total_cost_usd {
                    self.cost = total;
                    if let Some(turn) = &mut self.turn {
                        turn.cost_seen = true;
                    }
                }
            }
            _ => {}
        }
    }

    fn user(&mut self, line: &Line, main_thread: bool, rest: &[Entry]) {
        match user_line(line) {
            UserLine::ToolResults { results, text, interrupted } => {
                // The structured result belongs to the line's first result.
                let mut structured = line.tool_use_result.as_deref();
                for result in results {
                    let raw = structured.take();
                    self.tool_result(line, result, raw);
                }
                if !text.is_empty() && main_thread {
                    self.notice(NoticeLevel::Info, text);
                }
                if interrupted && main_thread {
                    self.close_turn(true);
                }
            }
            // A subagent's first line is its task, already shown as the call's input.
            _ if !main_thread => {}
            UserLine::Prompt(text) => self.prompt(text),
            UserLine::Command(command) if answered(rest) => self.prompt(command),
            UserLine::Command(command) => self.notice(NoticeLevel::Info, command),
            UserLine::CommandOutput { text, error } => {
                if !text.is_empty() {
                    self.notice(if error { NoticeLevel::Warning } else { NoticeLevel::Info }, text);
                }
            }
            UserLine::Interrupted => self.close_turn(true),
            UserLine::TaskNotification { summary, tool_use_id } => {
                // A background subagent's work shows where it reported back.
                if let Some((id, block)) = tool_use_id.and_then(|id| self.blocks.remove_entry(&id)) {
                    self.block(&id, &block);
                }
                self.notice(NoticeLevel::Info, format!("Background task: {summary}"));
            }
            UserLine::Hidden => {}
        }
    }

    fn prompt(&mut self, text: String) {
        self.close_turn(false);
        self.turns += 1;
        let id = TurnId(self.turns);
        self.turn = Some(Turn {
            id,
            started_ms: self.now_ms,
            last_ms: self.now_ms,
            usage: Usage::default(),
            context_tokens: None,
            stop_reason: None,
            error: None,
            cost_at_start: self.cost,
            cost_seen: false,
        });
        self.emit(SessionEventKind::UserMessage(UserMessage { turn: id, text, origin: MessageOrigin::Person, attachments: Vec::new() }));
    }

    fn assistant(&mut self, line: &Line, parent: Option<String>, main_thread: bool) {
        let Some(message) = &line.message else { return };
        let message_id = message.id.clone().or_else(|| line.uuid.clone()).unwrap_or_else(|| format!("message-{}", self.out.len()));
        if main_thread {
            if let Some(turn) = &mut self.turn {
                if let Some(usage) = &message.usage {
                    if self.counted.insert(message_id.clone()) {
                        turn.usage.input_tokens += usage.input_tokens;
                        turn.usage.output_tokens += usage.output_tokens;
                        turn.usage.cache_read_tokens += usage.cache_read_input_tokens;
                        turn.usage.cache_creation_tokens += usage.cache_creation_input_tokens;
                    }
                    // Messages the CLI makes up itself (API errors) report no tokens at all.
                    if usage.context_tokens() > 0 {
                        turn.context_tokens = Some(usage.context_tokens());
                    }
                }
                turn.stop_reason = message.stop_reason.clone();
                turn.error = None;
            }
        }
        let blocks: Vec<&ContentBlock> = match &message.content {
            Content::Text(text) => {
                self.chunk(false, &message_id, line.api_block_index.unwrap_or(0), &parent, text);
                Vec::new()
            }
            Content::Blocks(blocks) => blocks.iter().collect(),
        };
        for (i, block) in blocks.into_iter().enumerate() {
            let seen = self.blocks_seen.entry(message_id.clone()).or_default();
            let part = line.api_block_index.map_or(*seen, |b| b + i as u32);
            *seen += 1;
            match block {
                ContentBlock::Text { text } => {
                    if main_thread && line.is_api_error_message == Some(true) {
                        if let Some(turn) = &mut self.turn {
                            turn.error = Some(text.clone());
                        }
                    }
                    self.chunk(false, &message_id, part, &parent, text)
                }
                ContentBlock::Thinking { thinking } => self.chunk(true, &message_id, part, &parent, thinking),
                ContentBlock::ToolUse { id, name, input } | ContentBlock::ServerToolUse { id, name, input } => {
                    self.tool_use(id, name, input, &parent)
                }
                ContentBlock::ToolResult { .. } | ContentBlock::Other => {}
            }
        }
    }

    fn chunk(&mut self, thought: bool, message_id: &str, part: u32, parent: &Option<String>, text: &str) {
        if text.is_empty() {
            return;
        }
        let chunk = MessageChunk {
            message_id: MessageId(message_id.to_owned()),
            part,
            parent: parent.clone().map(ToolCallId),
            text: text.to_owned(),
        };
        self.emit(if thought { SessionEventKind::AgentThoughtChunk(chunk) } else { SessionEventKind::AgentMessageChunk(chunk) });
    }

    fn tool_use(&mut self, id: &str, name: &str, input: &Value, parent: &Option<String>) {
        if self.tools.contains_key(id) {
            return;
        }
        let project = self.project.clone().unwrap_or_default();
        let (kind, title, locations) = tools::describe(name, input, &project);
        self.tools.insert(id.to_owned(), Tool { started_ms: self.now_ms, open: true });
        if matches!(name, "Task" | "Agent") && parent.is_none() {
            self.agent_calls.push(id.to_owned());
        }
        self.emit(SessionEventKind::ToolCall(ToolCall {
            id: ToolCallId(id.to_owned()),
            parent: parent.clone().map(ToolCallId),
            name: name.to_owned(),
            kind,
            title,
            input: tools::input(name, input),
            raw_input: input.clone(),
            locations,
            status: ToolCallStatus::Running,
        }));
        if name == "TodoWrite" {
            if let Some(entries) = tools::todo_list(input) {
                self.emit(SessionEventKind::Plan(Plan { entries }));
            }
        }
    }

    fn tool_result(&mut self, line: &Line, result: ToolResult<'_>, raw_output_value: Option<&RawValue>) {
        let id = result.tool_use_id;
        // A subagent's own work is shown before what it handed back; one started in the
        // background hands back at once and reports later (see the task notification).
        let background = ResultMarks::of(raw_output_value).background();
        if !background {
            if let Some(block) = self.blocks.remove(id) {
                self.block(id, &block);
            }
        }
        let text = result.content.map(|c| c.text()).unwrap_or_default();
        let Some(tool) = self.tools.get_mut(id) else {
            let why = format!("result of tool call {id}, which the transcript does not contain");
            return self.emit(SessionEventKind::Unrecognised(raw_output(why, text.as_bytes())));
        };
        if !tool.open {
            return;
        }
        tool.open = false;
        let duration_ms = self.now_ms.saturating_sub(tool.started_ms);
        let denied = line.tool_denial_kind.is_some()
            || line.permission_decision.as_ref().and_then(|d| d.get("decision")).and_then(Value::as_str) == Some("reject")
            || text.contains("The user doesn't want to proceed with this tool use")
            || text == DEFAULT_DENY_MESSAGE;
        let status = match (result.is_error, denied) {
            (false, _) => ToolCallStatus::Completed,
            (true, true) => ToolCallStatus::Denied,
            (true, false) if text.contains("[Request interrupted by user") => ToolCallStatus::Cancelled,
            (true, false) => ToolCallStatus::Failed,
        };
        self.agent_calls.retain(|a| a != id);
        self.emit(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId(id.to_owned()),
            status: Some(status),
            output: Some(output(text, raw_output_value, self.output_limit)),
            duration_ms: Some(duration_ms),
            ..Default::default()
        }));
    }

    /// The entries of the subagent started by tool call `tool`, nested under it.
    fn block(&mut self, tool: &str, block: &[Entry]) {
        let saved = self.now_ms;
        for (i, entry) in block.iter().enumerate() {
            self.entry(entry, Some(tool), &block[i + 1..]);
        }
        self.now_ms = self.now_ms.max(saved);
    }

    fn system(&mut self, line: &Line) {
        let content = Line::text_field(&line.content);
        match line.subtype.as_deref() {
            Some("compact_boundary") => {
                let meta = line.compact_metadata.as_ref();
                let trigger = meta.and_then(|m| m.get("trigger")).and_then(Value::as_str).unwrap_or("auto");
                let tokens = meta.and_then(|m| m.get("preTokens")).and_then(Value::as_u64);
                let at = tokens.map(|t| format!(" at {t} tokens")).unwrap_or_default();
                self.notice(NoticeLevel::Info, format!("Conversation compacted ({trigger}){at}"));
            }
            _ => {
                let Some(text) = content else { return };
                let warning = matches!(line.level.as_deref(), Some("warning" | "error")) || line.subtype.as_deref() == Some("api_error");
                let level = if warning { NoticeLevel::Warning } else { NoticeLevel::Info };
                match command_output(text) {
                    Some(UserLine::CommandOutput { text, error }) if !text.is_empty() => {
                        self.notice(if error { NoticeLevel::Warning } else { level }, text)
                    }
                    Some(_) => {}
                    None => self.notice(level, crate::claude::adapter::strip_ansi(text)),
                }
            }
        }
    }

    /// The innermost subagent call of the main thread still waiting for its result.
    fn open_subagent(&self) -> Option<String> {
        self.agent_calls.last().cloned()
    }

    /// Ends the open turn; its unfinished tool calls end `cancelled` when it was interrupted,
    /// `failed` otherwise (the session ended before they returned).
    fn close_turn(&mut self, interrupted: bool) {
        // Subagents that never handed back or reported: their work still belongs to this turn.
        let mut pending: Vec<(u64, String)> =
            self.tools.iter().filter(|(id, _)| self.blocks.contains_key(*id)).map(|(id, t)| (t.started_ms, id.clone())).collect();
        pending.sort();
        for (_, id) in pending {
            if let Some(block) = self.blocks.remove(&id) {
                self.block(&id, &block);
            }
        }
        let mut open: Vec<(String, u64)> =
            self.tools.iter().filter(|(_, t)| t.open).map(|(id, t)| (id.clone(), t.started_ms)).collect();
        open.sort_by_key(|(id, started)| (*started, id.clone()));
        for (id, started) in open {
            if let Some(tool) = self.tools.get_mut(&id) {
                tool.open = false;
            }
            let status = if interrupted { ToolCallStatus::Cancelled } else { ToolCallStatus::Failed };
            self.emit(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
                id: ToolCallId(id),
                status: Some(status),
                duration_ms: Some(self.now_ms.saturating_sub(started)),
                ..Default::default()
            }));
        }
        self.agent_calls.clear();
        let Some(turn) = self.turn.take() else { return };
        let stop_reason = if interrupted {
            StopReason::Cancelled
        } else if turn.error.is_some() {
            StopReason::Error
        } else {
            match turn.stop_reason.as_deref() {
                Some("max_tokens") => StopReason::MaxTokens,
                Some("refusal") => StopReason::Refusal,
                _ => StopReason::EndTurn,
            }
        };
        let cost_usd = turn.cost_seen.then(|| (self.cost - turn.cost_at_start).max(0.0));
        // The turn ended with its last event, not when the next prompt came.
        self.out.push((turn.last_ms, SessionEventKind::TurnEnded(TurnEnded {
            turn: turn.id,
            stop_reason,
            error: if interrupted { None } else { turn.error },
            duration_ms: turn.last_ms.saturating_sub(turn.started_ms),
            usage: turn.usage,
            cost_usd,
            session_cost_usd: self.cost,
            context_tokens: turn.context_tokens,
            // Transcripts do not record the model's window.
            context_window: None,
        })));
    }
}

/// Whether the model answers before the person says anything else: a slash command that is
/// followed by an assistant line was a prompt (a custom command), one that is not was handled
/// by Claude alone (`/usage`, `/rename`).
fn answered(rest: &[Entry]) -> bool {
    for entry in rest {
        let Entry::Line(line) = entry else { continue };
        match line.kind.as_str() {
            "assistant" if !line.sidechain() => return true,
            "user" if !line.sidechain() && line.is_meta != Some(true) => return false,
            "system" => return false,
            _ => {}
        }
    }
    false
}

/// A tool's output as an event carries it: whole, or, to show (`limit` set), without its
/// structured result, and without its text too when that is longer than `limit`. The window never
/// shows the structured result, and it is often far larger than the text (a Read's or an Edit's
/// holds the whole file): 5.4 of the 21 MB a 20,000-line transcript sent were such results.
fn output(text: String, raw: Option<&RawValue>, limit: Option<usize>) -> ToolOutput {
    match limit {
        Some(limit) if text.len() > limit => ToolOutput { text: String::new(), raw_output: None, elided_bytes: Some(text.len() as u64) },
        Some(_) => ToolOutput::new(text, None),
        None => ToolOutput::new(text, raw.and_then(|r| serde_json::from_str::<Value>(r.get()).ok())),
    }
}

/// The output of tool call `tool_call_id` in the transcript at `path` (or in one of its
/// subagents' transcripts), as [`read_events`] gives it, read from the one line that holds it:
/// the first tool result for that call. `None` when there is none.
pub fn read_output(path: &Path, tool_call_id: &str) -> Option<ToolOutput> {
    let needle = format!("\"tool_use_id\":{}", serde_json::to_string(tool_call_id).ok()?);
    let in_file = |file: &Path| std::fs::read(file).ok().and_then(|bytes| output_in(&bytes, &needle, tool_call_id));
    if let Some(found) = in_file(path) {
        return Some(found);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(subagents_dir(path))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    files.iter().find_map(|f| in_file(f))
}

/// The first line of `bytes` holding `needle` whose user message has a result for `id`.
fn output_in(bytes: &[u8], needle: &str, id: &str) -> Option<ToolOutput> {
    // Transcripts are UTF-8; a damaged byte only changes the line it is in.
    let text = String::from_utf8_lossy(bytes);
    let mut from = 0;
    while let Some(at) = text[from..].find(needle).map(|i| from + i) {
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        from = end;
        let Ok(line) = serde_json::from_str::<Line>(text[start..end].trim()) else { continue };
        if line.kind != "user" || line.message.is_none() {
            continue;
        }
        let UserLine::ToolResults { results, .. } = user_line(&line) else { continue };
        let Some(index) = results.iter().position(|r| r.tool_use_id == id) else { continue };
        let text = results[index].content.map(|c| c.text()).unwrap_or_default();
        let raw = if index == 0 { line.tool_use_result.as_deref() } else { None };
        return Some(output(text, raw, None));
    }
    None
}
