//! Fault injection with the fake agent: garbage, hangs, ignored signals, crashes, grandchildren.

use crate::support::*;
use std::time::{Duration, Instant};
use warden_core::session::*;

fn mode(name: &str) -> Vec<(std::ffi::OsString, std::ffi::OsString)> {
    vec![("WARDEN_FAKE_MODE".into(), name.into())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_output_becomes_raw_entries_and_the_turn_still_completes() {
    let world = World::new();
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), mode("garbage")).await;
    run.handle.prompt("hi").await.unwrap();
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn);
    let raw: Vec<&RawOutput> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::Unrecognised(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(raw.len(), 4, "not-JSON, unknown frame, 10 MB line, invalid UTF-8: {raw:#?}");
    assert!(raw.iter().any(|r| r.bytes == 10 * 1024 * 1024), "the huge line is reported with its size");
    assert!(raw.iter().any(|r| r.text.contains('\u{FFFD}')), "invalid UTF-8 is shown, replaced");
    assert_eq!(run.text(), "word0 word1 word2 ", "the real answer after the garbage is intact");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_agent_is_stopped_within_bounded_time() {
    let world = World::new();
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), mode("hang")).await;
    run.handle.prompt("hello?").await.unwrap();
    let started = Instant::now();
    run.stop().await;
    assert!(started.elapsed() < Duration::from_secs(10), "stop took {:?}", started.elapsed());
    let exited = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentExited(x) => Some(x.clone()),
        _ => None,
    });
    assert!(exited.expect("exit reported").expected);
    let ended = run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::TurnEnded(t) if t.stop_reason == StopReason::Cancelled));
    assert!(ended, "the open turn is closed as cancelled");
    assert!(matches!(run.events.last().unwrap().kind, SessionEventKind::Status(SessionStatus::Stopped)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_that_ignores_sigterm_and_stdin_eof_is_killed() {
    let world = World::new();
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), mode("ignore-term")).await;
    let pid = match &run.until("start", |k| matches!(k, SessionEventKind::Started(_))).await {
        SessionEventKind::Started(s) => s.pid.unwrap(),
        _ => unreachable!(),
    };
    run.stop().await;
    let exited = run.events.iter().find_map(|e| match &e.kind {
        SessionEventKind::AgentExited(x) => Some(x.clone()),
        _ => None,
    });
    assert_eq!(exited.unwrap().signal, Some(libc::SIGKILL), "only SIGKILL ends it");
    assert!(gone_within(pid, Duration::from_secs(2)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutting_the_engine_down_kills_grandchildren_too() {
    let world = World::new();
    let pidfile = world.home.path().join("grandchild.pid");
    let mut env = mode("grandchild");
    env.push(("WARDEN_FAKE_PIDFILE".into(), pidfile.clone().into()));
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), env).await;
    run.handle.prompt("hi").await.unwrap();
    run.turn_end().await;
    let grandchild: u32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    assert!(alive(grandchild), "the grandchild runs while the session does");
    world.engine.sessions().shutdown().await;
    assert!(gone_within(grandchild, Duration::from_secs(2)), "quitting leaves no process behind");
    assert!(run.handle.is_finished());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_reports_the_exit_status_and_stderr_and_the_session_can_resume() {
    let world = World::new();
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), mode("crash")).await;
    run.handle.prompt("hi").await.unwrap();
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::Error);
    assert!(ended.error.unwrap().contains("exited"));
    let exited = run.exited().await;
    assert_eq!(exited.code, Some(3));
    assert!(exited.stderr_tail.contains("fatal error in turn 1"), "{:?}", exited.stderr_tail);
    assert!(!exited.expected);
    assert!(run.text().starts_with("word0"), "what it said before crashing is kept");
    assert!(run.handle.prompt("again").await.is_err(), "a crashed session takes no prompts until resumed");
    let id = run.handle.id().clone();
    run.handle.finished().await;
    let mut again = Run::resume(&world.engine, &id, fake_agent(), mode("answer")).await;
    again.handle.prompt("again").await.unwrap();
    assert_eq!(again.turn_end().await.turn, TurnId(2), "turn numbers continue");
    again.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prompt_during_a_turn_is_refused_not_lost() {
    let world = World::new();
    let mut run = Run::start(&world.engine, world.project.path(), fake_agent(), mode("hang")).await;
    run.handle.prompt("first").await.unwrap();
    assert_eq!(run.handle.prompt("second").await, Err(warden_engine::SessionError::Busy));
    run.stop().await;
}
