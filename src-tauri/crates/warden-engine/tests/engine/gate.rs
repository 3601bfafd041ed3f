//! The task gate with real agents against the mock model servers: checks run when a task's
//! turn ends by itself, failing checks go back to the agent (Claude here, inside the same turn
//! through its Stop hook; Codex and Gemini as a feedback turn in `gate_agents.rs`), the round limit and the identical-failure stop hold,
//! a check that cannot run is never sent, untrusted project checks never run, and a permission
//! question inside a feedback round is asked like any other.

use crate::support::*;
use serde_json::json;
use std::path::Path;
use warden_core::session::*;
use warden_gate::trust::{content_hash, Decision, TrustStore};
use warden_mock_models::{AnthropicMock, Reply};

/// Writes `.warden/checks.toml` into the project; `trusted` stores the person's trust of that
/// exact content.
pub fn write_checks(world: &World, toml: &str, trusted: bool) {
    let root = world.project_path();
    std::fs::create_dir_all(root.join(".warden")).unwrap();
    std::fs::write(root.join(".warden/checks.toml"), toml).unwrap();
    if trusted {
        TrustStore::new(world.data_dir(), &root).decide(&content_hash(toml.as_bytes()), Decision::Trust).unwrap();
    }
}

/// A check that fails (printing why) until `fixed.txt` exists in the project.
pub const MARKER_CHECK: &str = r#"
version = 1
[gate]
feedback = "auto"

[[check]]
id = "marker"
shell = "test -f fixed.txt || { echo 'fixed.txt is missing: create it'; exit 1; }"
"#;

/// Waits for the task to finish and returns how.
pub async fn task_finished(run: &mut Run) -> TaskFinished {
    match run.until("the task to finish", |k| matches!(k, SessionEventKind::TaskFinished(_))).await {
        SessionEventKind::TaskFinished(t) => t,
        _ => unreachable!(),
    }
}

pub fn checks_finished(run: &Run) -> Vec<CheckFinished> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::CheckFinished(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

pub fn verdicts(run: &Run) -> Vec<(u32, GateVerdict)> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::GateDecided(g) => Some((g.round, g.verdict)),
            _ => None,
        })
        .collect()
}

pub fn feedback_sent(run: &Run) -> Vec<FeedbackSent> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FeedbackSent(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

fn write(path: &Path, text: &str) -> Reply {
    Reply::tool("Write", json!({"file_path": path, "content": text}))
}

async fn claude_run(world: &World, mock: &AnthropicMock, mode: PermissionMode) -> Run {
    Run::start_with(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url()), mode).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_gets_the_failing_check_as_stop_hook_feedback_fixes_it_in_the_same_turn_and_the_second_round_passes() {
    let world = World::new();
    let root = world.project_path();
    // A second check changes a file like a formatter would: its change is the check's.
    let toml = format!("{MARKER_CHECK}\n[[check]]\nid = \"stamp\"\ngate = false\nshell = \"echo stamped >> stamped.txt\"\n");
    write_checks(&world, &toml, true);
    let mock = AnthropicMock::start(vec![Reply::text("All done."), write(&root.join("fixed.txt"), "ok\n"), Reply::text("Fixed it.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::AcceptEdits).await;
    let first = run.handle.prompt("Do the work").await.unwrap();

    let finished = task_finished(&mut run).await;
    assert_eq!((finished.task, finished.outcome, finished.rounds), (TaskId(first.0), TaskOutcome::Passed, 2), "{:#?}", run.kinds());
    assert_eq!(verdicts(&run), [(1, GateVerdict::Blocked), (2, GateVerdict::Passed)]);
    let marker: Vec<(u32, CheckOutcome)> = checks_finished(&run).into_iter().filter(|c| c.check == "marker").map(|c| (c.round, c.outcome)).collect();
    assert_eq!(marker, [(1, CheckOutcome::Failed), (2, CheckOutcome::Passed)]);

    let sent = feedback_sent(&run);
    assert_eq!(sent.len(), 1, "one feedback round");
    assert!(sent[0].auto && sent[0].round == 2);
    assert!(sent[0].text.contains("Check `marker` failed") && sent[0].text.contains("fixed.txt is missing"), "{}", sent[0].text);
    let feedback_prompt = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::UserMessage(m) if m.origin == MessageOrigin::Feedback => Some(m.clone()),
        _ => None,
    });
    assert_eq!(feedback_prompt.map(|m| m.turn), Some(sent[0].turn), "the feedback is marked as feedback");
    // The Stop hook's answer carried it: one turn, one result, and Claude's own wording.
    assert_eq!(sent[0].turn, first, "the feedback continues the person's turn");
    let ends: Vec<TurnId> = run.events.iter().filter_map(|e| match &e.kind {
        SessionEventKind::TurnEnded(t) => Some(t.turn),
        _ => None,
    }).collect();
    assert_eq!(ends, [first], "one turn result for both rounds");
    let requests: Vec<String> = mock.requests().iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    let carried = requests.iter().position(|r| r.contains("Stop hook feedback:") && r.contains("fixed.txt is missing: create it"));
    assert_eq!(carried, Some(1), "the model's next request carries the feedback: {requests:#?}");
    assert!(root.join("fixed.txt").exists());

    // The stamp check's change is recorded under the round's pseudo call, never the agent's.
    let stamped: Vec<&FileChanges> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) if c.ops.iter().any(|op| op.path == "stamped.txt") => Some(c),
            _ => None,
        })
        .collect();
    assert!(!stamped.is_empty(), "the check's change is journaled: {:#?}", run.kinds());
    assert!(
        stamped.iter().all(|c| c.tool_call_id.as_ref().is_some_and(warden_engine::gate::is_check_call)),
        "tied to the check round: {stamped:#?}"
    );
    // Both rounds ran before the turn ended; the verdict is announced after it.
    let types = run.types();
    let ended = types.iter().position(|t| *t == "turnEnded").unwrap();
    let completed = types.iter().position(|t| *t == "taskCompleted").unwrap();
    assert!(completed < ended && types[completed + 1] == "checkStarted", "{types:?}");
    assert_eq!(&types[ended + 1..ended + 4], ["status", "gateDecided", "taskFinished"], "{types:?}");
    run.stop().await;
}

/// A Claude session started where there is nothing to check is started without its `Stop`
/// hook (it costs Claude about 15 ms at every turn's end). Checks configured while it lives
/// still run: once the turn has ended, with their feedback as a turn of its own, as for Codex.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claude_started_with_nothing_to_check_runs_checks_configured_later_once_the_turn_ended() {
    let world = World::new();
    let root = world.project_path();
    let mock = AnthropicMock::start(vec![
        Reply::text("Hello."),
        Reply::text("All done."),
        write(&root.join("fixed.txt"), "ok\n"),
        Reply::text("Fixed it."),
    ])
    .unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::AcceptEdits).await;
    run.handle.prompt("hello").await.unwrap();
    run.turn_end().await;

    write_checks(&world, MARKER_CHECK, true);
    let first = run.handle.prompt("Do the work").await.unwrap();
    let task = TaskId(first.0);
    let finished = match run.until("the task to finish", |k| matches!(k, SessionEventKind::TaskFinished(t) if t.task == task)).await {
        SessionEventKind::TaskFinished(t) => t,
        _ => unreachable!(),
    };
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 2), "{:#?}", run.kinds());
    let rounds: Vec<(u32, GateVerdict)> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::GateDecided(g) if g.task == task => Some((g.round, g.verdict)),
            _ => None,
        })
        .collect();
    assert_eq!(rounds, [(1, GateVerdict::Blocked), (2, GateVerdict::Passed)]);
    let sent = feedback_sent(&run);
    assert_eq!(sent.len(), 1, "one feedback round");
    assert_ne!(sent[0].turn, first, "without the hook the feedback is a turn of its own");
    // The round began after the person's turn had ended, not inside it.
    let types = run.types();
    let checked = types.iter().position(|t| *t == "checkStarted").unwrap();
    let ended = types.iter().enumerate().filter(|(_, t)| **t == "turnEnded").map(|(i, _)| i).nth(1).unwrap();
    assert!(ended < checked, "{types:?}");
    let requests: Vec<String> = mock.requests().iter().map(|r| serde_json::to_string(r).unwrap()).collect();
    assert!(!requests.iter().any(|r| r.contains("Stop hook feedback:")), "{requests:#?}");
    assert!(requests.iter().any(|r| r.contains("fixed.txt is missing: create it")), "{requests:#?}");
    assert!(root.join("fixed.txt").exists());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_feedback_stops_at_the_round_limit_and_on_identical_failures() {
    // Different failures every round (the exit code counts up): exactly max_rounds rounds.
    let world = World::new();
    let counter = tempfile::tempdir().unwrap();
    let count = counter.path().join("n");
    let toml = format!(
        "version = 1\n[gate]\nfeedback = \"auto\"\nmax_rounds = 3\n[[check]]\nid = \"flaky\"\nshell = \"echo x >> '{0}'; exit $(wc -l < '{0}')\"\n",
        count.display()
    );
    write_checks(&world, &toml, true);
    let mock = AnthropicMock::start(vec![Reply::text("one"), Reply::text("two"), Reply::text("three"), Reply::text("four")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Exhausted, 3), "{:#?}", run.kinds());
    assert_eq!(verdicts(&run), [(1, GateVerdict::Blocked), (2, GateVerdict::Blocked), (3, GateVerdict::Exhausted)]);
    assert_eq!(feedback_sent(&run).len(), 2);
    run.stop().await;

    // The same failure twice in a row: stopped after round 2 even with rounds left.
    let world = World::new();
    write_checks(&world, "version = 1\n[gate]\nfeedback = \"auto\"\nmax_rounds = 5\n[[check]]\nid = \"always\"\nshell = \"echo broken; exit 1\"\n", true);
    let mock = AnthropicMock::start(vec![Reply::text("one"), Reply::text("two"), Reply::text("three")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Exhausted, 2), "{:#?}", run.kinds());
    let exhausted = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::GateDecided(g) if g.verdict == GateVerdict::Exhausted => g.reason.clone(),
        _ => None,
    });
    assert!(exhausted.is_some_and(|r| r.contains("exactly as in the previous round")));
    assert_eq!(feedback_sent(&run).len(), 1);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_command_is_an_error_and_nothing_is_sent() {
    let world = World::new();
    write_checks(&world, "version = 1\n[gate]\nfeedback = \"auto\"\n[[check]]\nid = \"ghost\"\nrun = [\"warden-no-such-program-anywhere\"]\n", true);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 1), "an error does not block by default");
    let ghost = checks_finished(&run).pop().expect("the check is reported");
    assert!(matches!(&ghost.outcome, CheckOutcome::Error { reason } if reason.starts_with("not found")), "{ghost:?}");
    assert!(feedback_sent(&run).is_empty(), "an error is never sent to the agent");
    assert!(!run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::UserMessage(m) if m.origin == MessageOrigin::Feedback)));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permission_question_inside_a_feedback_round_is_asked_and_a_denial_holds() {
    let world = World::new();
    let root = world.project_path();
    write_checks(&world, MARKER_CHECK, true);
    let mock = AnthropicMock::start(vec![
        Reply::text("Done."),
        write(&root.join("fixed.txt"), "ok\n"),
        Reply::text("I could not write it."),
        Reply::text("spare"),
    ])
    .unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let question = run.permission().await;
    assert!(feedback_sent(&run).len() == 1, "the question comes in the feedback round");
    assert_eq!(question.tool_name, "Write");
    let deny = PermissionAnswer::new(PermissionDecision::Deny);
    run.handle.resolve(question.request_id, deny, DecisionSource::User).await.unwrap();
    let finished = task_finished(&mut run).await;
    assert!(!root.join("fixed.txt").exists(), "the denial held: feedback grants nothing");
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Exhausted, 2), "the same failure again: {:#?}", run.kinds());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untrusted_project_checks_never_run_and_are_reported() {
    let world = World::new();
    let root = world.project_path();
    write_checks(&world, "version = 1\n[[check]]\nid = \"sneaky\"\nshell = \"touch ran.txt; exit 1\"\n", false);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!(finished.outcome, TaskOutcome::Passed);
    let sneaky = checks_finished(&run).pop().expect("the check is reported");
    assert!(matches!(sneaky.outcome, CheckOutcome::NotTrusted { .. }), "{sneaky:?}");
    assert!(!run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::CheckStarted(_))));
    assert!(!root.join("ran.txt").exists(), "nothing ran");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_proposes_feedback_and_the_persons_edited_text_is_sent() {
    let world = World::new();
    let root = world.project_path();
    write_checks(&world, &MARKER_CHECK.replace("\"auto\"", "\"ask\""), true);
    let mock = AnthropicMock::start(vec![Reply::text("Done."), write(&root.join("fixed.txt"), "ok\n"), Reply::text("Fixed.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::AcceptEdits).await;
    run.handle.prompt("Work").await.unwrap();
    let proposed = match run.until("feedback proposed", |k| matches!(k, SessionEventKind::FeedbackProposed(_))).await {
        SessionEventKind::FeedbackProposed(p) => p,
        _ => unreachable!(),
    };
    assert!(proposed.text.contains("fixed.txt is missing"));
    assert_eq!(run.handle.accept_task(TaskId(99)).await, Err(warden_engine::SessionError::UnknownTask(TaskId(99))));
    run.handle.send_feedback(proposed.task, Some("Please create fixed.txt (edited by the person)".into())).await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 2));
    let sent = feedback_sent(&run);
    assert!(!sent[0].auto && sent[0].text.contains("edited by the person"));
    assert!(serde_json::to_string(&mock.requests()).unwrap().contains("edited by the person"));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_without_checks_passes_at_once() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 1));
    let types = run.types();
    let ended = types.iter().position(|t| *t == "turnEnded").unwrap();
    assert_eq!(&types[ended + 1..], ["status", "taskCompleted", "gateDecided", "taskFinished"]);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_during_checks_kills_them_and_the_task_ends_stopped() {
    let world = World::new();
    let pids = tempfile::tempdir().unwrap();
    let pidfile = pids.path().join("pid");
    write_checks(&world, &format!("version = 1\n[[check]]\nid = \"slow\"\nshell = \"echo $$ > '{}'; sleep 60\"\n", pidfile.display()), true);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    run.until("the check to start", |k| matches!(k, SessionEventKind::CheckStarted(_))).await;
    let deadline = std::time::Instant::now() + WAIT;
    while !pidfile.exists() || std::fs::read_to_string(&pidfile).unwrap().trim().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the check never started");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    let started = std::time::Instant::now();
    run.stop().await;
    assert!(started.elapsed() < std::time::Duration::from_secs(15), "Stop does not wait for the check");
    let finished = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::TaskFinished(t) => Some(t.clone()),
        _ => None,
    });
    assert_eq!(finished.map(|t| t.outcome), Some(TaskOutcome::Stopped), "{:#?}", run.kinds());
    assert!(gone_within(pid, std::time::Duration::from_secs(10)), "the check's process was killed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rerun_runs_the_failed_checks_again_and_accept_ends_the_task() {
    let world = World::new();
    let root = world.project_path();
    // The check also writes a file, as a formatter would: a re-run's change is the check's too.
    let toml = MARKER_CHECK.replace("\"auto\"", "\"never\"").replace("shell = \"test -f", "shell = \"echo run >> runs.txt; test -f");
    write_checks(&world, &toml, true);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    let turn = run.handle.prompt("Work").await.unwrap();
    let task = TaskId(turn.0);
    run.until("the gate", |k| matches!(k, SessionEventKind::GateDecided(g) if g.next == GateNext::WaitsForPerson)).await;
    assert_eq!(run.handle.dismiss_feedback(task).await, Err(warden_engine::SessionError::NoFeedback(task)), "nothing was proposed");
    // The person fixes it by hand and re-runs the failed check: the gate passes.
    std::fs::write(root.join("fixed.txt"), "by hand\n").unwrap();
    run.handle.rerun_checks(task, true).await.unwrap();
    let finished = task_finished(&mut run).await;
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Passed, 1));
    assert_eq!(verdicts(&run), [(1, GateVerdict::Blocked), (1, GateVerdict::Passed)]);
    let recorded_under: Vec<String> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) if c.ops.iter().any(|op| op.path == "runs.txt") => c.tool_call_id.as_ref().map(|id| id.0.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(recorded_under.len(), 2, "the round's and the re-run's change: {recorded_under:?}");
    assert!(recorded_under[0] == "check:1:1" && recorded_under[1].starts_with("check:1:1:rerun"), "{recorded_under:?}");
    assert_eq!(run.handle.accept_task(task).await, Err(warden_engine::SessionError::UnknownTask(task)), "the task is over");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn automatic_feedback_is_not_sent_once_the_task_has_cost_its_budget() {
    // Claude prices the mock's reported usage itself: any real cost reaches a budget this small.
    let world = World::new();
    write_checks(&world, "version = 1\n[gate]\nfeedback = \"auto\"\nmax_rounds = 5\nbudget_usd = 0.000000001\n[[check]]\nid = \"always\"\nshell = \"echo broken; exit 1\"\n", true);
    let mock = AnthropicMock::start(vec![Reply::text("one"), Reply::text("two")]).unwrap();
    let mut run = claude_run(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("Work").await.unwrap();
    let finished = task_finished(&mut run).await;
    let cost = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::TurnEnded(t) => t.cost_usd,
        _ => None,
    });
    assert!(cost.is_some_and(|c| c > 0.0), "Claude reports a cost for the mock's usage: {cost:?}");
    assert_eq!((finished.outcome, finished.rounds), (TaskOutcome::Exhausted, 1), "{:#?}", run.kinds());
    let exhausted = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::GateDecided(g) if g.verdict == GateVerdict::Exhausted => g.reason.clone(),
        _ => None,
    });
    assert!(exhausted.as_deref().is_some_and(|r| r.contains("budget_usd")), "{exhausted:?}");
    assert!(feedback_sent(&run).is_empty(), "nothing is sent past the budget");
    run.stop().await;
}
