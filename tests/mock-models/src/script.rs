//! What a scripted model says: one [`Reply`] per model request, in order.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One model response: content blocks streamed in order, then a stop reason.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    /// The content blocks of the message.
    pub blocks: Vec<Block>,
    /// Pause between streamed chunks, to make a turn slow enough to interrupt.
    #[serde(default)]
    pub chunk_delay_ms: u64,
    /// HTTP headers sent with the reply (the OpenAI mock's rate-limit headers, which Codex
    /// reads as its account's rate limits).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

/// One content block of a scripted reply.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Block {
    /// Visible text, streamed in small pieces.
    Text {
        /// The whole text.
        text: String,
    },
    /// Extended thinking, streamed like text.
    Thinking {
        /// The whole thinking text.
        thinking: String,
    },
    /// A tool call; the input is streamed as JSON fragments.
    ToolUse {
        /// Tool name as the agent registered it (`Write`, `Bash`, …).
        name: String,
        /// The tool's input. The OpenAI mock sends a JSON string as the freeform input of a
        /// custom tool call (Codex's `apply_patch`) and anything else as function arguments.
        input: Value,
    },
}

impl Reply {
    /// A reply that only says `text` and ends the turn.
    pub fn text(text: impl Into<String>) -> Self {
        Self { blocks: vec![Block::Text { text: text.into() }], chunk_delay_ms: 0, headers: Vec::new() }
    }

    /// A reply that calls one tool (after a short sentence), so the agent runs it.
    pub fn tool(name: &str, input: Value) -> Self {
        Self {
            blocks: vec![
                Block::Text { text: format!("I'll use {name}.") },
                Block::ToolUse { name: name.to_owned(), input },
            ],
            chunk_delay_ms: 0,
            headers: Vec::new(),
        }
    }

    /// A reply that calls a freeform (custom) tool with `input` as its text, after a short
    /// sentence: how the OpenAI mock sends Codex's `apply_patch`.
    pub fn custom_tool(name: &str, input: &str) -> Self {
        Self::tool(name, Value::String(input.to_owned()))
    }

    /// Adds a thinking block in front.
    pub fn thinking_first(mut self, thinking: impl Into<String>) -> Self {
        self.blocks.insert(0, Block::Thinking { thinking: thinking.into() });
        self
    }

    /// Streams every chunk `ms` milliseconds apart.
    pub fn slow(mut self, ms: u64) -> Self {
        self.chunk_delay_ms = ms;
        self
    }

    /// Sends Codex's rate-limit headers with the reply: the primary window `used_percent` used,
    /// 300 minutes long, resetting at `reset_at` (Unix seconds); the secondary 5% of a week.
    pub fn with_rate_limits(mut self, used_percent: f64, reset_at: u64) -> Self {
        for (name, value) in [
            ("x-codex-primary-used-percent", used_percent.to_string()),
            ("x-codex-primary-window-minutes", "300".to_owned()),
            ("x-codex-primary-reset-at", reset_at.to_string()),
            ("x-codex-secondary-used-percent", "5".to_owned()),
            ("x-codex-secondary-window-minutes", "10080".to_owned()),
        ] {
            self.headers.push((name.to_owned(), value));
        }
        self
    }

    /// Whether the model stops to let the agent run a tool.
    pub fn calls_tools(&self) -> bool {
        self.blocks.iter().any(|b| matches!(b, Block::ToolUse { .. }))
    }
}
