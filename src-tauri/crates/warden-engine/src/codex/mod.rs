//! Codex through `codex app-server`: JSON-RPC over stdio lines (PROTOCOLS.md §2.2).
//!
//! # Concepts
//! - **One thread per session.** The first process starts a thread and reports its id as the
//!   session's agent id (`agentInfo`); a later process resumes that thread, so Codex keeps the
//!   conversation.
//! - **Codex decides what asks.** Commands run in Codex's sandbox (the session's
//!   [`Sandbox`](warden_core::session::Sandbox)); Codex asks before anything beyond it (a
//!   command that wants out of the sandbox, a file change the sandbox forbids). Those questions
//!   go through Warden's rules and mode like Claude's, presented as `Bash` and `Write`/`Edit`
//!   calls, and offer exactly the answers Codex lists.
//! - **No hooks.** Codex runs what its sandbox allows without telling anyone first, so deny
//!   rules apply only to what it asks about, and the file journal records Codex's changes per
//!   turn rather than per tool call.

mod adapter;
mod approvals;
mod command;
mod items;
mod notifications;
mod tools;
mod wire;

pub use adapter::{approval_policy, CodexAdapter};
pub use command::spawn_spec;

#[cfg(test)]
mod tests;
