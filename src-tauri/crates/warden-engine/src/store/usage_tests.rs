//! Usage sums on a generated store against totals computed by hand: reported Claude costs,
//! Codex costs estimated from the price table (with a model switch mid-session), a model the
//! table does not list (unknown, never $0), worktree sessions under their main project, the
//! time range, the person's days, the CSV, and merged rate limits.

use super::usage::UsageQuery;
use super::Store;
use rusqlite::params;
use warden_core::session::*;
use warden_core::usage::{csv, PriceTable};

const D: u64 = 1_796_083_200_000; // 2026-12-01T00:00:00Z
const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;
const P1: &str = "/p/one";
const P2: &str = "/p/two";

fn prices() -> PriceTable {
    PriceTable::parse(
        r#"{"written":"2026-12-07","source":"test","models":{
            "gpt-5.5":{"input":5,"cachedInput":0.5,"output":30},
            "gpt-5.4":{"input":2.5,"cachedInput":0.25,"output":15}}}"#,
    )
    .expect("parses")
}

fn started(agent: AgentKind, model: Option<&str>) -> SessionEventKind {
    SessionEventKind::Started(SessionStarted {
        agent,
        cwd: "/p".into(),
        program: "agent".into(),
        pid: None,
        version: None,
        model: model.map(str::to_owned),
        permission_mode: PermissionMode::Default,
        resumed: false,
    })
}

fn info(model: Option<&str>) -> SessionEventKind {
    SessionEventKind::AgentInfo(AgentInfo { agent_session_id: "a".into(), model: model.map(str::to_owned), version: None, tools: vec![] })
}

fn ended(turn: u32, stop: StopReason, usage: (u64, u64, u64, u64), cost: Option<f64>) -> SessionEventKind {
    SessionEventKind::TurnEnded(TurnEnded {
        turn: TurnId(turn),
        stop_reason: stop,
        error: None,
        duration_ms: 1,
        usage: Usage { input_tokens: usage.0, output_tokens: usage.1, cache_read_tokens: usage.2, cache_creation_tokens: usage.3 },
        cost_usd: cost,
        session_cost_usd: 0.0,
        context_tokens: None,
        context_window: None,
    })
}

fn add(store: &Store, id: &str, project: &str, agent: AgentKind, worktree_of: Option<&str>, events: Vec<(u64, SessionEventKind)>) {
    let mut record = SessionRecord::new(SessionId(id.into()), project.into(), agent, None, PermissionMode::Default, D - 10 * DAY);
    record.worktree = worktree_of.map(|main| SessionWorktree {
        main: main.into(),
        branch: "b".into(),
        base_branch: None,
        base_commit: "c".into(),
    });
    let events: Vec<SessionEvent> = events
        .into_iter()
        .enumerate()
        .map(|(i, (at_ms, kind))| SessionEvent { session_id: record.id.clone(), seq: i as u64 + 1, at_ms, kind })
        .collect();
    store.import_session(&record, &events).expect("stored");
}

/// Adds an event by its stored text, for kinds this test does not build (another helper's
/// `controls`).
fn add_raw(store: &Store, id: &str, at_ms: u64, kind: &str, body: &str) {
    let conn = store.conn();
    let last: i64 = conn.query_row("SELECT last_seq FROM sessions WHERE id = ?1", [id], |r| r.get(0)).expect("session");
    conn.execute("INSERT INTO events (session_id, seq, at_ms, type, body) VALUES (?1, ?2, ?3, ?4, ?5)", params![id, last + 1, at_ms as i64, kind, body])
        .expect("inserted");
    conn.execute("UPDATE sessions SET last_seq = ?2 WHERE id = ?1", params![id, last + 1]).expect("updated");
}

fn limits(primary: Option<f64>, secondary: Option<f64>) -> SessionEventKind {
    let window = |p: Option<f64>| p.map(|used_percent| warden_core::usage::RateLimitWindow { used_percent, window_minutes: Some(300), resets_at_ms: None });
    SessionEventKind::RateLimits(warden_core::usage::RateLimits { primary: window(primary), secondary: window(secondary), ..Default::default() })
}

fn generated() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("sessions.db")).expect("opens").store;
    add(&store, "s1", P1, AgentKind::Claude, None, vec![
        (D, started(AgentKind::Claude, None)),
        (D, info(Some("claude-opus-x"))),
        (D + HOUR, ended(1, StopReason::EndTurn, (100, 200, 1000, 50), Some(0.30))),
        (D + DAY + HOUR, ended(2, StopReason::EndTurn, (10, 20, 0, 0), Some(0.05))),
    ]);
    // Codex in a worktree of P1: the first turn on gpt-5.5, then a switch to gpt-5.4, then a
    // restart that names no model (which keeps gpt-5.4).
    add(&store, "s2", "/p/one-wt", AgentKind::Codex, Some(P1), vec![
        (D, started(AgentKind::Codex, Some("gpt-5.5"))),
        (D, info(Some("gpt-5.5"))),
        (D + 2 * HOUR, ended(1, StopReason::EndTurn, (1_000_000, 100_000, 2_000_000, 0), None)),
        (D + 2 * HOUR + 1, limits(Some(10.0), None)),
        (D + 2 * HOUR + 2, limits(None, Some(3.0))),
    ]);
    add_raw(&store, "s2", D + 3 * HOUR, "controls", r#"{"type":"controls","data":{"model":"gpt-5.4","effort":null}}"#);
    add_raw(&store, "s2", D + 4 * HOUR, "started", r#"{"type":"started","data":{"agent":"codex","cwd":"/p","program":"codex","pid":null,"version":null,"model":null,"permissionMode":"default","resumed":true}}"#);
    add_raw(&store, "s2", D + DAY + 2 * HOUR, "turnEnded", &serde_json::to_string(&ended(2, StopReason::EndTurn, (1_000_000, 1_000_000, 0, 0), None)).expect("json"));
    add(&store, "s3", P1, AgentKind::Codex, None, vec![
        (D, started(AgentKind::Codex, Some("mock-model"))),
        (D + 3 * HOUR, ended(1, StopReason::EndTurn, (500, 50, 0, 0), None)),
        (D + 3 * HOUR + 60_000, ended(2, StopReason::Cancelled, (0, 0, 0, 0), None)),
    ]);
    add(&store, "s4", P2, AgentKind::Gemini, None, vec![(D + 4 * HOUR, ended(1, StopReason::EndTurn, (24, 40, 0, 0), None))]);
    // Out of the range on both sides.
    add(&store, "s5", P1, AgentKind::Claude, None, vec![
        (D - HOUR, ended(1, StopReason::EndTurn, (1, 1, 0, 0), Some(1.0))),
        (D + 2 * DAY, ended(2, StopReason::EndTurn, (1, 1, 0, 0), Some(1.0))),
    ]);
    (dir, store)
}

fn query(project: Option<&str>, offset: i32) -> UsageQuery {
    UsageQuery { project: project.map(str::to_owned), from_ms: D, to_ms: D + 2 * DAY, utc_offset_minutes: offset }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_projects_usage_matches_the_hand_computed_sums() {
    let (_dir, store) = generated();
    let r = store.usage_report(&query(Some(P1), 0), &prices()).expect("report");
    let t = r.totals;
    assert_eq!((t.sessions, t.turns), (3, 6), "s1, the worktree's s2 and s3; s5's turns are out of range");
    assert_eq!(t.input_tokens, 100 + 10 + 1_000_000 + 1_000_000 + 500);
    assert_eq!(t.output_tokens, 200 + 20 + 100_000 + 1_000_000 + 50);
    assert_eq!((t.cache_read_tokens, t.cache_write_tokens), (1000 + 2_000_000, 50));
    assert!(close(t.reported_cost_usd, 0.35), "{}", t.reported_cost_usd);
    // gpt-5.5: 1M × 5 + 2M cached × 0.5 + 0.1M × 30 = 9; gpt-5.4: 1M × 2.5 + 1M × 15 = 17.5.
    assert!(close(t.estimated_cost_usd, 26.5), "{}", t.estimated_cost_usd);
    assert_eq!((t.estimated_turns, t.unpriced_turns), (2, 1), "mock-model is unknown; the cancelled empty turn cost nothing");

    let days: Vec<(&str, u32)> = r.days.iter().map(|d| (d.day.as_str(), d.totals.turns)).collect();
    assert_eq!(days, [("2026-12-01", 4), ("2026-12-02", 2)]);

    let model = |m: &str| r.models.iter().find(|x| x.model.as_deref() == Some(m)).unwrap_or_else(|| panic!("{m} row"));
    assert!(close(model("gpt-5.5").totals.estimated_cost_usd, 9.0) && model("gpt-5.5").priced);
    assert!(close(model("gpt-5.4").totals.estimated_cost_usd, 17.5), "the switch applies to the turns after it");
    let mock = model("mock-model");
    assert!(!mock.priced && mock.totals.unpriced_turns == 1 && csv::cost_kind(&mock.totals) == "partly unknown");
    assert!(close(model("claude-opus-x").totals.reported_cost_usd, 0.35));

    let codex = r.agents.iter().find(|a| a.agent == AgentKind::Codex).expect("codex");
    assert_eq!((codex.totals.sessions, codex.totals.turns), (2, 4));
    assert_eq!(r.agents[0].agent, AgentKind::Codex, "costliest first");
    assert_eq!((r.prices.written.as_str(), r.from_ms, r.to_ms), ("2026-12-07", D, D + 2 * DAY));
}

#[test]
fn every_project_adds_an_agent_that_reports_nothing_it_can_be_priced_by() {
    let (_dir, store) = generated();
    let t = store.usage_report(&query(None, 0), &prices()).expect("report").totals;
    assert_eq!((t.sessions, t.turns, t.unpriced_turns), (4, 7, 2));
    assert_eq!((t.input_tokens, t.output_tokens), (2_000_610 + 24, 1_100_270 + 40));
    let p2 = store.usage_report(&query(Some(P2), 0), &prices()).expect("report").totals;
    assert_eq!(csv::cost_kind(&p2), "unknown", "Gemini's tokens without a model are no $0");
}

#[test]
fn days_begin_where_the_person_is() {
    let (_dir, store) = generated();
    let r = store.usage_report(&query(Some(P1), -5 * 60), &prices()).expect("report");
    // Five hours west, 01:00–03:00 UTC on the 1st is still the 30th of November.
    let days: Vec<(&str, u32)> = r.days.iter().map(|d| (d.day.as_str(), d.totals.turns)).collect();
    assert_eq!(days, [("2026-11-30", 4), ("2026-12-01", 2)]);
}

#[test]
fn the_csv_has_a_row_per_day_agent_and_model() {
    let (_dir, store) = generated();
    let text = store.usage_csv(&query(Some(P1), 0), &prices()).expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], csv::COLUMNS.join(","));
    // Day 1: claude/opus, codex/gpt-5.5, codex/mock-model; day 2: claude/opus, codex/gpt-5.4.
    assert_eq!(lines.len(), 1 + 5, "{text}");
    assert!(lines.contains(&"2026-12-01,codex,gpt-5.5,1,1,1000000,100000,2000000,0,0.000000,9.000000,9.000000,estimated,0"), "{text}");
    assert!(lines.contains(&"2026-12-01,codex,mock-model,1,2,500,50,0,0,0.000000,0.000000,0.000000,partly unknown,1"), "{text}");
}

#[test]
fn the_latest_rate_limits_are_merged_from_sparse_updates() {
    let (_dir, store) = generated();
    let seen = store.latest_rate_limits(Some(P1)).expect("read").expect("limits stored");
    assert_eq!((seen.session_id.as_str(), seen.agent, seen.at_ms), ("s2", AgentKind::Codex, D + 2 * HOUR + 2));
    assert_eq!(seen.limits.primary.map(|w| w.used_percent), Some(10.0), "the second update did not clear the first's window");
    assert_eq!(seen.limits.secondary.map(|w| w.used_percent), Some(3.0));
    assert!(store.latest_rate_limits(Some(P2)).expect("read").is_none());
    assert!(store.usage_report(&query(None, 0), &prices()).expect("report").rate_limits.is_some());
}
