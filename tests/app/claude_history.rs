//! Claude Code's own sessions through the window's commands: listed, shown, imported; and an
//! id that tries to leave Claude's transcript folder is refused.

use crate::support::TestApp;
use serde_json::json;
use std::path::Path;
use tauri::Manager;
use warden_app::state::AppState;
use warden_core::session::*;
use warden_engine::claude::history::encode_project;

/// A transcript Claude Code 2.1.329 wrote (two prompts, tools, a subagent, a denied Write).
const ID: &str = "9ff61b0b-b106-479e-8846-66b41ebd8ec0";

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/crates/warden-engine/tests/fixtures/claude-history")
}

/// A Claude configuration folder holding the fixture as a transcript of `project`, rewritten to
/// say it ran there.
fn claude_config_for(project: &Path) -> tempfile::TempDir {
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("projects").join(encode_project(project));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(fixtures().join(format!("{ID}.jsonl"))).unwrap();
    std::fs::write(dir.join(format!("{ID}.jsonl")), text.replace("/home/dev/project", &project.to_string_lossy())).unwrap();
    config
}

#[test]
fn the_window_lists_shows_and_imports_claude_sessions_and_refuses_paths_as_ids() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let project_path = project.path().canonicalize().unwrap();
    let config = claude_config_for(&project_path);
    let app = TestApp::start(data.path(), None);
    let engine = app.window.app_handle().state::<AppState>().engine.clone();
    engine.history().set_claude_config_dir(Some(config.path().to_owned()));

    let listed: Vec<ClaudeHistoryEntry> = app.call("claude_history_list", json!({ "project": project.path() }));
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].agent_session_id.as_str(), listed[0].prompts), (ID, 2));
    assert_eq!(listed[0].title, "What does main.rs do? Check it and count the files.");

    let args = json!({ "project": project.path(), "agentSessionId": ID });
    let shown: Vec<SessionEvent> = app.call("claude_history_events", args.clone());
    assert!(shown.iter().all(|e| e.session_id.as_str() == ID));
    assert!(matches!(&shown[0].kind, SessionEventKind::UserMessage(m) if m.text.starts_with("What does main.rs do?")));
    let none: Vec<SessionRecord> = app.call("session_list", json!({ "project": project.path() }));
    assert!(none.is_empty(), "showing a Claude session stores nothing");
    // Each tool output reads back whole by its call (the fixture's are small enough to be shown
    // whole too; the engine's tests cover the ones left out).
    let outputs: Vec<(String, ToolOutput)> = shown
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ToolCallUpdate(u) => u.output.clone().map(|o| (u.id.0.clone(), o)),
            _ => None,
        })
        .collect();
    assert!(outputs.len() >= 3, "the fixture has tool outputs");
    for (tool, output) in &outputs {
        let args = json!({ "project": project.path(), "agentSessionId": ID, "toolCallId": tool });
        let read: Option<ToolOutput> = app.call("claude_history_output", args);
        assert_eq!(read.as_ref(), Some(output), "the output of {tool}");
    }
    let missing: Option<ToolOutput> =
        app.call("claude_history_output", json!({ "project": project.path(), "agentSessionId": ID, "toolCallId": "toolu_none" }));
    assert_eq!(missing, None);

    let record: SessionRecord = app.call("claude_history_import", args.clone());
    assert_eq!((record.id.as_str(), record.agent_session_id.as_deref(), record.status), (ID, Some(ID), SessionStatus::Stopped));
    assert_eq!(record.project, project_path.to_string_lossy());
    assert_eq!(record.last_seq, shown.len() as u64);
    let stored: Vec<SessionEvent> = app.call("session_events", json!({ "sessionId": ID, "afterSeq": 0 }));
    assert_eq!(stored, shown, "the imported transcript is what was shown");
    let sessions: Vec<SessionRecord> = app.call("session_list", json!({ "project": project.path() }));
    assert_eq!(sessions, vec![record.clone()]);
    let listed: Vec<ClaudeHistoryEntry> = app.call("claude_history_list", json!({ "project": project.path() }));
    assert!(listed.is_empty(), "an imported session is not offered again");
    let again: SessionRecord = app.call("claude_history_import", args);
    assert_eq!(again, record, "importing twice changes nothing");

    // A secret beside the transcript folder that a path-like id would reach.
    std::fs::write(config.path().join("projects").join("secret.jsonl"), "{\"type\":\"user\"}\n").unwrap();
    for bad in ["../secret", "..", "a/b", "..\\secret", "/etc/passwd", ""] {
        for cmd in ["claude_history_events", "claude_history_import", "claude_history_output"] {
            let err = app.invoke(cmd, json!({ "project": project.path(), "agentSessionId": bad, "toolCallId": "t" })).unwrap_err();
            let message = err["message"].as_str().unwrap_or_default();
            assert!(message.contains("is not a Claude session id"), "{cmd}({bad:?}) must be refused: {err}");
        }
    }
    let err = app.invoke("claude_history_events", json!({ "project": project.path(), "agentSessionId": "unknown-id" })).unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("no session unknown-id"), "{err}");
    let err = app.invoke("claude_history_list", json!({ "project": "/no/such/project" })).unwrap_err();
    assert_eq!(err["code"], "projectNotFound");
}
