//! `session/update` notifications as session events, one arm per variant of the schema:
//!
//! | ACP update | Warden event |
//! |---|---|
//! | `agent_message_chunk`, `agent_thought_chunk` | `AgentMessageChunk`, `AgentThoughtChunk` |
//! | `user_message_chunk` | nothing during a turn (the agent echoes Warden's own prompt); a `Notice` otherwise |
//! | `tool_call`, `tool_call_update` | `ToolCall`, `ToolCallUpdate` (see [`super::tools`]) |
//! | `plan` | `Plan` |
//! | `available_commands_update` | `AgentInfo` with the commands as its `tools` (`/name`), and `AgentCommands` with their descriptions |
//! | `current_mode_update` | nothing when Warden asked for that mode; else a `Notice`, and the agent is put back (see [`AcpAdapter::mode_changed`]) |
//! | `config_option_update` | `AgentInfo` when the model changed; a mode option as `current_mode_update` |
//! | `session_info_update` | nothing: Warden titles a session from its first prompt |
//! | `usage_update` | the context use and cost of the `TurnEnded` that follows |
//! | `notice` | `Notice` |
//! | `compaction_update`, `compaction_summary_chunk` | a `Notice` when the compaction ends, with its summary |
//!
//! Unstable variants (behind the schema's `unstable_*` features, not enabled) do not decode and
//! are shown as unrecognised output.

use super::adapter::{chunk_text, notice, AcpAdapter, CallState};
use super::tools::{output, AcpCall};
use crate::adapter::Output;
use crate::tool_calls::Ended;
use agent_client_protocol::v1::schema as acp;
use serde_json::Value;
use std::time::Instant;
use warden_core::session::*;

impl AcpAdapter {
    pub(super) fn session_update(&mut self, update: acp::SessionUpdate, now: Instant, out: &mut Vec<Output>) {
        match update {
            acp::SessionUpdate::AgentMessageChunk(c) => self.chunk(false, c, out),
            acp::SessionUpdate::AgentThoughtChunk(c) => self.chunk(true, c, out),
            acp::SessionUpdate::UserMessageChunk(c) => {
                if !self.turn_open_now() {
                    out.push(notice(NoticeLevel::Info, format!("The agent added to the conversation as you: {}", chunk_text(&c.content))));
                }
            }
            acp::SessionUpdate::ToolCall(call) => self.tool_call(call, now, out),
            acp::SessionUpdate::ToolCallUpdate(update) => self.tool_call_update(update, now, out),
            acp::SessionUpdate::Plan(plan) => {
                self.last_chunk = None;
                let entries = plan
                    .entries
                    .into_iter()
                    .map(|e| PlanEntry {
                        id: None,
                        content: e.content,
                        status: match e.status {
                            acp::PlanEntryStatus::InProgress => PlanEntryStatus::InProgress,
                            acp::PlanEntryStatus::Completed => PlanEntryStatus::Completed,
                            _ => PlanEntryStatus::Pending,
                        },
                    })
                    .collect();
                out.push(Output::Event(SessionEventKind::Plan(Plan { entries })));
            }
            acp::SessionUpdate::AvailableCommandsUpdate(update) => {
                let commands: Vec<String> = update.available_commands.iter().map(|c| format!("/{}", c.name)).collect();
                if commands != self.commands {
                    self.commands = commands;
                    self.info_changed(out);
                }
                // The window's `/` list, with descriptions; running one is a prompt `/name …`.
                let listed = agent_commands(&update.available_commands);
                if self.listed_commands.as_ref() != Some(&listed) {
                    self.listed_commands = Some(listed.clone());
                    out.push(Output::Event(SessionEventKind::AgentCommands(listed)));
                }
            }
            acp::SessionUpdate::CurrentModeUpdate(update) => self.mode_changed(update.current_mode_id.to_string(), out),
            acp::SessionUpdate::ConfigOptionUpdate(update) => {
                let model = self.model.clone();
                if let Some(mode) = self.take_config(&update.config_options) {
                    self.mode_changed(mode, out);
                }
                if self.model != model {
                    self.info_changed(out);
                }
                self.take_controls(&update.config_options, out);
            }
            // The agent's own title for the session: Warden names sessions after their first
            // prompt, and a second name would only compete with it.
            acp::SessionUpdate::SessionInfoUpdate(_) => {}
            acp::SessionUpdate::UsageUpdate(usage) => {
                self.context = Some((usage.used, usage.size));
                // Only US dollars add up with the cost of other sessions.
                if let Some(cost) = usage.cost.filter(|c| c.currency.eq_ignore_ascii_case("USD")) {
                    self.reported_cost = Some(cost.amount);
                }
            }
            acp::SessionUpdate::Notice(n) => {
                let level = match n.severity {
                    acp::NoticeSeverity::Info => NoticeLevel::Info,
                    _ => NoticeLevel::Warning,
                };
                let text = match n.description {
                    Some(d) if !d.is_empty() => format!("{}: {d}", n.title),
                    _ => n.title,
                };
                out.push(notice(level, text));
            }
            acp::SessionUpdate::CompactionSummaryChunk(chunk) => {
                self.compactions.entry(chunk.compaction_id.to_string()).or_default().push_str(&chunk_text(&chunk.content));
            }
            acp::SessionUpdate::CompactionUpdate(update) => {
                let id = update.compaction_id.to_string();
                let ended = match update.status {
                    acp::CompactionStatus::InProgress => None,
                    acp::CompactionStatus::Completed => Some((NoticeLevel::Info, "Conversation compacted".to_owned())),
                    acp::CompactionStatus::Cancelled => Some((NoticeLevel::Info, "Compaction cancelled".to_owned())),
                    acp::CompactionStatus::Failed => Some((NoticeLevel::Warning, "Compaction failed".to_owned())),
                    acp::CompactionStatus::Other(other) => Some((NoticeLevel::Info, format!("Compaction: {other}"))),
                    _ => None,
                };
                if let Some((level, mut text)) = ended {
                    let summary = self.compactions.remove(&id).filter(|s| !s.is_empty());
                    if let Some(error) = update.error.take() {
                        text = format!("{text}: {error}");
                    } else if let Some(summary) = summary {
                        text = format!("{text}: {summary}");
                    }
                    out.push(notice(level, text));
                }
            }
            other => {
                let text = serde_json::to_string(&other).unwrap_or_default();
                out.push(Output::Event(SessionEventKind::Unrecognised(super::adapter::raw_output(
                    "session update Warden does not show".into(),
                    text.as_bytes(),
                ))));
            }
        }
    }

    fn turn_open_now(&self) -> bool {
        crate::adapter::AgentAdapter::turn_open(self)
    }

    fn chunk(&mut self, thought: bool, chunk: acp::ContentChunk, out: &mut Vec<Output>) {
        let text = chunk_text(&chunk.content);
        if text.is_empty() {
            return;
        }
        let message_id = MessageId(self.message_id(thought, chunk.message_id.as_ref()));
        let chunk = MessageChunk { message_id, part: 0, parent: None, text };
        out.push(Output::Event(if thought {
            SessionEventKind::AgentThoughtChunk(chunk)
        } else {
            SessionEventKind::AgentMessageChunk(chunk)
        }));
    }

    /// A call first heard of, from `tool_call`, an update or a permission question: announced
    /// as a new tool call in `status`.
    pub(super) fn announce(&mut self, id: &str, acp_call: AcpCall, raw: serde_json::Map<String, Value>, status: ToolCallStatus, now: Instant, out: &mut Vec<Output>) {
        self.last_chunk = None;
        self.note_terminals(id, &acp_call.content);
        let input = acp_call.input(&self.project);
        let call = ToolCall {
            id: ToolCallId(id.to_owned()),
            parent: None,
            name: acp_call.tool_name(),
            kind: acp_call.kind(),
            title: acp_call.title(),
            input,
            raw_input: Value::Object(raw.clone()),
            locations: acp_call.locations(),
            status,
        };
        out.extend(self.calls.announce(call, CallState { acp: acp_call, raw }, now).map(Output::Event));
    }

    /// Merges a change into a known call: a `ToolCallUpdate` with the new title, input and
    /// locations (when the change carries them) and `status` (when it may move there).
    pub(super) fn change(&mut self, id: &str, update: &acp::ToolCallUpdate, status: Option<ToolCallStatus>, now: Instant, out: &mut Vec<Output>) {
        self.note_terminals(id, update.fields.content.as_deref().unwrap_or_default());
        // A reported end reads as every agent's does (a failure while stopping is a cancel).
        let status = status.map(|s| match s {
            ToolCallStatus::Completed => self.calls.outcome(id, Ended::Succeeded),
            ToolCallStatus::Failed => self.calls.outcome(id, Ended::Errored),
            other => other,
        });
        let Some(current) = self.calls.status(id) else { return };
        let Some(call) = self.calls.data_mut(id) else { return };
        call.acp.update(update);
        if let Ok(Value::Object(fields)) = serde_json::to_value(update) {
            call.raw.extend(fields);
        }
        let f = &update.fields;
        let described = f.title.is_some() || f.raw_input.is_some() || f.locations.is_some() || f.content.is_some() || f.kind.is_some();
        let status = status.filter(|s| current.can_become(*s));
        let result = output(f, &self.terminals).filter(|_| status.is_some_and(ToolCallStatus::is_terminal) || f.raw_output.is_some());
        if status.is_none() && result.is_none() && !described {
            return;
        }
        let duration_ms = status.and_then(|s| self.calls.move_to(id, s, now)).flatten();
        let Some(call) = self.calls.get(id) else { return };
        let raw = Value::Object(call.raw.clone());
        out.push(Output::Event(SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId(id.to_owned()),
            status,
            title: described.then(|| call.acp.title()),
            input: described.then(|| call.acp.input(&self.project)),
            raw_input: described.then_some(raw),
            locations: described.then(|| call.acp.locations()),
            output: result,
            duration_ms,
        })));
    }

    fn tool_call(&mut self, call: acp::ToolCall, now: Instant, out: &mut Vec<Output>) {
        let id = call.tool_call_id.to_string();
        let status = status_of(call.status);
        if self.calls.contains(&id) {
            // Announced again: the protocol treats it as an update.
            let update = acp::ToolCallUpdate::new(call.tool_call_id.clone(), to_fields(&call));
            self.change(&id, &update, Some(status), now, out);
            return;
        }
        let raw = match serde_json::to_value(&call) {
            Ok(Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        let opening = if status == ToolCallStatus::Pending { ToolCallStatus::Pending } else { ToolCallStatus::Running };
        self.announce(&id, AcpCall::from_call(&call), raw, opening, now, out);
        if status.is_terminal() {
            let update = acp::ToolCallUpdate::new(call.tool_call_id.clone(), to_fields(&call));
            self.change(&id, &update, Some(status), now, out);
        }
    }

    fn tool_call_update(&mut self, update: acp::ToolCallUpdate, now: Instant, out: &mut Vec<Output>) {
        let id = update.tool_call_id.to_string();
        let status = update.fields.status.map(status_of);
        if !self.calls.contains(&id) {
            // Gemini CLI reports a call it asked permission for only by updates; any agent may
            // update a call Warden never saw announced.
            let mut call = AcpCall::default();
            call.update(&update);
            let raw = match serde_json::to_value(&update) {
                Ok(Value::Object(map)) => map,
                _ => serde_json::Map::new(),
            };
            self.announce(&id, call, raw, ToolCallStatus::Running, now, out);
        }
        self.change(&id, &update, status, now, out);
    }

    /// Reads the config options Warden follows: the model (for `AgentInfo`) and the mode, whose
    /// id it returns.
    pub(super) fn take_config(&mut self, options: &[acp::SessionConfigOption]) -> Option<String> {
        let mut mode = None;
        for option in options {
            let acp::SessionConfigKind::Select(select) = &option.kind else { continue };
            match option.category {
                Some(acp::SessionConfigOptionCategory::Model) => self.model = Some(select.current_value.to_string()),
                Some(acp::SessionConfigOptionCategory::Mode) => mode = Some(select.current_value.to_string()),
                _ => {}
            }
        }
        mode
    }

    /// The agent says it is in mode `mode_id`. Only the person changes Warden's mode, so this
    /// never becomes Warden's policy: a mode Warden asked for (or the one a plan approval leads
    /// to) passes silently; any other is shown as a notice, and unless it is the agent's plan
    /// mode (which only asks more) the agent is switched back to the mode Warden asked for, so
    /// it keeps asking before the calls its own modes would let through unasked.
    pub(super) fn mode_changed(&mut self, mode_id: String, out: &mut Vec<Output>) {
        if self.expected_mode.as_deref() == Some(mode_id.as_str()) {
            return;
        }
        let name = |id: &str| self.modes.iter().find(|m| m.id.to_string() == id).map_or(id.to_owned(), |m| m.name.clone());
        let mut text = format!("The agent switched itself to its mode '{}'. Warden's mode is unchanged: only you change it.", name(&mode_id));
        let back = self.expected_mode.clone().filter(|_| mode_id != "plan");
        match back.zip(self.session_id.clone()) {
            Some((expected, session)) => {
                text.push_str(&format!(" Warden switched the agent back to '{}'.", name(&expected)));
                let params = acp::SetSessionModeRequest::new(session, acp::SessionModeId::new(expected));
                out.push(Output::Send(self.set_mode_line(params)));
            }
            None => self.expected_mode = Some(mode_id),
        }
        out.push(notice(NoticeLevel::Warning, text));
    }
}

/// The agent's mode for a Warden mode, among the modes the agent offers. Accept edits and
/// bypass are Warden's own: the agent stays in its default mode and keeps asking, and Warden's
/// mode answers. (An agent's "accept edits" lets more through unasked than edits: Claude's also
/// runs `rm`, `mv`, `mkdir` and `sed -i` in the project.)
pub(super) fn agent_mode(mode: PermissionMode, modes: &[acp::SessionMode]) -> Option<acp::SessionModeId> {
    let wanted: &[&str] = match mode {
        PermissionMode::Default | PermissionMode::AcceptEdits | PermissionMode::Bypass => &["default"],
        PermissionMode::Plan => &["plan"],
    };
    modes.iter().find(|m| wanted.contains(&m.id.to_string().as_str())).map(|m| m.id.clone())
}

/// An ACP agent's commands as the window lists them.
fn agent_commands(commands: &[acp::AvailableCommand]) -> AgentCommands {
    let hint = |input: &Option<acp::AvailableCommandInput>| match input {
        Some(acp::AvailableCommandInput::Unstructured(u)) => Some(u.hint.clone()).filter(|h| !h.trim().is_empty()),
        _ => None,
    };
    AgentCommands {
        commands: commands
            .iter()
            .map(|c| AgentCommand { name: c.name.clone(), description: c.description.clone(), argument_hint: hint(&c.input), aliases: Vec::new() })
            .collect(),
    }
}

fn status_of(status: acp::ToolCallStatus) -> ToolCallStatus {
    match status {
        acp::ToolCallStatus::Pending => ToolCallStatus::Pending,
        acp::ToolCallStatus::Completed => ToolCallStatus::Completed,
        acp::ToolCallStatus::Failed => ToolCallStatus::Failed,
        _ => ToolCallStatus::Running,
    }
}

fn to_fields(call: &acp::ToolCall) -> acp::ToolCallUpdateFields {
    acp::ToolCallUpdateFields::new()
        .kind(call.kind)
        .status(call.status)
        .title(call.title.clone())
        .content(call.content.clone())
        .locations(call.locations.clone())
        .raw_input(call.raw_input.clone())
        .raw_output(call.raw_output.clone())
}
