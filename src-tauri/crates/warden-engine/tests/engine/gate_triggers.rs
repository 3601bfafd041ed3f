//! Checks outside the task-completed round, with the real Claude Code CLI on the mock model:
//! a `tool.completed` check runs after the agent's own shell command (and one whose filter
//! does not match never does), a `files.changed` check runs once for a burst of writes, an
//! async check does not hold up the verdict and reports after it, a `task.started` check runs
//! at the prompt (an untrusted one is reported and never runs), and Stop kills a running side
//! check's process group. Every check announces the log its output streams to.

use crate::gate::{task_finished, write_checks};
use crate::support::*;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};
use warden_core::session::*;
use warden_mock_models::{AnthropicMock, Reply};

fn bash(command: &str) -> Reply {
    Reply::tool("Bash", json!({"command": command, "description": "Run it"}))
}

fn write(path: &Path, text: &str) -> Reply {
    Reply::tool("Write", json!({"file_path": path, "content": text}))
}

async fn claude_run(world: &World, mock: &AnthropicMock) -> Run {
    Run::start_with(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url()), PermissionMode::Bypass).await
}

fn started(run: &Run, check: &str) -> Vec<CheckStarted> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::CheckStarted(c) if c.check == check => Some(c.clone()),
            _ => None,
        })
        .collect()
}

fn finished(run: &Run, check: &str) -> Vec<CheckFinished> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::CheckFinished(c) if c.check == check => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// The `seq` of the first event matching `pred`.
fn seq_of(run: &Run, pred: impl Fn(&SessionEventKind) -> bool) -> Option<u64> {
    run.events.iter().find(|e| pred(&e.kind)).map(|e| e.seq)
}

async fn check_finished(run: &mut Run, check: &str) -> CheckFinished {
    match run.until(&format!("check {check} to finish"), |k| matches!(k, SessionEventKind::CheckFinished(c) if c.check == check)).await {
        SessionEventKind::CheckFinished(c) => c,
        _ => unreachable!(),
    }
}

/// Collects events for `quiet` more, to see that nothing else comes.
async fn drain_for(run: &mut Run, quiet: Duration) {
    let _ = tokio::time::timeout(quiet, run.until("nothing (collecting)", |_| false)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tool_completed_check_runs_after_the_agents_own_command_and_reports_with_its_log() {
    let world = World::new();
    let toml = "version = 1\n\
        [[check]]\nid = \"after-tests\"\non = \"tool.completed\"\nwhen.command = [\"echo testing*\"]\nwhen.exit_code = 0\nshell = \"echo side check output\"\n\
        [[check]]\nid = \"after-failure\"\non = \"tool.completed\"\nwhen.exit_code = 3\nwhen.success = false\nshell = \"true\"\n\
        [[check]]\nid = \"after-cargo\"\non = \"tool.completed\"\nwhen.command = [\"cargo test*\"]\nshell = \"touch cargo-ran.txt\"\n";
    write_checks(&world, toml, true);
    let mock = AnthropicMock::start(vec![bash("echo testing 1 2 3"), bash("echo failing; exit 3"), Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock).await;
    let turn = run.handle.prompt("Run the tests").await.unwrap();

    let done = check_finished(&mut run, "after-tests").await;
    assert_eq!((done.task, done.round, done.gate, &done.outcome), (TaskId(turn.0), 1, false, &CheckOutcome::Passed), "{done:?}");
    assert!(done.why.iter().any(|w| w.contains("echo testing 1 2 3")), "why names the command: {:?}", done.why);
    let start = started(&run, "after-tests").pop().expect("announced");
    let log = start.log_path.clone().expect("the log is announced at the start");
    assert_eq!(done.log_path.as_deref(), Some(log.as_str()), "the announced log is the one written");
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "side check output\n");
    let bash_ended = seq_of(&run, |k| matches!(k, SessionEventKind::ToolCallUpdate(u) if u.status.is_some_and(ToolCallStatus::is_terminal)));
    let check_started = seq_of(&run, |k| matches!(k, SessionEventKind::CheckStarted(c) if c.check == "after-tests"));
    assert!(bash_ended.is_some() && check_started > bash_ended, "it runs after the command ended: {:?}", run.types());

    // The failed command's exit code, as Claude reports it, matches the other check.
    let failure = check_finished(&mut run, "after-failure").await;
    assert!(failure.why.iter().any(|w| w == "exit code 3") && failure.why.iter().any(|w| w == "failed"), "{:?}", failure.why);
    assert_eq!(started(&run, "after-failure").len(), 1, "not after the passing command");
    if seq_of(&run, |k| matches!(k, SessionEventKind::TaskFinished(_))).is_none() {
        task_finished(&mut run).await;
    }
    let task = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::TaskFinished(t) => Some(t.clone()),
        _ => None,
    });
    assert_eq!(task.map(|t| t.outcome), Some(TaskOutcome::Passed), "a side run never gates");
    assert!(started(&run, "after-cargo").is_empty() && finished(&run, "after-cargo").is_empty(), "a filter that does not match is silent");
    assert!(!world.project_path().join("cargo-ran.txt").exists());
    assert_eq!(started(&run, "after-tests").len(), 1, "once: the agent ran that command once");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_files_changed_check_runs_once_for_a_burst_of_writes() {
    let world = World::new();
    let root = world.project_path();
    let counter = tempfile::tempdir().unwrap();
    let runs = counter.path().join("runs");
    let toml = format!(
        "version = 1\n[[check]]\nid = \"fmt\"\non = \"files.changed\"\nwhen.changed = [\"*.txt\"]\nshell = \"echo run >> '{}'\"\n",
        runs.display()
    );
    write_checks(&world, &toml, true);
    let mock = AnthropicMock::start(vec![
        write(&root.join("a.txt"), "a\n"),
        write(&root.join("b.txt"), "b\n"),
        bash("echo c > c.txt && echo d > notes.md"),
        Reply::text("Done."),
    ])
    .unwrap();
    let mut run = claude_run(&world, &mock).await;
    let turn = run.handle.prompt("Write the files").await.unwrap();

    let done = check_finished(&mut run, "fmt").await;
    assert_eq!((done.task, done.round, done.gate, &done.outcome), (TaskId(turn.0), 1, false, &CheckOutcome::Passed), "{done:?}");
    assert!(done.why.iter().any(|w| w.contains("matches *.txt")), "{:?}", done.why);
    // Nothing more comes once the burst is over (a quiet period and a margin). The task may
    // have finished before the burst went quiet.
    if seq_of(&run, |k| matches!(k, SessionEventKind::TaskFinished(_))).is_none() {
        task_finished(&mut run).await;
    }
    drain_for(&mut run, Duration::from_secs(4)).await;
    let changed: Vec<&FileChanges> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::FileChanges(c) => Some(c),
            _ => None,
        })
        .collect();
    assert!(changed.len() >= 2, "several changes make the burst: {changed:#?}");
    let last_change = run.events.iter().filter(|e| matches!(e.kind, SessionEventKind::FileChanges(_))).map(|e| e.seq).max();
    let check_started = seq_of(&run, |k| matches!(k, SessionEventKind::CheckStarted(c) if c.check == "fmt"));
    assert!(check_started > last_change, "it ran after the burst's last change: {:?}", run.types());
    assert_eq!(started(&run, "fmt").len(), 1, "one run for the burst: {:?}", run.types());
    assert_eq!(std::fs::read_to_string(&runs).unwrap(), "run\n");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_check_does_not_hold_up_the_verdict_and_reports_after_it() {
    let world = World::new();
    let toml = "version = 1\n\
        [[check]]\nid = \"quick\"\nshell = \"true\"\n\
        [[check]]\nid = \"slow\"\nmode = \"async\"\nshell = \"sleep 3; echo slow done; exit 1\"\n";
    write_checks(&world, toml, true);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock).await;
    let turn = run.handle.prompt("Work").await.unwrap();
    let task = task_finished(&mut run).await;
    assert_eq!(task.outcome, TaskOutcome::Passed, "the async check's failure does not block: {:#?}", run.kinds());
    let slow_started = started(&run, "slow").pop().expect("it started with the round");
    assert!(!slow_started.gate && slow_started.log_path.is_some(), "{slow_started:?}");
    assert!(finished(&run, "slow").is_empty(), "the verdict did not wait for it (it sleeps 3 s)");

    let slow = check_finished(&mut run, "slow").await;
    assert_eq!((slow.task, slow.round, slow.gate, &slow.outcome), (TaskId(turn.0), 1, false, &CheckOutcome::Failed));
    let decided = seq_of(&run, |k| matches!(k, SessionEventKind::GateDecided(_)));
    let slow_done = seq_of(&run, |k| matches!(k, SessionEventKind::CheckFinished(c) if c.check == "slow"));
    assert!(decided < slow_done, "it reports after the verdict");
    assert_eq!(std::fs::read_to_string(slow.log_path.unwrap()).unwrap(), "slow done\n");
    assert!(!run.events.iter().any(|e| matches!(e.kind, SessionEventKind::FeedbackProposed(_) | SessionEventKind::FeedbackSent(_))), "never feedback");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_started_check_runs_at_the_prompt_and_an_untrusted_one_never_runs() {
    let world = World::new();
    write_checks(&world, "version = 1\n[[check]]\nid = \"hello\"\non = \"task.started\"\nshell = \"echo started\"\n", true);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock).await;
    let turn = run.handle.prompt("Work").await.unwrap();
    let done = check_finished(&mut run, "hello").await;
    assert_eq!((done.task, done.round, &done.outcome), (TaskId(turn.0), 1, &CheckOutcome::Passed));
    let task_started = seq_of(&run, |k| matches!(k, SessionEventKind::TaskStarted(_)));
    assert!(task_started.is_some() && seq_of(&run, |k| matches!(k, SessionEventKind::CheckStarted(_))) > task_started);
    task_finished(&mut run).await;
    run.stop().await;

    let world = World::new();
    write_checks(&world, "version = 1\n[[check]]\nid = \"sneaky\"\non = \"task.started\"\nshell = \"touch ran.txt\"\n", false);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock).await;
    run.handle.prompt("Work").await.unwrap();
    let sneaky = check_finished(&mut run, "sneaky").await;
    assert!(matches!(sneaky.outcome, CheckOutcome::NotTrusted { .. }), "{sneaky:?}");
    task_finished(&mut run).await;
    assert!(started(&run, "sneaky").is_empty() && !world.project_path().join("ran.txt").exists(), "nothing ran");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_kills_a_running_side_check() {
    let world = World::new();
    let pids = tempfile::tempdir().unwrap();
    let pidfile = pids.path().join("pid");
    write_checks(&world, &format!("version = 1\n[[check]]\nid = \"slow\"\non = \"task.started\"\nshell = \"echo $$ > '{}'; sleep 60\"\n", pidfile.display()), true);
    let mock = AnthropicMock::start(vec![Reply::text("Done.")]).unwrap();
    let mut run = claude_run(&world, &mock).await;
    run.handle.prompt("Work").await.unwrap();
    run.until("the side check to start", |k| matches!(k, SessionEventKind::CheckStarted(c) if c.check == "slow")).await;
    let deadline = Instant::now() + WAIT;
    while std::fs::read_to_string(&pidfile).map(|t| t.trim().is_empty()).unwrap_or(true) {
        assert!(Instant::now() < deadline, "the check never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let pid: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    // The task passes meanwhile: the side check outlives it until Stop.
    task_finished(&mut run).await;
    assert!(alive(pid), "a finished task leaves its side check running");
    let stopping = Instant::now();
    run.stop().await;
    assert!(stopping.elapsed() < Duration::from_secs(15), "Stop does not wait for the side check");
    assert!(gone_within(pid, Duration::from_secs(10)), "the side check's process group was killed");
}
