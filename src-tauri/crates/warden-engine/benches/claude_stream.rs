//! How fast Claude's stream-json becomes session events.
//!
//! - `parse`: the adapter alone on output recorded from Claude Code 2.1.329 (the fixture,
//!   repeated), in bytes and in stdout lines per second.
//! - `actor`: one live session end to end — the fake agent floods a turn with streamed text
//!   deltas, the actor parses, merges, stores in SQLite and hands events to a sink — in lines
//!   per second from prompt to the end of the turn.
//! - `store`: events that cannot be merged (tool calls, statuses) appended one transaction each,
//!   the ceiling on what a session can persist per second.
//!
//! `make bench` builds the fake agent in release mode first.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use warden_core::session::{AgentKind, SessionEventKind, TurnId};
use warden_engine::adapter::AgentAdapter;
use warden_engine::claude::ClaudeAdapter;
use warden_engine::{AgentBinary, ChannelSink, Engine, NewSession, RunOptions};

const RECORDED: &str = include_str!("../tests/fixtures/claude-2.1.329-session.jsonl");

/// Replays the recording `copies` times through one adapter; returns the number of events.
fn replay(lines: &[&str], copies: usize) -> usize {
    let mut adapter = ClaudeAdapter::new(PathBuf::from("/tmp/rec/proj"));
    let mut events = 0;
    let mut turn = 0;
    for _ in 0..copies {
        for line in lines {
            if line.contains("\"subtype\":\"init\"") && !adapter.turn_open() {
                turn += 1;
                adapter.prompt(TurnId(turn), "p", std::time::Instant::now());
            }
            events += adapter.on_line(line.as_bytes(), std::time::Instant::now()).len();
        }
    }
    events
}

fn parse(c: &mut Criterion) {
    let lines: Vec<&str> = RECORDED.lines().collect();
    let copies = 20;
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum::<usize>() * copies;
    let events = replay(&lines, copies);
    println!("parse input: {} lines, {bytes} bytes, {events} events per iteration", lines.len() * copies);
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("bytes", |b| b.iter(|| replay(&lines, copies)));
    group.throughput(Throughput::Elements((lines.len() * copies) as u64));
    group.bench_function("lines", |b| b.iter(|| replay(&lines, copies)));
    group.finish();
}

const FLOOD: usize = 20_000;

fn actor(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let (engine, _) = Engine::open(data.path()).unwrap();
    let binary = AgentBinary {
        agent: AgentKind::Claude,
        program: warden_mock_models::agents::fake_agent_program(),
        version: "9.9.9".into(),
    };
    let mut group = c.benchmark_group("actor");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FLOOD as u64));
    let mut emitted = 0;
    group.bench_function("streamed_lines", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                    let new = NewSession {
                        project: project.path().to_string_lossy().into_owned(),
                        run: RunOptions {
                            binary: Some(binary.clone()),
                            env: vec![
                                ("WARDEN_FAKE_MODE".into(), "flood".into()),
                                ("WARDEN_FAKE_COUNT".into(), FLOOD.to_string().into()),
                            ],
                            ..Default::default()
                        },
                        ..Default::default()
                    };
                    let session = engine.sessions().start(new, Arc::new(ChannelSink(tx))).await.unwrap();
                    let start = Instant::now();
                    session.prompt("flood").await.unwrap();
                    let mut count = 0;
                    while let Some(event) = rx.recv().await {
                        count += 1;
                        if matches!(event.kind, SessionEventKind::TurnEnded(_)) {
                            break;
                        }
                    }
                    total += start.elapsed();
                    emitted = count;
                    session.stop().await;
                }
                total
            })
        })
    });
    group.finish();
    println!("actor: {FLOOD} streamed lines became {emitted} stored events per turn (deltas merged every 25 ms)");
}

fn store(c: &mut Criterion) {
    use warden_core::session::*;
    let data = tempfile::tempdir().unwrap();
    let store = warden_engine::Store::open(&data.path().join("bench.db")).unwrap().store;
    let id = SessionId("bench".into());
    let record = SessionRecord::new(id.clone(), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, 0);
    store.create_session(&record).unwrap();
    let mut seq = 0;
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("append_tool_call_update", |b| {
        b.iter(|| {
            seq += 1;
            let kind = SessionEventKind::ToolCallUpdate(ToolCallUpdate {
                id: ToolCallId(format!("toolu_{seq}")),
                status: Some(ToolCallStatus::Completed),
                output: Some(ToolOutput::new("ok\n".repeat(50), None)),
                duration_ms: Some(12),
                ..Default::default()
            });
            store.append(&SessionEvent { session_id: id.clone(), seq, at_ms: 0, kind }).unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, parse, actor, store);
criterion_main!(benches);
