//! Reviews with real CLIs on the mock models: a Claude coding task (a `Write` and a shell-made
//! change) reviewed by Claude through `--json-schema`, by Codex through `outputSchema`, and by
//! Gemini over ACP in text (and with garbage twice: one repair, then an error); findings anchored
//! to the journal's hunks; a reviewer that tries to write is denied and nothing changes.

use crate::support::*;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use warden_core::review::*;
use warden_core::session::*;
use warden_engine::review::{review, ReviewAsk, ReviewError, ReviewOutcome, ReviewRequest};
use warden_engine::{ChannelSink, RunOptions};
use warden_mock_models::{AnthropicMock, GeminiMock, OpenAiMock, Reply};

/// `src/lib.rs` before the task: ten lines.
const BEFORE: &str = "fn a() {}\nfn b() {}\nfn c() {}\nfn d() {}\nfn e() {}\nfn f() {}\nfn g() {}\nfn h() {}\nfn i() {}\nfn j() {}\n";
/// After: line 2 and line 8 changed, two hunks apart.
const AFTER: &str = "fn a() {}\nfn b() { panic!() }\nfn c() {}\nfn d() {}\nfn e() {}\nfn f() {}\nfn g() {}\nfn h() { 1 - 1 }\nfn i() {}\nfn j() {}\n";

/// A coding task of the real Claude: rewrites `src/lib.rs` with `Write` and makes `notes.txt`
/// with a shell command; the project's one check (`notes`) passes. Returns its session and task.
pub(crate) async fn coded_task(world: &World) -> (SessionId, TaskId) {
    crate::gate::write_checks(world, "version = 1\n[[check]]\nid = \"notes\"\nshell = \"test -f notes.txt\"\n", true);
    let src = world.project_path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), BEFORE).unwrap();
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": src.join("lib.rs"), "content": AFTER})),
        Reply::tool("Bash", json!({"command": "printf 'first\\nsecond\\n' > notes.txt", "description": "Write notes"})),
        Reply::text("Done."),
    ])
    .unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut run = Run::start_with(&world.engine, world.project.path(), claude(), env, PermissionMode::Bypass).await;
    run.handle.prompt("Change b and h, and write notes").await.unwrap();
    let task = match run.until("the task to finish", |k| matches!(k, SessionEventKind::TaskFinished(_))).await {
        SessionEventKind::TaskFinished(t) => t.task,
        _ => unreachable!(),
    };
    assert_eq!(std::fs::read_to_string(world.project_path().join("notes.txt")).unwrap(), "first\nsecond\n");
    run.stop().await;
    (run.handle.id().clone(), task)
}

/// The findings every reviewer gives: one on the second hunk of `src/lib.rs`, one on the
/// shell-made `notes.txt`, one on a file the task did not touch.
fn findings_json() -> Value {
    json!({
        "verdict": "needs-attention",
        "summary": "h() is wrong.",
        "findings": [
            {"severity": "high", "title": "h() returns 0", "body": "1 - 1 is always 0.", "file": "src/lib.rs",
             "line_start": 8, "line_end": 8, "confidence": 0.9, "recommendation": "Return 1."},
            {"severity": "low", "title": "notes are vague", "body": "", "file": "notes.txt",
             "line_start": 1, "line_end": 2, "confidence": 0.4, "recommendation": ""},
            {"severity": "medium", "title": "old bug elsewhere", "body": "", "file": "src/other.rs",
             "line_start": 3, "line_end": 3, "confidence": 0.5, "recommendation": ""}
        ]
    })
}

fn request(world: &World, session: &SessionId, task: TaskId, agent: AgentKind, run: RunOptions) -> ReviewRequest {
    ReviewRequest {
        project: world.project.path().to_string_lossy().into_owned(),
        ask: ReviewAsk {
            session: session.clone(),
            scope: ReviewScope::Task { task },
            agent,
            agent_name: None,
            model: None,
            instructions: Some("Look hard at h().".into()),
            run,
            timeout: WAIT,
        },
        diff_dir: None,
    }
}

/// Runs a review, with the reviewer's events collected.
async fn run_review(world: &World, request: ReviewRequest) -> (Result<ReviewOutcome, ReviewError>, Vec<SessionEvent>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let outcome = tokio::time::timeout(WAIT + Duration::from_secs(10), review(&world.engine, request, Arc::new(ChannelSink(tx))))
        .await
        .expect("the review ends in time");
    let mut events = Vec::new();
    while let Ok(event) = rx.try_recv() {
        events.push(event);
    }
    (outcome, events)
}

/// The findings as (file, hunk, outside).
fn placed(result: &ReviewResult) -> Vec<(Option<&str>, Option<&str>, bool)> {
    result.findings.iter().map(|f| (f.file.as_deref(), f.hunk.as_deref(), f.outside_changes)).collect()
}

fn assert_anchored(outcome: &ReviewOutcome) {
    let hunks: Vec<(&str, u32, u32)> = outcome.input.hunks.iter().map(|h| (h.id.as_str(), h.new_start, h.new_lines)).collect();
    assert_eq!(hunks, [("src/lib.rs#1", 2, 1), ("src/lib.rs#2", 8, 1), ("notes.txt#1", 1, 2)], "the journal's hunks, shell change included");
    assert_eq!(outcome.result.verdict, ReviewVerdict::NeedsAttention);
    assert_eq!(
        placed(&outcome.result),
        [(Some("src/lib.rs"), Some("src/lib.rs#2"), false), (Some("notes.txt"), Some("notes.txt#1"), false), (Some("src/other.rs"), None, true)]
    );
    assert_eq!(outcome.result.findings[0].severity, ReviewSeverity::High);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_reviews_a_task_through_json_schema_and_findings_land_on_its_hunks() {
    let world = World::new();
    let (session, task) = coded_task(&world).await;
    let mock = AnthropicMock::start(vec![Reply::tool("StructuredOutput", findings_json())]).unwrap();
    let run = RunOptions { binary: Some(claude()), env: claude_env(world.home.path(), &mock.url()), ..Default::default() };
    let (outcome, events) = run_review(&world, request(&world, &session, task, AgentKind::Claude, run)).await;
    let outcome = outcome.expect("the review gives a verdict");
    assert_anchored(&outcome);
    assert!(!outcome.repaired);
    let reviewer = outcome.result.reviewer.session_id.clone().expect("the reviewer's own session");
    assert_ne!(reviewer, session);
    assert!(events.iter().all(|e| e.session_id == reviewer), "the events are the reviewer's");
    let stored = world.engine.store().session(&reviewer).unwrap().expect("stored like any session");
    assert_eq!(stored.permission_mode, PermissionMode::Plan, "Claude reviews in plan mode");
    // The model was offered the structured-output tool and shown the task and its diff.
    let sent = serde_json::to_string(&mock.requests()).unwrap();
    assert!(sent.contains("StructuredOutput"), "--json-schema offers the tool");
    for expected in ["Change b and h, and write notes", "notes.txt", "fn h() { 1 - 1 }", "Look hard at h().", "- notes: passed"] {
        assert!(sent.contains(expected), "the prompt carries {expected:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn codex_reviews_a_task_through_output_schema() {
    let world = World::new();
    let (session, task) = coded_task(&world).await;
    let mock = OpenAiMock::start(vec![Reply::text(findings_json().to_string())]).unwrap();
    let run = RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() };
    let (outcome, _) = run_review(&world, request(&world, &session, task, AgentKind::Codex, run)).await;
    let outcome = outcome.expect("the review gives a verdict");
    assert_anchored(&outcome);
    let requests = serde_json::to_value(mock.requests()).unwrap();
    let sent = requests.to_string();
    assert!(sent.contains("json_schema") && sent.contains("needs-attention"), "the schema went to the model as text.format: {sent:.2000}");
    let stored = world.engine.store().session(outcome.result.reviewer.session_id.as_ref().unwrap()).unwrap().unwrap();
    assert_eq!(stored.sandbox, Some(Sandbox::ReadOnly));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gemini_reviews_over_acp_with_the_json_in_its_text() {
    let world = World::new();
    let (session, task) = coded_task(&world).await;
    let text = format!("Here is my review.\n\n```json\n{}\n```\n", serde_json::to_string_pretty(&findings_json()).unwrap());
    let mock = GeminiMock::start(vec![Reply::text(text)]).unwrap();
    let run = RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() };
    let (outcome, _) = run_review(&world, request(&world, &session, task, AgentKind::Gemini, run)).await;
    let outcome = outcome.expect("the review gives a verdict");
    assert_anchored(&outcome);
    assert!(serde_json::to_string(&mock.requests()).unwrap().contains("line_start"), "the schema is in the prompt");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_answering_garbage_twice_is_an_error_after_one_repair() {
    let world = World::new();
    let (session, task) = coded_task(&world).await;
    let mock = GeminiMock::start(vec![Reply::text("Looks good to me!"), Reply::text("Really, it is {fine}.")]).unwrap();
    let run = RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() };
    let (outcome, events) = run_review(&world, request(&world, &session, task, AgentKind::Gemini, run)).await;
    match outcome {
        Err(ReviewError::Unreadable(why)) => assert!(why.contains("no JSON object"), "{why}"),
        other => panic!("garbage must be an error, not a pass: {other:?}"),
    }
    let prompts: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::UserMessage(m) => Some(m.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(prompts.len(), 2, "one repair prompt: {prompts:?}");
    assert!(prompts[1].starts_with("Your answer could not be read"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_that_tries_to_write_is_denied_and_nothing_changes_on_disk() {
    let world = World::new();
    let (session, task) = coded_task(&world).await;
    let lib = world.project_path().join("src/lib.rs");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": lib, "content": "hacked\n"})),
        Reply::tool("Bash", json!({"command": "echo hacked > hacked.txt", "description": "Write a file"})),
        Reply::tool("StructuredOutput", json!({"verdict": "approve", "summary": "Fine.", "findings": []})),
    ])
    .unwrap();
    let run = RunOptions { binary: Some(claude()), env: claude_env(world.home.path(), &mock.url()), ..Default::default() };
    let (outcome, events) = run_review(&world, request(&world, &session, task, AgentKind::Claude, run)).await;
    let outcome = outcome.expect("the review still gives a verdict");
    assert_eq!(outcome.result.verdict, ReviewVerdict::Approve);
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), AFTER, "the reviewer's write was denied");
    assert!(!world.project_path().join("hacked.txt").exists(), "the reviewer's command was denied");
    let reviewer = outcome.result.reviewer.session_id.unwrap();
    let log = world.engine.files().file_log(&world.project.path().to_string_lossy(), Some(&reviewer));
    assert!(log.map(|ops| ops.is_empty()).unwrap_or(true), "the journal recorded no change by the reviewer");
    let failed: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::ToolCall(c) if c.name == "Write" || c.name == "Bash" => Some(c.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(failed, ["Write", "Bash"], "both were tried");
    let denied_by_rule: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny && r.source == DecisionSource::Rule => {
                r.tool_name.as_deref()
            }
            _ => None,
        })
        .collect();
    assert_eq!(denied_by_rule, ["Write", "Bash"], "Warden's own rules denied both");
    let rules_denied = events.iter().any(|e| matches!(&e.kind, SessionEventKind::SessionRules(r) if r.deny.iter().any(|d| d.tool() == "Bash")));
    assert!(rules_denied, "the reviewer's session rules deny commands");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_diff_goes_into_a_file_the_reviewer_may_read() {
    let world = World::new();
    let big: String = (0..8000).map(|i| format!("line {i} of a generated table\n")).collect();
    let target = world.project_path().join("table.txt");
    let mock = AnthropicMock::start(vec![Reply::tool("Write", json!({"file_path": target, "content": big})), Reply::text("Done.")]).unwrap();
    let env = claude_env(world.home.path(), &mock.url());
    let mut run = Run::start_with(&world.engine, world.project.path(), claude(), env, PermissionMode::Bypass).await;
    let turn = run.handle.prompt("Write the table").await.unwrap();
    run.turn_end().await;
    run.stop().await;
    let session = run.handle.id().clone();

    let dir = tempfile::tempdir().unwrap();
    let diff_file = dir.path().canonicalize().unwrap().join("changes.diff");
    let reviewer_mock = AnthropicMock::start(vec![
        Reply::tool("Read", json!({"file_path": diff_file, "limit": 5})),
        Reply::tool("StructuredOutput", json!({"verdict": "approve", "summary": "A table.", "findings": []})),
    ])
    .unwrap();
    let options = RunOptions { binary: Some(claude()), env: claude_env(world.home.path(), &reviewer_mock.url()), ..Default::default() };
    let mut asked = request(&world, &session, TaskId(0), AgentKind::Claude, options);
    asked.ask.scope = ReviewScope::Turn { turn };
    asked.diff_dir = Some(dir.path().canonicalize().unwrap());
    let (outcome, events) = run_review(&world, asked).await;
    assert_eq!(outcome.expect("a verdict").result.verdict, ReviewVerdict::Approve);
    let sent = serde_json::to_string(&reviewer_mock.requests()).unwrap();
    assert!(!sent.contains("line 7999 of a generated table"), "the diff is not in the prompt");
    assert!(sent.contains("changes.diff"), "the prompt names the file");
    assert!(sent.contains("+line 0 of a generated table"), "the reviewer read the file: the tool result went back to the model");
    let denied = events.iter().any(|e| {
        matches!(&e.kind, SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny || r.decision == PermissionDecision::DenyAndStop)
    });
    assert!(!denied, "reading the diff is allowed: {:#?}", events.iter().map(|e| &e.kind).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acp_reviewer_that_tries_to_write_is_denied_by_wardens_rules() {
    let world = World::new();
    let (session, task) = coded_task(&world).await;
    let lib = world.project_path().join("src/lib.rs");
    let mock = GeminiMock::start(vec![
        Reply::tool("write_file", json!({"file_path": lib.to_string_lossy(), "content": "hacked\n"})),
        Reply::tool("run_shell_command", json!({"command": "echo hacked > hacked.txt"})),
        Reply::text(json!({"verdict": "approve", "summary": "Fine.", "findings": []}).to_string()),
    ])
    .unwrap();
    let run = RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() };
    let (outcome, events) = run_review(&world, request(&world, &session, task, AgentKind::Gemini, run)).await;
    assert_eq!(outcome.expect("a verdict").result.verdict, ReviewVerdict::Approve);
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), AFTER, "the reviewer's write was denied");
    assert!(!world.project_path().join("hacked.txt").exists(), "the reviewer's command was denied");
    let denied: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::PermissionResolved(r) if r.decision == PermissionDecision::Deny => r.tool_name.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(denied.len(), 2, "both asked and denied: {denied:?}");
}
