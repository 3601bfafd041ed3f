//! Any agent that speaks the Agent Client Protocol (PROTOCOLS.md §3): Gemini CLI (`gemini
//! --acp`), the Claude Code and Codex adapters, goose, opencode, and agents the person defines.
//!
//! Messages are the `agent-client-protocol` crate's schema types, framed as JSON-RPC 2.0 lines
//! here ([`wire`]), because the session actor owns the process and feeds the adapter one line
//! at a time, as for every other agent.

mod adapter;
mod client;
mod command;
mod controls;
mod permissions;
mod prompt_content;
mod shell_folder;
mod terminals;
mod tools;
mod updates;
mod wire;

pub use adapter::{AcpAdapter, REPLAY_BARRIER};
pub use command::{session_meta, spawn_spec};

#[cfg(test)]
mod tests;
