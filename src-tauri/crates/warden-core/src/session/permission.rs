//! Permission questions an agent asks and the answers it gets.

use super::ids::{PermissionRequestId, ToolCallId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

/// An agent asks whether it may run a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PermissionRequest {
    /// Answer with this id.
    pub request_id: PermissionRequestId,
    /// The tool call it is about.
    pub tool_call_id: Option<ToolCallId>,
    /// The tool's name (`Bash`, `Write`, …).
    pub tool_name: String,
    /// The question in words, from the agent where it gives one ("Write a marker file").
    pub title: String,
    /// The tool's input (raw payload).
    pub raw_input: Value,
    /// A path outside what the agent may touch without asking, when that is the reason.
    pub blocked_path: Option<String>,
    /// Why the agent asks, in its words.
    pub reason: Option<String>,
    /// The agent's own suggestions for a rule that would stop it asking (raw payload; Claude's
    /// `permission_suggestions`).
    pub raw_suggestions: Option<Value>,
}

/// How a permission question was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PermissionDecision {
    /// Run this call only.
    AllowOnce,
    /// Run it, and calls like it for the rest of the session.
    AllowSession,
    /// Run it, and calls like it in this project from now on.
    AllowAlways,
    /// Do not run it; the agent is told and carries on.
    Deny,
    /// Nobody can answer any more (the session stopped, the app quit, stdin closed): not run.
    Cancelled,
}

impl PermissionDecision {
    /// Whether the tool runs.
    pub fn allows(self) -> bool {
        matches!(self, Self::AllowOnce | Self::AllowSession | Self::AllowAlways)
    }
}

/// Who or what made a decision, for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum DecisionSource {
    /// A person, in the window or on the headless command's stdin.
    User,
    /// The headless command's `--approve allow|deny` flag.
    ApproveFlag,
    /// Warden itself, because the session stopped or input ended.
    Shutdown,
    /// The agent withdrew the question.
    Agent,
}

/// The answer to a permission question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PermissionResolution {
    /// The question answered.
    pub request_id: PermissionRequestId,
    /// The answer.
    pub decision: PermissionDecision,
    /// Who answered.
    pub source: DecisionSource,
    /// What the agent is told along with a denial.
    pub message: Option<String>,
}
