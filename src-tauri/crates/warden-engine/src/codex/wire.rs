//! The parts of `codex app-server`'s JSON-RPC messages Warden reads (0.169.0, generated schema
//! `codex app-server generate-ts`; PROTOCOLS.md §2.2). Fields Warden does not use are ignored,
//! so newer servers that add fields still parse.

use serde::Deserialize;
use serde_json::Value;

/// One line from the server: a response to one of Warden's requests (`id` + `result`/`error`),
/// a request of the server's own (`id` + `method`), or a notification (`method` only). The
/// server leaves out the `"jsonrpc"` field.
#[derive(Debug, Deserialize)]
pub(super) struct Message {
    /// A number for Warden's requests; the server's requests count in their own id space.
    pub id: Option<Value>,
    pub method: Option<String>,
    #[serde(default)]
    pub params: Value,
    pub result: Option<Value>,
    pub error: Option<RpcError>,
}

/// A JSON-RPC error.
#[derive(Debug, Deserialize)]
pub(super) struct RpcError {
    #[serde(default)]
    pub message: String,
}

/// The result of `thread/start` and `thread/resume`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ThreadResult {
    pub thread: Thread,
    pub model: Option<String>,
    /// The effort the thread runs at (`null`: the model's default).
    #[serde(default)]
    pub reasoning_effort: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Thread {
    pub id: String,
    pub cli_version: Option<String>,
}

/// The result of `turn/start`, and `turn/started` / `turn/completed`.
#[derive(Debug, Deserialize)]
pub(super) struct TurnHolder {
    pub turn: Turn,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Turn {
    pub id: String,
    /// `completed`, `interrupted`, `failed` or `inProgress`.
    #[serde(default)]
    pub status: String,
    pub error: Option<TurnError>,
    pub duration_ms: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TurnError {
    #[serde(default)]
    pub message: String,
    pub additional_details: Option<String>,
}

impl TurnError {
    pub fn text(&self) -> String {
        match self.additional_details.as_deref().filter(|d| !d.is_empty()) {
            Some(details) => format!("{} ({details})", self.message),
            None => self.message.clone(),
        }
    }
}

/// `item/started` and `item/completed`: the item is kept raw as well, for `rawInput`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ItemHolder {
    pub item: Value,
}

/// The thread items Warden shows (`type` tag, camelCase fields).
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub(super) enum Item {
    #[serde(rename_all = "camelCase")]
    AgentMessage { id: String, #[serde(default)] text: String },
    #[serde(rename_all = "camelCase")]
    Reasoning {
        id: String,
        #[serde(default)]
        summary: Vec<String>,
        #[serde(default)]
        content: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Plan { id: String, #[serde(default)] text: String },
    #[serde(rename_all = "camelCase")]
    CommandExecution {
        id: String,
        #[serde(default)]
        command: String,
        cwd: Option<String>,
        #[serde(default)]
        status: String,
        aggregated_output: Option<String>,
        exit_code: Option<i64>,
        duration_ms: Option<u64>,
    },
    #[serde(rename_all = "camelCase")]
    FileChange {
        id: String,
        #[serde(default)]
        changes: Vec<FileUpdateChange>,
        #[serde(default)]
        status: String,
    },
    #[serde(rename_all = "camelCase")]
    McpToolCall {
        id: String,
        #[serde(default)]
        server: String,
        #[serde(default)]
        tool: String,
        #[serde(default)]
        status: String,
        #[serde(default)]
        arguments: Value,
        result: Option<McpResult>,
        error: Option<McpError>,
    },
    #[serde(rename_all = "camelCase")]
    DynamicToolCall {
        id: String,
        #[serde(default)]
        tool: String,
        #[serde(default)]
        arguments: Value,
        #[serde(default)]
        status: String,
        success: Option<bool>,
    },
    #[serde(rename_all = "camelCase")]
    WebSearch { id: String, #[serde(default)] query: String },
    #[serde(rename_all = "camelCase")]
    ImageView { id: String, #[serde(default)] path: String },
    ContextCompaction,
    /// The prompt (and steering input) echoed back: Warden already shows it.
    UserMessage,
    /// Markers and echoes that carry nothing for the timeline.
    HookPrompt,
    FunctionCallOutput,
    EnteredReviewMode,
    ExitedReviewMode,
    /// Anything else (sub-agents, image generation, newer types): shown as unrecognised.
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Deserialize)]
pub(super) struct FileUpdateChange {
    pub path: String,
    pub kind: PatchKind,
    #[serde(default)]
    pub diff: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub(super) enum PatchKind {
    Add,
    Delete,
    Update { move_path: Option<String> },
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct McpResult {
    #[serde(default)]
    pub content: Vec<Value>,
    pub structured_content: Option<Value>,
}

#[derive(Debug, Deserialize)]
pub(super) struct McpError {
    #[serde(default)]
    pub message: String,
}

/// `item/agentMessage/delta`, `item/reasoning/*Delta`, `item/commandExecution/outputDelta`,
/// `item/fileChange/outputDelta`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Delta {
    pub item_id: String,
    #[serde(default)]
    pub delta: String,
    pub summary_index: Option<u32>,
    pub content_index: Option<u32>,
}

/// `turn/plan/updated`.
#[derive(Debug, Deserialize)]
pub(super) struct PlanUpdated {
    #[serde(default)]
    pub plan: Vec<PlanStep>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PlanStep {
    #[serde(default)]
    pub step: String,
    /// `pending`, `inProgress` or `completed`.
    #[serde(default)]
    pub status: String,
}

/// `thread/tokenUsage/updated`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TokenUsageUpdated {
    pub turn_id: Option<String>,
    pub token_usage: TokenUsage,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TokenUsage {
    pub total: TokenBreakdown,
    pub last: TokenBreakdown,
    pub model_context_window: Option<u64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct TokenBreakdown {
    pub total_tokens: u64,
    pub input_tokens: u64,
    pub cached_input_tokens: u64,
    pub cache_write_input_tokens: u64,
    pub output_tokens: u64,
}

/// `error`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ErrorNote {
    pub error: TurnError,
    #[serde(default)]
    pub will_retry: bool,
}

/// `warning`, `configWarning`, `deprecationNotice`, `guardianWarning`: one of these carries the
/// text.
#[derive(Debug, Deserialize)]
pub(super) struct WarningNote {
    pub message: Option<String>,
    pub summary: Option<String>,
    pub details: Option<String>,
}

impl WarningNote {
    pub fn text(&self) -> String {
        let head = self.message.as_deref().or(self.summary.as_deref()).unwrap_or("");
        match self.details.as_deref().filter(|d| !d.is_empty()) {
            Some(details) => format!("{head} {details}"),
            None => head.to_owned(),
        }
    }
}

/// `serverRequest/resolved`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Resolved {
    pub request_id: Value,
}

/// `item/commandExecution/requestApproval`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct CommandApproval {
    pub item_id: String,
    pub reason: Option<String>,
    pub command: Option<String>,
    pub cwd: Option<String>,
    pub network_approval_context: Option<NetworkContext>,
    /// The answers the server accepts, each as it must be sent back (a string, or an object
    /// carrying the proposed amendment).
    pub available_decisions: Option<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct NetworkContext {
    #[serde(default)]
    pub host: String,
}

/// `item/fileChange/requestApproval`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct FileApproval {
    pub item_id: String,
    pub reason: Option<String>,
    /// A folder the agent asks to write under for the rest of the session.
    pub grant_root: Option<String>,
}

/// `item/permissions/requestApproval`, `item/tool/requestUserInput` and the other requests
/// Warden refuses: only what the notice says about them.
#[derive(Debug, Default, Deserialize)]
pub(super) struct OtherRequest {
    pub reason: Option<String>,
    pub message: Option<String>,
}
