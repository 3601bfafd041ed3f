//! The real Claude Code CLI (pinned, from npm) against the mock model: the whole permission
//! round trip, multi-turn, interrupt, resume, and a crash.

use crate::support::*;
use serde_json::json;
use warden_core::session::*;
use warden_mock_models::{AnthropicMock, Reply};

fn write_reply(path: &std::path::Path) -> Reply {
    Reply::tool("Write", json!({"file_path": path, "content": "hello from the mock model\n"}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_answer_streams_in_and_ends_the_turn() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("Hello from the mock model, streamed in pieces.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("Say hello").await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "{ended:?}");
    assert_eq!(run.text(), "Hello from the mock model, streamed in pieces.", "every piece once, in order");
    assert!(ended.cost_usd.is_some(), "Claude reports cost");
    let info = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentInfo(i) => Some(i.clone()),
        _ => None,
    });
    assert_eq!(info.expect("init reported").agent_session_id, run.handle.id().to_string(), "Claude uses Warden's id");
    run.stop().await;
    let seqs: Vec<u64> = run.events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "seq counts up without gaps");
    let stored = world.engine.store().events(run.handle.id(), 0).unwrap();
    assert_eq!(stored, run.events, "what was emitted is exactly what was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_write_creates_the_file_and_events_come_in_order() {
    let world = World::new();
    let target = world.project_path().join("hello.txt");
    let mock = AnthropicMock::start(vec![write_reply(&target), Reply::text("Done.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("Create hello.txt").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.tool_name, "Write");
    assert!(!target.exists(), "nothing is written before the answer");
    run.handle.resolve(ask.request_id.clone(), PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "hello from the mock model\n");
    let types = run.types();
    let at = |t: &str| types.iter().position(|x| *x == t).unwrap_or_else(|| panic!("{t} missing in {types:?}"));
    assert!(at("userMessage") < at("toolCall"));
    assert!(at("toolCall") < at("permissionRequested"));
    assert!(at("permissionRequested") < at("permissionResolved"));
    assert!(at("permissionResolved") < at("turnEnded"));
    let completed = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::ToolCallUpdate(u)
            if Some(&u.id) == ask.tool_call_id.as_ref() && u.status == Some(ToolCallStatus::Completed) && u.output.is_some())
    });
    assert!(completed, "the Write call completes with its output");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_write_leaves_no_file_and_the_model_is_told_why() {
    let world = World::new();
    let target = world.project_path().join("hello.txt");
    let mock = AnthropicMock::start(vec![write_reply(&target), Reply::text("Understood, I will not.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("Create hello.txt").await.unwrap();
    let ask = run.permission().await;
    let why = "Not in this folder, please.";
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::Deny).with_message(why), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn);
    assert!(!target.exists(), "a denied Write writes nothing");
    let denied = run.events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied))
    });
    assert!(denied, "the timeline shows the call as denied");
    let told = mock.requests().iter().any(|r| r.to_string().contains(why));
    assert!(told, "the deny message reached the model in the next request");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bash_command_that_changes_files_asks_first() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![
        Reply::tool("Bash", json!({"command": "touch bash_made.txt && ls", "description": "Create a file with touch"})),
        Reply::text("Created."),
    ])
    .unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("touch a file").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.tool_name, "Bash");
    assert_eq!(ask.raw_input["command"], "touch bash_made.txt && ls");
    assert_eq!(ask.title, "Create a file with touch", "the agent's description is the question");
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    assert!(world.project_path().join("bash_made.txt").exists());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_turns_run_on_one_process() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("one"), Reply::text("two"), Reply::text("three")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    for (n, prompt) in ["first", "second", "third"].into_iter().enumerate() {
        let turn = run.handle.prompt(prompt).await.unwrap();
        assert_eq!(turn, TurnId(n as u32 + 1));
        assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn);
    }
    assert_eq!(run.text(), "onetwothree");
    let starts = run.events.iter().filter(|e| matches!(e.kind, SessionEventKind::Started(_))).count();
    assert_eq!(starts, 1, "one process for all three turns");
    let record = world.engine.store().session(run.handle.id()).unwrap().unwrap();
    assert_eq!((record.turns, record.title.as_str()), (3, "first"));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupting_a_streaming_answer_ends_the_turn_and_the_next_prompt_works() {
    let world = World::new();
    let slow = "This answer streams slowly so that it can be interrupted in the middle of it. ".repeat(4);
    let mock = AnthropicMock::start(vec![Reply::text(slow.clone()).slow(150), Reply::text("Back again.")]).unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("talk slowly").await.unwrap();
    run.until("the first streamed words", |k| matches!(k, SessionEventKind::AgentMessageChunk(_))).await;
    run.handle.interrupt().await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::Cancelled, "{ended:?}");
    assert!(run.text().len() < slow.len(), "the answer was cut short");
    run.handle.prompt("continue").await.unwrap();
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn);
    assert!(run.text().ends_with("Back again."));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_session_resumes_in_a_new_process_with_its_history() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("Noted: the colour is teal."), Reply::text("It was teal.")]).unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut first = Run::start(&world.engine, world.project.path(), claude(), env.clone()).await;
    first.handle.prompt("Remember the colour teal").await.unwrap();
    first.turn_end().await;
    first.stop().await;
    let id = first.handle.id().clone();
    assert_eq!(world.engine.store().session(&id).unwrap().unwrap().status, SessionStatus::Stopped);

    let mut second = Run::resume(&world.engine, &id, claude(), env).await;
    second.handle.prompt("Which colour?").await.unwrap();
    second.turn_end().await;
    let started = second.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::Started(s) => Some(s.clone()),
        _ => None,
    });
    assert!(started.unwrap().resumed);
    let last = mock.requests().last().unwrap().to_string();
    assert!(last.contains("Remember the colour teal"), "the resumed process sent the earlier turn to the model");
    assert_eq!(second.events[0].seq, first.events.last().unwrap().seq + 1, "the stream continues without a gap");
    second.stop().await;
    let all = world.engine.store().events(&id, 0).unwrap();
    assert_eq!(all.len() as u64, all.last().unwrap().seq);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_killed_mid_turn_is_reported_stored_and_resumable() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![
        Reply::text("A slow answer that will never finish because the agent is killed. ".repeat(3)).slow(200),
        Reply::text("Alive again."),
    ])
    .unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut run = Run::start(&world.engine, world.project.path(), claude(), env.clone()).await;
    let pid = match &run.until("start", |k| matches!(k, SessionEventKind::Started(_))).await {
        SessionEventKind::Started(s) => s.pid.expect("pid known"),
        _ => unreachable!(),
    };
    run.handle.prompt("talk slowly").await.unwrap();
    run.until("streaming", |k| matches!(k, SessionEventKind::AgentMessageChunk(_))).await;
    // SAFETY: sends SIGKILL to the agent this test started.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::Error);
    let exited = run.exited().await;
    assert_eq!(exited.signal, Some(libc::SIGKILL));
    assert!(!exited.expected, "Warden did not ask it to stop");
    run.until("crashed status", |k| matches!(k, SessionEventKind::Status(SessionStatus::Crashed))).await;
    let id = run.handle.id().clone();
    assert_eq!(world.engine.store().session(&id).unwrap().unwrap().status, SessionStatus::Crashed);

    let mut again = Run::resume(&world.engine, &id, claude(), env).await;
    again.handle.prompt("are you there?").await.unwrap();
    assert_eq!(again.turn_end().await.stop_reason, StopReason::EndTurn);
    assert!(again.text().contains("Alive again."));
    again.stop().await;
}
