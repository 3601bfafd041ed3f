//! Codex's questions: command and file-change approvals become permission questions offering
//! exactly the answers Codex lists; Warden's answer goes back as the decision Codex listed.
//! Requests Warden cannot put to the person are refused with a clear answer and a notice.

use super::adapter::{notice, CodexAdapter, Pending};
use super::tools::{self, Described};
use super::wire::*;
use crate::adapter::{Output, Reply};
use serde_json::{json, Value};
use std::time::Instant;
use warden_core::session::*;

/// What Codex takes for a file change when it lists nothing: its fixed decisions.
const FILE_DECISIONS: [PermissionDecision; 4] =
    [PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::Deny, PermissionDecision::DenyAndStop];

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
            "item/tool/requestUserInput" => {
                self.refuse(id, method, "Warden cannot show Codex's questions yet; carry on without an answer", out)
            }
            other => self.refuse(id, other, &format!("Warden does not support the request '{other}'"), out),
        }
    }

    /// Answers a request with an error and tells the person.
    fn refuse(&mut self, id: Value, method: &str, why: &str, out: &mut Vec<Output>) {
        out.push(Output::Send(json!({"id": id, "error": {"code": -32601, "message": why}}).to_string()));
        out.push(notice(NoticeLevel::Warning, format!("Codex asked '{method}', which was refused: {why}.")));
    }

    fn command_approval(&mut self, id: Value, ask: CommandApproval, params: Value, now: Instant, out: &mut Vec<Output>) {
        let described = match &ask.command {
            Some(command) => tools::command(command, ask.cwd.as_deref(), &params),
            None => match self.tools.get(&ask.item_id) {
                Some(state) => state.described.clone(),
                None => tools::command("", ask.cwd.as_deref(), &params),
            },
        };
        let offered = match &ask.available_decisions {
            Some(listed) => {
                let mut offered: Vec<PermissionDecision> = Vec::new();
                for decision in listed.iter().filter_map(listed_decision) {
                    if !offered.contains(&decision) {
                        offered.push(decision);
                    }
                }
                offered
            }
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
            listed: Some(ask.available_decisions.unwrap_or_default()),
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
                input: json!({"codex": params}),
                locations: Vec::new(),
            },
        };
        let pending = Pending { rpc_id: id, item_id: ask.item_id.clone(), title: described.title.clone(), listed: None };
        let question = Question { described, reason: ask.reason, blocked_path: ask.grant_root, offered: FILE_DECISIONS.to_vec() };
        self.ask(pending, question, now, out);
    }

    fn ask(&mut self, pending: Pending, question: Question, now: Instant, out: &mut Vec<Output>) {
        let Question { described, reason, blocked_path, offered } = question;
        let request_id = self.request_id(&pending.rpc_id);
        let item = pending.item_id.clone();
        if !self.tools.contains_key(&item) {
            self.open_tool(item.clone(), described.clone(), now, out);
        }
        self.set_status(&item, ToolCallStatus::AwaitingPermission, None, now, out);
        out.push(Output::Event(SessionEventKind::PermissionRequested(PermissionRequest {
            request_id: request_id.clone(),
            tool_call_id: Some(ToolCallId(item)),
            tool_name: described.name,
            title: described.title,
            raw_input: described.input,
            blocked_path,
            reason: reason.filter(|r| !r.is_empty()),
            raw_suggestions: None,
            subject: String::new(),
            outside_project: Vec::new(),
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
        let sent = match &pending.listed {
            Some(listed) => command_decision(listed, decision),
            None => file_decision(decision),
        };
        if sent == "cancel" {
            if let Some(turn) = self.turn.as_mut() {
                turn.cancelled = true;
            }
        }
        let mut lines = vec![json!({"id": pending.rpc_id, "result": {"decision": sent}}).to_string()];
        // Codex's answer has no room for words; the person's reason for a denial reaches the
        // model as their message in the running turn. (A stop ends the turn, so it has none.)
        let message = reply.message.as_deref().map(str::trim).filter(|m| !m.is_empty());
        if let (PermissionDecision::Deny, Some(message)) = (decision, message) {
            let text = format!("\"{}\" was denied in Warden: {message}", pending.title);
            lines.extend(self.steer(text));
        }
        let status = if decision.allows() {
            ToolCallStatus::Running
        } else if decision == PermissionDecision::Cancelled {
            ToolCallStatus::Cancelled
        } else {
            ToolCallStatus::Denied
        };
        let mut out = Vec::new();
        self.set_status(&pending.item_id, status, None, now, &mut out);
        let events = out
            .into_iter()
            .filter_map(|o| match o {
                Output::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        Some((lines, events))
    }

    /// Codex resolved a question itself (the turn ended or was interrupted): it is withdrawn,
    /// so the window closes it. After Warden's own answer nothing is pending any more.
    pub(super) fn withdrawn(&mut self, rpc_id: &Value, now: Instant, out: &mut Vec<Output>) {
        let key = self.request_id(rpc_id);
        let Some(pending) = self.pending.remove(key.as_str()) else { return };
        let mut resolution = PermissionResolution::new(key, PermissionDecision::Cancelled, DecisionSource::Agent);
        resolution.tool_call_id = Some(ToolCallId(pending.item_id.clone()));
        out.push(Output::Event(SessionEventKind::PermissionResolved(resolution)));
        self.set_status(&pending.item_id, ToolCallStatus::Cancelled, None, now, out);
    }
}

/// Warden's name for one of Codex's listed command decisions (`None` for ones it has no answer
/// for, such as a network policy amendment).
fn listed_decision(listed: &Value) -> Option<PermissionDecision> {
    let name = match listed {
        Value::String(s) => s.as_str(),
        Value::Object(o) => o.keys().next()?.as_str(),
        _ => return None,
    };
    Some(match name {
        "accept" => PermissionDecision::AllowOnce,
        "acceptForSession" => PermissionDecision::AllowSession,
        "acceptWithExecpolicyAmendment" => PermissionDecision::AllowAlways,
        "decline" => PermissionDecision::Deny,
        "cancel" => PermissionDecision::DenyAndStop,
        _ => return None,
    })
}

/// The decision to send for a command: the one Codex listed for Warden's answer, else the
/// nearest that allows no more than the person did. A plain denial is always `decline`
/// (Codex 0.169 lists only `cancel` yet takes `decline` and goes on with the turn).
fn command_decision(listed: &[Value], decision: PermissionDecision) -> Value {
    let find = |name: &str| {
        listed.iter().find(|v| v.as_str() == Some(name) || v.get(name).is_some()).cloned()
    };
    match decision {
        PermissionDecision::AllowOnce => json!("accept"),
        PermissionDecision::AllowSession => find("acceptForSession").unwrap_or(json!("accept")),
        PermissionDecision::AllowAlways => find("acceptWithExecpolicyAmendment")
            .or_else(|| find("acceptForSession"))
            .unwrap_or(json!("accept")),
        PermissionDecision::Deny => json!("decline"),
        PermissionDecision::DenyAndStop | PermissionDecision::Cancelled => json!("cancel"),
    }
}

/// The decision to send for a file change.
fn file_decision(decision: PermissionDecision) -> Value {
    json!(match decision {
        PermissionDecision::AllowOnce => "accept",
        PermissionDecision::AllowSession | PermissionDecision::AllowAlways => "acceptForSession",
        PermissionDecision::Deny => "decline",
        PermissionDecision::DenyAndStop | PermissionDecision::Cancelled => "cancel",
    })
}
