//! How fast a Claude Code transcript becomes the events the window shows (issue 22's "open a
//! 20,000-line session"), without the window: read the file, parse every line, convert, hold
//! back the long texts far from the end, and serialise the result as the IPC answer does.
//!
//! The transcript is the engine's recorded fixtures (Claude Code 2.1.329, tool calls,
//! subagents, thinking) repeated until it has `WARDEN_BENCH_LINES` lines (default 20,000).
//! Each copy gets its own ids (every `uuid`, `parentUuid`, message and tool-use id gets the
//! copy's suffix), so no copy is read as a duplicate of another. Prints a markdown table:
//! median and spread of 10 runs for each step.
//!
//! `cargo bench -p warden-engine --bench claude_history` (not criterion: each run reads a file
//! of tens of megabytes, so ten runs are the measurement).

use serde_json::Value;
use std::path::Path;
use std::time::Instant;
use warden_core::session::SessionId;
use warden_engine::claude::history;

const FIXTURES: [&str; 3] = [
    include_str!("../tests/fixtures/claude-history/9ff61b0b-b106-479e-8846-66b41ebd8ec0.jsonl"),
    include_str!("../tests/fixtures/claude-history/11111111-2222-4333-8444-555555555555.jsonl"),
    include_str!("../tests/fixtures/claude-history/22222222-2222-4333-8444-555555555555.jsonl"),
];
/// The keys whose string values identify a line, a message or a tool call.
const ID_KEYS: [&str; 5] = ["uuid", "parentUuid", "id", "tool_use_id", "promptId"];
const RUNS: usize = 10;
/// The window's limit on tool outputs it shows inline (the history view asks with it).
const OUTPUT_LIMIT: usize = 4096;

/// Appends `suffix` to every id in `value`, at any depth.
fn rename_ids(value: &mut Value, suffix: &str) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                match inner {
                    Value::String(s) if ID_KEYS.contains(&key.as_str()) => s.push_str(suffix),
                    _ => rename_ids(inner, suffix),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename_ids(item, suffix)),
        _ => {}
    }
}

/// A transcript of at least `lines` lines made of renamed copies of the fixtures.
fn transcript(lines: usize) -> String {
    let mut out = String::new();
    let mut written = 0;
    let mut copy = 0;
    while written < lines {
        for fixture in FIXTURES {
            for line in fixture.lines() {
                let mut value: Value = serde_json::from_str(line).expect("the fixtures are JSON");
                rename_ids(&mut value, &format!("-{copy}"));
                out.push_str(&value.to_string());
                out.push('\n');
                written += 1;
            }
            copy += 1;
        }
    }
    out
}

fn median_and_range(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!("{:.1} ms ({:.1}–{:.1})", ms[ms.len() / 2], ms[0], ms[ms.len() - 1])
}

fn main() {
    let lines: usize = std::env::var("WARDEN_BENCH_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("33333333-2222-4333-8444-555555555555.jsonl");
    std::fs::write(&path, transcript(lines)).expect("writes the transcript");
    let bytes = std::fs::metadata(&path).expect("written").len();
    let (mut convert, mut hold, mut serialise, mut total) = (vec![], vec![], vec![], vec![]);
    let mut shown = 0;
    for _ in 0..RUNS {
        let (events, timings) = open(&path);
        shown = events;
        convert.push(timings[0]);
        hold.push(timings[1]);
        serialise.push(timings[2]);
        total.push(timings.iter().sum());
    }
    println!("\nA Claude Code transcript of {lines} lines ({:.1} MB) opened for showing, {shown} events; {RUNS} runs, median (min–max):\n", bytes as f64 / 1e6);
    println!("| step | time |\n|---|--:|");
    println!("| read, parse and convert (`read_events_to_show`) | {} |", median_and_range(convert));
    println!("| hold back the long texts (`hold_back`) | {} |", median_and_range(hold));
    println!("| serialise the events as the answer (JSON) | {} |", median_and_range(serialise));
    println!("| all | {} |", median_and_range(total));
}

/// One opening: the number of events and the milliseconds of each step.
fn open(path: &Path) -> (usize, [f64; 3]) {
    let started = Instant::now();
    let mut events = history::read_events_to_show(&SessionId("33333333-2222-4333-8444-555555555555".into()), path, OUTPUT_LIMIT);
    let converted = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let (elided, _texts) = history::hold_back(&mut events);
    let held = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let answer = serde_json::to_vec(&(&events, &elided)).expect("events serialise");
    let serialised = started.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(answer);
    (events.len(), [converted, held, serialised])
}
