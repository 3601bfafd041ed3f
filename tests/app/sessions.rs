//! Sessions through the app: what the window can read, and quitting stops every agent.

use crate::support::TestApp;
use serde_json::json;
use std::sync::Arc;
use tauri::Manager;
use warden_app::state::AppState;
use warden_core::session::*;
use warden_engine::{AgentBinary, ChannelSink, NewSession, RunOptions};
use warden_mock_models::agents::{alive, gone_within};

fn fake(mode: &str, pidfile: &std::path::Path) -> RunOptions {
    RunOptions {
        binary: Some(AgentBinary {
            agent: AgentKind::Claude,
            program: warden_mock_models::agents::fake_agent_program(),
            version: "9.9.9".into(),
        }),
        env: vec![("WARDEN_FAKE_MODE".into(), mode.into()), ("WARDEN_FAKE_PIDFILE".into(), pidfile.into())],
        ..Default::default()
    }
}

#[test]
fn quitting_stops_every_session_and_leaves_no_process_behind() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let handle = app.window.app_handle().clone();
    let engine = handle.state::<AppState>().engine.clone();
    let pidfile = data.path().join("grandchild.pid");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let new = NewSession {
        project: project.path().to_string_lossy().into_owned(),
        run: fake("grandchild", &pidfile),
        ..Default::default()
    };
    let session = tauri::async_runtime::block_on(async {
        let session = engine.sessions().start(new, Arc::new(ChannelSink(tx))).await.expect("starts");
        session.prompt("hello").await.expect("prompt accepted");
        while let Some(event) = rx.recv().await {
            if matches!(event.kind, SessionEventKind::TurnEnded(_)) {
                break;
            }
        }
        session
    });
    let grandchild: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(alive(grandchild));

    warden_app::on_exit(&handle);

    assert!(session.is_finished(), "the session actor is done before exit returns");
    assert!(gone_within(grandchild, std::time::Duration::from_secs(2)), "the agent's own child died with it");

    // What the window reads back: the stored session and its whole transcript.
    let listed = app.invoke("session_list", json!({ "project": project.path() })).expect("listed");
    let sessions: Vec<SessionRecord> = serde_json::from_value(listed).unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!((sessions[0].status, sessions[0].title.as_str()), (SessionStatus::Stopped, "hello"));
    let events = app.invoke("session_events", json!({ "sessionId": sessions[0].id, "afterSeq": 0 })).expect("events");
    let events: Vec<SessionEvent> = serde_json::from_value(events).unwrap();
    assert_eq!(events.len() as u64, sessions[0].last_seq);
    assert!(matches!(events.last().unwrap().kind, SessionEventKind::Status(SessionStatus::Stopped)));
    let tail = app.invoke("session_events", json!({ "sessionId": sessions[0].id, "afterSeq": 3 })).unwrap();
    assert_eq!(tail.as_array().unwrap()[0]["seq"], 4, "after_seq reads only what came later");
}

#[test]
fn listing_sessions_of_a_missing_project_is_a_typed_error() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let err = app.invoke("session_list", json!({ "project": "/no/such/project" })).unwrap_err();
    assert_eq!(err["code"], "projectNotFound");
}

#[test]
fn the_window_starts_prompts_reads_and_stops_a_session() {
    // Discovery honours WARDEN_CLAUDE; here it names the fake agent, which answers every prompt.
    std::env::set_var("WARDEN_CLAUDE", warden_mock_models::agents::fake_agent_program());
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let record: SessionRecord =
        app.call("session_start", json!({ "project": project.path(), "permissionMode": "default", "model": null }));
    assert_eq!(record.agent, AgentKind::Claude);
    let turn: TurnId = app.call("session_prompt", json!({ "sessionId": record.id, "prompt": { "text": "hello there" } }));
    assert_eq!(turn, TurnId(1));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let events = loop {
        let events: Vec<SessionEvent> = app.call("session_events", json!({ "sessionId": record.id, "afterSeq": 0 }));
        if events.iter().any(|e| matches!(e.kind, SessionEventKind::TurnEnded(_))) {
            break events;
        }
        assert!(std::time::Instant::now() < deadline, "the turn never ended: {events:#?}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(events.iter().any(|e| matches!(&e.kind, SessionEventKind::AgentMessageChunk(c) if c.text.contains("word0"))));
    let unknown = app
        .invoke("permission_resolve", json!({ "sessionId": record.id, "requestId": "nope", "answer": { "decision": "allowOnce" } }))
        .unwrap_err();
    assert!(unknown["message"].as_str().unwrap().contains("nope"), "{unknown}");
    app.call::<()>("session_stop", json!({ "sessionId": record.id }));
    let err = app.invoke("session_prompt", json!({ "sessionId": record.id, "prompt": { "text": "again" } })).unwrap_err();
    assert_eq!(err["code"], "sessionNotRunning", "the window offers Resume on this code");
    let resumed: SessionRecord = app.call("session_resume", json!({ "sessionId": record.id }));
    assert_eq!(resumed.id, record.id);
    app.call::<()>("session_stop", json!({ "sessionId": record.id }));
}

#[test]
fn a_stored_transcript_leaves_large_outputs_out_and_each_reads_back_by_seq() {
    let data = tempfile::tempdir().unwrap();
    let app = TestApp::start(data.path(), None);
    let engine = app.window.state::<AppState>().engine.clone();
    let store = engine.store();
    let id = SessionId("big".into());
    store.create_session(&SessionRecord::new(id.clone(), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, 1)).unwrap();
    let output = |text: String| {
        SessionEventKind::ToolCallUpdate(ToolCallUpdate {
            id: ToolCallId("t".into()),
            status: Some(ToolCallStatus::Completed),
            title: None,
            input: None,
            raw_input: None,
            locations: None,
            output: Some(ToolOutput::new(text, None)),
            duration_ms: Some(1),
        })
    };
    let big = "line of output\n".repeat(1000);
    for (seq, kind) in [(1, output("small".into())), (2, output(big.clone()))] {
        store.append(&SessionEvent { session_id: id.clone(), seq, at_ms: 1, kind }).unwrap();
    }
    let events: Vec<SessionEvent> = app.call("session_events", json!({ "sessionId": "big", "afterSeq": 0 }));
    let outputs: Vec<(String, Option<u64>)> = events
        .iter()
        .map(|e| match &e.kind {
            SessionEventKind::ToolCallUpdate(u) => u.output.as_ref().map(|o| (o.text.clone(), o.elided_bytes)).unwrap(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(outputs, vec![("small".to_owned(), None), (String::new(), Some(big.len() as u64))]);
    let full: Option<SessionEvent> = app.call("session_event", json!({ "sessionId": "big", "seq": 2 }));
    match full.expect("seq 2 is stored").kind {
        SessionEventKind::ToolCallUpdate(u) => assert_eq!(u.output.unwrap().text, big, "the single event has it all"),
        other => panic!("{other:?}"),
    }
    let none: Option<SessionEvent> = app.call("session_event", json!({ "sessionId": "big", "seq": 9 }));
    assert!(none.is_none());
}
