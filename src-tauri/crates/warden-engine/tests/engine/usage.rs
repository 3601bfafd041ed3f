//! Usage with the real Codex CLI against the mock Responses API: the token counts of a turn
//! reach the usage report, its cost estimated with the shipped price table (Codex reports
//! none), and the rate-limit headers the mock sends come back as a `rateLimits` event that the
//! report shows.

use crate::support::*;
use warden_core::session::*;
use warden_core::usage::PriceTable;
use warden_engine::store::UsageQuery;
use warden_engine::{NewSession, RunOptions};
use warden_mock_models::{OpenAiMock, Reply};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_codex_turn_is_counted_and_estimated_and_its_rate_limits_are_shown() {
    let world = World::new();
    let resets = warden_engine::now_ms() / 1000 + 3600;
    let mock = OpenAiMock::start(vec![Reply::text("Counted.").with_rate_limits(42.0, resets)]).expect("mock starts");
    let new = NewSession {
        project: world.project.path().to_string_lossy().into_owned(),
        model: Some("gpt-5.5".into()),
        agent: AgentKind::Codex,
        sandbox: Some(Sandbox::WorkspaceWrite),
        run: RunOptions { binary: Some(codex()), env: codex_env(world.home.path(), &mock.url()), ..Default::default() },
        ..Default::default()
    };
    let mut run = Run::start_session(&world.engine, new).await;
    let before = warden_engine::now_ms();
    run.handle.prompt("Say something").await.expect("prompt sent");
    let ended = run.turn_end().await;
    assert_eq!(ended.stop_reason, StopReason::EndTurn, "{ended:?}");
    assert_eq!(ended.cost_usd, None, "Codex reports no cost");
    // The mock answers every request with 100 input tokens (none cached) and 10 output tokens.
    assert_eq!((ended.usage.input_tokens, ended.usage.output_tokens, ended.usage.cache_read_tokens), (100, 10, 0));
    run.stop().await;

    let limits = run.events.iter().rev().find_map(|e| match &e.kind {
        SessionEventKind::RateLimits(l) => Some(l.clone()),
        _ => None,
    });
    let limits = limits.expect("Codex passed the mock's rate-limit headers on");
    let primary = limits.primary.expect("the primary window");
    assert_eq!((primary.used_percent, primary.window_minutes, primary.resets_at_ms), (42.0, Some(300), Some(resets * 1000)));
    assert_eq!(limits.secondary.map(|w| (w.used_percent, w.window_minutes)), Some((5.0, Some(10_080))));

    let prices = PriceTable::shipped().expect("price table");
    let project = world.project_path().to_string_lossy().into_owned();
    let query = UsageQuery { project: Some(project), from_ms: before, to_ms: warden_engine::now_ms() + 1, utc_offset_minutes: 0 };
    let report = world.engine.store().usage_report(&query, &prices).expect("report");
    let t = report.totals;
    assert_eq!((t.sessions, t.turns, t.input_tokens, t.output_tokens), (1, 1, 100, 10), "{report:#?}");
    let price = prices.price("gpt-5.5").expect("gpt-5.5 is in the table");
    let expected = 100.0 * price.input / 1e6 + 10.0 * price.output / 1e6;
    assert!((t.estimated_cost_usd - expected).abs() < 1e-12 && t.estimated_turns == 1 && t.reported_cost_usd == 0.0, "{t:?}");
    assert_eq!(report.models.first().and_then(|m| m.model.as_deref()), Some("gpt-5.5"));
    let seen = report.rate_limits.expect("the report shows the rate limits");
    assert_eq!((seen.agent, seen.limits.primary.map(|w| w.used_percent)), (AgentKind::Codex, Some(42.0)));
}
