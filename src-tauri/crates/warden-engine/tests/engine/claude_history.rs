//! Claude Code's own transcripts, written by the real CLI (pinned, from npm) against the mock
//! model, read back: listed, converted into events, imported and resumed.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use warden_core::session::*;
use warden_engine::claude::history::{encode_project, ClaudeHistory};
use warden_engine::Engine;
use warden_mock_models::{AnthropicMock, Reply};

fn events_of(events: &[SessionEvent]) -> Vec<&SessionEventKind> {
    events.iter().map(|e| &e.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_reads_back_from_the_transcript_claude_wrote() {
    let world = World::new();
    // Deep enough that Claude cuts the folder name and appends its hash of the path.
    let project = world.project_path().join("a-rather-long-folder-name-for-a-project/".repeat(6).trim_end_matches('/'));
    std::fs::create_dir_all(&project).unwrap();
    let target = project.join("notes.txt");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": target, "content": "teal\n"})),
        Reply::text("Wrote notes.txt."),
    ])
    .unwrap();
    let mut run = Run::start(&world.engine, &project, claude(), claude_env(world.home.path(), &mock.url())).await;
    run.handle.prompt("Write the colour into notes.txt").await.unwrap();
    let ask = run.permission().await;
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    run.stop().await;
    let id = run.handle.id().to_string();

    let history = ClaudeHistory::at(world.home.path().join(".claude"));
    let dir = history.dir(&project).expect("Claude wrote the project's transcript folder");
    assert!(encode_project(&project).len() > 200, "the long-name rule is exercised");
    assert_eq!(dir, history.config_dir().join("projects").join(encode_project(&project)), "the name Claude chose is computed exactly");

    let list = history.list(&project);
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!(list[0].agent_session_id, id, "Claude's session id is Warden's");
    assert_eq!((list[0].prompts, list[0].title.as_str()), (1, "Write the colour into notes.txt"));
    assert!(list[0].bytes > 0 && list[0].created_ms <= list[0].updated_ms && list[0].error.is_none(), "{:?}", list[0]);
    world.engine.history().set_claude_config_dir(Some(history.config_dir().to_owned()));
    let offered = world.engine.history().list(&project.to_string_lossy()).unwrap();
    assert!(offered.is_empty(), "a session Warden holds is not offered again: {offered:?}");

    let events = world.engine.history().events(&project.to_string_lossy(), &id).unwrap();
    let kinds = events_of(&events);
    assert!(!kinds.iter().any(|k| matches!(k, SessionEventKind::Unrecognised(_))), "{kinds:#?}");
    let prompt = kinds.iter().find_map(|k| match k {
        SessionEventKind::UserMessage(m) => Some(m),
        _ => None,
    });
    assert_eq!(prompt.map(|m| (m.turn, m.text.as_str())), Some((TurnId(1), "Write the colour into notes.txt")));
    let text: String = kinds
        .iter()
        .filter_map(|k| match k {
            SessionEventKind::AgentMessageChunk(c) => Some(c.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(text, "I'll use Write.Wrote notes.txt.", "both answers, each block once");
    let call = kinds.iter().find_map(|k| match k {
        SessionEventKind::ToolCall(t) => Some(t),
        _ => None,
    });
    let call = call.expect("the Write call");
    assert_eq!((call.name.as_str(), call.title.as_str()), ("Write", "Write notes.txt"));
    assert_eq!(call.raw_input["file_path"], target.to_string_lossy().as_ref());
    let result = kinds.iter().find_map(|k| match k {
        SessionEventKind::ToolCallUpdate(u) if u.id == call.id => Some(u),
        _ => None,
    });
    let result = result.expect("the Write result");
    assert_eq!(result.status, Some(ToolCallStatus::Completed));
    assert!(result.output.as_ref().is_some_and(|o| o.text.contains("notes.txt")), "{result:?}");
    let ended = kinds.iter().find_map(|k| match k {
        SessionEventKind::TurnEnded(t) => Some(t),
        _ => None,
    });
    let ended = ended.expect("the turn ends");
    assert_eq!(ended.stop_reason, StopReason::EndTurn);
    assert!(ended.usage.output_tokens > 0 && ended.context_tokens.is_some(), "{ended:?}");
    assert!(std::fs::read_to_string(&target).unwrap().contains("teal"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_session_continues_in_warden_with_its_history() {
    // One Warden runs the session; another, with its own store, finds it in Claude's folder.
    let first = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("Noted: the colour is teal."), Reply::text("It was teal.")]).unwrap();
    let env = claude_env(first.home.path(), &mock.url());
    let mut run = Run::start(&first.engine, first.project.path(), claude(), env.clone()).await;
    run.handle.prompt("Remember the colour teal").await.unwrap();
    run.turn_end().await;
    run.stop().await;
    let id = run.handle.id().to_string();

    let data = tempfile::tempdir().unwrap();
    let (engine, _) = Engine::open(data.path()).unwrap();
    engine.history().set_claude_config_dir(Some(first.home.path().join(".claude")));
    let project = first.project_path().to_string_lossy().into_owned();
    let offered = engine.history().list(&project).unwrap();
    assert_eq!(offered.iter().map(|e| e.agent_session_id.as_str()).collect::<Vec<_>>(), [id.as_str()]);

    let bad = engine.history().import(&project, &format!("../{id}")).unwrap_err();
    assert!(bad.to_string().contains("is not a Claude session id"), "{bad}");
    let missing = engine.history().import(&project, "no-such-session").unwrap_err();
    assert!(missing.to_string().contains("no session no-such-session"), "{missing}");

    let record = engine.history().import(&project, &id).unwrap();
    assert_eq!((record.id.as_str(), record.agent_session_id.as_deref()), (id.as_str(), Some(id.as_str())));
    assert_eq!((record.status, record.turns, record.title.as_str()), (SessionStatus::Stopped, 1, "Remember the colour teal"));
    let stored = engine.store().events(&record.id, 0).unwrap();
    assert_eq!(stored.len() as u64, record.last_seq);
    assert_eq!(stored, engine.history().events(&project, &id).unwrap(), "what is stored is what was read");
    assert!(engine.history().list(&project).unwrap().is_empty(), "imported, so no longer offered");
    assert_eq!(engine.history().import(&project, &id).unwrap(), record, "importing again returns the stored session");

    let mut resumed = Run::resume(&engine, &record.id, claude(), env).await;
    let turn = resumed.handle.prompt("Which colour?").await.unwrap();
    assert_eq!(turn, TurnId(2), "turns continue after the imported one");
    resumed.turn_end().await;
    assert_eq!(resumed.events[0].seq, record.last_seq + 1, "the stream continues without a gap");
    let last = mock.requests().last().unwrap().to_string();
    assert!(last.contains("Remember the colour teal"), "claude --resume sent the imported turn to the model");
    assert!(resumed.text().contains("It was teal."));
    resumed.stop().await;
    let all = engine.store().events(&record.id, 0).unwrap();
    assert_eq!(all.len() as u64, all.last().unwrap().seq);
    assert!(Path::new(&engine.store().session(&record.id).unwrap().unwrap().project).is_dir());
}
