//! Figures for the remote note (printed, never asserted; `#[ignore]`d, run by hand with
//! `cargo test --features custom-protocol --test app remote_bench -- --ignored --nocapture`):
//! a call's round trip, a permission answer's round trip and the event stream's delay and rate,
//! through a local pipe (`sh -c`) and through ssh on loopback, to the same kind of engine.

use crate::remote_support::*;
use serde_json::json;
use std::time::Instant;
use warden_core::session::*;
use warden_mock_models::Reply;
use warden_remote::{Connection, StartSession, Transport};

const PINGS: usize = 300;
const QUESTIONS: usize = 8;
const STREAM_EVENTS: u64 = 20_000;

struct Figures {
    ping_ms: f64,
    permission_ms: f64,
    event_delay_ms: f64,
    events_per_s: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn now_ms_f() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64() * 1000.0
}

/// Stores a session of `STREAM_EVENTS` events on the host, for the stream's rate.
fn store_long_session(host: &Host) -> SessionId {
    let (engine, _) = warden_engine::Engine::open(host.data.path()).unwrap();
    let id = SessionId(format!("bench-{}", std::process::id()));
    let record = SessionRecord::new(id.clone(), host.project_str(), AgentKind::Claude, None, PermissionMode::Default, 1);
    let events: Vec<SessionEvent> = (1..=STREAM_EVENTS)
        .map(|seq| SessionEvent {
            session_id: id.clone(),
            seq,
            at_ms: seq,
            kind: SessionEventKind::AgentMessageChunk(MessageChunk {
                message_id: MessageId("m1".into()),
                part: 0,
                parent: None,
                text: "a chunk of streamed text, about as long as a model sends ".into(),
            }),
        })
        .collect();
    engine.store().import_session(&record, &events).unwrap();
    id
}

async fn measure(host: &Host, transport: Transport, long: &SessionId) -> Figures {
    let conn = Connection::open(&transport).await.unwrap();
    for _ in 0..20 {
        conn.ping().await.unwrap();
    }
    let mut pings = Vec::new();
    for _ in 0..PINGS {
        let t = Instant::now();
        conn.ping().await.unwrap();
        pings.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    // Permission round trips: the answer sent, until its `permissionResolved` event arrives.
    for i in 0..QUESTIONS {
        let file = host.project().join(format!("q{i}-{}.txt", rand_suffix()));
        host.mock.push(Reply::tool("Write", json!({"file_path": file, "content": "x\n"})));
    }
    host.mock.push(Reply::text("Done."));
    let start = StartSession { project: host.project_str(), checks: false, prompt: Some("Write the files".into()), ..Default::default() };
    let id = conn.start_session(start).await.unwrap().session.id;
    let mut sub = conn.subscribe(&id, 0).await.unwrap();
    let mut seen = Vec::new();
    let mut permission = Vec::new();
    let mut delays = Vec::new();
    for _ in 0..QUESTIONS {
        let asked = until(&mut sub.events, &mut seen, "a question", |k| matches!(k, SessionEventKind::PermissionRequested(_))).await;
        let SessionEventKind::PermissionRequested(request) = asked.kind else { unreachable!() };
        let t = Instant::now();
        conn.resolve_permission(&id, &request.request_id, PermissionAnswer::new(PermissionDecision::AllowOnce)).await.unwrap();
        let resolved = until(&mut sub.events, &mut seen, "its answer", |k| matches!(k, SessionEventKind::PermissionResolved(_))).await;
        permission.push(t.elapsed().as_secs_f64() * 1000.0);
        // The stream's delay: stored on the host (its `at_ms`, the same clock) until read here.
        delays.push(now_ms_f() - resolved.at_ms as f64);
    }
    until(&mut sub.events, &mut seen, "the end of the turn", |k| matches!(k, SessionEventKind::TurnEnded(_))).await;
    conn.stop(&id).await.unwrap();
    // The stream's rate: a stored session of many events, from seq 0.
    let t = Instant::now();
    let mut long_sub = conn.subscribe(long, 0).await.unwrap();
    let mut n = 0;
    while n < STREAM_EVENTS {
        tokio::time::timeout(WAIT, long_sub.events.recv()).await.unwrap().unwrap();
        n += 1;
    }
    let events_per_s = STREAM_EVENTS as f64 / t.elapsed().as_secs_f64();
    Figures { ping_ms: median(pings), permission_ms: median(permission), event_delay_ms: median(delays), events_per_s }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, run by hand"]
async fn remote_bench() {
    let sshd = Sshd::start();
    let host = Host::new();
    let long = store_long_session(&host);
    let local = measure(&host, host.command_transport(), &long).await;
    let ssh = measure(&host, sshd.transport(&host), &long).await;
    println!("\n| median over loopback | local pipe (sh -c) | ssh 127.0.0.1 | ratio |");
    println!("|---|---:|---:|---:|");
    println!("| call round trip (ping), ms | {:.3} | {:.3} | {:.2} |", local.ping_ms, ssh.ping_ms, ssh.ping_ms / local.ping_ms);
    println!("| permission answer → its event, ms | {:.2} | {:.2} | {:.2} |", local.permission_ms, ssh.permission_ms, ssh.permission_ms / local.permission_ms);
    println!("| event stored → read by the client, ms | {:.2} | {:.2} | {:.2} |", local.event_delay_ms, ssh.event_delay_ms, ssh.event_delay_ms / local.event_delay_ms);
    println!("| stream rate ({STREAM_EVENTS} stored events), events/s | {:.0} | {:.0} | {:.2} |", local.events_per_s, ssh.events_per_s, ssh.events_per_s / local.events_per_s);
}
