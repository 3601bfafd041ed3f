//! Declares Warden's own commands to Tauri's access control so that the window may call only
//! those listed in `src-tauri/capabilities/`, and generates the Tauri context.

/// Every command the window may call. Keep in step with `specta_builder` in `src/lib.rs`; a test
/// checks that the two lists agree.
const COMMANDS: &[&str] = &[
    "workspace_snapshot",
    "project_open",
    "project_pick",
    "project_activate",
    "project_close",
    "project_reveal",
    "recent_forget",
    "link_open",
    "notice_dismiss",
    "session_list",
    "session_events",
    "session_event",
    "session_subscribe",
    "session_unsubscribe",
    "session_start",
    "session_resume",
    "session_prompt",
    "session_interrupt",
    "session_stop",
    "permission_resolve",
    "permissions_waiting",
    "session_set_mode",
    "session_rules_set",
    "project_rules_get",
    "project_rules_set",
    "rule_parse",
    "permission_log",
    "claude_history_list",
    "claude_history_events",
    "claude_history_import",
    "files_log",
    "files_diff",
    "files_rollback",
    "files_redo",
    "files_rollback_plan",
    "files_redo_plan",
    "terminal_open",
    "terminal_write",
    "terminal_resize",
    "terminal_close",
    "agents_list",
    "agent_install",
    "agent_install_cancel",
    "custom_agent_save",
    "custom_agent_remove",
    "checks_overview",
    "checks_trust",
    "checks_log",
    "task_feedback",
    "task_rerun",
    "webhooks_deliveries",
    "webhooks_redeliver",
    "webhooks_test",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
