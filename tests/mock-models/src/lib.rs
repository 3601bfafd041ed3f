//! Scripted model servers on 127.0.0.1 for tests that drive the real agent CLIs.
//!
//! A test describes, in order, what the "model" answers to each request; the real CLI runs its
//! real agent loop (tools, permission prompts, streaming) against it. Every request body is kept so
//! a test can check what the agent told the model (for example, that a denied tool call reached it
//! as an error result).

pub mod agents;
mod anthropic;
mod gemini;
mod openai;
mod script;
mod server;

pub use anthropic::AnthropicMock;
pub use gemini::GeminiMock;
pub use openai::OpenAiMock;
pub use script::{Block, Reply};
