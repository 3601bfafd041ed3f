//! Claude Code's stream-json + control protocol, translated into session events.
//!
//! [`ClaudeAdapter`] is a plain state machine with no I/O: the session actor feeds it stdout
//! lines and the person's decisions, and writes what it returns. That keeps every protocol rule
//! testable against recorded output.

use super::tools;
use super::wire::*;
use super::permissions::{POST_TOOL_HOOK, PRE_TOOL_HOOK, STOP_HOOK, STOP_HOOK_TIMEOUT_SECS};
use crate::adapter::{notice, AgentAdapter, CheckAnswer, Output, Reply, ToolCheck};
pub use crate::adapter::{raw_output, RAW_KEEP};
use crate::tool_calls::{Ended, ToolCalls};
use crate::session::prompt_input::AgentPrompt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use warden_core::session::*;


#[derive(Debug, Clone, Copy, PartialEq)]
enum PartKind {
    Text,
    Thinking,
}

#[derive(Debug)]
struct Part {
    kind: PartKind,
    text: String,
    /// The content block index while streaming.
    stream_index: Option<u32>,
    /// Whether the complete block arrived (later blocks of the same kind are new parts).
    complete: bool,
}

#[derive(Debug)]
pub(super) struct PendingPermission {
    pub(super) tool_name: String,
    pub(super) input: Value,
    pub(super) tool_use_id: Option<String>,
}

/// Translates one Claude Code process's output.
#[derive(Debug)]
pub struct ClaudeAdapter {
    pub(super) project: PathBuf,
    turn: Option<(TurnId, Instant)>,
    last_turn: TurnId,
    /// Text parts per message id, for merging streamed deltas with complete blocks.
    parts: HashMap<String, Vec<Part>>,
    /// The message being streamed, per subagent (None = main thread).
    streaming: HashMap<Option<String>, String>,
    /// Every call of the turn: status and clock (see [`crate::tool_calls`]).
    pub(super) tools: ToolCalls,
    plan: Vec<PlanEntry>,
    /// TaskCreate calls waiting for the id their result carries.
    task_creates: HashMap<String, PlanEntry>,
    pub(super) permissions: HashMap<String, PendingPermission>,
    /// What the session had cost before this process started.
    cost_before: f64,
    /// What the session has cost so far, this process included.
    session_cost: f64,
    /// Added to Claude's cumulative cost, decided at the first result: 0 when Claude counts on
    /// from the session's earlier cost (it does after `--resume`), `cost_before` when it counts
    /// from zero.
    cost_offset: Option<f64>,
    interrupting: bool,
    agent_session_id: Option<String>,
    next_request: u64,
    /// Context size and model of the turn's last main-thread model request.
    context: Option<(u64, Option<String>)>,
    /// The permission mode Warden last started or switched Claude in (Claude's spelling), once
    /// known; a mode Claude reports otherwise was not the person's doing.
    pub(super) claude_mode: Option<String>,
    /// The `Stop` hook waiting for Warden's answer (see [`super::permissions::STOP_HOOK`]).
    pub(super) stop_hook: Option<String>,
    /// Claude's commands, for the window's `/` list (see [`super::slash_commands`]).
    pub(super) commands: super::slash_commands::ClaudeCommands,
    /// The model and effort (see `controls.rs`).
    pub(super) switch: super::controls::ModelSwitch,
    /// Whether Claude is asked to hold each turn's end for Warden (its `Stop` hook): only when
    /// the task gate has checks to run then (see [`ClaudeAdapter::holding_turn_ends`]).
    hold_turn_ends: bool,
}

impl ClaudeAdapter {
    /// An adapter for a Claude process working in `project`.
    pub fn new(project: PathBuf) -> Self {
        Self {
            project,
            turn: None,
            last_turn: TurnId(0),
            parts: HashMap::new(),
            streaming: HashMap::new(),
            tools: ToolCalls::new(),
            plan: Vec::new(),
            task_creates: HashMap::new(),
            permissions: HashMap::new(),
            cost_before: 0.0,
            session_cost: 0.0,
            cost_offset: None,
            interrupting: false,
            agent_session_id: None,
            next_request: 0,
            context: None,
            claude_mode: None,
            stop_hook: None,
            commands: Default::default(),
            switch: Default::default(),
            hold_turn_ends: true,
        }
    }

    /// Whether Claude holds each turn's end for Warden (its `Stop` hook, answered by the task
    /// gate: checks then run inside the turn, and their feedback keeps it going). On by default;
    /// off when the gate has nothing to check (`crate::gate::has_checks`): the hook costs Claude
    /// about 15 ms at every turn's end, and checks configured later still run when the turn ends.
    pub fn holding_turn_ends(mut self, hold: bool) -> Self {
        self.hold_turn_ends = hold;
        self
    }

    /// For a process that continues a session that has already cost `cost_usd`.
    pub fn continuing(mut self, cost_usd: f64) -> Self {
        self.cost_before = cost_usd;
        self.session_cost = cost_usd;
        self
    }

    pub(super) fn request_id(&mut self, what: &str) -> String {
        self.next_request += 1;
        format!("warden_{}_{what}", self.next_request)
    }

    fn frame(&mut self, frame: Frame, now: Instant, out: &mut Vec<Output>) {
        match frame {
            Frame::System(system) => self.system(system, out),
            Frame::StreamEvent(e) => self.stream_event(e, now, out),
            Frame::Assistant(m) => self.assistant(m, now, out),
            Frame::User(m) => self.tool_results(m, now, out),
            Frame::Result(r) => self.result(r, now, out),
            Frame::ControlRequest(r) => self.control_request(r, now, out),
            Frame::ControlResponse(r) => {
                let init = r.response.request_id.as_deref().is_some_and(|id| id.ends_with("_init"));
                if init && r.response.subtype == "success" {
                    out.push(Output::Ready);
                    let controls = self.switch.initialized(r.response.response.as_ref());
                    out.push(Output::Event(SessionEventKind::Controls(controls)));
                    self.commands_listed(r.response.response.as_ref().and_then(|r| r.get("commands")), out);
                } else if r.response.subtype == "error" {
                    let what = r.response.request_id.unwrap_or_default();
                    let why = r.response.error.unwrap_or_default();
                    out.push(notice(NoticeLevel::Warning, format!("Claude refused request {what}: {why}")));
                }
            }
            Frame::ControlCancelRequest(c) => {
                // Claude gave up waiting for the Stop hook (its timeout): the turn ends without
                // the gate's answer, and the gate carries on with a new turn if it must.
                if self.stop_hook.as_deref() == Some(c.request_id.as_str()) {
                    self.stop_hook = None;
                }
                if let Some(pending) = self.permissions.remove(&c.request_id) {
                    let mut resolution = PermissionResolution::new(
                        PermissionRequestId(c.request_id),
                        PermissionDecision::Cancelled,
                        DecisionSource::Agent,
                    );
                    resolution.tool_call_id = pending.tool_use_id.clone().map(ToolCallId);
                    out.push(Output::Event(SessionEventKind::PermissionResolved(resolution)));
                    if let Some(id) = pending.tool_use_id {
                        out.extend(self.tools.decide(&id, PermissionDecision::Cancelled, now).map(Output::Event));
                    }
                }
            }
            Frame::ToolProgress(p) => {
                out.extend(self.tools.set_status(&p.tool_use_id, ToolCallStatus::Running, now, None).map(Output::Event))
            }
            Frame::ConversationReset(reset) => self.conversation_reset(reset, out),
            Frame::RateLimitEvent(e) => {
                let info = e.rate_limit_info;
                if let Some(limits) = info.as_ref().and_then(super::rate_limits::from_info) {
                    out.push(Output::Event(SessionEventKind::RateLimits(limits)));
                }
                let status = info.as_ref().and_then(|i| i.status.clone()).unwrap_or_default();
                if status != "allowed" {
                    let kind = info.and_then(|i| i.rate_limit_type).unwrap_or_else(|| "usage".into());
                    out.push(notice(NoticeLevel::Warning, format!("Rate limit ({kind}): {status}")));
                }
            }
            Frame::Other => unreachable!("handled by the caller, which still has the raw line"),
        }
    }

    fn system(&mut self, mut s: SystemFrame, out: &mut Vec<Output>) {
        match s.subtype.as_str() {
            "init" => {
                self.terminal_commands(s.terminal_slash_commands.take(), out);
                if let Some(mode) = s.permission_mode.clone() {
                    self.reported_mode(mode, out);
                }
                if let Some(controls) = self.switch.reported_model(s.model.clone()) {
                    out.push(Output::Event(SessionEventKind::Controls(controls)));
                }
                let id = s.session_id.unwrap_or_default();
                // Claude repeats `init` at the start of every turn; only a change is news.
                if self.agent_session_id.as_deref() != Some(id.as_str()) {
                    self.agent_session_id = Some(id.clone());
                    out.push(Output::Event(SessionEventKind::AgentInfo(AgentInfo {
                        agent_session_id: id,
                        model: s.model,
                        version: s.claude_code_version,
                        tools: s.tools.unwrap_or_default(),
                    })));
                }
            }
            "status" => {
                if let Some(mode) = s.permission_mode {
                    self.reported_mode(mode, out);
                }
            }
            "permission_denied" => {
                let tool = s.tool_name.unwrap_or_default();
                let why = s.message.unwrap_or_default();
                if let Some(id) = s.tool_use_id {
                    self.tools.refuse(&id);
                }
                out.push(notice(NoticeLevel::Warning, format!("Claude denied {tool} by its own rules: {why}")));
            }
            "api_retry" => {
                let attempt = s.attempt.unwrap_or(0);
                let max = s.max_retries.unwrap_or(0);
                let error = s.error.map(|e| value_text(&e)).unwrap_or_default();
                out.push(notice(NoticeLevel::Warning, format!("Model API error ({error}); retry {attempt} of {max}")));
            }
            "commands_changed" => self.commands_listed(s.commands.as_ref(), out),
            "compact_boundary" => {
                let meta = s.compact_metadata;
                let trigger = meta.as_ref().and_then(|m| m.trigger.clone()).unwrap_or_else(|| "auto".into());
                let tokens = meta.and_then(|m| m.pre_tokens).map(|t| format!(" at {t} tokens")).unwrap_or_default();
                out.push(notice(NoticeLevel::Info, format!("Conversation compacted ({trigger}){tokens}")));
            }
            // Progress chatter that carries nothing the event model shows.
            "thinking_tokens" | "session_state_changed" | "task_started" | "task_progress" | "task_updated"
            | "task_notification" | "background_tasks_changed" | "hook_started" | "hook_progress"
            | "hook_response" | "files_persisted" | "informational" | "memory_recall"
            | "notification" => {}
            other => out.push(raw(format!("unknown system message '{other}'"), "")),
        }
    }

    fn stream_event(&mut self, e: StreamEventFrame, now: Instant, out: &mut Vec<Output>) {
        let parent = e.parent_tool_use_id;
        match e.event {
            StreamEvent::MessageStart { message } => {
                self.streaming.insert(parent, message.id);
            }
            StreamEvent::ContentBlockStart { index, content_block } => {
                let Some(message_id) = self.streaming.get(&parent).cloned() else { return };
                match content_block {
                    ContentBlock::Text { text } => self.stream_part(&message_id, index, PartKind::Text, text, &parent, out),
                    ContentBlock::Thinking { thinking } => {
                        self.stream_part(&message_id, index, PartKind::Thinking, thinking, &parent, out)
                    }
                    ContentBlock::ToolUse { id, name, .. } | ContentBlock::ServerToolUse { id, name, .. }
                        if !self.tools.contains(&id) =>
                    {
                        let (kind, title, _) = tools::describe(&name, &Value::Null, &self.project);
                        let input = tools::input(&name, &Value::Null);
                        let call = ToolCall {
                            id: ToolCallId(id),
                            parent: parent.map(ToolCallId),
                            name,
                            kind,
                            title,
                            input,
                            raw_input: Value::Null,
                            locations: Vec::new(),
                            status: ToolCallStatus::Pending,
                        };
                        out.extend(self.tools.announce(call, (), now).map(Output::Event));
                    }
                    _ => {}
                }
            }
            StreamEvent::ContentBlockDelta { index, delta } => {
                let Some(message_id) = self.streaming.get(&parent).cloned() else { return };
                let (kind, text) = match delta {
                    Delta::TextDelta { text } => (PartKind::Text, text),
                    Delta::ThinkingDelta { thinking } => (PartKind::Thinking, thinking),
                    Delta::Other => return,
                };
                let parts = self.parts.entry(message_id.clone()).or_default();
                let Some(number) = parts.iter().position(|p| p.stream_index == Some(index) && p.kind == kind) else {
                    return;
                };
                parts[number].text.push_str(&text);
                out.push(chunk(kind, &message_id, number, &parent, text));
            }
            StreamEvent::Other => {}
        }
    }

    fn stream_part(
        &mut self,
        message_id: &str,
        index: u32,
        kind: PartKind,
        text: String,
        parent: &Option<String>,
        out: &mut Vec<Output>,
    ) {
        let parts = self.parts.entry(message_id.to_owned()).or_default();
        parts.push(Part { kind, text: text.clone(), stream_index: Some(index), complete: false });
        if !text.is_empty() {
            out.push(chunk(kind, message_id, parts.len() - 1, parent, text));
        }
    }

    /// A complete block: emits whatever the deltas did not already deliver.
    fn complete_part(&mut self, message_id: &str, kind: PartKind, text: String, parent: &Option<String>, out: &mut Vec<Output>) {
        let parts = self.parts.entry(message_id.to_owned()).or_default();
        let open = parts.iter().position(|p| p.kind == kind && !p.complete);
        match open {
            Some(number) if text.starts_with(parts[number].text.as_str()) => {
                let missing = text[parts[number].text.len()..].to_owned();
                parts[number].text = text;
                parts[number].complete = true;
                if !missing.is_empty() {
                    out.push(chunk(kind, message_id, number, parent, missing));
                }
            }
            _ => {
                if let Some(number) = open {
                    // The deltas disagree with the final block; the block is authoritative.
                    tracing::warn!(message_id, "streamed text differs from the final block; keeping both");
                    parts[number].complete = true;
                }
                parts.push(Part { kind, text: text.clone(), stream_index: None, complete: true });
                out.push(chunk(kind, message_id, parts.len() - 1, parent, text));
            }
        }
    }

    fn assistant(&mut self, m: MessageFrame, now: Instant, out: &mut Vec<Output>) {
        let parent = m.parent_tool_use_id;
        if parent.is_none() {
            // Messages the CLI makes up itself (API errors) report no tokens at all.
            if let Some(usage) = m.message.usage.as_ref().filter(|u| u.context_tokens() > 0) {
                self.context = Some((usage.context_tokens(), m.message.model.clone()));
            }
        }
        let message_id = m.message.id.unwrap_or_else(|| format!("message-{}", self.parts.len()));
        if let Some(error) = m.error {
            out.push(notice(NoticeLevel::Warning, format!("Model error: {error}")));
        }
        let blocks = match m.message.content {
            Content::Text(text) => vec![ContentBlock::Text { text }],
            Content::Blocks(blocks) => blocks,
        };
        for block in blocks {
            match block {
                ContentBlock::Text { text } => self.complete_part(&message_id, PartKind::Text, text, &parent, out),
                ContentBlock::Thinking { thinking } => {
                    self.complete_part(&message_id, PartKind::Thinking, thinking, &parent, out)
                }
                ContentBlock::ToolUse { id, name, input } | ContentBlock::ServerToolUse { id, name, input } => {
                    self.tool_use(id, name, input, &parent, now, out)
                }
                ContentBlock::ToolResult { .. } | ContentBlock::Other => {}
            }
        }
    }

    fn tool_use(&mut self, id: String, name: String, input: Value, parent: &Option<String>, now: Instant, out: &mut Vec<Output>) {
        let (kind, title, locations) = tools::describe(&name, &input, &self.project);
        if self.tools.contains(&id) {
            // The complete input of a call that streamed in: it runs now.
            let status = self.tools.move_to(&id, ToolCallStatus::Running, now).map(|_| ToolCallStatus::Running);
            out.push(Output::Event(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
                id: ToolCallId(id.clone()),
                status,
                title: Some(title),
                input: Some(tools::input(&name, &input)),
                raw_input: Some(input.clone()),
                locations: Some(locations),
                ..Default::default()
            })));
        } else {
            let call = ToolCall {
                id: ToolCallId(id.clone()),
                parent: parent.clone().map(ToolCallId),
                name: name.clone(),
                kind,
                title,
                input: tools::input(&name, &input),
                raw_input: input.clone(),
                locations,
                status: ToolCallStatus::Running,
            };
            out.extend(self.tools.announce(call, (), now).map(Output::Event));
        }
        match name.as_str() {
            "TodoWrite" => {
                if let Some(entries) = tools::todo_list(&input) {
                    self.plan = entries;
                    out.push(self.plan_event());
                }
            }
            "TaskCreate" => {
                let content = input.get("subject").and_then(Value::as_str).unwrap_or("").to_owned();
                self.task_creates.insert(id, PlanEntry { id: None, content, status: PlanEntryStatus::Pending });
            }
            "TaskUpdate" => {
                let task = input.get("taskId").map(value_text).unwrap_or_default();
                let status = input.get("status").and_then(Value::as_str);
                if status == Some("deleted") {
                    self.plan.retain(|e| e.id.as_deref() != Some(task.as_str()));
                } else if let Some(entry) = self.plan.iter_mut().find(|e| e.id.as_deref() == Some(task.as_str())) {
                    if let Some(s) = tools::plan_status(status) {
                        entry.status = s;
                    }
                    if let Some(subject) = input.get("subject").and_then(Value::as_str) {
                        entry.content = subject.to_owned();
                    }
                } else {
                    return;
                }
                out.push(self.plan_event());
            }
            _ => {}
        }
    }

    fn plan_event(&self) -> Output {
        Output::Event(SessionEventKind::Plan(Plan { entries: self.plan.clone() }))
    }

    fn tool_results(&mut self, m: MessageFrame, now: Instant, out: &mut Vec<Output>) {
        let Content::Blocks(blocks) = m.message.content else { return };
        let mut structured = m.tool_use_result;
        for block in blocks {
            let ContentBlock::ToolResult { tool_use_id, content, is_error } = block else { continue };
            let text = content.map(|c| c.text()).unwrap_or_default();
            let ended = if !is_error {
                Ended::Succeeded
            } else if text.contains("[Request interrupted by user") {
                Ended::Interrupted
            } else {
                Ended::Errored
            };
            let raw_output = structured.take();
            if ended == Ended::Succeeded {
                if let Some(mut entry) = self.task_creates.remove(&tool_use_id) {
                    entry.id = tools::created_task_id(raw_output.as_ref(), &text);
                    self.plan.push(entry);
                    out.push(self.plan_event());
                }
            }
            let output = Some(ToolOutput::new(text, raw_output));
            out.extend(self.tools.finish(&tool_use_id, ended, now, output).map(Output::Event));
        }
    }

    fn result(&mut self, r: ResultFrame, now: Instant, out: &mut Vec<Output>) {
        let (turn, started) = self.turn.take().unwrap_or((self.last_turn, now));
        let interrupted = self.interrupting || r.terminal_reason.as_deref().is_some_and(|t| t.starts_with("aborted"));
        let stop_reason = if interrupted {
            StopReason::Cancelled
        } else if r.subtype == "error_max_turns" {
            StopReason::MaxTurns
        } else if r.is_error || r.subtype.starts_with("error") {
            StopReason::Error
        } else {
            match r.stop_reason.as_deref() {
                Some("max_tokens") => StopReason::MaxTokens,
                Some("refusal") => StopReason::Refusal,
                _ => StopReason::EndTurn,
            }
        };
        let error = (stop_reason == StopReason::Error).then(|| {
            let mut parts = r.errors.clone();
            if let Some(text) = r.result.clone().filter(|t| !t.is_empty()) {
                parts.push(text);
            }
            if parts.is_empty() {
                parts.push(format!("the turn ended with '{}'", r.terminal_reason.as_deref().unwrap_or(&r.subtype)));
            }
            parts.join("; ")
        });
        // Anything still open did not finish in this turn.
        out.extend(self.tools.end_turn(interrupted, now).into_iter().map(Output::Event));
        let cost_usd = r.total_cost_usd.map(|total| {
            // A resumed Claude restores its session cost and counts on from it; a counter below
            // the session's earlier cost can only have started from zero.
            let before = self.cost_before;
            let offset = *self.cost_offset.get_or_insert(if total + 1e-9 >= before { 0.0 } else { before });
            let session = offset + total;
            let turn_cost = (session - self.session_cost).max(0.0);
            self.session_cost = session;
            turn_cost
        });
        let usage = r.usage.unwrap_or_default();
        let (context_tokens, model) = self.context.take().map_or((None, None), |(tokens, model)| (Some(tokens), model));
        let context_window = context_window(r.model_usage.as_ref(), model.as_deref());
        out.push(Output::Event(SessionEventKind::TurnEnded(TurnEnded {
            turn,
            stop_reason,
            error,
            duration_ms: r.duration_ms.unwrap_or_else(|| now.saturating_duration_since(started).as_millis() as u64),
            usage: Usage {
                input_tokens: usage.input_tokens,
                output_tokens: usage.output_tokens,
                cache_read_tokens: usage.cache_read_input_tokens,
                cache_creation_tokens: usage.cache_creation_input_tokens,
            },
            cost_usd,
            session_cost_usd: self.session_cost,
            context_tokens,
            context_window,
        })));
        self.interrupting = false;
        self.stop_hook = None;
        self.parts.clear();
        self.streaming.clear();
    }

}

impl AgentAdapter for ClaudeAdapter {
    fn start(&mut self) -> Vec<String> {
        let id = self.request_id("init");
        // One PreToolUse hook for every tool, so deny rules hold even for calls Claude would run
        // without asking (reads, accept-edits mode); with PostToolUse it also brackets each call
        // for the file journal. The Stop hook lets the task gate run the checks before the turn
        // ends and send their feedback inside it; its timeout only bounds a gate that never
        // answers (each check has its own), and Warden counts rounds itself.
        let mut hooks = json!({
            "PreToolUse": [{"matcher": null, "hookCallbackIds": [PRE_TOOL_HOOK]}],
            "PostToolUse": [{"matcher": null, "hookCallbackIds": [POST_TOOL_HOOK]}],
        });
        if self.hold_turn_ends {
            hooks["Stop"] = json!([{"matcher": null, "hookCallbackIds": [STOP_HOOK], "timeout": STOP_HOOK_TIMEOUT_SECS}]);
        }
        vec![json!({"type": "control_request", "request_id": id, "request": {"subtype": "initialize", "hooks": hooks}})
            .to_string()]
    }

    fn prompt_input(&mut self, turn: TurnId, prompt: &AgentPrompt, now: Instant) -> Vec<String> {
        self.turn = Some((turn, now));
        self.last_turn = turn;
        vec![json!({"type": "user", "message": {"role": "user", "content": user_content(prompt)}, "parent_tool_use_id": null,
                    "session_id": ""})
        .to_string()]
    }

    fn accepts(&self) -> PromptAccepts {
        PromptAccepts::new(true, MentionDelivery::AtPath)
    }

    fn interrupt(&mut self) -> Vec<String> {
        if self.turn.is_none() {
            return Vec::new();
        }
        self.interrupting = true;
        self.tools.stop();
        // A Stop hook still waiting lets the turn end first, so the interrupt is not stuck
        // behind it.
        let mut lines = match self.stop_hook.clone() {
            Some(hook) => self.answer_stop_hook(&hook, None),
            None => Vec::new(),
        };
        let id = self.request_id("interrupt");
        lines.push(json!({"type": "control_request", "request_id": id, "request": {"subtype": "interrupt"}}).to_string());
        lines
    }

    fn on_line(&mut self, line: &[u8], now: Instant) -> Vec<Output> {
        let mut out = Vec::new();
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            return out;
        }
        match serde_json::from_slice::<Frame>(trimmed) {
            Ok(Frame::Other) => out.push(raw("unknown message type".into(), &String::from_utf8_lossy(trimmed))),
            Ok(frame) => self.frame(frame, now, &mut out),
            Err(e) => {
                let reason = if trimmed.first() == Some(&b'{') { format!("could not read: {e}") } else { "not JSON".into() };
                out.push(raw_bytes(reason, trimmed));
            }
        }
        // Raw entries for known types with unknown subtypes carry no text yet: attach the line.
        for o in &mut out {
            if let Output::Event(SessionEventKind::Unrecognised(r)) = o {
                if r.bytes == 0 {
                    *r = raw_output(r.reason.clone(), trimmed);
                }
            }
        }
        out
    }

    fn answer(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        self.answer_permission(request, reply, now)
    }

    fn answer_choices(&mut self, request: &PermissionRequestId, answers: &[QuestionAnswer], now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        self.answer_questions(request, answers, now)
    }

    fn answer_tool_check(&mut self, check: &ToolCheck, answer: CheckAnswer<'_>, now: Instant) -> (Vec<String>, Vec<SessionEventKind>) {
        self.answer_hook(check, answer, now)
    }

    fn answer_tool_done(&mut self, id: &str) -> Vec<String> {
        self.answer_post_hook(id)
    }

    fn answer_turn_ending(&mut self, id: &str, feedback: Option<&str>) -> Vec<String> {
        self.answer_stop_hook(id, feedback)
    }

    fn set_mode(&mut self, mode: PermissionMode) -> Vec<String> {
        self.claude_mode = Some(mode.claude_mode().to_owned());
        let id = self.request_id("mode");
        vec![json!({"type": "control_request", "request_id": id,
            "request": {"subtype": "set_permission_mode", "mode": mode.claude_mode()}})
        .to_string()]
    }

    fn pending_requests(&self) -> Vec<PermissionRequestId> {
        self.permissions.keys().cloned().map(PermissionRequestId).collect()
    }

    fn set_model(&mut self, model: Option<&str>, effort: Option<&Effort>) -> Option<(Vec<String>, SessionControls)> {
        Some(self.switch_model(model, effort))
    }

    fn turn_open(&self) -> bool {
        self.turn.is_some()
    }
}

fn chunk(kind: PartKind, message_id: &str, part: usize, parent: &Option<String>, text: String) -> Output {
    let chunk = MessageChunk {
        message_id: MessageId(message_id.to_owned()),
        part: part as u32,
        parent: parent.clone().map(ToolCallId),
        text,
    };
    Output::Event(match kind {
        PartKind::Text => SessionEventKind::AgentMessageChunk(chunk),
        PartKind::Thinking => SessionEventKind::AgentThoughtChunk(chunk),
    })
}

/// The context window of the model that answered last, from the result's per-model totals; with
/// no model known, the only (or largest) window listed.
fn context_window(models: Option<&HashMap<String, ModelUsage>>, model: Option<&str>) -> Option<u64> {
    let models = models?;
    if let Some(window) = model.and_then(|m| models.get(m)).and_then(|u| u.context_window) {
        return Some(window);
    }
    models.values().filter_map(|u| u.context_window).max()
}

/// A raw entry whose text the caller fills in from the line.
fn raw(reason: String, text: &str) -> Output {
    Output::Event(SessionEventKind::Unrecognised(RawOutput { reason, text: text.to_owned(), bytes: text.len() as u64 }))
}

fn raw_bytes(reason: String, line: &[u8]) -> Output {
    Output::Event(SessionEventKind::Unrecognised(raw_output(reason, line)))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Claude's decision reasons may carry terminal colour codes.
pub(super) fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A prompt as Claude Code's user message content: each image as an Anthropic image block,
/// then the text with an `@path` for each mention (Claude Code reads a mentioned file, or lists
/// a folder, before the model sees the prompt). The text goes last because Claude Code looks
/// for `@` references only in a content list's last block, if it is text. A prompt of text
/// alone stays a plain string, as Claude Code's own prompts are.
fn user_content(prompt: &AgentPrompt) -> Value {
    let text = prompt.text_with_mentions();
    if prompt.images.is_empty() {
        return Value::String(text);
    }
    let mut blocks: Vec<Value> = prompt
        .images
        .iter()
        .map(|image| json!({"type": "image", "source": {"type": "base64", "media_type": image.media_type.media_type(), "data": image.base64()}}))
        .collect();
    blocks.push(json!({"type": "text", "text": text}));
    Value::Array(blocks)
}
