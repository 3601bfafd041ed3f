//! Opening a large session store (issue 22: start-up must not grow with the history): the time
//! of `Store::open` on a store of WARDEN_BENCH_STORE_MB megabytes (default 500), after a clean
//! close (no check) and after an unclean end (`PRAGMA quick_check` of the whole file, which every
//! open ran before), with the file in the page cache and, as root, out of it. Prints a table;
//! passes or fails on nothing. The store is kept in WARDEN_BENCH_STORE_DIR when set (generating
//! 500 MB takes minutes), else in a temporary folder.
//!
//! `cargo bench -p warden-engine --bench store_open` (add `--profile dev` for a quick run).

use std::path::Path;
use std::time::{Duration, Instant};
use warden_core::session::*;
use warden_engine::{Store, SESSIONS_DB};

const RUNS: usize = 5;

/// One turn's worth of events: a prompt, an answer, a command and its (long) output.
fn turn_events(id: &SessionId, turn: usize, first_seq: u64) -> Vec<SessionEvent> {
    let text = format!("Step {turn}: the parser reads token{turn} and hands it to the checker; lifetimes are verified. ").repeat(12);
    let output = format!("running 40 tests\n{}\ntest result: ok. id{turn}\n", format!("test crate{turn}::case ... ok\n").repeat(120));
    let kinds = [
        serde_json::json!({"type": "userMessage", "data": {"turn": turn + 1, "text": format!("turn {turn}: continue")}}),
        serde_json::json!({"type": "agentMessageChunk", "data": {"messageId": format!("m{turn}"), "part": 0, "parent": null, "text": text}}),
        serde_json::json!({"type": "toolCall", "data": {
            "id": format!("t{turn}"), "parent": null, "name": "Bash", "kind": "execute", "title": "Run cargo test",
            "input": {"type": "shell", "command": "cargo test", "cwd": null, "description": null, "timeoutMs": null},
            "rawInput": {"command": "cargo test"}, "locations": [], "status": "pending"}}),
        serde_json::json!({"type": "toolCallUpdate", "data": {"id": format!("t{turn}"), "status": "completed", "output": {"text": output, "rawOutput": null}}}),
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| SessionEvent { session_id: id.clone(), seq: first_seq + i as u64, at_ms: 0, kind: serde_json::from_value(kind).expect("a valid event") })
        .collect()
}

/// Fills the store at `path` to `mb` megabytes with sessions of 500 turns.
fn generate(path: &Path, mb: u64) {
    let store = Store::open(path).expect("opens").store;
    let started = Instant::now();
    let mut n = store.sessions(None).expect("lists").len();
    while std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) < mb << 20 {
        let id = SessionId(format!("bench-{n}"));
        let record = SessionRecord::new(id.clone(), "/p".into(), AgentKind::Claude, None, PermissionMode::Default, n as u64);
        let events: Vec<_> = (0..500).flat_map(|turn| turn_events(&id, turn, turn as u64 * 4 + 1)).collect();
        store.import_session(&record, &events).expect("imports");
        n += 1;
    }
    println!("store_open: generated {n} sessions, {} MB, in {:.0?}", std::fs::metadata(path).map(|m| m.len() >> 20).unwrap_or(0), started.elapsed());
}

/// Drops the page cache (root only); false when it cannot.
fn drop_caches() -> bool {
    std::process::Command::new("sync").status().is_ok_and(|s| s.success()) && std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let mb = std::env::var("WARDEN_BENCH_STORE_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(500u64);
    let temp = tempfile::tempdir().expect("a temporary folder");
    let dir = std::env::var_os("WARDEN_BENCH_STORE_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| temp.path().to_owned());
    let path = dir.join(SESSIONS_DB);
    let state = dir.join(format!("{SESSIONS_DB}.state"));
    generate(&path, mb);
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    println!("\n| store ({} MB) | page cache | open, median of {RUNS} | checked |", size >> 20);
    println!("|---|---|---|---|");
    for (case, unclean) in [("after a clean close", false), ("after an unclean end (= every open before)", true)] {
        for cold in [false, true] {
            if cold && !drop_caches() {
                println!("| {case} | cold | (not root: cannot drop the page cache) | |");
                continue;
            }
            let mut times = Vec::new();
            let mut checked = false;
            for _ in 0..RUNS {
                if unclean {
                    // What a process killed while it held the store leaves.
                    std::fs::write(&state, "in use\n").expect("writes the state");
                }
                if cold {
                    drop_caches();
                }
                let started = Instant::now();
                let store = Store::open(&path).expect("opens").store;
                times.push(started.elapsed());
                checked = store.checked_at_open();
            }
            println!("| {case} | {} | {:.1?} | {checked} |", if cold { "cold" } else { "warm" }, median(times));
        }
    }
}
