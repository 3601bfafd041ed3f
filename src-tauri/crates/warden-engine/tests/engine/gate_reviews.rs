//! Reviews in the task gate with real CLIs on the mock models: the real Claude codes, the real
//! Codex reviews it read-only through `outputSchema`. A blocking review's findings go back to
//! Claude as feedback, its next round is reviewed again, and the round limit holds; a review
//! after a check that did not pass is skipped, an untrusted project review never runs, a
//! reviewer that cannot start is reported as an error and never sent, Stop stops a running
//! reviewer, and a reviewer whose answering turn reached its budget keeps its answer and cost.

use crate::gate::{feedback_sent, task_finished, verdicts, write_checks};
use crate::support::*;
use serde_json::{json, Value};
use warden_core::review::ReviewSeverity;
use warden_core::session::*;
use warden_engine::gate::{GateReviews, ReviewerRun};
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{AnthropicMock, OpenAiMock, Reply};

/// A review's answer with one finding of `severity` on line 1 of `src/lib.rs`.
fn answer(severity: &str, title: &str) -> Value {
    json!({
        "verdict": "needs-attention",
        "summary": "See the finding.",
        "findings": [{"severity": severity, "title": title, "body": "It returns the wrong value.", "file": "src/lib.rs",
                      "line_start": 1, "line_end": 1, "confidence": 0.9, "recommendation": "Return 1."}]
    })
}

/// Starts the real Claude coding in the project, with reviewers of Codex on `codex_mock`.
async fn start(world: &World, claude_mock: &AnthropicMock, codex_mock: &OpenAiMock) -> Run {
    let reviews = GateReviews {
        extra: Vec::new(),
        runs: vec![ReviewerRun { agent: AgentKind::Codex, binary: Some(codex()), env: codex_env(world.home.path(), &codex_mock.url()) }],
    };
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        permission_mode: PermissionMode::AcceptEdits,
        run: RunOptions { binary: Some(claude()), env: claude_env(world.home.path(), &claude_mock.url()), reviews, ..Default::default() },
        ..Default::default()
    };
    Run::start_session(&world.engine, new).await
}

fn reviews_finished(run: &Run) -> Vec<ReviewFinished> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ReviewFinished(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn write(world: &World, text: &str) -> Reply {
    Reply::tool("Write", json!({"file_path": world.project_path().join("src/lib.rs"), "content": text}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_codex_review_goes_back_to_claude_its_next_round_is_reviewed_again_and_the_round_limit_holds() {
    let world = World::new();
    std::fs::create_dir_all(world.project_path().join("src")).unwrap();
    let toml = "version = 1\n[gate]\nfeedback = \"auto\"\nmax_rounds = 2\n\n[[check]]\nid = \"ok\"\nshell = \"true\"\n\n[[review]]\nid = \"second-opinion\"\nagent = \"codex\"\nafter = [\"ok\"]\ninstructions = \"Look at the return values.\"\n";
    write_checks(&world, toml, true);
    let claude_mock = AnthropicMock::start(vec![
        write(&world, "fn one() -> u32 { 0 }\n"),
        Reply::text("Done."),
        write(&world, "fn one() -> u32 { 2 }\n"),
        Reply::text("Fixed."),
    ])
    .unwrap();
    let codex_mock = OpenAiMock::start(vec![
        Reply::text(answer("high", "one() returns 0").to_string()),
        Reply::text(answer("critical", "one() returns 2").to_string()),
    ])
    .unwrap();
    let mut run = start(&world, &claude_mock, &codex_mock).await;
    let first = run.handle.prompt("Write one()").await.unwrap();

    let finished = task_finished(&mut run).await;
    assert_eq!((finished.task, finished.outcome, finished.rounds), (TaskId(first.0), TaskOutcome::Exhausted, 2), "{:#?}", run.kinds());
    assert_eq!(verdicts(&run), [(1, GateVerdict::Blocked), (2, GateVerdict::Exhausted)]);

    // Each round was reviewed, after its check, by its own read-only Codex session.
    let reviews = reviews_finished(&run);
    assert_eq!(reviews.len(), 2, "{reviews:#?}");
    for (round, review) in reviews.iter().enumerate() {
        assert_eq!((review.round, review.entry.as_deref(), review.gate), (Some(round as u32 + 1), Some("second-opinion"), true));
        let ReviewRunOutcome::Completed { result } = &review.outcome else { panic!("{review:#?}") };
        assert_eq!(result.findings[0].hunk.as_deref(), Some("src/lib.rs#1"), "anchored to the task's hunk");
        let reviewer = review.reviewer.session_id.clone().expect("the reviewer's own session");
        let stored = world.engine.store().session(&reviewer).unwrap().unwrap();
        assert_eq!((stored.agent, stored.sandbox, stored.reviews.as_ref()), (AgentKind::Codex, Some(Sandbox::ReadOnly), Some(run.handle.id())));
    }
    let types = run.types();
    let check = types.iter().position(|t| *t == "checkFinished").unwrap();
    let started = types.iter().position(|t| *t == "reviewStarted").unwrap();
    assert!(check < started, "the review waits for its `after` check: {types:?}");
    let ReviewRunOutcome::Completed { result } = &reviews[1].outcome else { unreachable!() };
    assert_eq!(result.findings[0].severity, ReviewSeverity::Critical);

    // The first review's findings went back to Claude, named for the reviewer.
    let sent = feedback_sent(&run);
    assert_eq!(sent.len(), 1, "one feedback round: the limit is 2");
    assert!(sent[0].auto && sent[0].round == 2);
    assert!(sent[0].text.contains("## Review `reviewer codex` needs attention"), "{}", sent[0].text);
    assert!(sent[0].text.contains("- [high] one() returns 0 (src/lib.rs:1)"), "{}", sent[0].text);
    let requests: Vec<String> = claude_mock.requests().iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    assert!(requests.iter().any(|r| r.contains("one() returns 0")), "Claude's next request carries the finding");
    // The second review saw the second round's change, the instructions and the check.
    let reviewed: Vec<String> = codex_mock.requests().iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    assert_eq!(reviewed.len(), 2, "one request per review");
    assert!(reviewed[1].contains("{ 2 }") && reviewed[1].contains("Look at the return values."), "{:.3000}", reviewed[1]);
    assert_eq!(std::fs::read_to_string(world.project_path().join("src/lib.rs")).unwrap(), "fn one() -> u32 { 2 }\n", "the reviewers wrote nothing");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_and_after_skipped_reviews_never_run_and_a_reviewer_error_is_reported_never_sent() {
    let world = World::new();
    let root = world.project_path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    // The project's review is not trusted; the person's own layer has a failing (non-gating)
    // check, a review after it, and a reviewer that does not exist.
    write_checks(&world, "version = 1\n[[review]]\nid = \"project-review\"\nagent = \"codex\"\n", false);
    let personal = warden_gate::config::personal_file(world.data_dir(), &root);
    std::fs::create_dir_all(personal.parent().unwrap()).unwrap();
    std::fs::write(
        &personal,
        "[gate]\nfeedback = \"auto\"\n\n[[check]]\nid = \"fails\"\ngate = false\nshell = \"exit 1\"\n\n[[review]]\nid = \"after-fails\"\nagent = \"codex\"\nafter = [\"fails\"]\n\n[[review]]\nid = \"broken\"\nagent = \"no-such-agent\"\n",
    )
    .unwrap();
    let claude_mock = AnthropicMock::start(vec![write(&world, "fn one() -> u32 { 1 }\n"), Reply::text("Done.")]).unwrap();
    let codex_mock = OpenAiMock::start(vec![Reply::text(answer("critical", "never asked").to_string())]).unwrap();
    let mut run = start(&world, &claude_mock, &codex_mock).await;
    run.handle.prompt("Write one()").await.unwrap();

    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 1), "{:#?}", run.kinds());
    let outcomes: Vec<(String, ReviewRunOutcome)> = reviews_finished(&run).into_iter().map(|r| (r.entry.unwrap(), r.outcome)).collect();
    assert_eq!(outcomes.len(), 3, "{outcomes:#?}");
    let of = |id: &str| outcomes.iter().find(|(e, _)| e == id).map(|(_, o)| o.clone()).unwrap_or_else(|| panic!("{id}: {outcomes:#?}"));
    assert!(matches!(of("project-review"), ReviewRunOutcome::Skipped { reason } if reason.starts_with("not trusted")));
    assert!(matches!(of("after-fails"), ReviewRunOutcome::Skipped { reason } if reason.contains("check `fails` did not pass")));
    assert!(matches!(of("broken"), ReviewRunOutcome::Error { reason } if reason.contains("no-such-agent")), "{outcomes:#?}");
    assert!(codex_mock.requests().is_empty(), "no reviewer ran");
    assert!(feedback_sent(&run).is_empty(), "an error is never sent");
    let reason = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::GateDecided(d) => d.reason.clone(),
        _ => None,
    });
    assert!(reason.is_some_and(|r| r.contains("not trusted")), "passing over an untrusted review is said");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_stops_a_running_reviewer() {
    let world = World::new();
    std::fs::create_dir_all(world.project_path().join("src")).unwrap();
    write_checks(&world, "version = 1\n[gate]\nfeedback = \"auto\"\n\n[[review]]\nid = \"slow\"\nagent = \"codex\"\n", true);
    let claude_mock = AnthropicMock::start(vec![write(&world, "fn one() -> u32 { 1 }\n"), Reply::text("Done.")]).unwrap();
    // The reviewer streams its answer slowly: it is still at work when the person stops.
    let codex_mock = OpenAiMock::start(vec![Reply::text(answer("high", "slow").to_string()).slow(3000)]).unwrap();
    let mut run = start(&world, &claude_mock, &codex_mock).await;
    run.handle.prompt("Write one()").await.unwrap();
    let started = match run.until("the review to start", |k| matches!(k, SessionEventKind::ReviewStarted(_))).await {
        SessionEventKind::ReviewStarted(r) => r,
        _ => unreachable!(),
    };
    let reviewer = started.reviewer.session_id.expect("the reviewer's session is named");
    run.stop().await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let record = world.engine.store().session(&reviewer).unwrap().unwrap();
        if record.status.is_over() && world.engine.sessions().handle(&reviewer).is_none() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the reviewer still runs: {:?}", record.status);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(reviews_finished(&run).is_empty(), "a stopped round's review reports nothing more: {:#?}", run.kinds());
    let finished = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::TaskFinished(t) => Some(t.outcome),
        _ => None,
    });
    assert_eq!(finished, Some(TaskOutcome::Stopped));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_whose_answering_turn_reaches_its_budget_keeps_its_answer_and_reports_its_cost() {
    let world = World::new();
    std::fs::create_dir_all(world.project_path().join("src")).unwrap();
    // Claude reports what each turn cost; the budget is below one turn's. Cost is known only
    // when a turn ends, so a reviewer that answered in that turn is not thrown away.
    let toml = "version = 1\n[gate]\nfeedback = \"auto\"\n\n[[review]]\nid = \"thrifty\"\nagent = \"claude\"\nbudget_usd = 0.0000001\n";
    write_checks(&world, toml, true);
    let claude_mock = AnthropicMock::start(vec![write(&world, "fn one() -> u32 { 0 }\n"), Reply::text("Done.")]).unwrap();
    let reviewer_mock = AnthropicMock::start(vec![Reply::tool("StructuredOutput", answer("low", "a nit"))]).unwrap();
    let reviews = GateReviews {
        extra: Vec::new(),
        runs: vec![ReviewerRun { agent: AgentKind::Claude, binary: Some(claude()), env: claude_env(world.home.path(), &reviewer_mock.url()) }],
    };
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        permission_mode: PermissionMode::AcceptEdits,
        run: RunOptions { binary: Some(claude()), env: claude_env(world.home.path(), &claude_mock.url()), reviews, ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    run.handle.prompt("Write one()").await.unwrap();
    let finished = task_finished(&mut run).await;
    let reviews = reviews_finished(&run);
    assert_eq!(reviews.len(), 1, "{:#?}", run.kinds());
    assert!(matches!(&reviews[0].outcome, ReviewRunOutcome::Completed { result } if result.findings[0].title == "a nit"), "{:#?}", reviews[0]);
    assert!(reviews[0].cost_usd.is_some_and(|c| c > 0.0), "its cost is reported: {:?}", reviews[0].cost_usd);
    assert_eq!(finished.outcome, TaskOutcome::Passed, "a low finding does not block");
    run.stop().await;
}
