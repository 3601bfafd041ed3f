//! `session/request_permission`: the agent's options as the answers Warden offers, and Warden's
//! decision as the option the agent gets back.
//!
//! The agent is only ever granted exactly the one call Warden decided. Every allowing answer
//! selects an `allow_once` option: an `allow_always` option grants what the *agent* chooses,
//! which is wider than anything Warden shows (Gemini CLI: the command's root word for the
//! session, or every tool of an MCP server; the Claude Code adapter: a rule it picks, and at a
//! plan's end a switch to "bypass permissions" or "auto-accept edits"). "Allow for this
//! session" and "Always allow in this project" are kept as Warden's own rules, so the agent
//! asks again for the next call and Warden's rules answer it.
//!
//! Options are matched by kind, never by id, position or name (ids are the agent's own and
//! change between versions):
//!
//! | Warden's decision | option sent |
//! |---|---|
//! | allow once, for the session, always (also a plan approval) | the `allow_once` option |
//! | deny | `reject_once`, else `reject_always` |
//! | deny and stop, cancelled | the `cancelled` outcome, then `session/cancel` |
//!
//! An agent that offers no `allow_once` cannot be allowed one call only: Warden offers no
//! allowing answer for such a question, and a rule or mode allowing it is answered with a
//! rejection and a notice ([`option_for`]). At a plan's end the Claude Code adapter's
//! `allow_once` is "Yes, manually approve edits", which keeps the agent asking; Warden's own
//! mode after the plan is the one the person picked.

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
        if self.calls.contains(&call_id) {
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
        let Some(state) = self.calls.get(&call_id) else { return };
        let input = state.acp.input(&self.project);
        let tool_name = state.acp.tool_name();
        let plan = input.plan().map(str::to_owned);
        let key = wire::id_text(&id);
        out.push(Output::Event(SessionEventKind::PermissionRequested(PermissionRequest {
            request_id: PermissionRequestId(key.clone()),
            tool_call_id: Some(ToolCallId(call_id.clone())),
            tool_name,
            title: state.acp.title(),
            input,
            raw_input: Value::Object(state.raw.clone()),
            blocked_path: None,
            reason: None,
            raw_suggestions: None,
            subject: String::new(),
            outside_project: Vec::new(),
            protected_paths: Vec::new(),
            suggested_rules: Vec::new(),
            plan,
            offered: Some(offered(&request.options)),
        })));
        self.permissions.insert(key, PendingPermission { id, options: request.options, tool_call_id: call_id });
    }

    pub(super) fn answer_permission(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant) -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.permissions.remove(request.as_str())?;
        let decision = reply.decision;
        let chosen = option_for(decision, &pending.options);
        let mut out = Vec::new();
        // An allowing answer the agent cannot take for one call only became a rejection.
        let refused = decision.allows() && !chosen.as_ref().is_some_and(|o| o.kind == acp::PermissionOptionKind::AllowOnce);
        if refused {
            out.push(super::adapter::notice(
                NoticeLevel::Warning,
                "The agent offered no way to allow just this one call (only wider grants), so Warden did not allow it.".to_owned(),
            ));
        }
        let outcome = match chosen {
            Some(option) => acp::RequestPermissionOutcome::Selected(acp::SelectedPermissionOutcome::new(option.option_id)),
            None => acp::RequestPermissionOutcome::Cancelled,
        };
        let mut lines = vec![wire::response(&pending.id, acp::RequestPermissionResponse::new(outcome))];
        let leaves_plan = self
            .calls
            .get(&pending.tool_call_id)
            .is_some_and(|c| c.acp.input(&self.project).is_plan_approval() || c.acp.tool_name() == "SwitchMode");
        if decision.allows() && !refused && leaves_plan {
            // The agent leaves its plan mode for its default one (the `allow_once` option);
            // Warden's mode is the one the person picked, and the agent is held to its match.
            let warden = reply.mode.unwrap_or_default();
            if let Some(mode) = super::updates::agent_mode(warden, &self.modes) {
                self.expected_mode = Some(mode.to_string());
            }
        }
        // An allowing answer turned into a rejection is a denial. Gemini CLI says nothing more
        // about a rejected call, so Warden closes it.
        let decided = if refused { PermissionDecision::Deny } else { decision };
        out.extend(self.calls.decide(&pending.tool_call_id, decided, now).map(Output::Event));
        if decision == PermissionDecision::DenyAndStop {
            // The protocol's way to stop a turn; every other question is then cancelled too.
            for (key, other) in std::mem::take(&mut self.permissions) {
                let cancelled = acp::RequestPermissionResponse::new(acp::RequestPermissionOutcome::Cancelled);
                lines.push(wire::response(&other.id, cancelled));
                let mut resolution = PermissionResolution::new(PermissionRequestId(key), PermissionDecision::Cancelled, DecisionSource::User);
                resolution.tool_call_id = Some(ToolCallId(other.tool_call_id.clone()));
                out.push(Output::Event(SessionEventKind::PermissionResolved(resolution)));
                out.extend(self.calls.decide(&other.tool_call_id, PermissionDecision::Cancelled, now).map(Output::Event));
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

/// The answers Warden offers for these options: allowing ones only when the agent can be
/// allowed one call (`allow_once`); the session and project grants are Warden's rules.
pub(super) fn offered(options: &[acp::PermissionOption]) -> Vec<PermissionDecision> {
    let has = |kind: acp::PermissionOptionKind| options.iter().any(|o| o.kind == kind);
    let mut offered = Vec::new();
    if has(acp::PermissionOptionKind::AllowOnce) {
        offered.extend([PermissionDecision::AllowOnce, PermissionDecision::AllowSession, PermissionDecision::AllowAlways]);
    }
    if has(acp::PermissionOptionKind::RejectOnce) || has(acp::PermissionOptionKind::RejectAlways) {
        offered.push(PermissionDecision::Deny);
    }
    offered.push(PermissionDecision::DenyAndStop);
    offered
}

/// The option that carries out `decision`, by kind; `None` answers `cancelled` (nothing fits,
/// or the decision is to stop). An `allow_always` option is never chosen: it grants what the
/// agent decides, not what Warden shows. Allowing without an `allow_once` option falls back to
/// a rejection (the caller tells the person), never to a wider grant.
pub(super) fn option_for(decision: PermissionDecision, options: &[acp::PermissionOption]) -> Option<acp::PermissionOption> {
    use acp::PermissionOptionKind::*;
    let preference: &[acp::PermissionOptionKind] = match decision {
        PermissionDecision::AllowOnce | PermissionDecision::AllowSession | PermissionDecision::AllowAlways => {
            &[AllowOnce, RejectOnce, RejectAlways]
        }
        // Rejecting once is what was decided; rejecting always would stop the agent asking.
        PermissionDecision::Deny => &[RejectOnce, RejectAlways],
        PermissionDecision::DenyAndStop | PermissionDecision::Cancelled => &[],
    };
    preference.iter().find_map(|kind| options.iter().find(|o| o.kind == *kind)).cloned()
}
