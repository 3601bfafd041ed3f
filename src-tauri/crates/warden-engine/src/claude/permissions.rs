//! Claude's side of permissions: `can_use_tool` questions, Warden's answers to them, and the
//! `PreToolUse` hook through which deny rules veto calls Claude would run without asking.

use super::adapter::{ClaudeAdapter, PendingPermission};
use super::tools;
use super::wire::*;
use crate::adapter::{CheckAnswer, Output, Reply, ToolCheck};
use serde_json::json;
use std::time::Instant;
use warden_core::session::*;

/// The callback id of the hook that lets deny rules veto a call (and the file journal snapshot
/// before it).
pub(super) const PRE_TOOL_HOOK: &str = "warden_pre_tool_use";
/// The callback id of the hook that tells the file journal a call finished.
pub(super) const POST_TOOL_HOOK: &str = "warden_post_tool_use";

/// The callback id of the hook that holds the end of a turn until the task gate has decided
/// (feedback continues the turn with Claude's "Stop hook feedback").
pub(super) const STOP_HOOK: &str = "warden_stop";
/// How long Claude waits for the Stop hook's answer: an hour, longer than checks should take.
/// A gate that answers later finds the turn ended and sends its feedback as a new turn.
pub(super) const STOP_HOOK_TIMEOUT_SECS: u64 = 3600;

/// What the agent is told when a tool call is denied without a message.
pub const DEFAULT_DENY_MESSAGE: &str = "The user denied this tool call in Warden.";
/// What the agent is told about questions nobody can answer any more.
pub const CANCELLED_MESSAGE: &str = "Warden stopped the session before the question was answered.";
/// What the agent is told when the person denies a call and stops the turn.
pub const STOP_MESSAGE: &str = "The user denied this tool call and stopped the turn.";

impl ClaudeAdapter {
    pub(super) fn control_request(&mut self, r: ControlRequest, now: Instant, out: &mut Vec<Output>) {
        match r.request {
            ControlRequestBody::CanUseTool(ask) => self.can_use_tool(r.request_id, ask, now, out),
            ControlRequestBody::HookCallback(hook) if hook.callback_id == PRE_TOOL_HOOK => {
                let input = hook.input;
                let id = hook.tool_use_id.or(input.tool_use_id);
                let tool_name = input.tool_name.unwrap_or_default();
                out.push(Output::ToolCheck(ToolCheck {
                    id: r.request_id,
                    tool_call_id: id.map(ToolCallId),
                    input: tools::input(&tool_name, &input.tool_input),
                    tool_name,
                }));
            }
            ControlRequestBody::HookCallback(hook) if hook.callback_id == POST_TOOL_HOOK => {
                let id = hook.tool_use_id.or(hook.input.tool_use_id);
                out.push(Output::ToolDone { id: r.request_id, tool_call_id: id.map(ToolCallId) });
            }
            ControlRequestBody::HookCallback(hook) if hook.callback_id == STOP_HOOK => {
                self.stop_hook = Some(r.request_id.clone());
                out.push(Output::TurnEnding { id: r.request_id });
            }
            ControlRequestBody::HookCallback(_) | ControlRequestBody::Other => {
                // Warden registers no other hooks or SDK servers, so nothing else should be
                // asked; an error answer keeps the CLI from waiting forever.
                let line = json!({"type": "control_response", "response": {"subtype": "error",
                    "request_id": r.request_id, "error": "Warden does not support this request"}});
                out.push(Output::Send(line.to_string()));
            }
        }
    }

    fn can_use_tool(&mut self, request_id: String, ask: CanUseTool, now: Instant, out: &mut Vec<Output>) {
        if let Some(id) = &ask.tool_use_id {
            out.extend(self.tools.set_status(id, ToolCallStatus::AwaitingPermission, now, None).map(Output::Event));
        }
        let (_, tool_title, _) = tools::describe(&ask.tool_name, &ask.input, &self.project);
        let title = ask.title.or(ask.description).filter(|t| !t.is_empty()).unwrap_or(tool_title);
        // Claude 2.1 sends the plan file's text as `plan` once the model wrote it.
        let input = tools::input(&ask.tool_name, &ask.input);
        let plan = input.plan().map(str::to_owned);
        out.push(Output::Event(SessionEventKind::PermissionRequested(PermissionRequest {
            request_id: PermissionRequestId(request_id.clone()),
            tool_call_id: ask.tool_use_id.clone().map(ToolCallId),
            tool_name: ask.tool_name.clone(),
            title,
            input,
            raw_input: ask.input.clone(),
            blocked_path: ask.blocked_path,
            reason: ask.decision_reason.map(|r| super::adapter::strip_ansi(&r)),
            raw_suggestions: ask.permission_suggestions,
            subject: String::new(),
            outside_project: Vec::new(),
            protected_paths: Vec::new(),
            suggested_rules: Vec::new(),
            plan,
            offered: None,
        })));
        self.permissions.insert(
            request_id,
            PendingPermission {
                tool_name: ask.tool_name,
                input: ask.input,
                tool_use_id: ask.tool_use_id,
            },
        );
    }

    pub(super) fn answer_permission(&mut self, request: &PermissionRequestId, reply: &Reply, now: Instant)
        -> Option<(Vec<String>, Vec<SessionEventKind>)> {
        let pending = self.permissions.remove(request.as_str())?;
        let decision = reply.decision;
        let response = if decision.allows() {
            // Allowing answers this one call, whatever the decision: "for this session" and
            // "always" live in Warden's own rules, which decide Claude's later questions. Claude's
            // `permission_suggestions` are never applied: they are wider than the rule Warden
            // shows (`Read(//dir/**)`, `addDirectories`, `setMode acceptEdits`), and Claude would
            // then run what they cover without asking.
            let mut allow = json!({"behavior": "allow", "updatedInput": pending.input});
            if tools::input(&pending.tool_name, &pending.input).is_plan_approval() {
                // Approving a plan leaves Claude's plan mode, for the mode Claude runs in under
                // the mode the person picked (never wider than Claude's default, which asks).
                let mode = reply.mode.unwrap_or_default();
                self.claude_mode = Some(mode.claude_mode().to_owned());
                allow["updatedPermissions"] =
                    json!([{"type": "setMode", "mode": mode.claude_mode(), "destination": "session"}]);
            }
            allow
        } else {
            let text = match reply.message.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
                Some(m) => m.to_owned(),
                None => match decision {
                    PermissionDecision::Cancelled => CANCELLED_MESSAGE.to_owned(),
                    PermissionDecision::DenyAndStop => STOP_MESSAGE.to_owned(),
                    _ => DEFAULT_DENY_MESSAGE.to_owned(),
                },
            };
            let interrupt = matches!(decision, PermissionDecision::Cancelled | PermissionDecision::DenyAndStop);
            json!({"behavior": "deny", "message": text, "interrupt": interrupt})
        };
        let events = pending.tool_use_id.as_deref().and_then(|id| self.tools.decide(id, decision, now)).into_iter().collect();
        let line = json!({"type": "control_response",
            "response": {"subtype": "success", "request_id": request.as_str(), "response": response}});
        Some((vec![line.to_string()], events))
    }

    pub(super) fn answer_hook(&mut self, check: &ToolCheck, answer: CheckAnswer<'_>, now: Instant) -> (Vec<String>, Vec<SessionEventKind>) {
        // An empty answer has no opinion: Claude goes on with its own checks (and may ask).
        // "ask" makes Claude put the call to Warden's permission prompt even where Claude
        // itself would run it unasked (a read, a command it thinks safe).
        let response = match answer {
            CheckAnswer::Deny(reason) => json!({"hookSpecificOutput": {"hookEventName": "PreToolUse",
                "permissionDecision": "deny", "permissionDecisionReason": reason}}),
            CheckAnswer::Ask(reason) => json!({"hookSpecificOutput": {"hookEventName": "PreToolUse",
                "permissionDecision": "ask", "permissionDecisionReason": reason}}),
            CheckAnswer::Proceed => json!({}),
        };
        let mut events = Vec::new();
        if let (CheckAnswer::Deny(_), Some(id)) = (answer, &check.tool_call_id) {
            events.extend(self.tools.decide(id.as_str(), PermissionDecision::Deny, now));
        }
        let line = json!({"type": "control_response",
            "response": {"subtype": "success", "request_id": check.id, "response": response}});
        (vec![line.to_string()], events)
    }

    /// Answers the `Stop` hook: `{decision: block, reason}` keeps the model working in the same
    /// turn (it reads "Stop hook feedback:" and the reason), `{}` lets the turn end. Nothing for
    /// a hook already answered or withdrawn.
    pub(super) fn answer_stop_hook(&mut self, id: &str, feedback: Option<&str>) -> Vec<String> {
        if self.stop_hook.as_deref() != Some(id) {
            return Vec::new();
        }
        self.stop_hook = None;
        let answer = match feedback {
            Some(reason) => json!({"decision": "block", "reason": reason}),
            None => json!({}),
        };
        vec![json!({"type": "control_response", "response": {"subtype": "success", "request_id": id, "response": answer}}).to_string()]
    }

    /// Answers a `PostToolUse` hook: no opinion, Claude goes on.
    pub(super) fn answer_post_hook(&mut self, id: &str) -> Vec<String> {
        let line = json!({"type": "control_response",
            "response": {"subtype": "success", "request_id": id, "response": {}}});
        vec![line.to_string()]
    }
}

/// Claude's modes in which it still asks Warden before anything its rules do not allow (or
/// denies it itself). In any other mode (`acceptEdits`, `bypassPermissions`, `auto`, one this
/// version of Warden does not know) it would run calls Warden never decided.
const ASKING_MODES: &[&str] = &["default", "plan", "manual", "dontAsk"];

impl ClaudeAdapter {
    /// A permission mode Claude reports (`system/init`, `system/status`). Only the person changes
    /// Warden's mode, so this is never adopted as Warden's: a mode other than the one Warden
    /// set is shown as a notice, and one in which Claude would stop asking is switched back.
    pub(super) fn reported_mode(&mut self, mode: String, out: &mut Vec<Output>) {
        let asking = ASKING_MODES.contains(&mode.as_str());
        let Some(ours) = self.claude_mode.clone() else {
            if asking {
                // The first report of a new process: the mode Warden started it in.
                self.claude_mode = Some(mode);
                return;
            }
            // Started in a mode Warden never passes: back to the one that asks.
            self.claude_mode = Some(PermissionMode::Default.claude_mode().to_owned());
            return self.reported_mode(mode, out);
        };
        if mode == ours {
            return;
        }
        let text = if asking {
            format!("Claude switched its own permission mode to '{mode}'. Warden's mode is unchanged.")
        } else {
            let id = self.request_id("mode");
            out.push(Output::Send(
                json!({"type": "control_request", "request_id": id,
                    "request": {"subtype": "set_permission_mode", "mode": ours}})
                .to_string(),
            ));
            format!(
                "Claude switched its own permission mode to '{mode}', in which it would run tools without asking \
                 Warden; Warden switched it back to '{ours}'. Warden's mode is unchanged."
            )
        };
        out.push(Output::Event(SessionEventKind::Notice(SessionNotice { level: NoticeLevel::Warning, text })));
    }
}
