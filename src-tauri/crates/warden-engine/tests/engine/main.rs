//! Engine integration tests: real processes. The real Claude Code CLI talks to a scripted mock
//! Anthropic API on 127.0.0.1; the fake agent injects faults.

mod acp;
mod agents;
mod claude_history;
mod codex;
mod discovery;
mod fake_agent;
mod files;
#[cfg(unix)]
mod journal;
mod permissions;
mod real_claude;
mod store;
mod support;
mod terminal;
