//! Issue 19's number for the usage view: a usage report over 1,000 sessions.
//!
//! A store is generated in a temporary folder: `WARDEN_BENCH_SESSIONS` sessions (default
//! 1,000) in 10 projects, Claude and Codex alternating, each with 8 turns of 12 events (the
//! model's answer in 2 KiB pieces, as bulky as tool outputs, and the turn's end with its
//! tokens), about 100,000 events. Then, timed: the first report over every project (it makes
//! the event-type index an older store lacks), the same again (median of 10), one project's,
//! and the CSV. Prints a markdown table.
//!
//! `cargo bench -p warden-engine --bench usage` (not criterion: each run is one number).

use std::time::{Duration, Instant};
use warden_core::session::*;
use warden_core::usage::PriceTable;
use warden_engine::store::{Store, UsageQuery};

const TURNS: u32 = 8;
const PIECES: usize = 10;
const DAY: u64 = 86_400_000;

fn main() {
    let sessions: usize = std::env::var("WARDEN_BENCH_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sessions.db");
    let store = Store::open(&path).expect("opens").store;
    let start = 1_790_000_000_000u64;
    let generated = Instant::now();
    let piece = "x".repeat(2048);
    let mut events_total = 0usize;
    for s in 0..sessions {
        let agent = if s % 2 == 0 { AgentKind::Claude } else { AgentKind::Codex };
        let model = if s % 2 == 0 { "claude-opus-x" } else { "gpt-5.5" };
        let id = SessionId(format!("s{s:05}"));
        let created = start + (s as u64 % 60) * DAY;
        let record = SessionRecord::new(id.clone(), format!("/bench/project{}", s % 10), agent, Some(model.into()), PermissionMode::Default, created);
        let mut kinds = vec![SessionEventKind::Started(SessionStarted {
            agent,
            cwd: "/bench".into(),
            program: "agent".into(),
            pid: None,
            version: None,
            model: Some(model.into()),
            permission_mode: PermissionMode::Default,
            resumed: false,
        })];
        for turn in 1..=TURNS {
            for part in 0..PIECES {
                kinds.push(SessionEventKind::AgentMessageChunk(MessageChunk {
                    message_id: MessageId(format!("m{turn}")),
                    part: part as u32,
                    parent: None,
                    text: piece.clone(),
                }));
            }
            kinds.push(SessionEventKind::TurnEnded(TurnEnded {
                turn: TurnId(turn),
                stop_reason: StopReason::EndTurn,
                error: None,
                duration_ms: 1000,
                usage: Usage { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 20_000, cache_creation_tokens: 100 },
                cost_usd: (agent == AgentKind::Claude).then_some(0.05),
                session_cost_usd: 0.0,
                context_tokens: None,
                context_window: None,
            }));
        }
        let events: Vec<SessionEvent> = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| SessionEvent { session_id: id.clone(), seq: i as u64 + 1, at_ms: created + i as u64 * 60_000, kind })
            .collect();
        events_total += events.len();
        store.import_session(&record, &events).expect("stored");
    }
    let generated = generated.elapsed();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let prices = PriceTable::shipped().expect("price table");
    let all = UsageQuery { project: None, from_ms: 0, to_ms: u64::MAX, utc_offset_minutes: 60 };
    let one = UsageQuery { project: Some("/bench/project3".into()), ..all.clone() };

    let timed = |q: &UsageQuery| {
        let t = Instant::now();
        let report = store.usage_report(q, &prices).expect("report");
        (t.elapsed(), report)
    };
    let (first, report) = timed(&all);
    assert_eq!(report.totals.turns as usize, sessions * TURNS as usize);
    assert_eq!(report.totals.sessions as usize, sessions);
    let median = |q: &UsageQuery| {
        let mut times: Vec<Duration> = (0..10).map(|_| timed(q).0).collect();
        times.sort();
        times[times.len() / 2]
    };
    let again = median(&all);
    let project = median(&one);
    let t = Instant::now();
    let csv = store.usage_csv(&all, &prices).expect("csv");
    let csv_time = t.elapsed();

    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!("\n## Usage report over {sessions} sessions ({events_total} events, {} turns, {:.0} MB store; generated in {:.1} s)\n", sessions * TURNS as usize, size as f64 / 1e6, generated.as_secs_f64());
    println!("| measured | time |\n|---|---|");
    println!("| first report, every project (makes the event-type index) | {} |", ms(first));
    println!("| report, every project (median of 10) | {} |", ms(again));
    println!("| report, one project of 10 (median of 10) | {} |", ms(project));
    println!("| CSV, every project ({} rows) | {} |", csv.lines().count() - 1, ms(csv_time));
    println!("\nMachine: {} CPUs ({}), profile: {}", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0), std::env::consts::ARCH, if cfg!(debug_assertions) { "debug" } else { "release" });
}
