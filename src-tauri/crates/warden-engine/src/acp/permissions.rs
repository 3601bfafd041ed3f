//! `session/request_permission`: the agent's options as the answers Warden offers, and Warden's
//! decision as the option the agent gets back.
//!
//! Options are matched by kind, never by id, position or name (ids are the agent's own and
//! change between versions):
//!
//! | ACP option kind | Warden answers offered |
//! |---|---|
//! | `allow_once` | allow once |
//! | `allow_always` | allow for the session, always allow in the project |
//! | `reject_once`, `reject_always` | deny |
//! | (always) | deny and stop: the `cancelled` outcome, then `session/cancel` |
//!
//! `allow_always` is "for this session" in Gemini CLI ("Allow for this session") and in Claude's
//! adapter (a session rule), so it is Warden's allow-for-the-session. "Always allow in this
//! project" is Warden's own rule, saved by Warden; the agent gets the same `allow_always`.

use super::adapter::{AcpAdapter, PendingPermission};
use super::tools::AcpCall;
use super::wire;
use crate::adapter::{Output, Reply};
use agent_client_protocol::v1::schema as acp;
use serde_json::Value;
use std::time::Instant;
use warden_core::session::*;

impl AcpAdapter {
    pub(super) fn permission_request(&mut self, id: acp::RequestId, request: acp::RequestPermissionRequest, now: Instant, out: &mut Vec<Output>) {
        let call_id = request.tool_call.tool_call_id.to_string();
        if self.calls.contains_key(&call_id) {
            self.change(&call_id, &request.tool_call, Some(ToolCallStatus::AwaitingPermission), now, out);
        } else {
            let mut call = AcpCall::default();
            call.update(&request.tool_call);
            let raw = match serde_json::to_value(&request.tool_call) {
                Ok(Value::Object(map)) => map,
                _ => serde_json::Map::new(),
            };
            self.announce(&call_id, call, raw, ToolCallStatus::AwaitingPermission, now, out);
        }
        let state = &self.calls[&call_id];
        let raw_input = state.acp.input(&Value::Object(state.raw.clone()));
        let tool_name = state.acp.tool_name();
        let plan = (tool_name == "ExitPlanMode").then(|| raw_input.get("plan").and_then(Value::as_str).map(str::to_owned)).flatten();
        let key = wire::id_text(&id);
        out.push(Output::Event(SessionEventKind::PermissionRequested(PermissionRequest {
            request_id: PermissionRequestId(key.clone()),
            tool_call_id: Some(ToolCallId(call_id.clone())),
            tool_name,
            title: state.acp.title(),
            raw_input,
            blocked_path: None,
            reason: None,
            raw_suggestions: None,
            subject: String::new(),
            outside_project: Vec::new(),
            suggested_rules: Vec::new(),
            plan,
            offered: Some(offered(&request.options)),
        })));
        self.permissions.insert(key, PendingPermission { id, options: request.options, tool_call_id: call_id });
    }

    pub(super) fn answer_permission(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant) -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.permissions.remove(request.as_str())?;
        let decision = reply.decision;
        let outcome = match option_for(decision, &pending.options) {
            Some(option) => acp::RequestPermissionOutcome::Selected(acp::SelectedPermissionOutcome::new(option)),
            None => acp::RequestPermissionOutcome::Cancelled,
        };
        let mut lines = vec![wire::response(&pending.id, acp::RequestPermissionResponse::new(outcome))];
        let mut out = Vec::new();
        let status = if decision.allows() {
            ToolCallStatus::Running
        } else if matches!(decision, PermissionDecision::Cancelled | PermissionDecision::DenyAndStop) {
            ToolCallStatus::Cancelled
        } else {
            // Gemini CLI says nothing more about a rejected call, so Warden closes it.
            ToolCallStatus::Denied
        };
        self.set_status(&pending.tool_call_id, status, now, &mut out);
        if decision == PermissionDecision::DenyAndStop {
            // The protocol's way to stop a turn; every other question is then cancelled too.
            for (key, other) in std::mem::take(&mut self.permissions) {
                let cancelled = acp::RequestPermissionResponse::new(acp::RequestPermissionOutcome::Cancelled);
                lines.push(wire::response(&other.id, cancelled));
                let mut resolution = PermissionResolution::new(PermissionRequestId(key), PermissionDecision::Cancelled, DecisionSource::User);
                resolution.tool_call_id = Some(ToolCallId(other.tool_call_id.clone()));
                out.push(Output::Event(SessionEventKind::PermissionResolved(resolution)));
                self.set_status(&other.tool_call_id, ToolCallStatus::Cancelled, now, &mut out);
            }
            lines.extend(crate::adapter::AgentAdapter::interrupt(self));
        }
        let events = out
            .into_iter()
            .filter_map(|o| match o {
                Output::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        Some((lines, events))
    }
}

/// The answers Warden offers for these options.
pub(super) fn offered(options: &[acp::PermissionOption]) -> Vec<PermissionDecision> {
    let has = |kind: acp::PermissionOptionKind| options.iter().any(|o| o.kind == kind);
    let mut offered = Vec::new();
    if has(acp::PermissionOptionKind::AllowOnce) {
        offered.push(PermissionDecision::AllowOnce);
    }
    if has(acp::PermissionOptionKind::AllowAlways) {
        offered.extend([PermissionDecision::AllowSession, PermissionDecision::AllowAlways]);
    }
    if has(acp::PermissionOptionKind::RejectOnce) || has(acp::PermissionOptionKind::RejectAlways) {
        offered.push(PermissionDecision::Deny);
    }
    offered.push(PermissionDecision::DenyAndStop);
    offered
}

/// The option that carries out `decision`, by kind; `None` answers `cancelled` (nothing fits,
/// or the decision is to stop).
pub(super) fn option_for(decision: PermissionDecision, options: &[acp::PermissionOption]) -> Option<acp::PermissionOptionId> {
    use acp::PermissionOptionKind::*;
    let preference: &[acp::PermissionOptionKind] = match decision {
        // A rule or a mode allows one call; an agent that only grants for the session gets that.
        PermissionDecision::AllowOnce => &[AllowOnce, AllowAlways],
        PermissionDecision::AllowSession | PermissionDecision::AllowAlways => &[AllowAlways, AllowOnce],
        // Rejecting once is what was decided; rejecting always would stop the agent asking.
        PermissionDecision::Deny => &[RejectOnce, RejectAlways],
        PermissionDecision::DenyAndStop | PermissionDecision::Cancelled => &[],
    };
    preference.iter().find_map(|kind| options.iter().find(|o| o.kind == *kind)).map(|o| o.option_id.clone())
}
