//! Engine integration tests: real processes. The real Claude Code CLI talks to a scripted mock
//! Anthropic API on 127.0.0.1; the fake agent injects faults.

mod acp;
mod acp_grants;
mod agent_commands;
mod agent_questions;
mod agents;
mod best_of;
mod claude_acp_project_config;
mod claude_grants;
mod claude_history;
mod claude_project_config;
mod codex;
mod codex_files;
mod codex_grants;
mod codex_project_config;
mod discovery;
mod early_start;
mod engine_close;
mod fake_agent;
mod gate;
mod gate_agents;
mod gate_reviews;
mod gate_triggers;
mod gemini_project_config;
mod files;
mod hostile_repo;
#[cfg(unix)]
mod journal;
mod permissions;
mod pipeline;
#[cfg(target_os = "linux")]
mod process_tree;
mod prompt_content;
mod real_claude;
mod review;
mod review_base;
mod review_on_demand;
mod steer_model;
mod store;
mod support;
mod terminal;
mod usage;
mod watch;
mod worktree_sessions;
mod worktrees;
