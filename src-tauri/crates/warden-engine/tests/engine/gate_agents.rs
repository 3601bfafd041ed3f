//! The task gate's feedback round with the real Codex and Gemini CLIs (a new turn carries the
//! feedback): the check fails until `fixed.txt` exists, the feedback turn's patch or write
//! (asked and allowed like any other) creates it, and the second round passes.

use crate::gate::{checks_finished, feedback_sent, task_finished, verdicts, write_checks, MARKER_CHECK};
use crate::support::*;
use serde_json::json;
use warden_core::session::*;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{GeminiMock, OpenAiMock, Reply};

async fn allow_next(run: &mut Run) {
    let ask = run.permission().await;
    assert!(feedback_sent(run).len() == 1, "the question comes in the feedback round: {:#?}", run.kinds());
    run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
}

fn assert_passed_in_two_rounds(run: &Run, finished: &TaskFinished, request_log: &str) {
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 2), "{:#?}", run.kinds());
    assert_eq!(verdicts(run), [(1, GateVerdict::Blocked), (2, GateVerdict::Passed)]);
    let outcomes: Vec<CheckOutcome> = checks_finished(run).into_iter().map(|c| c.outcome).collect();
    assert_eq!(outcomes, [CheckOutcome::Failed, CheckOutcome::Passed]);
    assert!(request_log.contains("fixed.txt is missing: create it"), "the model's next request carries the feedback");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codex_fixes_a_failing_check_in_a_feedback_turn() {
    let world = World::new();
    write_checks(&world, MARKER_CHECK, true);
    let patch = "*** Begin Patch\n*** Add File: fixed.txt\n+ok\n*** End Patch\n";
    let mock = OpenAiMock::start(vec![Reply::text("Done."), Reply::custom_tool("apply_patch", patch), Reply::text("Fixed.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        model: Some("gpt-5.5".into()),
        agent: AgentKind::Codex,
        sandbox: Some(Sandbox::WorkspaceWrite),
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("Do the work").await.unwrap();
    allow_next(&mut run).await;
    let finished = task_finished(&mut run).await;
    assert!(world.project_path().join("fixed.txt").exists());
    assert_passed_in_two_rounds(&run, &finished, &serde_json::to_string(&mock.requests()).unwrap());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gemini_fixes_a_failing_check_in_a_feedback_turn() {
    let world = World::new();
    write_checks(&world, MARKER_CHECK, true);
    let file = world.project_path().join("fixed.txt");
    let write = Reply::tool("write_file", json!({"file_path": file.to_string_lossy(), "content": "ok\n"}));
    let mock = GeminiMock::start(vec![Reply::text("Done."), write, Reply::text("Fixed.")]).unwrap();
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        agent: AgentKind::Gemini,
        run: RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("Do the work").await.unwrap();
    allow_next(&mut run).await;
    let finished = task_finished(&mut run).await;
    assert!(file.exists());
    assert_passed_in_two_rounds(&run, &finished, &serde_json::to_string(&mock.requests()).unwrap());
    run.stop().await;
}
