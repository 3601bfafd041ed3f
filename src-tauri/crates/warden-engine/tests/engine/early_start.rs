//! A new session's agent started before the engine is open (`EarlyStart`, what `warden run`
//! does so the stores open while the agent boots): a question the agent asks before the session
//! is attached waits for it and is asked, never allowed or lost; a real turn works; dropping an
//! early start ends the agent; worktree sessions and interrupted rollbacks start the usual way.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use warden_core::session::*;
use warden_engine::{AgentBinary, ChannelSink, EarlyStart, Engine, NewSession, RunOptions};
use warden_mock_models::{AnthropicMock, Reply};

fn new_session(project: &Path, binary: AgentBinary, env: Vec<(std::ffi::OsString, std::ffi::OsString)>) -> NewSession {
    NewSession {
        project: project.to_string_lossy().into_owned(),
        run: RunOptions { binary: Some(binary), env, ..Default::default() },
        ..Default::default()
    }
}

/// A Claude-protocol agent that asks a permission question the moment it starts, before any
/// prompt, then writes every line Warden sends it to `$EARLY_LOG` until its stdin ends.
#[cfg(unix)]
fn asking_agent(dir: &Path) -> AgentBinary {
    use std::os::unix::fs::PermissionsExt;
    let question = json!({"type": "control_request", "request_id": "early-1", "request": {"subtype": "can_use_tool",
        "tool_name": "Bash", "input": {"command": "touch made-early.txt"}, "tool_use_id": "t_early"}});
    let script = dir.join("asking-agent");
    std::fs::write(&script, format!("#!/bin/sh\necho '{question}'\nexec cat > \"$EARLY_LOG\"\n")).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    AgentBinary { agent: AgentKind::Claude, program: script, version: "1.0.0".into() }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_asked_before_the_session_is_attached_waits_and_is_asked() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("sent.log");
    let env = vec![("EARLY_LOG".into(), log.clone().into_os_string())];
    let early = EarlyStart::spawn(data.path(), &new_session(project.path(), asking_agent(bin.path()), env))
        .await
        .expect("the agent starts")
        .expect("a new session in the project itself starts early");
    let id = early.id().clone();
    // The agent asked at once; nothing reads its output until the session is attached.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (engine, _) = Engine::open(data.path()).expect("the engine opens while the agent waits");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = engine.sessions().start_early(early, Arc::new(ChannelSink(tx))).expect("the session takes the agent over");
    assert_eq!(handle.id(), &id, "the session keeps the id the agent was started with");
    assert!(engine.store().session(&id).unwrap().is_some(), "the record is stored when the session is attached");
    let mut seen = Vec::new();
    let asked = loop {
        let event = tokio::time::timeout(WAIT, rx.recv()).await.expect("the early question is asked").expect("events");
        seen.push(event.kind.clone());
        if let SessionEventKind::PermissionRequested(request) = event.kind {
            break request;
        }
    };
    assert_eq!(asked.request_id.as_str(), "early-1", "the question the agent asked first");
    assert!(
        !seen.iter().any(|k| matches!(k, SessionEventKind::PermissionResolved(_))),
        "nothing answered it before the person: {seen:#?}"
    );
    handle.resolve(asked.request_id.clone(), PermissionAnswer::new(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
    loop {
        let event = tokio::time::timeout(WAIT, rx.recv()).await.expect("the answer is recorded").expect("events");
        if matches!(event.kind, SessionEventKind::PermissionResolved(_)) {
            break;
        }
    }
    handle.stop().await;
    let sent = std::fs::read_to_string(&log).unwrap_or_default();
    let answers: Vec<serde_json::Value> = sent
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "control_response" && v["response"]["request_id"] == "early-1")
        .collect();
    assert_eq!(answers.len(), 1, "one answer reached the agent: {sent}");
    assert_eq!(answers[0]["response"]["response"]["behavior"], "deny", "the person's answer: {sent}");
    assert!(!project.path().join("made-early.txt").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_claude_started_early_runs_its_turn_through_the_permission_path() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let mock = AnthropicMock::start(vec![
        Reply::tool("Bash", json!({"command": "touch early.txt", "description": "Make a file"})),
        Reply::text("made it"),
    ])
    .unwrap();
    let early = EarlyStart::spawn(data.path(), &new_session(project.path(), claude(), claude_env(home.path(), &mock.url())))
        .await
        .unwrap()
        .expect("starts early");
    let (engine, _) = Engine::open(data.path()).unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = engine.sessions().start_early(early, Arc::new(ChannelSink(tx))).unwrap();
    handle.prompt("make a file").await.unwrap();
    let mut ended = None;
    while ended.is_none() {
        let event = tokio::time::timeout(WAIT, rx.recv()).await.expect("the turn goes on").expect("events");
        match event.kind {
            SessionEventKind::PermissionRequested(ask) => {
                handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
            }
            SessionEventKind::TurnEnded(turn) => ended = Some(turn),
            _ => {}
        }
    }
    assert_eq!(ended.unwrap().stop_reason, StopReason::EndTurn);
    assert!(project.path().join("early.txt").exists(), "the allowed command ran");
    handle.stop().await;
    let ops = engine.files().file_log(&project.path().to_string_lossy(), Some(handle.id())).unwrap();
    assert!(ops.iter().any(|op| op.path.ends_with("early.txt")), "the change is journaled: {ops:?}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_early_start_dropped_before_the_engine_opens_ends_the_agent() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let pidfile = project.path().join("pid");
    let env = vec![("WARDEN_FAKE_MODE".into(), "grandchild".into()), ("WARDEN_FAKE_PIDFILE".into(), pidfile.clone().into_os_string())];
    let early = EarlyStart::spawn(data.path(), &new_session(project.path(), fake_agent(), env)).await.unwrap().expect("starts early");
    let deadline = std::time::Instant::now() + WAIT;
    let grandchild: u32 = loop {
        if let Some(pid) = std::fs::read_to_string(&pidfile).ok().and_then(|p| p.trim().parse().ok()) {
            break pid;
        }
        assert!(std::time::Instant::now() < deadline, "the agent started its child");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(alive(grandchild));
    // As when the engine cannot be opened: the early start is dropped.
    drop(early);
    assert!(gone_within(grandchild, Duration::from_secs(10)), "what the agent started ends with it");
}

#[tokio::test]
async fn worktree_sessions_and_interrupted_rollbacks_start_the_usual_way() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let mut new = new_session(project.path(), fake_agent(), Vec::new());
    new.worktree = Some(SessionWorktree {
        main: project.path().to_string_lossy().into_owned(),
        branch: "b".into(),
        base_branch: None,
        base_commit: "0".repeat(40),
    });
    assert!(EarlyStart::spawn(data.path(), &new).await.unwrap().is_none(), "a worktree is made by the engine first");
    new.worktree = None;
    let staged = data.path().join(warden_engine::journal::JOURNAL_DIR).join("staging").join("7");
    std::fs::create_dir_all(&staged).unwrap();
    assert!(
        EarlyStart::spawn(data.path(), &new).await.unwrap().is_none(),
        "a rollback's staged files may be put back when the engine opens: the agent waits for that"
    );
    std::fs::remove_dir_all(&staged).unwrap();
    let early = EarlyStart::spawn(data.path(), &new).await.unwrap();
    assert!(early.is_some(), "an empty staging folder is no interrupted rollback");
}
