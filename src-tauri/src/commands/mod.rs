//! Tauri commands: each looks up state, calls the engine or core once and maps the error.

pub mod agents;
pub mod best_of;
pub mod checks;
pub mod claude_history;
pub mod files;
pub mod links;
pub mod permissions;
pub mod pipeline;
pub mod projects;
pub mod prompt_content;
pub mod questions;
pub mod remote;
pub mod remote_host;
pub mod review;
pub mod search;
pub mod sessions;
pub mod steer;
pub mod terminal;
pub mod updates;
pub mod usage;
pub mod webhooks;
pub mod worktrees;
