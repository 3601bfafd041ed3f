//! The gate's state machine alone: rounds, the identical-failure stop, the person's decisions,
//! stale rounds. (With real agents and checks: `tests/engine/gate*.rs`.)

use super::*;
use std::collections::HashMap;

fn gate() -> SessionGate {
    SessionGate::new(SessionId("s".into()), PathBuf::from("/nowhere"), None, GateOptions::default(), AgentKind::Claude)
}

fn result(check: &str, outcome: CheckOutcome, exit_code: i32) -> CheckFinished {
    CheckFinished {
        task: TaskId(1),
        round: 1,
        check: check.into(),
        gate: true,
        outcome,
        exit_code: Some(exit_code),
        duration_ms: 1,
        counts: None,
        findings: Vec::new(),
        log_path: None,
        why: Vec::new(),
    }
}

fn rules(feedback: Feedback, max_rounds: u32) -> RoundRules {
    RoundRules { max_rounds, on_infra_error: OnInfraError::Report, feedback: HashMap::from([("c".to_owned(), feedback)]), budget_usd: None }
}

/// Puts the open task into a check round and reports `results` as its end.
fn round_done(gate: &mut SessionGate, results: Vec<CheckFinished>, rules: RoundRules) -> Vec<Step> {
    gate.runs += 1;
    let run = gate.runs;
    gate.task.as_mut().expect("a task").phase = Phase::Checking { run, cancel: Cancel::new() };
    gate.on_msg(GateMsg::RoundDone { run, results, rules })
}

fn events(steps: &[Step]) -> Vec<&'static str> {
    steps
        .iter()
        .map(|s| match s {
            Step::Emit(kind) => kind.type_name(),
            Step::Feedback { .. } => "FEEDBACK",
            Step::EndCheckRecording(_) => "END_RECORDING",
            Step::StartRound(_) => "START_ROUND",
        })
        .collect()
}

fn ended(turn: u32) -> TurnEnded {
    TurnEnded {
        turn: TurnId(turn),
        stop_reason: StopReason::EndTurn,
        error: None,
        duration_ms: 1,
        usage: Usage::default(),
        cost_usd: None,
        session_cost_usd: 0.0,
        context_tokens: None,
        context_window: None,
    }
}

#[test]
fn without_a_configuration_the_task_passes_when_the_turn_ends() {
    let mut g = gate();
    assert_eq!(events(&g.before_prompt(TurnId(1), MessageOrigin::Person)), ["taskStarted"]);
    let (call, steps) = g.turn_ended(&ended(1), true);
    assert!(call.is_none());
    assert_eq!(events(&steps), ["taskCompleted", "gateDecided", "taskFinished"]);
}

#[test]
fn auto_feedback_stops_at_the_round_limit_with_different_failures() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Auto, 2));
    assert_eq!(events(&steps), ["gateDecided", "FEEDBACK"]);
    assert!(matches!(&steps[1], Step::Feedback { round: 2, auto: true, .. }));
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 2)], rules(Feedback::Auto, 2));
    assert_eq!(events(&steps), ["gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Exhausted, rounds: 2, .. }))));
}

#[test]
fn the_same_failures_twice_in_a_row_exhaust_the_task() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Auto, 9));
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Auto, 9));
    assert!(matches!(&steps[0], Step::Emit(SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Exhausted, .. }))));
}

#[test]
fn an_error_is_never_feedback_and_does_not_block_by_default() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Error { reason: "not found".into() }, 127)], rules(Feedback::Auto, 3));
    assert_eq!(events(&steps), ["gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Passed, .. }))));
}

#[test]
fn a_new_prompt_while_feedback_waits_accepts_the_old_task_and_stale_rounds_are_ignored() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Ask, 3));
    assert_eq!(events(&steps), ["gateDecided", "feedbackProposed"]);
    assert_eq!(g.command(GateCommand::Rerun { task: TaskId(1), only_failed: true }, true).err(), Some(SessionError::Busy));
    let steps = g.before_prompt(TurnId(2), MessageOrigin::Person);
    assert!(matches!(&steps[0], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { task: TaskId(1), outcome: TaskOutcome::AcceptedWithFindings, .. }))));
    assert_eq!(events(&steps), ["taskFinished", "taskStarted"]);
    // A report of a round that is no longer current changes nothing.
    let stale = g.on_msg(GateMsg::RoundDone { run: 1, results: Vec::new(), rules: rules(Feedback::Ask, 3) });
    assert!(stale.is_empty());
    assert_eq!(g.command(GateCommand::Accept { task: TaskId(1) }, false).err(), Some(SessionError::UnknownTask(TaskId(1))));
}

#[test]
fn sending_proposed_feedback_counts_a_round_and_dismissing_keeps_the_task_blocked() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], rules(Feedback::Ask, 3));
    let dismissed = g.command(GateCommand::Dismiss { task: TaskId(1) }, false).unwrap();
    assert_eq!(events(&dismissed), ["feedbackDismissed"]);
    assert_eq!(g.command(GateCommand::Dismiss { task: TaskId(1) }, false).err(), Some(SessionError::NoFeedback(TaskId(1))));
    // Still sendable after a dismissal: the failing checks' text is composed again.
    let sent = g.command(GateCommand::SendFeedback { task: TaskId(1), text: None }, false).unwrap();
    assert!(matches!(&sent[0], Step::Feedback { round: 2, auto: false, text, .. } if text.contains("Check `c` failed")));
}

/// A gate whose project has a checks file, so that a turn's end starts a check round (which
/// the test then reports itself with [`round_done`]).
fn configured_gate(dir: &tempfile::TempDir) -> SessionGate {
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join(".warden")).unwrap();
    std::fs::write(project.join(".warden/checks.toml"), "version = 1\n").unwrap();
    SessionGate::new(SessionId("s".into()), project, Some(dir.path().join("data")), GateOptions::default(), AgentKind::Claude)
}

/// Ends `turn` having cost `cost_usd` and checks that a check round starts.
fn end_costing(gate: &mut SessionGate, turn: u32, cost_usd: Option<f64>) {
    let (call, steps) = gate.turn_ended(&TurnEnded { cost_usd, ..ended(turn) }, true);
    assert!(call.is_some());
    assert_eq!(events(&steps), ["taskCompleted", "START_ROUND"]);
}

fn budget(feedback: Feedback, budget_usd: f64) -> RoundRules {
    RoundRules { budget_usd: Some(budget_usd), ..rules(feedback, 9) }
}

fn reason(step: &Step) -> Option<&str> {
    match step {
        Step::Emit(SessionEventKind::GateDecided(d)) => d.reason.as_deref(),
        other => panic!("not a gate decision: {other:?}"),
    }
}

#[test]
fn auto_feedback_stops_once_the_tasks_turns_cost_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    end_costing(&mut g, 1, Some(0.75));
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], budget(Feedback::Auto, 2.0));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "FEEDBACK"], "under the budget");
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    // The person's turn and the feedback turn together: exactly the budget.
    end_costing(&mut g, 2, Some(1.25));
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 2)], budget(Feedback::Auto, 2.0));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "taskFinished"]);
    assert!(matches!(&steps[1], Step::Emit(SessionEventKind::GateDecided(GateDecided { verdict: GateVerdict::Exhausted, .. }))));
    let why = reason(&steps[1]).unwrap_or_default();
    assert!(why.contains("$2.00") && why.contains("budget_usd"), "{why}");
    assert!(matches!(&steps[2], Step::Emit(SessionEventKind::TaskFinished(TaskFinished { outcome: TaskOutcome::Exhausted, rounds: 2, .. }))));
}

#[test]
fn an_unknown_cost_never_stops_feedback_and_ask_only_mentions_the_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut g = configured_gate(&dir);
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    end_costing(&mut g, 1, None);
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 1)], budget(Feedback::Auto, 0.01));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "FEEDBACK"], "an agent that reports no cost");
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    end_costing(&mut g, 2, Some(3.0));
    let steps = round_done(&mut g, vec![result("c", CheckOutcome::Failed, 2)], budget(Feedback::Ask, 1.0));
    assert_eq!(events(&steps), ["END_RECORDING", "gateDecided", "feedbackProposed"], "the person decides");
    assert!(reason(&steps[1]).is_some_and(|r| r.contains("$3.00") && r.contains("$1.00")), "{:?}", reason(&steps[1]));
}
