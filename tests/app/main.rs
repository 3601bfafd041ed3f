//! Integration tests of the desktop app crate: the IPC contract and the commands, run through
//! `tauri::test::mock_builder` with the real plugins and a temporary settings folder.

mod agents;
mod bindings;
mod checks;
mod checks_run;
mod checks_window;
mod claude_history;
mod commands;
mod executables;
mod files;
mod files_hunks;
mod headless;
mod permissions;
mod prompt_content;
// The remote engine's socket and the test's sshd are Unix-only (`warden serve` is, for now).
#[cfg(unix)]
mod remote;
#[cfg(unix)]
mod remote_bench;
#[cfg(unix)]
mod remote_controls;
#[cfg(unix)]
mod remote_docker;
#[cfg(unix)]
mod remote_gate;
#[cfg(unix)]
mod remote_host;
#[cfg(unix)]
mod remote_protocol;
#[cfg(unix)]
mod remote_support;
#[cfg(unix)]
mod remote_target;
#[cfg(unix)]
mod remote_window;
#[cfg(unix)]
mod remote_window_close;
#[cfg(unix)]
mod remote_worktrees;
mod pipeline_window;
mod run_pipeline;
mod review;
mod review_base;
mod review_window;
mod run_gate;
mod run_review;
mod search;
mod sessions;
mod support;
mod terminal;
mod updates;
mod usage;
mod webhooks;
mod webhooks_enable;
mod webhooks_window;
mod worktrees;
