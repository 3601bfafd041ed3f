//! The real Codex CLI against the mock Responses API: what a Codex patch or command changes is
//! tied to its tool call in the file journal, as a Claude call's changes are, so the log, the
//! diff and the rollback of one call find them.
//!
//! Codex asks before every patch and command (Warden runs it `untrusted`) and runs it only once
//! answered, so the journal marks the call's start at the question and its end at the call's
//! final status (`item/completed`).

use crate::support::*;
use serde_json::json;
use warden_core::journal::RollbackTarget;
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{OpenAiMock, Reply};

async fn start(world: &World, mock: &OpenAiMock, model: Option<&str>, sandbox: Sandbox) -> Run {
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        model: model.map(str::to_owned),
        agent: AgentKind::Codex,
        sandbox: Some(sandbox),
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

fn project(world: &World) -> String {
    world.project_path().to_string_lossy().into_owned()
}

fn changes(run: &Run) -> Vec<FileChanges> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// Asks the next question and allows it; returns the call it was about.
async fn allow_next(run: &mut Run) -> ToolCallId {
    let ask = run.permission().await;
    let call = ask.tool_call_id.clone().expect("Codex's question names its call");
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    call
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codex_patch_is_tied_to_its_call_and_rolls_back_by_it() {
    let world = World::new();
    let root = world.project_path();
    std::fs::write(root.join("kept.txt"), "old\n").unwrap();
    let patch = "*** Begin Patch\n*** Add File: hello.txt\n+hello from apply_patch\n*** Update File: kept.txt\n@@\n-old\n+new\n*** End Patch\n";
    let mock = OpenAiMock::start(vec![Reply::custom_tool("apply_patch", patch), Reply::text("Patched.")]).unwrap();
    let mut run = start(&world, &mock, Some("gpt-5.5"), Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Add hello.txt and update kept.txt").await.unwrap();
    let call = allow_next(&mut run).await;
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn);
    assert_eq!(std::fs::read_to_string(root.join("hello.txt")).unwrap(), "hello from apply_patch\n");
    assert_eq!(std::fs::read_to_string(root.join("kept.txt")).unwrap(), "new\n");

    let announced = changes(&run);
    assert_eq!(announced.len(), 1, "one snapshot holds the patch: {announced:#?}");
    assert_eq!(announced[0].tool_call_id.as_ref(), Some(&call), "the fileChanges event names the patch's call");
    let mut paths: Vec<&str> = announced[0].ops.iter().map(|op| op.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["hello.txt", "kept.txt"]);

    let session_id = run.handle.id().clone();
    let log = world.engine.files().file_log(&project(&world), Some(&session_id)).unwrap();
    assert!(!log.is_empty() && log.iter().all(|op| op.tool_call_id.as_ref() == Some(&call)), "`warden log` shows the call: {log:#?}");
    let target = RollbackTarget::ToolCall { session_id, tool_call_id: call };
    let diff = world.engine.files().file_diff(&project(&world), &target).unwrap();
    assert_eq!(diff.len(), 2, "`warden diff --tool-call` finds both files");
    run.stop().await;
    let report = world.engine.files().rollback(&project(&world), target, false).unwrap();
    assert_eq!((report.restored.as_slice(), report.removed.as_slice()), (["kept.txt".to_owned()].as_slice(), ["hello.txt".to_owned()].as_slice()), "{report:#?}");
    assert!(!root.join("hello.txt").exists(), "the added file is gone");
    assert_eq!(std::fs::read_to_string(root.join("kept.txt")).unwrap(), "old\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codex_command_is_tied_to_its_call_like_a_claude_bash_call() {
    let world = World::new();
    let command = Reply::tool(
        "exec_command",
        json!({"cmd": "touch made.txt && echo made", "sandbox_permissions": "require_escalated", "justification": "Write in the project"}),
    );
    let mock = OpenAiMock::start(vec![command, Reply::text("All done.")]).unwrap();
    let mut run = start(&world, &mock, None, Sandbox::WorkspaceWrite).await;
    run.handle.prompt("Make the file").await.unwrap();
    let call = allow_next(&mut run).await;
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn);
    assert!(world.project_path().join("made.txt").exists());
    let announced = changes(&run);
    assert_eq!(announced.len(), 1, "{announced:#?}");
    assert_eq!(announced[0].tool_call_id.as_ref(), Some(&call));
    assert_eq!(announced[0].ops[0].path, "made.txt");
    run.stop().await;
}
