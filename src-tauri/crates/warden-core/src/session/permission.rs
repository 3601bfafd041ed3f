//! Permission questions an agent asks and the answers it gets.

use super::ids::{PermissionRequestId, ToolCallId};
use super::record::PermissionMode;
use super::tool_input::ToolInput;
use crate::permission::Rule;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use specta::Type;

/// An agent asks whether it may run a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
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
    /// What the call does: what the rules decide on and the question previews.
    pub input: ToolInput,
    /// The tool's input as the agent sent it (raw payload), for display.
    pub raw_input: Value,
    /// A path outside what the agent may touch without asking, when that is the reason.
    pub blocked_path: Option<String>,
    /// Why the agent asks, in its words.
    pub reason: Option<String>,
    /// The agent's own suggestions for a rule that would stop it asking (raw payload; Claude's
    /// `permission_suggestions`).
    pub raw_suggestions: Option<Value>,
    /// What the call acts on in a few words: the command, the path relative to the project, the
    /// URL.
    #[serde(default)]
    pub subject: String,
    /// Paths outside the project the call touches. Project rules never allow such a call, and
    /// the question says so.
    #[serde(default)]
    pub outside_project: Vec<String>,
    /// Configuration this call would change that steers an agent, a tool or the shell (files
    /// under `.claude/`, `.codex/`, `.gemini/`, `.git/`, `.vscode/`, `.mcp.json`, `.envrc`, …).
    /// Such a call is never allowed by a mode or a broad rule; the dialog warns about each.
    #[serde(default)]
    pub protected_paths: Vec<String>,
    /// The rules "Allow for this session" and "Always allow in this project" add unless the
    /// person edits them: one per part of a compound shell command not allowed yet.
    #[serde(default)]
    pub suggested_rules: Vec<Rule>,
    /// The plan the agent asks to carry out, when the question is a plan approval
    /// ([`ToolInput::Plan`]).
    #[serde(default)]
    pub plan: Option<String>,
    /// The answers the agent accepts for this question, when it lists them (Codex's
    /// `availableDecisions`, an ACP agent's permission options by kind); `None` offers every
    /// answer. The window shows exactly these.
    #[serde(default)]
    pub offered: Option<Vec<PermissionDecision>>,
}

/// A [`PermissionRequest`] as stored: questions stored before inputs were typed have no
/// `input`; their raw input is in Claude's shapes (see [`ToolInput::from_claude`]).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRequest {
    request_id: PermissionRequestId,
    tool_call_id: Option<ToolCallId>,
    tool_name: String,
    title: String,
    #[serde(default)]
    input: Option<ToolInput>,
    raw_input: Value,
    blocked_path: Option<String>,
    reason: Option<String>,
    raw_suggestions: Option<Value>,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    outside_project: Vec<String>,
    #[serde(default)]
    protected_paths: Vec<String>,
    #[serde(default)]
    suggested_rules: Vec<Rule>,
    #[serde(default)]
    plan: Option<String>,
    #[serde(default)]
    offered: Option<Vec<PermissionDecision>>,
}

impl<'de> Deserialize<'de> for PermissionRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = StoredRequest::deserialize(deserializer)?;
        let input = s.input.unwrap_or_else(|| ToolInput::from_claude(&s.tool_name, &s.raw_input));
        Ok(PermissionRequest {
            request_id: s.request_id,
            tool_call_id: s.tool_call_id,
            tool_name: s.tool_name,
            title: s.title,
            input,
            raw_input: s.raw_input,
            blocked_path: s.blocked_path,
            reason: s.reason,
            raw_suggestions: s.raw_suggestions,
            subject: s.subject,
            outside_project: s.outside_project,
            protected_paths: s.protected_paths,
            suggested_rules: s.suggested_rules,
            plan: s.plan,
            offered: s.offered,
        })
    }
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
    /// Do not run it and end the turn: the agent stops working on the prompt.
    DenyAndStop,
    /// Nobody can answer any more (the session stopped, the app quit, stdin closed): not run.
    Cancelled,
}

impl PermissionDecision {
    /// Whether the tool runs.
    pub fn allows(self) -> bool {
        matches!(self, Self::AllowOnce | Self::AllowSession | Self::AllowAlways)
    }

    /// The decision's name as the audit log and `--json` write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllowOnce => "allowOnce",
            Self::AllowSession => "allowSession",
            Self::AllowAlways => "allowAlways",
            Self::Deny => "deny",
            Self::DenyAndStop => "denyAndStop",
            Self::Cancelled => "cancelled",
        }
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
    /// A permission rule of the session or the project (named in the resolution).
    Rule,
    /// The session's permission mode (accept edits, bypass).
    Mode,
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
    /// The tool call decided on.
    #[serde(default)]
    pub tool_call_id: Option<ToolCallId>,
    /// The tool's name.
    #[serde(default)]
    pub tool_name: Option<String>,
    /// What the call acts on (see [`PermissionRequest::subject`]).
    #[serde(default)]
    pub subject: Option<String>,
    /// The rule that decided (source `rule`), or the rules the answer added (allow for the
    /// session, always allow).
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// The mode a plan approval switched the session to.
    #[serde(default)]
    pub mode: Option<PermissionMode>,
}

impl PermissionResolution {
    /// A resolution with nothing but the decision, its source and message.
    pub fn new(request_id: PermissionRequestId, decision: PermissionDecision, source: DecisionSource) -> Self {
        Self {
            request_id,
            decision,
            source,
            message: None,
            tool_call_id: None,
            tool_name: None,
            subject: None,
            rules: Vec::new(),
            mode: None,
        }
    }
}

/// A person's answer to a permission question, as the window or `warden run` sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PermissionAnswer {
    /// The decision.
    pub decision: PermissionDecision,
    /// What the agent is told along with a denial (or a "keep planning" answer).
    #[serde(default)]
    pub message: Option<String>,
    /// The rules to add for "allow for this session" or "always allow", when the person edited
    /// the suggested ones; `None` takes the suggestion as it is.
    #[serde(default)]
    pub rules: Option<Vec<Rule>>,
    /// For a plan approval: the mode to carry on in (default: ask before changes).
    #[serde(default)]
    pub mode: Option<PermissionMode>,
    /// For a question with choices ([`ToolInput::Question`]) allowed: the person's answers,
    /// which the agent receives as its tool expects.
    #[serde(default)]
    #[specta(optional)]
    pub answers: Option<Vec<super::questions::QuestionAnswer>>,
}

impl PermissionAnswer {
    /// An answer with only a decision.
    pub fn new(decision: PermissionDecision) -> Self {
        Self { decision, message: None, rules: None, mode: None, answers: None }
    }

    /// Answers a question with choices: allowed, with the person's answers.
    pub fn answered(answers: Vec<super::questions::QuestionAnswer>) -> Self {
        Self { answers: Some(answers), ..Self::new(PermissionDecision::AllowOnce) }
    }

    /// The same answer with a message for the agent.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}
