//! Search through the app: `search_project` over a project's stored sessions (its worktree
//! sessions included, no other project's), its error for a query with no word, and
//! `search_session_outputs` for the outputs a window let go of.

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
