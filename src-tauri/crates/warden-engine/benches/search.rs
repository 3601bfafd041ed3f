//! Full-text search over the stored events (issue 19's number): one session of 20,000 events
//! (4,000 turns of a prompt, an answer streamed in two pieces, a command and its output), then
//! `search_project` for a word found once, a word found in every turn, a prefix and a phrase,
//! 50 hits at most as the window asks. Also printed: the time to index that session from
//! scratch, as the backfill of an upgraded store does.

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;
use std::time::Instant;
use warden_core::session::*;
use warden_engine::Store;

fn kind(value: serde_json::Value) -> SessionEventKind {
    serde_json::from_value(value).expect("a valid event")
}

/// Text of about the length of a real answer, with recurring words and one word per turn.
fn filler(i: usize) -> String {
    format!(
        "Step {i}: the parser reads token{i} and hands it to the checker; lifetimes and borrows are \
         verified, then the module graph is updated and the cache written back to disk for later runs."
    )
}

fn session_events(id: &SessionId) -> Vec<SessionEvent> {
    let mut events = Vec::new();
    let mut push = |kind| {
        let seq = events.len() as u64 + 1;
        events.push(SessionEvent { session_id: id.clone(), seq, at_ms: seq, kind });
    };
    for turn in 0..4_000usize {
        let text = filler(turn);
        push(kind(json!({"type": "userMessage", "data": {"turn": turn + 1, "text": format!("turn {turn}: please continue with the refactoring")}})));
        for piece in [&text[..60], &text[60..]] {
            push(kind(json!({"type": "agentMessageChunk", "data": {"messageId": format!("m{turn}"), "part": 0, "parent": null, "text": piece}})));
        }
        let command = format!("cargo test -p crate{turn}");
        push(kind(json!({"type": "toolCall", "data": {
            "id": format!("t{turn}"), "parent": null, "name": "Bash", "kind": "execute", "title": format!("Run {command}"),
            "input": {"type": "shell", "command": command, "cwd": null, "description": null, "timeoutMs": null},
            "rawInput": {"command": command}, "locations": [], "status": "pending"}})));
        let out = format!("running 12 tests\n{text}\ntest result: ok. id{turn}");
        push(kind(json!({"type": "toolCallUpdate", "data": {"id": format!("t{turn}"), "status": "completed", "output": {"text": out, "rawOutput": null}}})));
    }
    events
}

fn search(c: &mut Criterion) {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join("bench.db")).unwrap().store;
    let id = SessionId("bench".into());
    let record = SessionRecord::new(id.clone(), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, 0);
    let events = session_events(&id);
    let started = Instant::now();
    store.import_session(&record, &events).unwrap();
    println!("search: stored and indexed {} events in {:?}", events.len(), started.elapsed());

    let mut group = c.benchmark_group("search_20000_events");
    for (name, query) in [("rare_word", "token1234"), ("common_word", "parser"), ("prefix", "lifetim"), ("phrase", "\"module graph is updated\"")] {
        let hits = store.search_project("/p", query, 50).unwrap().len();
        println!("search: {name} ({query}) finds {hits} hits (limit 50)");
        group.bench_function(name, |b| b.iter(|| store.search_project("/p", query, 50).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
