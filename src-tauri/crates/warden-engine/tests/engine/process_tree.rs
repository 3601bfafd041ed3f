//! Stopping a session ends every process its agent started: session leaders (`setsid`, as
//! Claude Code starts each Bash command), orphans of `(cmd &)` and `nohup cmd &`, a double fork
//! with a cleared environment, a background Bash command of the real Claude Code and an
//! interrupted foreground one. Checked by pid through /proc, and by the files they write no
//! longer growing.

use crate::support::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};
use warden_core::session::*;
use warden_mock_models::{AnthropicMock, Reply};

const GONE: Duration = Duration::from_secs(5);

/// `name → pid` of the fake agent's escapees, once all four wrote theirs.
fn escapee_pids(dir: &Path) -> BTreeMap<String, u32> {
    let text = std::fs::read_to_string(dir.join("pids")).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(name, pid)| (name.to_owned(), pid.trim().parse().unwrap()))
        .collect()
}

/// Whether the files in `dir` ending in `.log` stopped growing (watched for half a second).
fn still(dir: &Path) -> bool {
    let sizes = || -> Vec<u64> {
        let mut v: Vec<(String, u64)> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".log"))
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().len()))
            .collect();
        v.sort();
        v.into_iter().map(|(_, n)| n).collect()
    };
    let before = sizes();
    std::thread::sleep(Duration::from_millis(500));
    before == sizes()
}

fn kill(pid: u32) {
    // SAFETY: sends SIGKILL to a process this test started (cleanup after a failed check).
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
}

async fn escapees(world: &World, exit_after_answer: bool) -> (Run, BTreeMap<String, u32>, std::path::PathBuf) {
    let dir = world.home.path().join("escapees");
    std::fs::create_dir_all(&dir).unwrap();
    let mut env = vec![("WARDEN_FAKE_MODE".into(), "escapees".into()), ("WARDEN_FAKE_DIR".into(), dir.clone().into())];
    if exit_after_answer {
        env.push(("WARDEN_FAKE_EXIT".into(), "1".into()));
    }
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), env).await;
    run.handle.prompt("hi").await.unwrap();
    run.turn_end().await;
    let pids = escapee_pids(&dir);
    assert_eq!(pids.keys().map(String::as_str).collect::<Vec<_>>(), ["bare", "double", "nohup", "setsid"]);
    if !exit_after_answer {
        for (name, pid) in &pids {
            assert!(alive(*pid), "{name} runs while the session does");
        }
    }
    (run, pids, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_ends_session_leaders_orphans_and_double_forks_even_without_their_mark() {
    let world = World::new();
    let (mut run, pids, dir) = escapees(&world, false).await;
    assert!(!still(&dir), "they keep writing");
    // The fake agent exits by itself once stdin closes, as Claude does: its orphans must
    // still end, though they lost their parent.
    run.stop().await;
    let left: Vec<&String> = pids.iter().filter(|(_, pid)| !gone_within(**pid, GONE)).map(|(n, _)| n).collect();
    pids.values().for_each(|pid| kill(*pid));
    assert!(left.is_empty(), "still running after the stop: {left:?}");
    assert!(still(&dir), "nothing writes any more");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_that_exits_on_its_own_takes_its_marked_commands_with_it() {
    let world = World::new();
    let (mut run, pids, _dir) = escapees(&world, true).await;
    run.exited().await;
    let marked = ["setsid", "double", "nohup"];
    let left: Vec<&str> = marked.into_iter().filter(|name| !gone_within(pids[*name], GONE)).collect();
    // A command that cleared its environment and left the tree is out of reach once its
    // agent exited by itself (documented); the test cleans it up.
    pids.values().for_each(|pid| kill(*pid));
    assert!(left.is_empty(), "still running after the agent exited: {left:?}");
    run.stop().await;
}

/// Pids of living processes whose command line contains `needle`.
fn running(needle: &str) -> Vec<u32> {
    let me = std::process::id();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me && alive(*pid))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .collect()
}

/// Waits (bounded) until `file` exists and grows.
async fn growing(file: &Path) {
    let deadline = Instant::now() + WAIT;
    loop {
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        if size > 0 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            if std::fs::metadata(file).unwrap().len() > size {
                return;
            }
        }
        assert!(Instant::now() < deadline, "{} never grew", file.display());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn looping(file: &Path) -> String {
    format!("while :; do echo x >> '{}'; sleep 0.1; done", file.display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_a_real_claude_session_ends_its_background_and_interrupted_commands() {
    let world = World::new();
    let dir = world.home.path().canonicalize().unwrap().join("loops");
    std::fs::create_dir_all(&dir).unwrap();
    let background = dir.join("background.log");
    let subshell = dir.join("subshell.log");
    let foreground = dir.join("foreground.log");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Bash", json!({"command": looping(&background), "run_in_background": true, "description": "Loop in the background"})),
        Reply::text("Started in the background."),
        Reply::tool("Bash", json!({"command": format!("({} &)", looping(&subshell)), "description": "Loop in a subshell"})),
        Reply::text("Started in a subshell."),
        Reply::tool("Bash", json!({"command": looping(&foreground), "description": "Loop in the foreground", "timeout": 600000})),
        Reply::text("never"),
    ])
    .unwrap();
    let mut run = Run::start(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url())).await;
    for prompt in ["background", "subshell", "foreground"] {
        run.handle.prompt(prompt).await.unwrap();
        let ask = run.permission().await;
        run.handle.resolve(ask.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
        if prompt != "foreground" {
            run.turn_end().await;
        }
    }
    for file in [&background, &subshell, &foreground] {
        growing(file).await;
    }
    let needle = dir.to_string_lossy().into_owned();
    let pids = running(&needle);
    assert!(!pids.is_empty(), "the loops are found by their command line");
    // Stopped in the middle of the foreground command.
    run.stop().await;
    let left: Vec<u32> = pids.iter().copied().filter(|pid| !gone_within(*pid, GONE)).collect();
    let late = running(&needle);
    late.iter().chain(&left).for_each(|pid| kill(*pid));
    assert!(left.is_empty() && late.is_empty(), "still running after the stop: {left:?} {late:?}");
    assert!(still(&dir), "nothing writes any more");
}
