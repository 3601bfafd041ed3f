//! A review against a git base with a real reviewer (Gemini over ACP, on the mock model): the
//! diff is git's — a commit on the branch and edits no session made, untracked files included —
//! cut into hunks numbered like the journal's, and the reviewed session's own journal (its task
//! changed files that are committed on the base now) is not what is reviewed.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use warden_core::review::*;
use warden_core::session::AgentKind;
use warden_engine::review::{review, ReviewAsk, ReviewError, ReviewRequest};
use warden_engine::{ChannelSink, RunOptions};
use warden_mock_models::{GeminiMock, Reply};

/// `git <args>` in `dir`, which must succeed.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").args(["-c", "user.name=Test", "-c", "user.email=test@example.com"]).args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_against_a_git_base_anchors_findings_to_gits_diff_not_the_sessions_journal() {
    let world = World::new();
    // The session's task changes src/lib.rs and makes notes.txt; all of it is then committed
    // on `main`, so none of the journal's changes differ from the base.
    let (session, _task) = crate::review::coded_task(&world).await;
    let root = world.project_path();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "the task"]);
    git(&root, &["switch", "-q", "-c", "work"]);
    std::fs::write(root.join("committed.txt"), "a\nb\n").unwrap();
    git(&root, &["add", "committed.txt"]);
    git(&root, &["commit", "-q", "-m", "on the branch"]);
    // Uncommitted: lines 1 and 10 of src/lib.rs (two hunks), and an untracked file.
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap().replacen("fn a() {}", "fn a() { todo!() }", 1).replacen("fn j() {}", "fn j() { 0 }", 1);
    std::fs::write(root.join("src/lib.rs"), lib).unwrap();
    std::fs::write(root.join("other.rs"), "fn other() {}\n").unwrap();

    let answer = json!({
        "verdict": "needs-attention",
        "summary": "j and other.",
        "findings": [
            {"severity": "high", "title": "j returns 0", "body": "", "file": "src/lib.rs", "line_start": 10, "line_end": 10,
             "confidence": 0.9, "recommendation": ""},
            {"severity": "low", "title": "other is empty", "body": "", "file": "other.rs", "line_start": 1, "line_end": 1,
             "confidence": 0.5, "recommendation": ""},
            {"severity": "low", "title": "notes", "body": "", "file": "notes.txt", "line_start": 1, "line_end": 1,
             "confidence": 0.5, "recommendation": ""}
        ]
    });
    let mock = GeminiMock::start(vec![Reply::text(format!("```json\n{answer}\n```\n"))]).unwrap();
    let run = RunOptions { binary: Some(gemini()), env: gemini_env(world.home.path(), &mock.url()), ..Default::default() };
    let ask = |base: &str, run: RunOptions| ReviewRequest {
        project: world.project.path().to_string_lossy().into_owned(),
        ask: ReviewAsk {
            session: session.clone(),
            scope: ReviewScope::Base { base: base.into() },
            agent: AgentKind::Gemini,
            agent_name: None,
            model: None,
            instructions: None,
            run,
            timeout: WAIT,
        },
        diff_dir: None,
    };
    let (tx, _rx) = mpsc::unbounded_channel();
    let outcome = tokio::time::timeout(WAIT + Duration::from_secs(10), review(&world.engine, ask("main", run.clone()), Arc::new(ChannelSink(tx))))
        .await
        .expect("the review ends in time")
        .expect("the review gives a verdict");

    let hunks: Vec<(&str, u32, u32, u32, u32)> =
        outcome.input.hunks.iter().map(|h| (h.id.as_str(), h.old_start, h.old_lines, h.new_start, h.new_lines)).collect();
    assert_eq!(
        hunks,
        [("committed.txt#1", 0, 0, 1, 2), ("src/lib.rs#1", 1, 1, 1, 1), ("src/lib.rs#2", 10, 1, 10, 1), ("other.rs#1", 0, 0, 1, 1)],
        "git's diff since the merge base, numbered like the journal's; the task's own changes are on the base"
    );
    assert!(outcome.input.prompts.is_empty() && outcome.input.turns.is_empty(), "no session prompts for a base review");
    assert_eq!(outcome.input.merge_base.as_deref().map(str::len), Some(40));
    let placed: Vec<(Option<&str>, bool)> = outcome.result.findings.iter().map(|f| (f.hunk.as_deref(), f.outside_changes)).collect();
    assert_eq!(placed, [(Some("src/lib.rs#2"), false), (Some("other.rs#1"), false), (None, true)], "notes.txt is the journal's, not the base diff's");
    let sent = serde_json::to_string(&mock.requests()).unwrap();
    for expected in ["changes since main (merge base ", "fn j() { 0 }", "other.rs", "committed.txt"] {
        assert!(sent.contains(expected), "the prompt carries {expected:?}");
    }
    assert!(!sent.contains("Change b and h, and write notes"), "the session's prompt is not included");

    // A base git does not know is refused before any reviewer starts.
    let (tx, _rx) = mpsc::unbounded_channel();
    let unknown = tokio::time::timeout(WAIT, review(&world.engine, ask("no-such-branch", run), Arc::new(ChannelSink(tx)))).await.expect("in time");
    assert!(matches!(unknown, Err(ReviewError::UnknownBase(ref b)) if b == "no-such-branch"), "{unknown:?}");
    assert_eq!(mock.requests().len(), 1, "no second reviewer ran");
}
