//! Tests of the run-progress reducer shared by `warden run` and `warden run --remote`.

use super::*;

fn turn_ended(stop_reason: StopReason, cost_usd: Option<f64>) -> SessionEventKind {
    SessionEventKind::TurnEnded(TurnEnded {
        turn: TurnId(1),
        stop_reason,
        error: None,
        duration_ms: 10,
        usage: Usage::default(),
        cost_usd,
        session_cost_usd: cost_usd.unwrap_or(0.0),
        context_tokens: None,
        context_window: None,
    })
}

fn task_finished(outcome: TaskOutcome, rounds: u32) -> SessionEventKind {
    SessionEventKind::TaskFinished(TaskFinished { task: TaskId(1), outcome, rounds })
}

fn gate(verdict: GateVerdict, next: GateNext, reason: Option<&str>) -> SessionEventKind {
    SessionEventKind::GateDecided(GateDecided { task: TaskId(1), round: 1, verdict, next, reason: reason.map(str::to_owned) })
}

#[test]
fn a_turn_that_ends_by_itself_goes_on_to_the_gate_and_its_cost_adds_up() {
    let mut progress = RunProgress::default();
    assert_eq!(progress.on(&turn_ended(StopReason::EndTurn, Some(0.25))), None);
    assert_eq!(progress.on(&turn_ended(StopReason::EndTurn, None)), None);
    assert_eq!(progress.on(&turn_ended(StopReason::EndTurn, Some(0.5))), None);
    assert_eq!(progress.cost_usd(), Some(0.75));
    assert_eq!(progress.on(&task_finished(TaskOutcome::Passed, 2)), Some(End::Passed));
    assert_eq!(progress.verdict(End::Passed, "session s"), (OK, None));
}

#[test]
fn a_turn_that_did_not_finish_its_work_ends_the_run_as_failed_with_its_cost() {
    let mut progress = RunProgress::default();
    let end = progress.on(&turn_ended(StopReason::MaxTokens, Some(0.125))).expect("ends the run");
    assert_eq!(end, End::Failed("the model hit its output limit".into()));
    let (code, line) = progress.verdict(end, "session s");
    assert_eq!(code, TURN_FAILED);
    assert_eq!(line.as_deref(), Some("the model hit its output limit; the task cost $0.1250 (session s)"));
}

#[test]
fn without_a_reported_cost_the_line_names_none() {
    let mut progress = RunProgress::default();
    assert_eq!(progress.cost_usd(), None);
    let end = progress.on(&turn_ended(StopReason::Cancelled, None)).expect("ends the run");
    assert_eq!(progress.verdict(end, "session s on host").1.as_deref(), Some("the turn was interrupted (session s on host)"));
}

#[test]
fn only_a_gate_waiting_for_the_person_ends_the_run() {
    let mut progress = RunProgress::default();
    assert_eq!(progress.on(&gate(GateVerdict::Passed, GateNext::TaskFinishes, None)), None);
    assert_eq!(progress.on(&gate(GateVerdict::Blocked, GateNext::FeedbackSent, Some("tests"))), None);
    assert_eq!(progress.on(&gate(GateVerdict::Blocked, GateNext::FeedbackProposed, None)), None);
    let end = progress.on(&gate(GateVerdict::Blocked, GateNext::WaitsForPerson, Some("a check could not run"))).expect("ends the run");
    assert_eq!(end, End::GateNotPassed("the checks did not pass (a check could not run)".into()));
    assert_eq!(progress.verdict(end, "session s").0, GATE_NOT_PASSED);
}

#[test]
fn questions_and_proposals_are_left_to_the_caller() {
    let mut progress = RunProgress::default();
    let proposed = SessionEventKind::FeedbackProposed(FeedbackProposed { task: TaskId(1), round: 1, text: "fix it".into(), findings: Vec::new() });
    assert_eq!(progress.on(&proposed), None);
    let dismissed = SessionEventKind::FeedbackDismissed(FeedbackDismissed { task: TaskId(1), round: 1 });
    assert_eq!(progress.on(&dismissed), Some(End::GateNotPassed("the checks did not pass; their feedback was dismissed".into())));
}

#[test]
fn every_task_outcome_and_agent_exit_has_its_end() {
    let mut progress = RunProgress::default();
    let cases = [
        (TaskOutcome::Exhausted, End::GateNotPassed("the checks still failed after 3 round(s)".into())),
        (TaskOutcome::AcceptedWithFindings, End::GateNotPassed("the work was accepted with failing checks".into())),
        (TaskOutcome::Stopped, End::Failed("the task was stopped".into())),
        (TaskOutcome::Failed, End::Failed("the task failed".into())),
    ];
    for (outcome, end) in cases {
        assert_eq!(progress.on(&task_finished(outcome, 3)), Some(end), "{outcome:?}");
    }
    let exited = |code, signal| SessionEventKind::AgentExited(AgentExited { code, signal, expected: false, stderr_tail: String::new() });
    assert_eq!(progress.on(&exited(Some(2), None)), Some(End::Failed("the agent exited (status code 2)".into())));
    assert_eq!(progress.on(&exited(None, Some(9))), Some(End::Failed("the agent exited (status signal 9)".into())));
    assert_eq!(progress.on(&exited(None, None)), Some(End::Failed("the agent exited (status unknown)".into())));
}

#[test]
fn an_error_turn_says_the_agents_own_words() {
    let mut progress = RunProgress::default();
    let SessionEventKind::TurnEnded(mut ended) = turn_ended(StopReason::Error, None) else { unreachable!() };
    assert_eq!(progress.on(&SessionEventKind::TurnEnded(ended.clone())), Some(End::Failed("the turn failed".into())));
    ended.error = Some("rate limited".into());
    assert_eq!(progress.on(&SessionEventKind::TurnEnded(ended)), Some(End::Failed("rate limited".into())));
}
