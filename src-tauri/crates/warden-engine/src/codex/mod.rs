//! Codex through `codex app-server`: JSON-RPC over stdio lines (PROTOCOLS.md §2.2).
//!
//! # Concepts
//! - **One thread per session.** The first process starts a thread and reports its id as the
//!   session's agent id (`agentInfo`); a later process resumes that thread, so Codex keeps the
//!   conversation.
//! - **Codex asks about everything.** Warden runs Codex with the approval policy `untrusted`,
//!   in which it asks before every command (even `ls`) and every file change, also inside its
//!   sandbox ([`approval_policy`]). Those questions go through Warden's rules and mode like
//!   Claude's, presented as `Bash` and `Write`/`Edit` calls with their working folder and every
//!   path they touch; the sandbox still limits what an allowed command can do.
//! - **Codex gets one call at a time.** Every allowing answer is a plain `accept`: never a
//!   session grant, never an exec-policy amendment (which Codex would write into a user-global
//!   rules file). Session and project grants stay in Warden's rules.
//! - **The project's configuration does not apply** ([`project_config_off`]): the project is
//!   marked untrusted for Codex, so its `.codex/config.toml` cannot start servers or change the
//!   sandbox. Codex then skips the project's `AGENTS.md`; Warden reads it itself, without
//!   following links, and passes it as instructions ([`project_instructions`]).
//! - **No hooks, but questions.** Codex announces a tool call but does not wait for Warden
//!   before running what it did not ask about (web search). What it asks about (every command
//!   and patch) waits for Warden's answer, so the file journal marks the call's start at the
//!   question and its end at the call's final status: a patch's or a command's changes are tied
//!   to its call, as a Claude call's are ([`crate::adapter::Output::ToolWaits`]).

mod adapter;
mod approvals;
mod command;
mod controls;
mod instructions;
mod items;
mod user_input;
mod rate_limits;
mod notifications;
mod tools;
mod wire;

pub use adapter::{approval_policy, CodexAdapter};
pub use command::{project_config_off, spawn_spec};
pub use instructions::project_instructions;

#[cfg(test)]
mod tests;
