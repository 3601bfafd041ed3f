//! Permissions with the real Claude Code CLI against the mock model: what asks, what rules and
//! modes decide, what survives a restart, plan approval, and what stopping does to a question.

use crate::support::*;
use serde_json::json;
use warden_core::permission::{Rule, RuleSet};
use warden_core::session::*;
use warden_mock_models::{AnthropicMock, Reply};

fn bash(command: &str) -> Reply {
    Reply::tool("Bash", json!({"command": command, "description": "Make a file"}))
}

fn rule(text: &str) -> Rule {
    Rule::parse(text).unwrap()
}

fn answer(decision: PermissionDecision) -> PermissionAnswer {
    PermissionAnswer::new(decision)
}

/// The decisions recorded so far.
fn resolutions(run: &Run) -> Vec<PermissionResolution> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::PermissionResolved(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

fn questions(run: &Run) -> usize {
    run.events.iter().filter(|e| matches!(e.kind, SessionEventKind::PermissionRequested(_))).count()
}

async fn start(world: &World, mock: &AnthropicMock, mode: PermissionMode) -> Run {
    Run::start_with(&world.engine, world.project.path(), claude(), claude_env(world.home.path(), &mock.url()), mode).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_once_asks_again_for_the_same_call() {
    let world = World::new();
    let mock =
        AnthropicMock::start(vec![bash("touch one.txt && ls"), Reply::text("ok"), bash("touch one.txt && ls"), Reply::text("ok")])
            .unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    for turn in ["first", "second"] {
        run.handle.prompt(turn).await.unwrap();
        let ask = run.permission().await;
        assert_eq!(ask.subject, "touch one.txt && ls", "the question names what runs");
        assert_eq!(ask.suggested_rules, vec![rule("Bash(touch:*)"), rule("Bash(ls:*)")], "one rule per part");
        run.handle.resolve(ask.request_id, answer(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
        run.turn_end().await;
    }
    assert_eq!(questions(&run), 2, "allowing once grants nothing for the next call");
    assert!(world.project_path().join("one.txt").exists());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allow_for_the_session_stops_asking_for_that_pattern_in_that_session_only() {
    let mut world = World::new();
    let mock = AnthropicMock::start(vec![
        bash("touch a.txt"),
        Reply::text("ok"),
        bash("touch b.txt"),
        Reply::text("ok"),
        bash("touch c.txt"),
        Reply::text("ok"),
    ])
    .unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("a").await.unwrap();
    let ask = run.permission().await;
    run.handle.resolve(ask.request_id, answer(PermissionDecision::AllowSession), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    run.handle.prompt("b").await.unwrap();
    run.turn_end().await;
    assert_eq!(questions(&run), 1, "the second touch was allowed by the session rule: {:#?}", run.kinds());
    let by_rule = resolutions(&run).into_iter().find(|r| r.source == DecisionSource::Rule).expect("a rule decided");
    assert_eq!((by_rule.decision, by_rule.rules.clone()), (PermissionDecision::AllowOnce, vec![rule("Bash(touch:*)")]));
    assert_eq!(by_rule.subject.as_deref(), Some("touch b.txt"), "the audit names the call");
    assert!(world.project_path().join("b.txt").exists());
    let rules = run.events.iter().rev().find_map(|e| match &e.kind {
        SessionEventKind::SessionRules(r) => Some(r.clone()),
        _ => None,
    });
    assert_eq!(rules.expect("the session's rules are recorded").allow, vec![rule("Bash(touch:*)")]);
    assert!(!world.project_path().join(".claude/settings.local.json").exists(), "nothing written into the project");
    let id = run.handle.id().clone();
    run.stop().await;

    // A new session of the same project asks again; the same session resumed keeps its rules.
    let mut other = start(&world, &mock, PermissionMode::Default).await;
    other.handle.prompt("c").await.unwrap();
    let ask = other.permission().await;
    other.handle.resolve(ask.request_id, answer(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
    other.turn_end().await;
    other.stop().await;
    world.restart();
    mock.push(bash("touch d.txt"));
    mock.push(Reply::text("ok"));
    let mut resumed = Run::resume(&world.engine, &id, claude(), claude_env(world.home.path(), &mock.url())).await;
    resumed.handle.prompt("d").await.unwrap();
    resumed.turn_end().await;
    assert_eq!(questions(&resumed), 0, "a resumed session keeps its session rules");
    assert!(world.project_path().join("d.txt").exists());
    resumed.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn always_allow_survives_a_restart_and_never_covers_paths_outside_the_project() {
    let mut world = World::new();
    let mock = AnthropicMock::start(vec![bash("touch kept.txt"), Reply::text("ok")]).unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("first").await.unwrap();
    let ask = run.permission().await;
    let mut always = answer(PermissionDecision::AllowAlways);
    always.rules = Some(vec![rule("Bash(touch *)")]);
    run.handle.resolve(ask.request_id, always, DecisionSource::User).await.unwrap();
    run.turn_end().await;
    run.stop().await;
    let project = world.project_path();
    let stored = world.engine.permissions().project_rules(&project.to_string_lossy()).unwrap();
    assert_eq!(stored.allow, vec![rule("Bash(touch *)")], "the edited rule is what is kept");

    world.restart();
    let outside = world.home.path().join("outside.txt");
    mock.push(bash("touch again.txt"));
    mock.push(Reply::text("ok"));
    mock.push(bash(&format!("touch {}", outside.display())));
    mock.push(Reply::text("ok"));
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("again").await.unwrap();
    run.turn_end().await;
    assert_eq!(questions(&run), 0, "the project rule decided after the restart: {:#?}", run.kinds());
    assert!(project.join("again.txt").exists());
    run.handle.prompt("outside").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.outside_project, vec![outside.display().to_string()], "the question flags the outside path");
    run.handle.resolve(ask.request_id, answer(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    assert!(!outside.exists());
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_project_deny_rule_vetoes_even_a_read_claude_would_allow_and_tells_the_model() {
    let world = World::new();
    std::fs::write(world.project.path().join(".env"), "SECRET=1\n").unwrap();
    let project = world.project_path();
    let deny = RuleSet { allow: vec![], deny: vec![rule("Read(.env)")] };
    world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
    let mock =
        AnthropicMock::start(vec![Reply::tool("Read", json!({"file_path": project.join(".env")})), Reply::text("ok")]).unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("read the env").await.unwrap();
    run.turn_end().await;
    assert_eq!(questions(&run), 0, "nobody is asked about a denied call");
    let denied = resolutions(&run).into_iter().find(|r| r.decision == PermissionDecision::Deny).expect("a denial");
    assert_eq!((denied.source, denied.rules.clone()), (DecisionSource::Rule, vec![rule("Read(.env)")]));
    let requests = mock.requests().iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n");
    assert!(requests.contains("Read(.env)"), "the model hears which rule denied it");
    assert!(!requests.contains("SECRET=1"), "the file never reached the model");
    let status = run.events.iter().any(|e| matches!(&e.kind, SessionEventKind::ToolCallUpdate(u) if u.status == Some(ToolCallStatus::Denied)));
    assert!(status, "the timeline shows the call as denied");
    let log = world.engine.permissions().permission_log(&project.to_string_lossy(), None).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].tool_name.as_str(), log[0].source), ("Read", DecisionSource::Rule));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deny_message_reaches_the_model_and_deny_and_stop_ends_the_turn() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![bash("touch x.txt"), Reply::text("understood"), bash("touch y.txt"), Reply::text("never")])
        .unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("x").await.unwrap();
    let ask = run.permission().await;
    let why = "Use the Makefile target instead.";
    run.handle.resolve(ask.request_id, answer(PermissionDecision::Deny).with_message(why), DecisionSource::User).await.unwrap();
    assert_eq!(run.turn_end().await.stop_reason, StopReason::EndTurn, "a plain deny lets the turn go on");
    assert!(mock.requests().iter().any(|r| r.to_string().contains(why)), "the message reached the model");
    run.handle.prompt("y").await.unwrap();
    let ask = run.permission().await;
    run.handle.resolve(ask.request_id, answer(PermissionDecision::DenyAndStop), DecisionSource::User).await.unwrap();
    let ended = run.turn_end().await;
    assert_ne!(ended.stop_reason, StopReason::EndTurn, "deny and stop ends the turn: {ended:?}");
    assert!(!world.project_path().join("y.txt").exists());
    assert_eq!(mock.remaining(), 1, "the model was not asked to go on after the stop");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_is_approved_before_anything_runs_and_the_mode_follows() {
    let world = World::new();
    let target = world.project_path().join("planned.txt");
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": "{{planFile}}", "content": "# Plan\n1. Write planned.txt\n"})),
        Reply::tool("ExitPlanMode", json!({})),
        Reply::text("Back to planning."),
        Reply::tool("ExitPlanMode", json!({})),
        Reply::tool("Write", json!({"file_path": target, "content": "done\n"})),
        Reply::text("Done."),
    ])
    .unwrap();
    let mut run = start(&world, &mock, PermissionMode::Plan).await;
    run.handle.prompt("plan it").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.tool_name, "ExitPlanMode");
    assert_eq!(ask.plan.as_deref(), Some("# Plan\n1. Write planned.txt\n"), "the plan is shown for approval");
    let keep = answer(PermissionDecision::Deny).with_message("Keep planning: add a test step.");
    run.handle.resolve(ask.request_id, keep, DecisionSource::User).await.unwrap();
    run.turn_end().await;
    assert!(!target.exists());
    run.handle.prompt("now?").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.tool_name, "ExitPlanMode");
    let mut approve = answer(PermissionDecision::AllowOnce);
    approve.mode = Some(PermissionMode::Default);
    run.handle.resolve(ask.request_id, approve, DecisionSource::User).await.unwrap();
    run.until("leaving plan mode", |k| matches!(k, SessionEventKind::ModeChanged(PermissionMode::Default))).await;
    let write = run.permission().await;
    assert_eq!(write.tool_name, "Write", "after the approval the default mode asks before the edit");
    run.handle.resolve(write.request_id, answer(PermissionDecision::AllowOnce), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "done\n");
    let record = world.engine.store().session(run.handle.id()).unwrap().unwrap();
    assert_eq!(record.permission_mode, PermissionMode::Default, "the stored mode follows");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_modes_mid_session_changes_what_asks() {
    let world = World::new();
    let project = world.project_path();
    let mock = AnthropicMock::start(vec![
        Reply::tool("Write", json!({"file_path": project.join("edit.txt"), "content": "x\n"})),
        Reply::text("ok"),
        bash("touch bypassed.txt"),
        Reply::text("ok"),
        bash("rm -f edit.txt"),
        Reply::text("ok"),
    ])
    .unwrap();
    let deny = RuleSet { allow: vec![], deny: vec![rule("Bash(rm:*)")] };
    world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.until("ready", |k| matches!(k, SessionEventKind::Status(SessionStatus::Ready))).await;
    run.handle.set_mode(PermissionMode::AcceptEdits).await.unwrap();
    run.handle.prompt("edit").await.unwrap();
    run.turn_end().await;
    assert!(project.join("edit.txt").exists(), "accept edits lets the edit through");
    run.handle.set_mode(PermissionMode::Bypass).await.unwrap();
    run.handle.prompt("bypass").await.unwrap();
    run.turn_end().await;
    assert!(project.join("bypassed.txt").exists(), "bypass allows the command");
    run.handle.prompt("rm").await.unwrap();
    run.turn_end().await;
    assert!(project.join("edit.txt").exists(), "a deny rule holds even in bypass");
    assert_eq!(questions(&run), 0, "nothing asked in these modes");
    let by_mode = resolutions(&run).into_iter().find(|r| r.source == DecisionSource::Mode && r.tool_name.as_deref() == Some("Bash"));
    assert!(by_mode.is_some_and(|r| r.decision == PermissionDecision::AllowOnce), "the audit says the mode allowed it");
    let modes: Vec<PermissionMode> = run
        .events
        .iter()
        .filter_map(|e| match e.kind {
            SessionEventKind::ModeChanged(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(modes, [PermissionMode::AcceptEdits, PermissionMode::Bypass], "each switch recorded once");
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_with_a_question_open_denies_it_and_nothing_runs() {
    let world = World::new();
    let mock = AnthropicMock::start(vec![bash("touch never.txt"), Reply::text("never")]).unwrap();
    let mut run = start(&world, &mock, PermissionMode::Default).await;
    run.handle.prompt("go").await.unwrap();
    let ask = run.permission().await;
    run.stop().await;
    let cancelled = resolutions(&run).into_iter().find(|r| r.request_id == ask.request_id).expect("the question was answered");
    assert_eq!((cancelled.decision, cancelled.source), (PermissionDecision::Cancelled, DecisionSource::Shutdown));
    assert!(!cancelled.decision.allows());
    assert!(!world.project_path().join("never.txt").exists(), "the tool never ran");
    let log = world.engine.permissions().permission_log(&world.project_path().to_string_lossy(), Some(run.handle.id())).unwrap();
    assert_eq!(log.last().map(|e| e.decision), Some(PermissionDecision::Cancelled), "the audit log has it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_warden_cannot_read_for_certain_under_a_deny_rule_is_put_to_the_person_not_run_or_refused() {
    let world = World::new();
    std::fs::write(world.project.path().join(".env"), "SECRET=1\n").unwrap();
    let project = world.project_path();
    let deny = RuleSet { allow: vec![], deny: vec![rule("Read(.env)")] };
    world.engine.permissions().set_project_rules(&project.to_string_lossy(), &deny).unwrap();
    // `$F` may name `.env`: Warden cannot tell, so Bypass does not run it and the PreToolUse
    // check does not silently refuse it either: the person decides.
    let mock = AnthropicMock::start(vec![bash("F=.env; cat \"$F\""), Reply::text("ok")]).unwrap();
    let mut run = start(&world, &mock, PermissionMode::Bypass).await;
    run.handle.prompt("read it").await.unwrap();
    let ask = run.permission().await;
    assert_eq!(ask.input.command(), Some("F=.env; cat \"$F\""), "asked even in Bypass");
    run.handle.resolve(ask.request_id, answer(PermissionDecision::Deny), DecisionSource::User).await.unwrap();
    run.turn_end().await;
    let requests = mock.requests().iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n");
    assert!(!requests.contains("SECRET=1"), "the file never reached the model");
    run.stop().await;
}
