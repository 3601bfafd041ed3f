//! The gate inside a held turn end (Claude's Stop hook): automatic feedback answers the hook
//! and the turn goes on; any other verdict lets the turn end and is announced after it; a
//! budget defers the judgement to the turn's end; Stop answers the hook.

use super::*;
use std::collections::HashMap;

fn configured_gate(dir: &tempfile::TempDir) -> SessionGate {
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join(".warden")).unwrap();
    std::fs::write(project.join(".warden/checks.toml"), "version = 1\n").unwrap();
    SessionGate::new(SessionId("s".into()), project, Some(dir.path().join("data")), GateOptions::default(), AgentKind::Claude)
}

fn failed(round: u32, code: i32) -> CheckFinished {
    CheckFinished {
        task: TaskId(1),
        round,
        check: "c".into(),
        gate: true,
        outcome: if code == 0 { CheckOutcome::Passed } else { CheckOutcome::Failed },
        exit_code: Some(code),
        duration_ms: 1,
        counts: None,
        findings: Vec::new(),
        log_path: None,
        why: Vec::new(),
        side: false,
    }
}

fn rules(feedback: Feedback, budget_usd: Option<f64>) -> RoundRules {
    RoundRules { max_rounds: 3, on_infra_error: OnInfraError::Report, feedback: HashMap::from([("c".to_owned(), feedback)]), budget_usd }
}

fn names(steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .map(|s| match s {
            Step::Emit(kind) => kind.type_name().to_owned(),
            Step::Feedback { .. } => "FEEDBACK".into(),
            Step::EndCheckRecording { end_turn, .. } => format!("END_RECORDING(turn ends: {end_turn})"),
            Step::BeginCheckRecording { .. } => "BEGIN_RECORDING".into(),
            Step::StartRound(_) => "START_ROUND".into(),
            Step::AnswerTurnEnding { id, feedback: Some(_) } => format!("BLOCK {id}"),
            Step::AnswerTurnEnding { id, feedback: None } => format!("END {id}"),
        })
        .collect()
}

fn ended(turn: u32, cost_usd: Option<f64>) -> TurnEnded {
    TurnEnded {
        turn: TurnId(turn),
        stop_reason: StopReason::EndTurn,
        error: None,
        duration_ms: 1,
        usage: Usage::default(),
        cost_usd,
        session_cost_usd: 0.0,
        context_tokens: None,
        context_window: None,
    }
}

/// The hook `id` fires on turn 1: the round starts inside the turn; returns after its report.
fn round_in_turn(g: &mut SessionGate, id: &str, results: Vec<CheckFinished>, rules: RoundRules) -> Vec<Step> {
    let (call, steps) = g.turn_ending(TurnId(1), id.into(), true);
    assert_eq!(call.map(|c| c.0), Some(format!("check:1:{}", g.task.as_ref().unwrap().round)));
    assert_eq!(names(&steps), ["taskCompleted", "START_ROUND"]);
    let run = g.runs;
    g.on_msg(GateMsg::RoundDone { run, results, rules, reviews: Vec::new() })
}

#[test]
fn automatic_feedback_answers_the_hook_and_the_task_goes_on_in_the_same_turn() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_in_turn(&mut g, "h1", vec![failed(1, 1)], rules(Feedback::Auto, None));
    assert_eq!(names(&steps), ["END_RECORDING(turn ends: false)", "gateDecided", "BLOCK h1", "userMessage", "feedbackSent"]);
    let Step::Emit(SessionEventKind::UserMessage(message)) = &steps[3] else { unreachable!() };
    assert_eq!((message.turn, message.origin), (TurnId(1), MessageOrigin::Feedback), "marked as feedback, in the same turn");
    // Round 2 passes in the same turn: the hook lets the turn end; the verdict waits for it.
    let steps = round_in_turn(&mut g, "h2", vec![failed(2, 0)], rules(Feedback::Auto, None));
    assert_eq!(names(&steps), ["END_RECORDING(turn ends: false)", "END h2"]);
    let (recording, steps) = g.turn_ended(&ended(1, Some(0.5)), true);
    assert_eq!(recording, TurnRecording::End);
    assert_eq!(names(&steps), ["gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Passed, rounds: 2, .. }))));
}

#[test]
fn proposed_feedback_lets_the_turn_end_and_is_announced_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_in_turn(&mut g, "h1", vec![failed(1, 1)], rules(Feedback::Ask, None));
    assert_eq!(names(&steps), ["END_RECORDING(turn ends: false)", "END h1"]);
    assert_eq!(g.command(GateCommand::SendFeedback { task: TaskId(1), text: None }, true).err(), Some(SessionError::Busy));
    let (_, steps) = g.turn_ended(&ended(1, None), true);
    assert_eq!(names(&steps), ["gateDecided", "feedbackProposed"]);
    // Now the person's Send is a new turn.
    let sent = g.command(GateCommand::SendFeedback { task: TaskId(1), text: None }, false).unwrap();
    assert_eq!(names(&sent), ["FEEDBACK"]);
}

#[test]
fn with_a_budget_the_round_is_judged_once_the_turn_reported_its_cost() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_in_turn(&mut g, "h1", vec![failed(1, 1)], rules(Feedback::Auto, Some(1.0)));
    assert_eq!(names(&steps), ["END_RECORDING(turn ends: false)", "END h1"], "no feedback before the cost is known");
    let (recording, steps) = g.turn_ended(&ended(1, Some(2.5)), true);
    assert_eq!(recording, TurnRecording::End);
    assert_eq!(names(&steps), ["gateDecided", "taskFinished"]);
    assert!(matches!(&steps[0], Step::Emit(SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Exhausted, reason: Some(r), .. })) if r.contains("$2.50")));
}

#[test]
fn stop_during_an_in_turn_round_cancels_it_and_answers_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let (_, _) = g.turn_ending(TurnId(1), "h1".into(), true);
    let Some(Task { phase: Phase::Checking { cancel, .. }, .. }) = &g.task else { panic!("checking") };
    let cancel = cancel.clone();
    let steps = g.stop(TaskOutcome::Stopped, true);
    assert_eq!(names(&steps), ["END_RECORDING(turn ends: false)", "taskFinished", "END h1"]);
    assert!(cancel.is_cancelled(), "the checks are cancelled");
    // The interrupted turn's end finds no task.
    let (recording, steps) = g.turn_ended(&TurnEnded { stop_reason: StopReason::Cancelled, ..ended(1, None) }, true);
    assert_eq!((recording, steps.len()), (TurnRecording::End, 0));
}

#[test]
fn a_round_the_agent_stopped_waiting_for_sends_its_feedback_as_a_new_turn() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    g.turn_ending(TurnId(1), "h1".into(), true);
    // Claude's hook timed out: the turn ended while the round still runs.
    let (recording, steps) = g.turn_ended(&ended(1, None), true);
    assert_eq!((recording, steps.len()), (TurnRecording::KeepOpen, 0));
    let run = g.runs;
    let steps = g.on_msg(GateMsg::RoundDone { run, results: vec![failed(1, 1)], rules: rules(Feedback::Auto, None), reviews: Vec::new() });
    assert_eq!(names(&steps), ["END_RECORDING(turn ends: true)", "gateDecided", "FEEDBACK"]);
}

#[test]
fn a_hook_without_a_configuration_or_a_task_is_answered_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = SessionGate::new(SessionId("s".into()), dir.path().to_path_buf(), Some(dir.path().join("data")), GateOptions::default(), AgentKind::Claude);
    let (call, steps) = g.turn_ending(TurnId(1), "h0".into(), true);
    assert_eq!((call, names(&steps)), (None, vec!["END h0".to_owned()]), "no task");
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let (call, steps) = g.turn_ending(TurnId(1), "h1".into(), true);
    assert_eq!((call, names(&steps)), (None, vec!["END h1".to_owned()]), "no checks file");
    let (_, steps) = g.turn_ended(&ended(1, None), true);
    assert_eq!(names(&steps), ["taskCompleted", "gateDecided", "taskFinished"], "then the turn's end passes the task as before");
}
