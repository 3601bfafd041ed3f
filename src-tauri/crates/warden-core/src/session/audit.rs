//! The permission audit log: every decision of a session, read from its event stream.

use super::event::{SessionEvent, SessionEventKind};
use super::ids::{PermissionRequestId, SessionId, ToolCallId};
use super::permission::{DecisionSource, PermissionDecision, PermissionRequest};
use crate::permission::Rule;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashMap;

/// One decision about one tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PermissionLogEntry {
    /// The session.
    pub session_id: SessionId,
    /// The decision's place in the session's stream.
    pub seq: u64,
    /// When it was decided (Unix milliseconds).
    pub at_ms: u64,
    /// The question (a rule's decision has one of its own, never shown).
    pub request_id: PermissionRequestId,
    /// The tool call.
    pub tool_call_id: Option<ToolCallId>,
    /// The tool's name.
    pub tool_name: String,
    /// What the call acts on.
    pub subject: String,
    /// The decision.
    pub decision: PermissionDecision,
    /// Who or what decided.
    pub source: DecisionSource,
    /// The rule that decided, or the rules the answer added.
    pub rules: Vec<Rule>,
    /// What the agent was told.
    pub message: Option<String>,
    /// Whether the call touched paths outside the project.
    pub outside_project: bool,
}

/// The decisions in `events`, in order. A decision's tool and subject come from its question
/// when the resolution does not carry them (events stored by older versions).
pub fn permission_log(events: &[SessionEvent]) -> Vec<PermissionLogEntry> {
    let mut asked: HashMap<&PermissionRequestId, &PermissionRequest> = HashMap::new();
    let mut log = Vec::new();
    for event in events {
        match &event.kind {
            SessionEventKind::PermissionRequested(request) => {
                asked.insert(&request.request_id, request);
            }
            SessionEventKind::PermissionResolved(r) => {
                let request = asked.get(&r.request_id);
                log.push(PermissionLogEntry {
                    session_id: event.session_id.clone(),
                    seq: event.seq,
                    at_ms: event.at_ms,
                    request_id: r.request_id.clone(),
                    tool_call_id: r.tool_call_id.clone().or_else(|| request.and_then(|q| q.tool_call_id.clone())),
                    tool_name: r.tool_name.clone().or_else(|| request.map(|q| q.tool_name.clone())).unwrap_or_default(),
                    subject: r.subject.clone().or_else(|| request.map(|q| q.subject.clone())).unwrap_or_default(),
                    decision: r.decision,
                    source: r.source,
                    rules: r.rules.clone(),
                    message: r.message.clone(),
                    outside_project: request.is_some_and(|q| !q.outside_project.is_empty()),
                });
            }
            _ => {}
        }
    }
    log
}

impl DecisionSource {
    /// Who decided, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::User => "you",
            Self::ApproveFlag => "--approve",
            Self::Shutdown => "Warden (no answer possible)",
            Self::Agent => "the agent withdrew it",
            Self::Rule => "a rule",
            Self::Mode => "the permission mode",
        }
    }
}
