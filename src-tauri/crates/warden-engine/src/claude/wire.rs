//! The stream-json frames Claude Code writes on stdout, as far as Warden reads them.
//!
//! Every field that older or newer CLIs may leave out is optional, and unknown frame, block and
//! delta types parse into an `Other` variant, so a new CLI release degrades to "unrecognised
//! output" entries instead of failing the whole stream. Shapes were checked against output
//! recorded from Claude Code 2.1.329 (`tests/fixtures/`).

use serde::Deserialize;
use serde_json::Value;

/// One line of stdout.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Frame {
    /// `system/<subtype>` frames: init, status, retries, tasks, …
    System(SystemFrame),
    /// One completed content block of an assistant message.
    Assistant(MessageFrame),
    /// Tool results (and echoed prompts).
    User(MessageFrame),
    /// A raw Anthropic streaming event (with `--include-partial-messages`).
    StreamEvent(StreamEventFrame),
    /// The end of a turn.
    Result(ResultFrame),
    /// The CLI asks the host something (permissions).
    ControlRequest(ControlRequest),
    /// The CLI answers one of our requests.
    ControlResponse(ControlResponseFrame),
    /// The CLI withdraws a question it asked.
    ControlCancelRequest(ControlCancel),
    /// A long-running tool is still going.
    ToolProgress(ToolProgress),
    /// Rate limit information.
    RateLimitEvent(RateLimitEvent),
    /// Claude started a new conversation under a new session id (the `/clear` command).
    ConversationReset(ConversationReset),
    /// A frame type this version of Warden does not know.
    #[serde(other)]
    Other,
}

/// `type: "system"`.
#[derive(Debug, Deserialize)]
pub struct SystemFrame {
    pub subtype: String,
    pub session_id: Option<String>,
    pub model: Option<String>,
    pub tools: Option<Vec<String>>,
    pub claude_code_version: Option<String>,
    #[serde(rename = "permissionMode")]
    pub permission_mode: Option<String>,
    pub tool_use_id: Option<String>,
    pub tool_name: Option<String>,
    pub message: Option<String>,
    pub attempt: Option<u32>,
    pub max_retries: Option<u32>,
    pub error: Option<Value>,
    pub compact_metadata: Option<CompactMetadata>,
    /// `init`: the commands whose use is bound to a terminal (hidden in the window).
    #[serde(default)]
    pub terminal_slash_commands: Option<Vec<String>>,
    /// `commands_changed`: the whole new list of commands (read in `slash_commands`).
    #[serde(default)]
    pub commands: Option<Value>,
}

/// Details of a context compaction.
#[derive(Debug, Deserialize)]
pub struct CompactMetadata {
    pub trigger: Option<String>,
    pub pre_tokens: Option<u64>,
}

/// `type: "assistant"` or `"user"`.
#[derive(Debug, Deserialize)]
pub struct MessageFrame {
    pub message: ApiMessage,
    pub parent_tool_use_id: Option<String>,
    /// The tool's structured result, on tool-result frames.
    pub tool_use_result: Option<Value>,
    /// An API error the CLI attached to an assistant message.
    pub error: Option<String>,
}

/// An Anthropic message.
#[derive(Debug, Deserialize)]
pub struct ApiMessage {
    pub id: Option<String>,
    pub content: Content,
    /// The model that wrote it (assistant messages).
    #[serde(default, deserialize_with = "lenient")]
    pub model: Option<String>,
    /// Tokens of the request that produced it (assistant messages; repeated on every block).
    #[serde(default, deserialize_with = "lenient")]
    pub usage: Option<ApiUsage>,
    /// Why the model stopped (`end_turn`, `tool_use`, `max_tokens`, …); null while streaming.
    #[serde(default, deserialize_with = "lenient")]
    pub stop_reason: Option<String>,
}

/// Reads an optional field that only adds information: a value of an unexpected shape reads as
/// absent instead of making the whole frame unreadable.
fn lenient<'de, D: serde::Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

/// Message content: a plain string or content blocks.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Content {
    Text(String),
    Blocks(Vec<ContentBlock>),
}

/// A content block.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentBlock {
    Text {
        text: String,
    },
    Thinking {
        thinking: String,
    },
    ToolUse {
        id: String,
        name: String,
        input: Value,
    },
    ServerToolUse {
        id: String,
        name: String,
        input: Value,
    },
    ToolResult {
        tool_use_id: String,
        content: Option<ToolResultContent>,
        #[serde(default)]
        is_error: bool,
    },
    #[serde(other)]
    Other,
}

/// What a tool result says: a string or blocks of text and images.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ToolResultContent {
    Text(String),
    Parts(Vec<ToolResultPart>),
}

/// One block of a tool result.
#[derive(Debug, Deserialize)]
pub struct ToolResultPart {
    #[serde(rename = "type")]
    pub kind: String,
    pub text: Option<String>,
}

impl ToolResultContent {
    /// The text of the result; images are named, not inlined.
    pub fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Parts(parts) => parts
                .iter()
                .map(|p| match &p.text {
                    Some(t) => t.clone(),
                    None => format!("[{}]", p.kind),
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// `type: "stream_event"`.
#[derive(Debug, Deserialize)]
pub struct StreamEventFrame {
    pub event: StreamEvent,
    pub parent_tool_use_id: Option<String>,
}

/// An Anthropic streaming event.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    MessageStart { message: StreamMessage },
    ContentBlockStart { index: u32, content_block: ContentBlock },
    ContentBlockDelta { index: u32, delta: Delta },
    #[serde(other)]
    Other,
}

/// The message announced by `message_start`.
#[derive(Debug, Deserialize)]
pub struct StreamMessage {
    pub id: String,
}

/// A streamed delta (variant names are the wire's type names).
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Delta {
    TextDelta {
        text: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    #[serde(other)]
    Other,
}

/// `type: "result"`.
#[derive(Debug, Deserialize)]
pub struct ResultFrame {
    pub subtype: String,
    #[serde(default)]
    pub is_error: bool,
    pub result: Option<String>,
    pub duration_ms: Option<u64>,
    pub total_cost_usd: Option<f64>,
    pub usage: Option<ApiUsage>,
    /// Totals per model for the process, with each model's context window.
    #[serde(rename = "modelUsage", default, deserialize_with = "lenient")]
    pub model_usage: Option<std::collections::HashMap<String, ModelUsage>>,
    pub stop_reason: Option<String>,
    pub terminal_reason: Option<String>,
    #[serde(default)]
    pub errors: Vec<String>,
}

/// Token usage as the API reports it.
#[derive(Debug, Deserialize, Default)]
pub struct ApiUsage {
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub cache_read_input_tokens: u64,
    #[serde(default)]
    pub cache_creation_input_tokens: u64,
}

impl ApiUsage {
    /// Tokens the request put in the model's context: fresh input plus cached input, read or
    /// written.
    pub fn context_tokens(&self) -> u64 {
        self.input_tokens + self.cache_read_input_tokens + self.cache_creation_input_tokens
    }
}

/// One model's entry of the result's `modelUsage`, as far as Warden reads it.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ModelUsage {
    pub context_window: Option<u64>,
}

/// `type: "control_request"` from the CLI.
#[derive(Debug, Deserialize)]
pub struct ControlRequest {
    pub request_id: String,
    pub request: ControlRequestBody,
}

/// What the CLI asks.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Deserialize)]
#[serde(tag = "subtype", rename_all = "snake_case")]
pub enum ControlRequestBody {
    CanUseTool(CanUseTool),
    HookCallback(HookCallback),
    #[serde(other)]
    Other,
}

/// The permission question.
#[derive(Debug, Deserialize)]
pub struct CanUseTool {
    pub tool_name: String,
    pub input: Value,
    pub tool_use_id: Option<String>,
    pub permission_suggestions: Option<Value>,
    pub blocked_path: Option<String>,
    pub decision_reason: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
}

/// A hook Warden registered at `initialize` fired (`PreToolUse` or `PostToolUse`).
#[derive(Debug, Deserialize)]
pub struct HookCallback {
    pub callback_id: String,
    pub input: HookInput,
    pub tool_use_id: Option<String>,
}

/// What a tool hook is told about the call.
#[derive(Debug, Deserialize)]
pub struct HookInput {
    pub tool_name: Option<String>,
    #[serde(default)]
    pub tool_input: Value,
    pub tool_use_id: Option<String>,
}

/// `type: "control_response"`.
#[derive(Debug, Deserialize)]
pub struct ControlResponseFrame {
    pub response: ControlResponseBody,
}

/// The answer to one of our requests.
#[derive(Debug, Deserialize)]
pub struct ControlResponseBody {
    pub subtype: String,
    pub request_id: Option<String>,
    pub error: Option<String>,
    /// What a successful answer carries (the `initialize` answer's `commands`, …), read where
    /// it is used.
    #[serde(default)]
    pub response: Option<Value>,
}

/// `type: "control_cancel_request"`.
#[derive(Debug, Deserialize)]
pub struct ControlCancel {
    pub request_id: String,
}

/// `type: "conversation_reset"`.
#[derive(Debug, Deserialize)]
pub struct ConversationReset {
    /// What reset it (`clear`).
    #[serde(default)]
    pub trigger: Option<String>,
}

/// `type: "tool_progress"`.
#[derive(Debug, Deserialize)]
pub struct ToolProgress {
    pub tool_use_id: String,
}

/// `type: "rate_limit_event"`.
#[derive(Debug, Deserialize)]
pub struct RateLimitEvent {
    pub rate_limit_info: Option<RateLimitInfo>,
}

/// Rate limit state.
#[derive(Debug, Deserialize)]
pub struct RateLimitInfo {
    pub status: Option<String>,
    #[serde(rename = "rateLimitType")]
    pub rate_limit_type: Option<String>,
    /// When the window resets, Unix seconds (read as a number of any kind, so an odd value
    /// never costs the rest of the event).
    #[serde(rename = "resetsAt", default)]
    pub resets_at: Option<f64>,
    /// How much of the window is used, 0–1.
    #[serde(default)]
    pub utilization: Option<f64>,
}
