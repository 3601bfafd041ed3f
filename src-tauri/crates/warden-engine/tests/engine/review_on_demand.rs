//! On-demand reviews through the engine (the window's Review with…): the real Claude codes a
//! task against the mock; Codex, on the mock Responses API, reviews it in the background; the
//! review is reported as `ReviewStarted` / `ReviewFinished` in the reviewed session's stream —
//! through its actor while it is live, appended to the store once it stopped — with the
//! reviewer's session linked both ways.

use crate::support::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use warden_core::review::*;
use warden_core::session::*;
use warden_engine::{ChannelSink, Engine, ReviewAsk, RunOptions};
use warden_mock_models::{AnthropicMock, OpenAiMock, Reply};

const BEFORE: &str = "fn a() {}\nfn b() {}\nfn c() {}\n";
const AFTER: &str = "fn a() {}\nfn b() { 1 - 1 }\nfn c() {}\n";

/// A data folder with an engine the background review can hold, a project and a home.
struct Place {
    engine: Arc<Engine>,
    project: tempfile::TempDir,
    home: tempfile::TempDir,
    _data: tempfile::TempDir,
}

impl Place {
    fn new() -> Place {
        let data = tempfile::tempdir().unwrap();
        let (engine, _) = Engine::open(data.path()).expect("store opens");
        Place { engine: Arc::new(engine), project: tempfile::tempdir().unwrap(), home: tempfile::tempdir().unwrap(), _data: data }
    }
}

/// The findings Codex answers with: one on the changed line, one on a file the task did not touch.
fn findings() -> String {
    json!({
        "verdict": "needs-attention",
        "summary": "b() is wrong.",
        "findings": [
            {"severity": "high", "title": "b() returns 0", "body": "1 - 1 is 0.", "file": "src/lib.rs",
             "line_start": 2, "line_end": 2, "confidence": 0.9, "recommendation": "Return 1."},
            {"severity": "low", "title": "old", "body": "", "file": "src/other.rs",
             "line_start": 1, "line_end": 1, "confidence": 0.3, "recommendation": ""}
        ]
    })
    .to_string()
}

/// The real Claude changes `src/lib.rs` in a task and stays live; its run and task.
async fn live_task(place: &Place) -> (Run, TaskId, AnthropicMock) {
    let src = place.project.path().canonicalize().unwrap().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), BEFORE).unwrap();
    let mock = AnthropicMock::start(vec![Reply::tool("Write", json!({"file_path": src.join("lib.rs"), "content": AFTER})), Reply::text("Done.")]).unwrap();
    let env = claude_env(place.home.path(), &mock.url());
    let mut run = Run::start_with(&place.engine, place.project.path(), claude(), env, PermissionMode::Bypass).await;
    run.handle.prompt("Change b").await.unwrap();
    let task = match run.until("the task to finish", |k| matches!(k, SessionEventKind::TaskFinished(_))).await {
        SessionEventKind::TaskFinished(t) => t.task,
        _ => unreachable!(),
    };
    (run, task, mock)
}

fn ask(place: &Place, session: &SessionId, task: TaskId, mock: &OpenAiMock) -> ReviewAsk {
    ReviewAsk {
        session: session.clone(),
        scope: ReviewScope::Task { task },
        agent: AgentKind::Codex,
        agent_name: None,
        model: Some("gpt-test".into()),
        instructions: Some("Look at b().".into()),
        run: RunOptions { binary: Some(codex()), env: codex_env(place.home.path(), &mock.url()), ..Default::default() },
        timeout: WAIT,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_on_demand_review_of_a_live_session_is_reported_in_its_stream_with_the_reviewer_linked() {
    let place = Place::new();
    let (mut run, task, _claude) = live_task(&place).await;
    let session = run.handle.id().clone();
    let codex_mock = OpenAiMock::start(vec![Reply::text(findings())]).unwrap();
    let (tx, mut reviewer_rx) = mpsc::unbounded_channel();
    let started = place.engine.review_session(ask(&place, &session, task, &codex_mock), Arc::new(ChannelSink(tx)), Arc::new(ChannelSink(mpsc::unbounded_channel().0))).expect("the review starts");
    assert_eq!(started.review, "review-1");

    let first = match run.until("the review to start", |k| matches!(k, SessionEventKind::ReviewStarted(_))).await {
        SessionEventKind::ReviewStarted(s) => s,
        _ => unreachable!(),
    };
    assert_eq!((first.review.as_str(), first.task, first.entry.as_deref(), first.gate), ("review-1", Some(task), None, false));
    assert_eq!(first.reviewer.agent, AgentKind::Codex);
    let reviewer = first.reviewer.session_id.clone().expect("ReviewStarted names the reviewer's session");
    assert_ne!(reviewer, session);

    let finished = match run.until("the review to finish", |k| matches!(k, SessionEventKind::ReviewFinished(_))).await {
        SessionEventKind::ReviewFinished(f) => f,
        _ => unreachable!(),
    };
    let outcome = tokio::time::timeout(WAIT, started.done).await.expect("the review ends").expect("not panicked").expect("a verdict");
    assert_eq!(finished.reviewer.session_id.as_ref(), Some(&reviewer));
    match &finished.outcome {
        ReviewRunOutcome::Completed { result } => {
            assert_eq!(result.verdict, ReviewVerdict::NeedsAttention);
            let placed: Vec<(Option<&str>, Option<&str>, bool)> =
                result.findings.iter().map(|f| (f.file.as_deref(), f.hunk.as_deref(), f.outside_changes)).collect();
            assert_eq!(placed, [(Some("src/lib.rs"), Some("src/lib.rs#1"), false), (Some("src/other.rs"), None, true)]);
            assert_eq!(result, &outcome.result);
        }
        other => panic!("a completed review: {other:?}"),
    }
    assert_eq!(finished.reviewer.model.as_deref(), Some("gpt-test"));

    // The actor numbered them: the stored stream has no gap, and both events are in it.
    let stored = place.engine.store().events(&session, 0).unwrap();
    assert!(stored.windows(2).all(|w| w[1].seq == w[0].seq + 1));
    let types: Vec<&str> = stored.iter().map(|e| e.kind.type_name()).filter(|t| t.starts_with("review")).collect();
    assert_eq!(types, ["reviewStarted", "reviewFinished"]);
    // The reviewer's session is an ordinary one, linked to the reviewed one.
    let record = place.engine.store().session(&reviewer).unwrap().expect("the reviewer's session is stored");
    assert_eq!(record.reviews.as_ref(), Some(&session));
    assert_eq!(record.sandbox, Some(Sandbox::ReadOnly));
    let mut reviewer_events = Vec::new();
    while let Ok(event) = reviewer_rx.try_recv() {
        reviewer_events.push(event);
    }
    assert!(reviewer_events.iter().all(|e| e.session_id == reviewer), "the reviewer's sink gets only the reviewer's events");
    assert!(reviewer_events.iter().any(|e| matches!(e.kind, SessionEventKind::TurnEnded(_))));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_of_a_stopped_session_is_appended_to_its_store_and_an_error_is_never_a_pass() {
    let place = Place::new();
    let (mut run, task, _claude) = live_task(&place).await;
    run.stop().await;
    let session = run.handle.id().clone();
    let last = place.engine.store().session(&session).unwrap().unwrap().last_seq;

    // Codex answers garbage twice: the review is an error, reported as one.
    let codex_mock = OpenAiMock::start(vec![Reply::text("fine"), Reply::text("still fine")]).unwrap();
    let (tx, mut reports) = mpsc::unbounded_channel();
    let started = place
        .engine
        .review_session(ask(&place, &session, task, &codex_mock), Arc::new(ChannelSink(mpsc::unbounded_channel().0)), Arc::new(ChannelSink(tx)))
        .expect("the review starts");
    let outcome = tokio::time::timeout(WAIT + Duration::from_secs(10), started.done).await.expect("the review ends").expect("not panicked");
    assert!(outcome.is_err(), "garbage is an error: {outcome:?}");
    let stored: Vec<SessionEvent> = place.engine.store().events(&session, last).unwrap();
    let kinds: Vec<&SessionEventKind> = stored.iter().map(|e| &e.kind).collect();
    assert_eq!(stored.iter().map(|e| e.seq).collect::<Vec<_>>(), [last + 1, last + 2], "appended after the last event: {kinds:#?}");
    assert!(matches!(kinds[0], SessionEventKind::ReviewStarted(s) if s.reviewer.session_id.is_some()));
    match kinds[1] {
        SessionEventKind::ReviewFinished(f) => assert!(matches!(&f.outcome, ReviewRunOutcome::Error { reason } if reason.contains("could not be read")), "{f:?}"),
        other => panic!("{other:?}"),
    }
    let sent: Vec<u64> = std::iter::from_fn(|| reports.try_recv().ok()).map(|e| e.seq).collect();
    assert_eq!(sent, [last + 1, last + 2], "the appended events go to the window too");

    // A scope with nothing to review is refused at once.
    let mut nothing = ask(&place, &session, TaskId(99), &codex_mock);
    nothing.scope = ReviewScope::Task { task: TaskId(99) };
    assert!(place.engine.review_session(nothing, Arc::new(ChannelSink(mpsc::unbounded_channel().0)), Arc::new(ChannelSink(mpsc::unbounded_channel().0))).is_err());
}
