//! The usage commands through the app: a project's report and CSV from stored turns, the
//! project named by any spelling of its folder, and every project at once.

use crate::support::TestApp;
use serde_json::{json, Value};
use tauri::Manager;
use warden_app::state::AppState;
use warden_core::session::*;

fn turn(session: &SessionId, seq: u64, at_ms: u64, usage: Usage, cost: Option<f64>) -> SessionEvent {
    let kind = SessionEventKind::TurnEnded(TurnEnded {
        turn: TurnId(seq as u32),
        stop_reason: StopReason::EndTurn,
        error: None,
        duration_ms: 1,
        usage,
        cost_usd: cost,
        session_cost_usd: 0.0,
        context_tokens: None,
        context_window: None,
    });
    SessionEvent { session_id: session.clone(), seq, at_ms, kind }
}

#[test]
fn a_projects_usage_and_its_csv_come_from_the_stored_turns() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let canonical = project.path().canonicalize().unwrap().to_string_lossy().into_owned();
    let app = TestApp::start(data.path(), None);
    let engine = app.window.app_handle().state::<AppState>().engine.clone();
    let at = 1_796_083_200_000; // 2026-12-01T00:00:00Z
    let claude = SessionRecord::new(SessionId("c1".into()), canonical.clone(), AgentKind::Claude, None, PermissionMode::Default, at);
    let usage = Usage { input_tokens: 100, output_tokens: 200, cache_read_tokens: 300, cache_creation_tokens: 4 };
    let events = [turn(&claude.id, 1, at + 1000, usage, Some(0.25)), turn(&claude.id, 2, at + 2000, usage, Some(0.5))];
    engine.store().import_session(&claude, &events).unwrap();
    let other = SessionRecord::new(SessionId("o1".into()), "/elsewhere".into(), AgentKind::Gemini, None, PermissionMode::Default, at);
    engine.store().import_session(&other, &[turn(&other.id, 1, at + 3000, usage, None)]).unwrap();

    // The project as the window may spell it: with a trailing separator.
    let args = json!({ "project": format!("{canonical}/"), "fromMs": at, "toMs": at + 86_400_000, "utcOffsetMinutes": 60 });
    let report: Value = app.call("usage_report", args.clone());
    assert_eq!(report["totals"]["turns"], 2, "{report:#}");
    assert_eq!(report["totals"]["inputTokens"], 200);
    assert_eq!(report["totals"]["cacheWriteTokens"], 8);
    assert!((report["totals"]["reportedCostUsd"].as_f64().unwrap() - 0.75).abs() < 1e-9);
    assert_eq!(report["days"][0]["day"], "2026-12-01");
    assert_eq!(report["agents"][0]["agent"], "claude");
    assert!(report["prices"]["written"].as_str().is_some_and(|d| d.len() == 10));
    assert!(report["rateLimits"].is_null());

    let csv: String = app.call("usage_csv", args);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("day,agent,model,"));
    assert!(lines[1].starts_with("2026-12-01,claude,,1,2,200,400,600,8,0.750000,"), "{csv}");

    let all: Value = app.call("usage_report", json!({ "project": null, "fromMs": at, "toMs": at + 86_400_000, "utcOffsetMinutes": 0 }));
    assert_eq!((all["totals"]["turns"].as_u64(), all["totals"]["unpricedTurns"].as_u64()), (Some(3), Some(1)), "Gemini's turn has no known cost");

    let refused = app.invoke("usage_report", json!({ "project": "", "fromMs": 0, "toMs": 1, "utcOffsetMinutes": 0 }));
    assert!(refused.is_err(), "an empty project folder is refused");
}
