//! The ACP session as a state machine: start-up (`initialize`, `session/new` or `session/load`),
//! turns (`session/prompt` until its response), and the agent's requests and notifications.
//!
//! [`AcpAdapter`] does no I/O: the session actor feeds it stdout lines and decisions and writes
//! what it returns, so every rule here is tested on recorded lines.
//!
//! # Resuming
//!
//! A resumed session whose agent can load sessions (`loadSession`) sends `session/load` with the
//! agent session id stored from the first run. The agent then replays the conversation as
//! `session/update`s, which Warden already has, so they are dropped. Gemini CLI 0.61.0 answers
//! `session/load` *before* it replays (captured in `tests.rs`), so the end of the response is no
//! marker: Warden sends one more request after it, which the agent answers only after the
//! replay ([`REPLAY_BARRIER`]), and drops every update until that answer.

use super::tools::{block_text, AcpCall};
use super::wire::{self, Incoming};
pub(super) use crate::adapter::{notice, raw_output};
use crate::adapter::{AgentAdapter, CheckAnswer, ClientResult, Output, Reply, ToolCheck};
use crate::tool_calls::ToolCalls;
use crate::session::prompt_input::AgentPrompt;
use agent_client_protocol::schema::ProtocolVersion;
use agent_client_protocol::v1::schema as acp;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use warden_core::session::*;

/// The method of the request sent after `session/load` to learn when the replay is over. It is
/// an extension method no agent implements: every agent answers it, with "method not found",
/// once it has handled what came before.
pub const REPLAY_BARRIER: &str = "_warden/replay_done";

/// What one of Warden's requests was.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sent {
    Initialize,
    NewSession,
    LoadSession,
    ReplayBarrier,
    Prompt(TurnId),
    SetMode,
    SetConfig,
}

/// Where the session is in its start-up.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Initializing,
    Opening,
    /// Loading an earlier conversation, whose replay is still arriving.
    Replaying,
    Ready,
    /// Start-up failed; the next prompt tries again.
    Failed,
}

/// What the adapter keeps about a call besides its status and clock (which the tracker keeps).
#[derive(Debug)]
pub(super) struct CallState {
    pub acp: AcpCall,
    /// The ACP call as the agent sent it, updates merged in.
    pub raw: serde_json::Map<String, Value>,
}

#[derive(Debug)]
pub(super) struct PendingPermission {
    pub id: acp::RequestId,
    pub options: Vec<acp::PermissionOption>,
    pub tool_call_id: String,
}

#[derive(Debug)]
struct OpenTurn {
    turn: TurnId,
    started: Instant,
}

/// Translates one ACP agent process's output.
#[derive(Debug)]
pub struct AcpAdapter {
    pub(super) project: PathBuf,
    /// The agent session to load instead of starting a new one.
    resume_id: Option<String>,
    next_id: i64,
    sent: HashMap<i64, Sent>,
    phase: Phase,
    pub(super) session_id: Option<acp::SessionId>,
    /// Whether `initialize` was answered (a failed start-up retries from where it failed).
    initialized: bool,
    load_session: bool,
    /// The agent said it takes images (`promptCapabilities.image`).
    images: bool,
    /// The agent said it takes embedded resources (`promptCapabilities.embeddedContext`).
    embedded: bool,
    agent_version: Option<String>,
    pub(super) model: Option<String>,
    pub(super) modes: Vec<acp::SessionMode>,
    /// The agent's mode as Warden last set it (or found it at the start): the agent switching
    /// to another on its own is shown and undone (`updates.rs`).
    pub(super) expected_mode: Option<String>,
    /// Prompts that arrived before the session was open.
    queued: Vec<(TurnId, AgentPrompt)>,
    turn: Option<OpenTurn>,
    pub(super) interrupting: bool,
    /// Every call of the turn: status and clock (see [`crate::tool_calls`]).
    pub(super) calls: ToolCalls<CallState>,
    pub(super) permissions: HashMap<String, PendingPermission>,
    /// File and terminal requests the actor is working on, by the id it answers with.
    pub(super) client_requests: HashMap<String, super::client::PendingClient>,
    /// The agent's terminals: the call showing each, and its output as last read.
    pub(super) terminals: HashMap<String, super::terminals::Shown>,
    /// Numbering of messages that come without an id: bumped whenever something other than
    /// text comes between two chunks.
    pub(super) message_number: u32,
    pub(super) last_chunk: Option<(bool, String)>,
    /// The latest context use the agent reported (tokens used, window size).
    pub(super) context: Option<(u64, u64)>,
    /// The agent's cumulative cost in this process, as last reported.
    pub(super) reported_cost: Option<f64>,
    cost_before: f64,
    session_cost: f64,
    cost_offset: Option<f64>,
    /// The slash commands the agent last announced.
    pub(super) commands: Vec<String>,
    /// The commands last sent to the window as `AgentCommands` (none yet: `None`).
    pub(super) listed_commands: Option<AgentCommands>,
    /// Compaction summaries being streamed, by compaction id.
    pub(super) compactions: HashMap<String, String>,
    /// The `_meta` sent with `session/new` and `session/load` (`command::session_meta`).
    session_meta: Option<acp::Meta>,
    /// The model and effort options (see `controls.rs`).
    pub(super) config: super::controls::ConfigControls,
}

impl AcpAdapter {
    /// An adapter for an agent working in `project`; `resume_id` is the agent's session to
    /// load, when continuing one.
    pub fn new(project: PathBuf, resume_id: Option<String>) -> Self {
        Self {
            project,
            resume_id,
            next_id: 0,
            sent: HashMap::new(),
            phase: Phase::Initializing,
            session_id: None,
            initialized: false,
            load_session: false,
            images: false,
            embedded: false,
            agent_version: None,
            model: None,
            modes: Vec::new(),
            expected_mode: None,
            queued: Vec::new(),
            turn: None,
            interrupting: false,
            calls: ToolCalls::new(),
            permissions: HashMap::new(),
            client_requests: HashMap::new(),
            terminals: HashMap::new(),
            message_number: 0,
            last_chunk: None,
            context: None,
            reported_cost: None,
            cost_before: 0.0,
            session_cost: 0.0,
            cost_offset: None,
            commands: Vec::new(),
            listed_commands: None,
            compactions: HashMap::new(),
            session_meta: None,
            config: Default::default(),
        }
    }

    /// Sends `meta` with the request that opens the session (the agent's own options; see
    /// `command::session_meta`).
    pub fn with_session_meta(mut self, meta: Option<acp::Meta>) -> Self {
        self.session_meta = meta;
        self
    }

    /// For a process that continues a session that has already cost `cost_usd`.
    pub fn continuing(mut self, cost_usd: f64) -> Self {
        self.cost_before = cost_usd;
        self.session_cost = cost_usd;
        self
    }

    fn request(&mut self, what: Sent, method: &str, params: impl serde::Serialize) -> String {
        let id = self.next_id;
        self.next_id += 1;
        self.sent.insert(id, what);
        wire::request(id, method, params)
    }

    fn initialize(&mut self) -> String {
        // Warden reads and writes files for the agent (inside the project, through the file
        // journal) and runs commands in terminals in the project.
        let capabilities = acp::ClientCapabilities::new()
            .fs(acp::FileSystemCapabilities::new().read_text_file(true).write_text_file(true))
            .terminal(true);
        let params = acp::InitializeRequest::new(ProtocolVersion::V1)
            .client_capabilities(capabilities)
            .client_info(acp::Implementation::new("warden", env!("CARGO_PKG_VERSION")).title("Warden".to_owned()));
        self.phase = Phase::Initializing;
        self.request(Sent::Initialize, acp::AGENT_METHOD_NAMES.initialize, params)
    }

    fn open_session(&mut self, out: &mut Vec<Output>) {
        self.phase = Phase::Opening;
        let line = match self.resume_id.clone() {
            Some(id) if self.load_session => {
                // The replay may start before the answer to the load (Gemini CLI's does).
                self.phase = Phase::Replaying;
                let mut params = acp::LoadSessionRequest::new(acp::SessionId::new(id), self.project.clone());
                params.meta = self.session_meta.clone();
                self.request(Sent::LoadSession, acp::AGENT_METHOD_NAMES.session_load, params)
            }
            resume => {
                if resume.is_some() {
                    out.push(notice(
                        NoticeLevel::Warning,
                        "This agent cannot load an earlier conversation, so the session goes on in a new one.".into(),
                    ));
                }
                self.new_session()
            }
        };
        out.push(Output::Send(line));
    }

    fn new_session(&mut self) -> String {
        self.phase = Phase::Opening;
        let mut params = acp::NewSessionRequest::new(self.project.clone());
        params.meta = self.session_meta.clone();
        self.request(Sent::NewSession, acp::AGENT_METHOD_NAMES.session_new, params)
    }

    /// The session is open: Warden says so, and prompts that waited go out.
    fn opened(&mut self, out: &mut Vec<Output>) {
        self.phase = Phase::Ready;
        out.push(Output::Ready);
        for (turn, prompt) in std::mem::take(&mut self.queued) {
            let line = self.send_prompt(turn, &prompt);
            out.push(Output::Send(line));
        }
    }

    fn agent_info(&self) -> Output {
        Output::Event(SessionEventKind::AgentInfo(AgentInfo {
            agent_session_id: self.session_id.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            model: self.model.clone(),
            version: self.agent_version.clone(),
            tools: self.commands.clone(),
        }))
    }

    /// Re-announces what the agent is, after something about it changed.
    pub(super) fn info_changed(&self, out: &mut Vec<Output>) {
        if self.session_id.is_some() {
            out.push(self.agent_info());
        }
    }

    fn send_prompt(&mut self, turn: TurnId, prompt: &AgentPrompt) -> String {
        let session = self.session_id.clone().unwrap_or_else(|| acp::SessionId::new(""));
        let params = acp::PromptRequest::new(session, super::prompt_content::blocks(prompt, self.embedded));
        self.request(Sent::Prompt(turn), acp::AGENT_METHOD_NAMES.session_prompt, params)
    }

    fn response(&mut self, id: acp::RequestId, result: Result<Value, acp::Error>, now: Instant, out: &mut Vec<Output>) {
        let sent = match id {
            acp::RequestId::Number(n) => self.sent.remove(&n),
            _ => None,
        };
        let Some(sent) = sent else {
            out.push(notice(NoticeLevel::Warning, format!("The agent answered request {id}, which Warden never sent.")));
            return;
        };
        match (sent, result) {
            (Sent::Initialize, Ok(value)) => match wire::decode::<acp::InitializeResponse>("initialize response", value) {
                Ok(init) => {
                    self.initialized = true;
                    self.load_session = init.agent_capabilities.load_session;
                    self.images = init.agent_capabilities.prompt_capabilities.image;
                    self.embedded = init.agent_capabilities.prompt_capabilities.embedded_context;
                    self.agent_version = init.agent_info.map(|i| i.version);
                    self.open_session(out);
                }
                Err(e) => self.failed(format!("Warden could not start a session with the agent: {e}"), now, out),
            },
            (Sent::NewSession, Ok(value)) => match wire::decode::<acp::NewSessionResponse>("session/new response", value) {
                Ok(session) => {
                    self.session_id = Some(session.session_id);
                    self.take_session_state(session.modes, session.config_options, out);
                    out.push(self.agent_info());
                    self.opened(out);
                }
                Err(e) => self.failed(format!("Warden could not start a session with the agent: {e}"), now, out),
            },
            (Sent::LoadSession, Ok(value)) => {
                let loaded = wire::decode::<acp::LoadSessionResponse>("session/load response", value).unwrap_or_default();
                self.session_id = self.resume_id.clone().map(acp::SessionId::new);
                self.take_session_state(loaded.modes, loaded.config_options, out);
                out.push(self.agent_info());
                self.phase = Phase::Replaying;
                let line = self.request(Sent::ReplayBarrier, REPLAY_BARRIER, serde_json::json!({}));
                out.push(Output::Send(line));
            }
            (Sent::LoadSession, Err(e)) => {
                out.push(notice(
                    NoticeLevel::Warning,
                    format!("The agent could not load the earlier conversation ({}), so the session goes on in a new one.", error_text(&e)),
                ));
                let line = self.new_session();
                out.push(Output::Send(line));
            }
            // Any answer (normally "method not found") means the replay is over.
            (Sent::ReplayBarrier, _) => self.opened(out),
            (Sent::Initialize | Sent::NewSession, Err(e)) => {
                self.failed(format!("The agent refused to start a session: {}", error_text(&e)), now, out)
            }
            (Sent::Prompt(turn), result) => self.turn_ended(turn, result, now, out),
            (Sent::SetMode, Ok(_)) => {}
            (Sent::SetMode, Err(e)) => {
                out.push(notice(NoticeLevel::Warning, format!("The agent did not switch modes: {}", error_text(&e))))
            }
            (Sent::SetConfig, result) => self.switch_answered(result.map_err(|e| error_text(&e)), out),
        }
    }

    /// The `session/set_config_option` line for `params` (a model or effort switch).
    pub(super) fn set_config_line(&mut self, params: acp::SetSessionConfigOptionRequest) -> String {
        self.request(Sent::SetConfig, acp::AGENT_METHOD_NAMES.session_set_config_option, params)
    }

    /// The `session/set_mode` line for `params`; the mode is the one the agent should be in.
    pub(super) fn set_mode_line(&mut self, params: acp::SetSessionModeRequest) -> String {
        self.expected_mode = Some(params.mode_id.to_string());
        self.request(Sent::SetMode, acp::AGENT_METHOD_NAMES.session_set_mode, params)
    }

    /// Takes the modes and options of a session just opened. An agent that starts in a mode of
    /// its own (from its settings, like Gemini's `auto_edit`) may run calls without asking in
    /// it; the person is told, since Warden's mode does not decide those.
    fn take_session_state(&mut self, modes: Option<acp::SessionModeState>, options: Option<Vec<acp::SessionConfigOption>>, out: &mut Vec<Output>) {
        if let Some(modes) = modes {
            self.modes = modes.available_modes;
            self.expected_mode = Some(modes.current_mode_id.to_string());
        }
        if let Some(options) = options {
            if let Some(mode) = self.take_config(&options) {
                self.expected_mode.get_or_insert(mode);
            }
            self.take_controls(&options, out);
        }
        if let Some(mode) = self.expected_mode.as_deref().filter(|m| !matches!(*m, "default" | "plan")) {
            let name = self.modes.iter().find(|m| m.id.to_string() == mode).map_or(mode.to_owned(), |m| m.name.clone());
            out.push(notice(
                NoticeLevel::Warning,
                format!(
                    "The agent starts in its own mode '{name}' (from its settings), in which it may run some calls without asking. \
                     Warden still applies your deny rules to the files it reads and writes and the commands it runs through Warden."
                ),
            ));
        }
    }

    /// Start-up failed: the person is told, and prompts that waited for it end in an error.
    fn failed(&mut self, why: String, now: Instant, out: &mut Vec<Output>) {
        self.phase = Phase::Failed;
        out.push(notice(NoticeLevel::Warning, why.clone()));
        for (turn, _) in std::mem::take(&mut self.queued) {
            out.push(Output::Event(SessionEventKind::TurnEnded(self.ended(turn, now, StopReason::Error, Some(why.clone()), Usage::default()))));
        }
    }

    fn turn_ended(&mut self, turn: TurnId, result: Result<Value, acp::Error>, now: Instant, out: &mut Vec<Output>) {
        let (stop_reason, error, usage) = match result {
            Ok(value) => match wire::decode::<acp::PromptResponse>("session/prompt response", value.clone()) {
                Ok(r) => (stop_reason(r.stop_reason, self.interrupting), None, prompt_usage(r.usage.as_ref(), &value)),
                Err(e) => (StopReason::Error, Some(e), Usage::default()),
            },
            Err(e) => (if self.interrupting { StopReason::Cancelled } else { StopReason::Error }, Some(error_text(&e)), Usage::default()),
        };
        let error = error.filter(|_| stop_reason == StopReason::Error);
        // Calls still open did not finish in this turn.
        out.extend(self.calls.end_turn(stop_reason == StopReason::Cancelled, now).into_iter().map(Output::Event));
        out.push(Output::Event(SessionEventKind::TurnEnded(self.ended(turn, now, stop_reason, error, usage))));
        self.interrupting = false;
        self.last_chunk = None;
        self.message_number += 1;
    }

    fn ended(&mut self, turn: TurnId, now: Instant, stop_reason: StopReason, error: Option<String>, usage: Usage) -> TurnEnded {
        let started = match &self.turn {
            Some(open) if open.turn == turn => self.turn.take().map(|t| t.started),
            _ => None,
        };
        let cost_usd = self.reported_cost.take().map(|total| {
            // The cost an agent reports is its session's so far. A loaded session may count on
            // from the earlier total or from zero; a total below it can only count from zero.
            let offset = *self.cost_offset.get_or_insert(if total + 1e-9 >= self.cost_before { 0.0 } else { self.cost_before });
            let session = offset + total;
            let turn_cost = (session - self.session_cost).max(0.0);
            self.session_cost = session;
            turn_cost
        });
        let (context_tokens, context_window) = self.context.map_or((None, None), |(used, size)| (Some(used), Some(size)));
        TurnEnded {
            turn,
            stop_reason,
            error,
            duration_ms: started.map_or(0, |s| now.saturating_duration_since(s).as_millis() as u64),
            usage,
            cost_usd,
            session_cost_usd: self.session_cost,
            context_tokens,
            context_window,
        }
    }

    fn agent_request(&mut self, id: acp::RequestId, method: String, params: Value, now: Instant, out: &mut Vec<Output>) {
        let names = &acp::CLIENT_METHOD_NAMES;
        let decoded = if method == names.session_request_permission {
            wire::decode(&method, params).map(|r| self.permission_request(id.clone(), r, now, out))
        } else if method == names.fs_read_text_file {
            wire::decode(&method, params).map(|r| self.read_request(id.clone(), r, out))
        } else if method == names.fs_write_text_file {
            wire::decode(&method, params).map(|r| self.write_request(id.clone(), r, out))
        } else if let Some(action) = super::terminals::action(&method, &params) {
            action.map(|a| self.terminal_request(id.clone(), a, out))
        } else {
            // Elicitation is not offered, so a well-behaved agent never asks.
            out.push(Output::Send(wire::error_response(
                &id,
                acp::Error::method_not_found().data(serde_json::json!(format!("Warden does not offer {method}"))),
            )));
            if !method.starts_with('_') {
                out.push(notice(NoticeLevel::Warning, format!("The agent asked for {method}, which Warden does not offer.")));
            }
            return;
        };
        if let Err(e) = decoded {
            out.push(Output::Send(wire::error_response(&id, acp::Error::invalid_params().data(serde_json::json!(e.clone())))));
            out.push(notice(NoticeLevel::Warning, format!("The agent sent a request Warden could not read: {e}")));
        }
    }

    fn notification(&mut self, method: String, params: Value, line: &[u8], now: Instant, out: &mut Vec<Output>) {
        if method == acp::CLIENT_METHOD_NAMES.session_update {
            match wire::decode::<acp::SessionNotification>(&method, params) {
                // The conversation being replayed after a load is already in Warden's store.
                Ok(_) if self.phase == Phase::Replaying => {}
                Ok(n) => self.session_update(n.update, now, out),
                Err(e) => out.push(Output::Event(SessionEventKind::Unrecognised(raw_output(e, line)))),
            }
        } else if !method.starts_with('_') {
            // Extension notifications (`_…`, like Claude's `_auth/status_update`) may be
            // ignored by the protocol's rules; anything else is shown.
            out.push(Output::Event(SessionEventKind::Unrecognised(raw_output(format!("unknown notification '{method}'"), line))));
        }
    }

    /// The turn's current message id for a chunk without one: a new one after anything but
    /// text of the same kind.
    pub(super) fn message_id(&mut self, thought: bool, given: Option<&acp::MessageId>) -> String {
        if let Some(id) = given {
            let id = id.to_string();
            self.last_chunk = Some((thought, id.clone()));
            return id;
        }
        match &self.last_chunk {
            Some((kind, id)) if *kind == thought => id.clone(),
            _ => {
                self.message_number += 1;
                let turn = self.turn.as_ref().map_or(0, |t| t.turn.0);
                let id = format!("acp-{turn}-{}", self.message_number);
                self.last_chunk = Some((thought, id.clone()));
                id
            }
        }
    }
}

impl AgentAdapter for AcpAdapter {
    fn start(&mut self) -> Vec<String> {
        vec![self.initialize()]
    }

    fn accepts(&self) -> PromptAccepts {
        let mentions = if self.embedded { MentionDelivery::EmbeddedResource } else { MentionDelivery::ResourceLink };
        PromptAccepts::new(self.images, mentions)
    }

    fn prompt_input(&mut self, turn: TurnId, prompt: &AgentPrompt, now: Instant) -> Vec<String> {
        self.turn = Some(OpenTurn { turn, started: now });
        self.last_chunk = None;
        match self.phase {
            Phase::Ready => vec![self.send_prompt(turn, prompt)],
            Phase::Failed => {
                // Try again: the agent may work now (a login since, a network back).
                self.queued.push((turn, prompt.clone()));
                vec![if self.initialized { self.new_session() } else { self.initialize() }]
            }
            Phase::Initializing | Phase::Opening | Phase::Replaying => {
                self.queued.push((turn, prompt.clone()));
                Vec::new()
            }
        }
    }

    fn interrupt(&mut self) -> Vec<String> {
        let Some(session) = self.session_id.clone().filter(|_| self.turn.is_some()) else { return Vec::new() };
        self.interrupting = true;
        self.calls.stop();
        vec![wire::notification(acp::AGENT_METHOD_NAMES.session_cancel, acp::CancelNotification::new(session))]
    }

    fn on_line(&mut self, line: &[u8], now: Instant) -> Vec<Output> {
        let mut out = Vec::new();
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            return out;
        }
        match wire::parse(trimmed) {
            Ok(Incoming::Response { id, result }) => self.response(id, result, now, &mut out),
            Ok(Incoming::Request { id, method, params }) => self.agent_request(id, method, params, now, &mut out),
            Ok(Incoming::Notification { method, params }) => self.notification(method, params, trimmed, now, &mut out),
            Err(reason) => out.push(Output::Event(SessionEventKind::Unrecognised(raw_output(reason, trimmed)))),
        }
        out
    }

    fn answer(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant) -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        self.answer_permission(request, reply, now)
    }

    fn answer_tool_check(&mut self, _check: &ToolCheck, _answer: CheckAnswer<'_>, _now: Instant) -> (Vec<String>, Vec<SessionEventKind>) {
        // ACP has no hook before a call runs: the agent asks (`session/request_permission`) or
        // it does not, so no check is ever emitted.
        (Vec::new(), Vec::new())
    }

    fn answer_tool_done(&mut self, _id: &str) -> Vec<String> {
        Vec::new()
    }

    fn answer_client_request(&mut self, id: &str, result: ClientResult) -> (Vec<String>, Vec<SessionEventKind>) {
        self.answer_client(id, result)
    }

    fn set_mode(&mut self, mode: PermissionMode) -> Vec<String> {
        let Some(session) = self.session_id.clone() else { return Vec::new() };
        let Some(mode_id) = super::updates::agent_mode(mode, &self.modes) else { return Vec::new() };
        let params = acp::SetSessionModeRequest::new(session, mode_id);
        vec![self.set_mode_line(params)]
    }

    fn pending_requests(&self) -> Vec<PermissionRequestId> {
        self.permissions.keys().cloned().map(PermissionRequestId).collect()
    }

    fn set_model(&mut self, model: Option<&str>, effort: Option<&Effort>) -> Option<(Vec<String>, SessionControls)> {
        self.switch_lines(model, effort)
    }

    fn turn_open(&self) -> bool {
        self.turn.is_some()
    }
}

fn stop_reason(reason: acp::StopReason, interrupting: bool) -> StopReason {
    match reason {
        acp::StopReason::EndTurn if interrupting => StopReason::Cancelled,
        acp::StopReason::EndTurn => StopReason::EndTurn,
        acp::StopReason::MaxTokens => StopReason::MaxTokens,
        acp::StopReason::MaxTurnRequests => StopReason::MaxTurns,
        acp::StopReason::Refusal => StopReason::Refusal,
        acp::StopReason::Cancelled => StopReason::Cancelled,
        _ => StopReason::EndTurn,
    }
}

/// Token counts of a turn: the response's `usage` where the agent sends it (Claude's adapter),
/// else Gemini CLI's `_meta.quota.token_count`.
fn prompt_usage(usage: Option<&acp::Usage>, response: &Value) -> Usage {
    if let Some(u) = usage {
        return Usage {
            input_tokens: u.input_tokens,
            output_tokens: u.output_tokens,
            cache_read_tokens: u.cached_read_tokens.unwrap_or(0),
            cache_creation_tokens: u.cached_write_tokens.unwrap_or(0),
        };
    }
    let count = |key: &str| response.pointer(&format!("/_meta/quota/token_count/{key}")).and_then(Value::as_u64).unwrap_or(0);
    Usage { input_tokens: count("input_tokens"), output_tokens: count("output_tokens"), ..Usage::default() }
}

/// An error's message with its details (`data`), as the agent gave them.
pub(super) fn error_text(e: &acp::Error) -> String {
    match &e.data {
        Some(Value::String(s)) => format!("{}: {s}", e.message),
        Some(Value::Object(map)) => match map.get("details").and_then(Value::as_str) {
            Some(details) => format!("{}: {details}", e.message),
            None => format!("{}: {}", e.message, Value::Object(map.clone())),
        },
        Some(Value::Null) | None => e.message.clone(),
        Some(other) => format!("{}: {other}", e.message),
    }
}

/// A content block's text for a chunk.
pub(super) fn chunk_text(block: &acp::ContentBlock) -> String {
    block_text(block)
}
