//! Search through the app: `search_project` over a project's stored sessions (its worktree
//! sessions included, no other project's), its error for a query with no word, and
//! `search_session_outputs` for the outputs a window let go of, in the store or in a Claude Code
//! transcript shown read-only.

use crate::support::TestApp;
use serde_json::json;
use tauri::Manager;
use warden_app::state::AppState;
use warden_core::search::{OutputMatches, SearchHit, SearchHitKind, SearchTarget};
use warden_core::session::*;

fn kind(value: serde_json::Value) -> SessionEventKind {
    serde_json::from_value(value).expect("a valid event")
}

fn append(store: &warden_engine::Store, id: &str, kinds: Vec<SessionEventKind>) {
    for (i, kind) in kinds.into_iter().enumerate() {
        store.append(&SessionEvent { session_id: SessionId(id.into()), seq: i as u64 + 1, at_ms: 10 + i as u64, kind }).unwrap();
    }
}

#[test]
fn the_window_searches_a_projects_sessions_and_the_outputs_it_let_go_of() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let engine = app.window.app_handle().state::<AppState>().engine.clone();
    let store = engine.store();
    let main = warden_engine::resolve_project_dir(&project.path().to_string_lossy()).unwrap().to_string_lossy().into_owned();
    let elsewhere = warden_engine::resolve_project_dir(&other.path().to_string_lossy()).unwrap().to_string_lossy().into_owned();

    store.create_session(&SessionRecord::new(SessionId("s-main".into()), main.clone(), AgentKind::Claude, None, PermissionMode::Default, 1)).unwrap();
    let mut tree = SessionRecord::new(SessionId("s-tree".into()), format!("{main}-worktrees/fix"), AgentKind::Codex, None, PermissionMode::Default, 2);
    tree.worktree = Some(SessionWorktree { main: main.clone(), branch: "warden/fix".into(), base_branch: None, base_commit: "abc".into() });
    store.create_session(&tree).unwrap();
    store.create_session(&SessionRecord::new(SessionId("s-other".into()), elsewhere, AgentKind::Claude, None, PermissionMode::Default, 3)).unwrap();

    append(store, "s-main", vec![
        kind(json!({"type": "userMessage", "data": {"turn": 1, "text": "Find the flaky test"}})),
        kind(json!({"type": "toolCall", "data": {"id": "t1", "parent": null, "name": "Bash", "kind": "execute", "title": "Run cargo test",
            "input": {"type": "shell", "command": "cargo test", "cwd": null, "description": null, "timeoutMs": null},
            "rawInput": {"command": "cargo test"}, "locations": [], "status": "pending"}})),
        kind(json!({"type": "toolCallUpdate", "data": {"id": "t1", "status": "failed",
            "output": {"text": "thread 'flaky_clock' panicked; FLAKY again: flaky", "rawOutput": null}}})),
    ]);
    append(store, "s-tree", vec![kind(json!({"type": "agentMessageChunk", "data": {"messageId": "m1", "part": 0, "parent": null, "text": "The flaky clock is fixed."}}))]);
    append(store, "s-other", vec![kind(json!({"type": "userMessage", "data": {"turn": 1, "text": "flaky elsewhere"}}))]);

    let hits: Vec<SearchHit> = app.call("search_project", json!({ "project": project.path(), "query": "flaky", "limit": 10 }));
    let mut found: Vec<(&str, SearchHitKind)> = hits.iter().map(|h| (h.session_id.as_str(), h.kind)).collect();
    found.sort_by_key(|(id, kind)| (id.to_string(), kind.as_str()));
    assert_eq!(found, [("s-main", SearchHitKind::Prompt), ("s-main", SearchHitKind::ToolOutput), ("s-tree", SearchHitKind::Answer)]);
    let output = hits.iter().find(|h| h.kind == SearchHitKind::ToolOutput).unwrap();
    assert_eq!((output.seq, &output.target), (3, &SearchTarget::Tool { id: ToolCallId("t1".into()) }));
    assert_eq!(output.session_title, "Find the flaky test");
    let marked: Vec<String> = output.matches.iter().map(|r| output.snippet[r.start as usize..r.end as usize].to_owned()).collect();
    assert_eq!(marked, ["flaky", "FLAKY", "flaky"], "ASCII snippet: UTF-16 offsets equal byte offsets");

    let err = app.invoke("search_project", json!({ "project": project.path(), "query": "-> ::", "limit": 10 })).unwrap_err();
    assert_eq!(err["code"], "internal");
    assert!(err["message"].as_str().unwrap().contains("punctuation"), "{err}");
    let err = app.invoke("search_project", json!({ "project": "/no/such/project", "query": "flaky", "limit": 10 })).unwrap_err();
    assert_eq!(err["code"], "projectNotFound");

    let counts: Vec<OutputMatches> = app.call("search_session_outputs", json!({ "sessionId": "s-main", "seqs": [1, 3], "needle": "Flaky" }));
    assert_eq!(counts, [OutputMatches { seq: 3, count: 3 }]);
}

/// A Claude Code transcript (the claude_history fixture) whose `ls` printed `lines`, so long that
/// the window is sent it without its text; in a Claude folder of its own, for `project`.
fn claude_config_with_a_long_output(project: &std::path::Path, lines: &str) -> tempfile::TempDir {
    const ID: &str = "9ff61b0b-b106-479e-8846-66b41ebd8ec0";
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src-tauri/crates/warden-engine/tests/fixtures/claude-history/{ID}.jsonl"));
    let text = std::fs::read_to_string(fixture).unwrap().replace("/home/dev/project", &project.to_string_lossy());
    let mut out = String::new();
    for line in text.lines() {
        let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
        if line.contains("\"tool_use_id\":\"toolu_mock_1_2\"") && line.contains("\"tool_result\"") {
            value["message"]["content"][0]["content"] = json!(lines);
            value["toolUseResult"]["stdout"] = json!(lines);
        }
        out.push_str(&value.to_string());
        out.push('\n');
    }
    let config = tempfile::tempdir().unwrap();
    let dir = config.path().join("projects").join(warden_engine::claude::history::encode_project(project));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{ID}.jsonl")), out).unwrap();
    config
}

/// Ctrl+F in a Claude Code session shown read-only (not stored): the outputs it was sent
/// without are counted in its transcript, not looked for in the store.
#[test]
fn the_window_counts_matches_in_the_outputs_a_claude_history_was_sent_without() {
    const ID: &str = "9ff61b0b-b106-479e-8846-66b41ebd8ec0";
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let canonical = project.path().canonicalize().unwrap();
    let long: String = (0..400).map(|i| if i % 100 == 7 { format!("src/needle_{i}.rs: Needle here\n") } else { format!("src/file_{i:04}.rs\n") }).collect();
    assert!(long.len() > 4096, "longer than what the window is sent whole");
    let config = claude_config_with_a_long_output(&canonical, &long);
    let app = TestApp::start(data.path(), None);
    let engine = app.window.app_handle().state::<AppState>().engine.clone();
    engine.history().set_claude_config_dir(Some(config.path().to_owned()));

    let shown: Vec<SessionEvent> = app.call::<ClaudeHistoryView>("claude_history_events", json!({ "project": project.path(), "agentSessionId": ID })).events;
    let left_out: Vec<u64> = shown
        .iter()
        .filter(|e| matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.output.as_ref().is_some_and(|o| o.elided_bytes.is_some())))
        .map(|e| e.seq)
        .collect();
    assert_eq!(left_out.len(), 1, "the long output is left out of what the window is sent");
    let mut asked = left_out.clone();
    asked.push(1);

    let args = |needle: &str, claude_project: serde_json::Value| json!({ "sessionId": ID, "seqs": asked, "needle": needle, "claudeProject": claude_project });
    let counts: Vec<OutputMatches> = app.call("search_session_outputs", args("NEEDLE", json!(project.path())));
    assert_eq!(counts, [OutputMatches { seq: left_out[0], count: 8 }], "4 lines, each with 'needle' twice, case ignored");
    let none: Vec<OutputMatches> = app.call("search_session_outputs", args("no such words", json!(project.path())));
    assert!(none.is_empty());
    // Without the project the store is asked, which does not hold the history.
    let stored: Vec<OutputMatches> = app.call("search_session_outputs", args("needle", serde_json::Value::Null));
    assert!(stored.is_empty());
    // An id that would leave Claude's folder is refused.
    let err = app
        .invoke("search_session_outputs", json!({ "sessionId": "../x", "seqs": [1], "needle": "needle", "claudeProject": project.path() }))
        .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("not a Claude session id"), "{err}");
}
