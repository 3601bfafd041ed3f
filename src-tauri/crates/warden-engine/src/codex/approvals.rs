//! Codex's questions: command and file-change approvals become permission questions; Warden's
//! answer goes back as Codex's decision. Requests Warden cannot put to the person are refused
//! with a clear answer and a notice.
//!
//! Codex is only ever granted the one call Warden decided: every allowing answer is `accept`.
//! Codex's wider grants are never sent: `acceptWithExecpolicyAmendment` writes a prefix rule
//! into `$CODEX_HOME/rules/default.rules`, which holds in every project and which Warden
//! neither sees nor can take back, and `acceptForSession` makes Codex stop asking for that
//! command (or, for a file change, for writes under its folder) for the rest of its session.
//! "Allow for this session" and "Always allow in this project" are Warden's own rules, shown
//! and editable in Warden; Codex asks again for the next call, and Warden's rules answer it.

use super::adapter::{CodexAdapter, Pending};
use super::tools::{self, Described};
use super::wire::*;
use crate::adapter::{notice, Output, Reply};
use serde_json::{json, Value};
use std::time::Instant;
use warden_core::session::*;

/// The answers offered when Codex takes its plain decisions (`accept`, `decline`, `cancel`):
/// always for a file change, and for a command when Codex lists none.
const FILE_DECISIONS: [PermissionDecision; 5] = [
    PermissionDecision::AllowOnce,
    PermissionDecision::AllowSession,
    PermissionDecision::AllowAlways,
    PermissionDecision::Deny,
    PermissionDecision::DenyAndStop,
];

/// What a permission question shows.
struct Question {
    described: Described,
    reason: Option<String>,
    blocked_path: Option<String>,
    offered: Vec<PermissionDecision>,
}

impl CodexAdapter {
    pub(super) fn server_request(&mut self, id: Value, method: &str, params: Value, now: Instant, out: &mut Vec<Output>) {
        match method {
            "item/commandExecution/requestApproval" => match serde_json::from_value::<CommandApproval>(params.clone()) {
                Ok(ask) => self.command_approval(id, ask, params, now, out),
                Err(e) => self.refuse(id, method, &format!("Warden could not read the question ({e})"), out),
            },
            "item/fileChange/requestApproval" => match serde_json::from_value::<FileApproval>(params.clone()) {
                Ok(ask) => self.file_approval(id, ask, params, now, out),
                Err(e) => self.refuse(id, method, &format!("Warden could not read the question ({e})"), out),
            },
            "item/permissions/requestApproval" => {
                let ask: OtherRequest = serde_json::from_value(params).unwrap_or_default();
                // An empty grant is Codex's "none of these": the call goes on without them.
                out.push(Output::Send(json!({"id": id, "result": {"permissions": {}, "scope": "turn"}}).to_string()));
                let why = ask.reason.map(|r| format!(" ({r})")).unwrap_or_default();
                out.push(notice(
                    NoticeLevel::Warning,
                    format!("Codex asked for more permissions{why}; Warden cannot grant those yet, so it granted none."),
                ));
            }
            "mcpServer/elicitation/request" => {
                let ask: OtherRequest = serde_json::from_value(params).unwrap_or_default();
                out.push(Output::Send(json!({"id": id, "result": {"action": "decline", "content": null, "_meta": null}}).to_string()));
                let what = ask.message.map(|m| format!(": {m}")).unwrap_or_default();
                out.push(notice(
                    NoticeLevel::Warning,
                    format!("An MCP server asked for input{what}. Warden cannot show such questions yet, so it declined."),
                ));
            }
            "item/tool/requestUserInput" => self.user_input_request(id, params, out),
            other => self.refuse(id, other, &format!("Warden does not support the request '{other}'"), out),
        }
    }

    /// Answers a request with an error and tells the person.
    pub(super) fn refuse(&mut self, id: Value, method: &str, why: &str, out: &mut Vec<Output>) {
        out.push(Output::Send(json!({"id": id, "error": {"code": -32601, "message": why}}).to_string()));
        out.push(notice(NoticeLevel::Warning, format!("Codex asked '{method}', which was refused: {why}.")));
    }

    fn command_approval(&mut self, id: Value, ask: CommandApproval, params: Value, now: Instant, out: &mut Vec<Output>) {
        let known = self.tools.get(&ask.item_id).map(|state| &state.described);
        // The folder the command runs in: the question's, else the one the item announced.
        let known_cwd = known.and_then(|d| d.input.cwd()).map(str::to_owned);
        let cwd = ask.cwd.clone().or(known_cwd);
        let described = match (&ask.command, known) {
            (Some(command), _) => tools::command(command, cwd.as_deref(), &params),
            (None, Some(described)) => described.clone(),
            (None, None) => tools::command("", cwd.as_deref(), &params),
        };
        let offered = match &ask.available_decisions {
            Some(listed) => offered_for(listed),
            // Without a list Codex takes any of its plain decisions.
            None => FILE_DECISIONS.to_vec(),
        };
        let mut reason = ask.reason.clone();
        if let Some(network) = &ask.network_approval_context {
            let host = format!("network access to {}", network.host);
            reason = Some(match reason {
                Some(r) => format!("{r} ({host})"),
                None => host,
            });
        }
        let pending = Pending {
            rpc_id: id,
            item_id: ask.item_id.clone(),
            title: described.title.clone(),
        };
        self.ask(pending, Question { described, reason, blocked_path: None, offered }, now, out);
    }

    fn file_approval(&mut self, id: Value, ask: FileApproval, params: Value, now: Instant, out: &mut Vec<Output>) {
        let described = match self.tools.get(&ask.item_id) {
            Some(state) => state.described.clone(),
            // The changes come with the item, which Codex announces first; without it the
            // question can only show Codex's raw parameters.
            None => Described {
                name: "Edit".into(),
                kind: ToolKind::Edit,
                title: "Change files".into(),
                input: ToolInput::other(params.clone()),
                raw: params,
                locations: Vec::new(),
            },
        };
        let pending = Pending { rpc_id: id, item_id: ask.item_id.clone(), title: described.title.clone() };
        let question = Question { described, reason: ask.reason, blocked_path: ask.grant_root, offered: FILE_DECISIONS.to_vec() };
        self.ask(pending, question, now, out);
    }

    fn ask(&mut self, pending: Pending, question: Question, now: Instant, out: &mut Vec<Output>) {
        let Question { described, reason, blocked_path, offered } = question;
        let request_id = self.request_id(&pending.rpc_id);
        let item = pending.item_id.clone();
        if !self.tools.contains(&item) {
            self.open_tool(item.clone(), described.clone(), now, out);
        }
        out.extend(self.tools.set_status(&item, ToolCallStatus::AwaitingPermission, now, None).map(Output::Event));
        // Codex runs the command or applies the patch only once answered, so the journal's
        // snapshot now holds nothing of it; its final status ends it.
        if let Some(call) = self.tools.data_mut(&item).filter(|c| !c.journaled) {
            call.journaled = true;
            out.push(Output::ToolWaits { tool_call_id: ToolCallId(item.clone()) });
        }
        out.push(Output::Event(SessionEventKind::PermissionRequested(PermissionRequest {
            request_id: request_id.clone(),
            tool_call_id: Some(ToolCallId(item)),
            tool_name: described.name,
            title: described.title,
            input: described.input,
            raw_input: described.raw,
            blocked_path,
            reason: reason.filter(|r| !r.is_empty()),
            raw_suggestions: None,
            subject: String::new(),
            outside_project: Vec::new(),
            protected_paths: Vec::new(),
            suggested_rules: Vec::new(),
            plan: None,
            offered: Some(offered),
        })));
        self.pending.insert(request_id.0, pending);
    }

    pub(super) fn answer_question(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.pending.remove(request.as_str())?;
        let decision = reply.decision;
        let sent = json!(plain_decision(decision));
        if sent == "cancel" {
            if let Some(turn) = self.turn.as_mut() {
                turn.cancelled = true;
            }
            self.tools.stop();
        }
        // Codex's answer has no room for words; the person's reason for a denial reaches the
        // model as their message in the running turn. (A stop ends the turn, so it has none.)
        // The answer waits for Codex to take the words in: answered, Codex samples again at
        // once, and words that arrive after that request was built would miss it (sending the
        // steer first is not enough: Codex handles the two on different tasks).
        let answer = json!({"id": pending.rpc_id, "result": {"decision": sent}}).to_string();
        let message = reply.message.as_deref().map(str::trim).filter(|m| !m.is_empty());
        let lines = match (decision, message) {
            (PermissionDecision::Deny, Some(message)) => {
                let text = format!("\"{}\" was denied in Warden: {message}", pending.title);
                // Without a named turn there is nothing to steer: the answer goes alone.
                match self.steer_then(text, Some(answer.clone())) {
                    Some(steer) => vec![steer],
                    None => vec![answer],
                }
            }
            _ => vec![answer],
        };
        let events = self.tools.decide(&pending.item_id, decision, now).into_iter().collect();
        Some((lines, events))
    }

    /// Codex resolved a question itself (the turn ended or was interrupted): it is withdrawn,
    /// so the window closes it. After Warden's own answer nothing is pending any more.
    pub(super) fn withdrawn(&mut self, rpc_id: &Value, now: Instant, out: &mut Vec<Output>) {
        let key = self.request_id(rpc_id);
        if self.user_input_withdrawn(&key, out) {
            return;
        }
        let Some(pending) = self.pending.remove(key.as_str()) else { return };
        let mut resolution = PermissionResolution::new(key, PermissionDecision::Cancelled, DecisionSource::Agent);
        resolution.tool_call_id = Some(ToolCallId(pending.item_id.clone()));
        out.push(Output::Event(SessionEventKind::PermissionResolved(resolution)));
        out.extend(self.tools.decide(&pending.item_id, PermissionDecision::Cancelled, now).map(Output::Event));
    }
}

/// The answers Warden offers for the decisions Codex listed: allowing ones when Codex takes a
/// plain `accept` (the session and project grants are Warden's own rules), a denial always (a
/// plain `decline` is always taken), a stop when Codex lists `cancel`.
fn offered_for(listed: &[Value]) -> Vec<PermissionDecision> {
    let names: Vec<&str> = listed.iter().filter_map(decision_name).collect();
    let mut offered = Vec::new();
    if names.contains(&"accept") {
        offered.extend([PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::AllowAlways]);
    }
    offered.push(PermissionDecision::Deny);
    if names.contains(&"cancel") {
        offered.push(PermissionDecision::DenyAndStop);
    }
    offered
}

/// The name of one of Codex's listed decisions (`"accept"`, or the key of
/// `{"acceptWithExecpolicyAmendment": …}`).
fn decision_name(listed: &Value) -> Option<&str> {
    match listed {
        Value::String(s) => Some(s.as_str()),
        Value::Object(o) => o.keys().next().map(String::as_str),
        _ => None,
    }
}

/// The decision to send for a command or a file change. Every allowing answer is a plain
/// `accept`, the one call (see the module's note). A plain denial is always `decline` (Codex
/// 0.169 lists only `cancel` yet takes `decline` and goes on with the turn).
fn plain_decision(decision: PermissionDecision) -> &'static str {
    match decision {
        PermissionDecision::AllowOnce | PermissionDecision::AllowSession | PermissionDecision::AllowAlways => "accept",
        PermissionDecision::Deny => "decline",
        PermissionDecision::DenyAndStop | PermissionDecision::Cancelled => "cancel",
    }
}
