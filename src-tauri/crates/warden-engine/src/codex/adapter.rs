//! `codex app-server`'s JSON-RPC, translated into session events.
//!
//! [`CodexAdapter`] is a plain state machine with no I/O, like the Claude adapter: the actor
//! feeds it stdout lines and the person's decisions and writes what it returns. The lifecycle
//! (PROTOCOLS.md §2.2): `initialize` → `initialized` → `thread/start` (or `thread/resume` of
//! the thread an earlier process started) → one `turn/start` per prompt; items stream in as
//! `item/started`, deltas and `item/completed`, and `turn/completed` ends the turn.

use super::items::CodexCall;
use super::wire::*;
use crate::adapter::{notice, AgentAdapter, CheckAnswer, Output, Reply, ToolCheck};
use crate::tool_calls::ToolCalls;
use crate::session::prompt_input::AgentPrompt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use warden_core::session::*;

/// Notifications Warden asks the server not to send at all (it ignores them anyway): the diff
/// of the whole turn after every change would be the largest lines on the wire.
const OPTED_OUT: &[&str] =
    &["turn/diff/updated", "thread/status/changed", "remoteControl/status/changed"];

/// What one of Warden's requests was, to read its response.
#[derive(Debug, Clone, PartialEq)]
enum Call {
    Initialize,
    ThreadStart,
    ThreadResume(String),
    TurnStart,
    Interrupt,
    /// `turn/steer`, with the line to send once Codex has taken the words in (a denial's
    /// answer waits for its reason).
    Steer(Option<String>),
    ModelList,
}

#[derive(Debug)]
pub(super) struct OpenTurn {
    id: TurnId,
    started: Instant,
    /// Codex's id for the turn, once `turn/start` answered.
    pub(super) codex: Option<String>,
    /// An interrupt asked for before Codex named the turn.
    interrupt_wanted: bool,
    /// A question was answered `cancel`, which interrupts the turn already: another
    /// interrupt would only be refused.
    pub(super) cancelled: bool,
    pub(super) usage: Usage,
    pub(super) context: Option<(u64, Option<u64>)>,
    /// Steers asked for before Codex named the turn (`turn/steer` needs its id).
    steers: Vec<String>,
}

/// A question Codex waits on.
#[derive(Debug)]
pub(super) struct Pending {
    /// The id to answer with, as Codex sent it.
    pub rpc_id: Value,
    pub item_id: String,
    pub title: String,
}

/// Translates one `codex app-server` process's output.
#[derive(Debug)]
pub struct CodexAdapter {
    pub(super) project: PathBuf,
    model: Option<String>,
    sandbox: Sandbox,
    /// `approvalPolicy` for the next turns (see [`approval_policy`]).
    approval: &'static str,
    /// The thread an earlier process started, to resume.
    resume: Option<String>,
    /// Instructions passed with a new thread (`developerInstructions`): the project's
    /// `AGENTS.md`, which Codex does not read in a project marked untrusted.
    instructions: Option<String>,
    /// Makes question ids unique across the processes of one session (Codex counts its
    /// request ids from 0 in every process).
    nonce: String,
    next_id: u64,
    calls: HashMap<u64, Call>,
    pub(super) thread: Option<String>,
    /// `thread/start` failed; the next prompt tries again.
    start_failed: bool,
    /// A prompt sent before the thread was ready.
    queued: Option<AgentPrompt>,
    pub(super) turn: Option<OpenTurn>,
    /// The thread's token total at the last usage update, to count each update once.
    pub(super) last_total: Option<TokenBreakdown>,
    /// Every call of the turn: status and clock (see [`crate::tool_calls`]).
    pub(super) tools: ToolCalls<CodexCall>,
    /// Text already streamed per message and part, to add only what is missing at the end.
    pub(super) streamed: HashMap<(String, u32), String>,
    pub(super) pending: HashMap<String, Pending>,
    /// Requests for input waiting for the person (see [`super::user_input`]).
    pub(super) user_inputs: HashMap<String, super::user_input::UserInput>,
    session_cost: f64,
    /// A reviewer's answer schema, sent as every turn's `outputSchema` (see
    /// [`CodexAdapter::answering_in`]).
    output_schema: Option<Value>,
    /// The model and effort (see `controls.rs`).
    pub(super) switch: super::controls::ModelSwitch,
    /// The account's rate limits as last reported (see `rate_limits.rs`).
    pub(super) rate_limits: Option<warden_core::usage::RateLimits>,
}

/// The `approvalPolicy` Warden runs Codex with, in every permission mode: `untrusted`, sent
/// with `thread/start`, `thread/resume` and every `turn/start`.
///
/// With `on-request` Codex runs whatever its sandbox allows without asking (`rm -rf src` in a
/// workspace-write sandbox), so Warden's rules, deny rules included, never saw those commands.
/// With `untrusted` Codex 0.169 asks before every command it runs (`exec_command`, even `ls`
/// or `cat`: `codex_grants.rs` checks this with the real CLI) and before every file change,
/// even inside a writable sandbox. Warden's rules and mode answer (accept edits allows file
/// changes inside the project, bypass allows what no deny rule forbids) or the person does.
/// Codex's sandbox still applies to what runs.
pub fn approval_policy(_mode: PermissionMode) -> &'static str {
    "untrusted"
}

impl CodexAdapter {
    /// An adapter for a new Codex thread in `project`.
    pub fn new(project: PathBuf, model: Option<String>, sandbox: Sandbox, mode: PermissionMode) -> Self {
        Self {
            project,
            model,
            sandbox,
            approval: approval_policy(mode),
            resume: None,
            instructions: None,
            nonce: format!("{:x}", crate::now_ms()),
            next_id: 0,
            calls: HashMap::new(),
            thread: None,
            start_failed: false,
            queued: None,
            turn: None,
            last_total: None,
            tools: ToolCalls::new(),
            streamed: HashMap::new(),
            pending: HashMap::new(),
            user_inputs: HashMap::new(),
            session_cost: 0.0,
            output_schema: None,
            switch: Default::default(),
            rate_limits: None,
        }
    }

    /// A reviewer's thread: every turn's final message follows `schema` (`outputSchema`), and
    /// Codex asks nothing (`approvalPolicy: never`): nobody would answer a reviewer's question,
    /// and the thread's `read-only` sandbox is what keeps it from writing. `None` changes
    /// nothing.
    pub fn answering_in(mut self, schema: Option<Value>) -> Self {
        if schema.is_some() {
            self.approval = "never";
        }
        self.output_schema = schema;
        self
    }

    /// Passes `text` as instructions with a new thread (see [`super::project_instructions`]).
    pub fn with_instructions(mut self, text: Option<String>) -> Self {
        self.instructions = text;
        self
    }

    /// Continues the thread `thread_id` of an earlier process (after a restart), whose session
    /// has cost `cost_usd` so far (Codex reports no cost, so it stays as it was).
    pub fn resuming(mut self, thread_id: Option<String>, cost_usd: f64) -> Self {
        self.resume = thread_id;
        self.session_cost = cost_usd;
        self
    }

    /// A request line; its response is read as `call`.
    fn request(&mut self, method: &str, params: Value, call: Call) -> String {
        self.next_id += 1;
        self.calls.insert(self.next_id, call);
        json!({"id": self.next_id, "method": method, "params": params}).to_string()
    }

    fn thread_start(&mut self) -> String {
        let mut params = json!({"cwd": self.project, "approvalPolicy": self.approval, "sandbox": self.sandbox.as_str()});
        if let Some(model) = &self.model {
            params["model"] = json!(model);
        }
        if let Some(text) = &self.instructions {
            params["developerInstructions"] = json!(text);
        }
        self.request("thread/start", params, Call::ThreadStart)
    }

    fn thread_resume(&mut self, thread: String) -> String {
        // The history stays with Codex; asking for it only makes the answer large (and Codex
        // 0.169 warns that full hydration is deprecated).
        let mut params = json!({"threadId": thread, "cwd": self.project, "approvalPolicy": self.approval,
            "sandbox": self.sandbox.as_str(), "excludeTurns": true});
        if let Some(model) = &self.model {
            params["model"] = json!(model);
        }
        self.request("thread/resume", params, Call::ThreadResume(thread))
    }

    fn turn_start(&mut self, thread: String, prompt: &AgentPrompt) -> String {
        let mut params = json!({"threadId": thread, "approvalPolicy": self.approval, "input": user_input(prompt)});
        if let Some(schema) = &self.output_schema {
            params["outputSchema"] = schema.clone();
        }
        self.switch.apply(&mut params);
        self.request("turn/start", params, Call::TurnStart)
    }

    fn interrupt_line(&mut self) -> Option<String> {
        let thread = self.thread.clone()?;
        let turn = self.turn.as_ref()?.codex.clone()?;
        Some(self.request("turn/interrupt", json!({"threadId": thread, "turnId": turn}), Call::Interrupt))
    }

    /// A line that adds `text` to the running turn as the person's words (`turn/steer`).
    pub(super) fn steer_line(&mut self, text: String) -> Option<String> {
        self.steer_then(text, None)
    }

    /// Like [`Self::steer_line`], with `then` sent only when Codex has answered the steer: what
    /// `then` sets off (a sample of the model) then sees the words.
    pub(super) fn steer_then(&mut self, text: String, then: Option<String>) -> Option<String> {
        let thread = self.thread.clone()?;
        let turn = self.turn.as_ref()?.codex.clone()?;
        let params = json!({"threadId": thread, "expectedTurnId": turn,
            "input": [{"type": "text", "text": text, "text_elements": []}]});
        Some(self.request("turn/steer", params, Call::Steer(then)))
    }

    pub(super) fn request_id(&self, rpc_id: &Value) -> PermissionRequestId {
        let id = match rpc_id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        PermissionRequestId(format!("codex-{}-{id}", self.nonce))
    }

    fn message(&mut self, msg: Message, now: Instant, out: &mut Vec<Output>) {
        match (msg.id, msg.method) {
            (Some(id), Some(method)) => self.server_request(id, &method, msg.params, now, out),
            (None, Some(method)) => self.notification(&method, msg.params, now, out),
            (Some(id), None) => self.response(id, msg.result, msg.error, now, out),
            (None, None) => out.push(raw("neither a request, a response nor a notification".into())),
        }
    }

    fn response(&mut self, id: Value, result: Option<Value>, error: Option<RpcError>, now: Instant, out: &mut Vec<Output>) {
        let Some(call) = id.as_u64().and_then(|n| self.calls.remove(&n)) else {
            out.push(raw("a response to a request Warden did not send".into()));
            return;
        };
        let result = result.unwrap_or(Value::Null);
        match (call, error) {
            (Call::Initialize, None) => {
                out.push(Output::Send(json!({"method": "initialized"}).to_string()));
                let line = match self.resume.clone() {
                    Some(thread) => self.thread_resume(thread),
                    None => self.thread_start(),
                };
                out.push(Output::Send(line));
            }
            (Call::Initialize, Some(e)) => {
                self.start_failed = true;
                out.push(notice(NoticeLevel::Warning, format!("Codex refused to start a session: {}", e.message)));
            }
            (Call::ThreadStart | Call::ThreadResume(_), None) => match serde_json::from_value::<ThreadResult>(result) {
                Ok(started) => self.thread_ready(started, out),
                Err(e) => out.push(raw(format!("could not read Codex's thread: {e}"))),
            },
            (Call::ThreadResume(thread), Some(e)) => {
                out.push(notice(
                    NoticeLevel::Warning,
                    format!(
                        "Codex could not resume its thread {thread} ({}); a new thread starts, without the earlier conversation.",
                        e.message
                    ),
                ));
                self.resume = None;
                let line = self.thread_start();
                out.push(Output::Send(line));
            }
            (Call::ThreadStart, Some(e)) => {
                self.start_failed = true;
                let text = format!("Codex could not start a thread: {}", e.message);
                if self.queued.take().is_some() {
                    self.end_turn(StopReason::Error, Some(text), None, now, out);
                } else {
                    out.push(notice(NoticeLevel::Warning, text));
                }
            }
            (Call::TurnStart, None) => {
                if let Ok(TurnHolder { turn }) = serde_json::from_value(result) {
                    self.turn_named(turn.id, out);
                }
            }
            (Call::TurnStart, Some(e)) => {
                self.end_turn(StopReason::Error, Some(format!("Codex refused the prompt: {}", e.message)), None, now, out)
            }
            (Call::Interrupt, Some(e)) => {
                out.push(notice(NoticeLevel::Warning, format!("Codex refused to interrupt the turn: {}", e.message)))
            }
            (Call::Steer(then), Some(e)) => {
                out.push(notice(
                    NoticeLevel::Warning,
                    format!("Codex did not pass the message on to the model: {}", e.message),
                ));
                out.extend(then.map(Output::Send));
            }
            (Call::Steer(then), None) => out.extend(then.map(Output::Send)),
            (Call::Interrupt, None) => {}
            (Call::ModelList, None) => self.model_list(result, out),
            // An older server without the list: the switch still takes a typed model.
            (Call::ModelList, Some(_)) => {}
        }
    }

    fn thread_ready(&mut self, started: ThreadResult, out: &mut Vec<Output>) {
        self.thread = Some(started.thread.id.clone());
        self.start_failed = false;
        out.push(Output::Event(SessionEventKind::AgentInfo(AgentInfo {
            agent_session_id: started.thread.id.clone(),
            model: started.model.clone(),
            version: started.thread.cli_version,
            tools: Vec::new(),
        })));
        let controls = self.switch.thread_ready(started.model, started.reasoning_effort);
        out.push(Output::Event(SessionEventKind::Controls(controls)));
        out.push(Output::Ready);
        if let Some(prompt) = self.queued.take() {
            let line = self.turn_start(started.thread.id, &prompt);
            out.push(Output::Send(line));
        }
        // The models to offer; the session is usable before the answer.
        let list = self.request("model/list", json!({}), Call::ModelList);
        out.push(Output::Send(list));
    }

    /// Codex named the running turn: an interrupt asked for before can go out now.
    pub(super) fn turn_named(&mut self, id: String, out: &mut Vec<Output>) {
        let Some(turn) = self.turn.as_mut() else { return };
        if turn.codex.is_some() {
            return;
        }
        turn.codex = Some(id);
        let steers = std::mem::take(&mut turn.steers);
        if std::mem::take(&mut turn.interrupt_wanted) {
            out.extend(self.interrupt_line().map(Output::Send));
        } else {
            for text in steers {
                out.extend(self.steer_line(text).map(Output::Send));
            }
        }
    }

    pub(super) fn turn_completed(&mut self, turn: Turn, now: Instant, out: &mut Vec<Output>) {
        let ours = self.turn.as_ref().is_some_and(|t| t.codex.as_deref().is_none_or(|c| c == turn.id));
        if !ours {
            return;
        }
        let (stop_reason, error) = match turn.status.as_str() {
            "completed" => (StopReason::EndTurn, None),
            "interrupted" => (StopReason::Cancelled, None),
            other => {
                let text = turn.error.map(|e| e.text()).unwrap_or_else(|| format!("the turn ended as '{other}'"));
                (StopReason::Error, Some(text))
            }
        };
        self.end_turn(stop_reason, error, turn.duration_ms, now, out);
    }

    fn end_turn(&mut self, stop_reason: StopReason, error: Option<String>, duration_ms: Option<u64>, now: Instant, out: &mut Vec<Output>) {
        let Some(turn) = self.turn.take() else { return };
        // Anything still open did not finish in this turn.
        out.extend(self.tools.end_turn(stop_reason == StopReason::Cancelled, now).into_iter().map(Output::Event));
        let (context_tokens, context_window) = turn.context.map_or((None, None), |(t, w)| (Some(t), w));
        out.push(Output::Event(SessionEventKind::TurnEnded(TurnEnded {
            turn: turn.id,
            stop_reason,
            error,
            duration_ms: duration_ms.unwrap_or_else(|| now.saturating_duration_since(turn.started).as_millis() as u64),
            usage: turn.usage,
            cost_usd: None,
            session_cost_usd: self.session_cost,
            context_tokens,
            context_window,
        })));
        self.streamed.clear();
    }
}

impl AgentAdapter for CodexAdapter {
    fn start(&mut self) -> Vec<String> {
        let params = json!({
            "clientInfo": {"name": "warden", "title": "Warden", "version": env!("CARGO_PKG_VERSION")},
            "capabilities": {"experimentalApi": false, "requestAttestation": false, "optOutNotificationMethods": OPTED_OUT},
        });
        vec![self.request("initialize", params, Call::Initialize)]
    }

    fn accepts(&self) -> PromptAccepts {
        PromptAccepts::new(true, MentionDelivery::Text)
    }

    fn prompt_input(&mut self, turn: TurnId, prompt: &AgentPrompt, now: Instant) -> Vec<String> {
        self.turn = Some(OpenTurn {
            id: turn,
            started: now,
            codex: None,
            interrupt_wanted: false,
            cancelled: false,
            usage: Usage::default(),
            context: None,
            steers: Vec::new(),
        });
        match self.thread.clone() {
            Some(thread) => vec![self.turn_start(thread, prompt)],
            None => {
                // Sent once the thread is ready; a thread that failed to start is tried again.
                self.queued = Some(prompt.clone());
                if std::mem::take(&mut self.start_failed) {
                    vec![self.thread_start()]
                } else {
                    Vec::new()
                }
            }
        }
    }

    fn interrupt(&mut self) -> Vec<String> {
        let Some(turn) = self.turn.as_mut() else { return Vec::new() };
        self.tools.stop();
        if turn.cancelled {
            return Vec::new();
        }
        if turn.codex.is_none() {
            turn.interrupt_wanted = true;
            return Vec::new();
        }
        self.interrupt_line().into_iter().collect()
    }

    fn on_line(&mut self, line: &[u8], now: Instant) -> Vec<Output> {
        let mut out = Vec::new();
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            return out;
        }
        match serde_json::from_slice::<Message>(trimmed) {
            Ok(msg) => self.message(msg, now, &mut out),
            Err(e) => {
                let reason = if trimmed.first() == Some(&b'{') { format!("could not read: {e}") } else { "not JSON".into() };
                out.push(raw(reason));
            }
        }
        // Raw entries carry no text yet: attach the line.
        for o in &mut out {
            if let Output::Event(SessionEventKind::Unrecognised(r)) = o {
                if r.bytes == 0 {
                    *r = crate::adapter::raw_output(r.reason.clone(), trimmed);
                }
            }
        }
        out
    }

    fn answer(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant) -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        if self.user_inputs.contains_key(request.as_str()) {
            return self.decline_user_input(request, reply);
        }
        self.answer_question(request, reply, now)
    }

    fn answer_choices(&mut self, request: &PermissionRequestId, answers: &[QuestionAnswer], _now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        self.answer_user_input(request, answers)
    }

    /// Codex has no hook before a tool runs, so this is never asked.
    fn answer_tool_check(&mut self, _check: &ToolCheck, _answer: CheckAnswer<'_>, _now: Instant) -> (Vec<String>, Vec<SessionEventKind>) {
        (Vec::new(), Vec::new())
    }

    /// Codex has no hook after a tool runs, so this is never asked.
    fn answer_tool_done(&mut self, _id: &str) -> Vec<String> {
        Vec::new()
    }

    /// Nothing is sent now: the next `turn/start` carries the mode's [`approval_policy`].
    fn set_mode(&mut self, mode: PermissionMode) -> Vec<String> {
        // A reviewer's thread stays at `never` (see `answering_in`).
        if self.output_schema.is_none() {
            self.approval = approval_policy(mode);
        }
        Vec::new()
    }

    fn pending_requests(&self) -> Vec<PermissionRequestId> {
        self.pending.keys().chain(self.user_inputs.keys()).cloned().map(PermissionRequestId).collect()
    }

    /// `turn/steer`; before Codex named the turn, kept until it does.
    fn steer(&mut self, text: &str) -> Option<Vec<String>> {
        let turn = self.turn.as_mut()?;
        if turn.codex.is_none() {
            turn.steers.push(text.to_owned());
            return Some(Vec::new());
        }
        Some(self.steer_line(text.to_owned()).into_iter().collect())
    }

    /// Nothing is sent now: the next `turn/start` carries the model and effort.
    fn set_model(&mut self, model: Option<&str>, effort: Option<&Effort>) -> Option<(Vec<String>, SessionControls)> {
        Some((Vec::new(), self.switch.switch(model, effort)))
    }

    fn turn_open(&self) -> bool {
        self.turn.is_some()
    }
}

/// A raw entry whose text `on_line` fills in from the line.
pub(super) fn raw(reason: String) -> Output {
    Output::Event(SessionEventKind::Unrecognised(RawOutput { reason, text: String::new(), bytes: 0 }))
}

/// A prompt as Codex's `UserInput` items: the text, with each mention as an `@path` in it
/// (Codex's own `mention` item names apps and plugins: one naming a file reaches the model as
/// nothing at all, checked with codex 0.169; its composer puts a chosen file's path in the
/// text, so the model reads it with its tools), then each image as a
/// `localImage` — the copy Warden keeps, which Codex reads and sends to the model itself.
fn user_input(prompt: &AgentPrompt) -> Value {
    let mut items = vec![json!({"type": "text", "text": prompt.text_with_mentions(), "text_elements": []})];
    for image in &prompt.images {
        items.push(json!({"type": "localImage", "path": image.file}));
    }
    Value::Array(items)
}
