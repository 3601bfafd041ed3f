//! The gate's verdict with reviews, on its state machine alone: a blocking review is feedback
//! (named for its reviewer, its findings in the composer's list), its findings count for the
//! identical-failure stop, an error is never sent, a review under its `block_on` only reports,
//! and the reviewers' cost counts against the task's budget. (With real reviewers:
//! `tests/engine/gate_reviews.rs`.)

use super::super::*;
use std::collections::HashMap;
use warden_core::review::{ReviewFinding, ReviewResult, ReviewScope, ReviewSeverity, ReviewVerdict, Reviewer};

fn gate() -> SessionGate {
    SessionGate::new(SessionId("s".into()), PathBuf::from("/nowhere"), None, GateOptions::default(), AgentKind::Claude)
}

fn rules(feedback: Feedback, max_rounds: u32, on_infra_error: OnInfraError, budget_usd: Option<f64>) -> RoundRules {
    RoundRules { max_rounds, on_infra_error, feedback: HashMap::from([("r".to_owned(), feedback)]), budget_usd }
}

fn finding(severity: ReviewSeverity, title: &str) -> ReviewFinding {
    ReviewFinding {
        severity,
        title: title.into(),
        body: "Because.".into(),
        file: Some("src/lib.rs".into()),
        line_start: Some(8),
        line_end: Some(9),
        confidence: Some(0.9),
        recommendation: "Return 1.".into(),
        hunk: Some("src/lib.rs#2".into()),
        outside_changes: false,
    }
}

fn review(outcome: ReviewRunOutcome, feedback: Feedback, cost: Option<f64>) -> GateReview {
    GateReview {
        entry: "r".into(),
        label: "reviewer codex".into(),
        block_on: vec![ReviewSeverity::Critical, ReviewSeverity::High],
        feedback,
        finished: ReviewFinished {
            review: "review-1-r".into(),
            scope: ReviewScope::Task { task: TaskId(1) },
            task: Some(TaskId(1)),
            round: Some(1),
            reviewer: Reviewer { agent: AgentKind::Codex, model: None, session_id: None },
            entry: Some("r".into()),
            gate: true,
            outcome,
            duration_ms: 1,
            cost_usd: cost,
        },
        false_positives: Vec::new(),
    }
}

fn completed(findings: Vec<ReviewFinding>) -> ReviewRunOutcome {
    let reviewer = Reviewer { agent: AgentKind::Codex, model: None, session_id: None };
    ReviewRunOutcome::Completed { result: ReviewResult { verdict: ReviewVerdict::NeedsAttention, summary: "s".into(), findings, reviewer } }
}

fn round_done(g: &mut SessionGate, reviews: Vec<GateReview>, rules: RoundRules) -> Vec<Step> {
    g.runs += 1;
    let run = g.runs;
    g.task.as_mut().expect("a task").phase = Phase::Checking { run, cancel: Cancel::new() };
    g.on_msg(GateMsg::RoundDone { run, results: Vec::new(), rules, reviews })
}

fn verdict(steps: &[Step]) -> (GateVerdict, GateNext) {
    steps
        .iter()
        .find_map(|s| match s {
            Step::Emit(SessionEventKind::GateDecided(d)) => Some((d.verdict, d.next)),
            _ => None,
        })
        .expect("a verdict")
}

#[test]
fn a_blocking_review_is_proposed_as_feedback_named_for_its_reviewer() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let found = completed(vec![finding(ReviewSeverity::High, "h() returns 0"), finding(ReviewSeverity::Low, "a nit")]);
    let steps = round_done(&mut g, vec![review(found, Feedback::Ask, None)], rules(Feedback::Ask, 3, OnInfraError::Report, None));
    assert_eq!(verdict(&steps), (GateVerdict::Blocked, GateNext::FeedbackProposed));
    let Some(Step::Emit(SessionEventKind::FeedbackProposed(proposed))) = steps.last() else { panic!("{steps:?}") };
    assert_eq!(proposed.findings.len(), 1, "only the findings at a block_on severity: {:?}", proposed.findings);
    assert_eq!(proposed.findings[0].check, "reviewer codex");
    assert_eq!(proposed.findings[0].finding.title, "[high] h() returns 0");
    assert!(proposed.text.contains("## Review `reviewer codex` needs attention"), "{}", proposed.text);
    assert!(proposed.text.contains("- [high] h() returns 0 (src/lib.rs:8)\n  (lines 8-9) Because.\n  Recommendation: Return 1."), "{}", proposed.text);
    assert!(!proposed.text.contains("a nit"));
}

#[test]
fn a_finding_the_person_marked_as_a_false_positive_neither_blocks_nor_goes_back() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let found = completed(vec![finding(ReviewSeverity::High, "h() returns 0"), finding(ReviewSeverity::Critical, "  Unsafe Unwrap ")]);
    let mut marked = review(found, Feedback::Ask, None);
    marked.false_positives = vec![warden_core::review::finding_key(Some("src/lib.rs"), "unsafe unwrap")];
    let steps = round_done(&mut g, vec![marked.clone()], rules(Feedback::Ask, 3, OnInfraError::Report, None));
    let Some(Step::Emit(SessionEventKind::FeedbackProposed(proposed))) = steps.last() else { panic!("{steps:?}") };
    assert_eq!(proposed.findings.iter().map(|f| f.finding.title.as_str()).collect::<Vec<_>>(), ["[high] h() returns 0"]);
    assert!(!proposed.text.to_lowercase().contains("unsafe unwrap"), "{}", proposed.text);
    // Every blocking finding marked: the review no longer blocks.
    marked.false_positives.push(warden_core::review::finding_key(Some("src/lib.rs"), "h() returns 0"));
    assert!(!marked.blocks());
}

#[test]
fn the_same_review_findings_twice_exhaust_the_task_and_different_ones_go_on_to_the_limit() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let r = rules(Feedback::Auto, 3, OnInfraError::Report, None);
    let steps = round_done(&mut g, vec![review(completed(vec![finding(ReviewSeverity::Critical, "a")]), Feedback::Auto, None)], r.clone());
    assert_eq!(verdict(&steps), (GateVerdict::Blocked, GateNext::FeedbackSent));
    assert!(matches!(steps.last(), Some(Step::Feedback { round: 2, auto: true, .. })));
    g.before_prompt(TurnId(2), MessageOrigin::Feedback);
    let steps = round_done(&mut g, vec![review(completed(vec![finding(ReviewSeverity::Critical, "a")]), Feedback::Auto, None)], r.clone());
    assert_eq!(verdict(&steps), (GateVerdict::Exhausted, GateNext::TaskFinishes));
}

#[test]
fn a_review_error_is_never_sent_and_blocks_only_with_on_infra_error_block() {
    let error = || review(ReviewRunOutcome::Error { reason: "the reviewer did not answer".into() }, Feedback::Auto, None);
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![error()], rules(Feedback::Auto, 3, OnInfraError::Report, None));
    assert_eq!(verdict(&steps), (GateVerdict::Passed, GateNext::TaskFinishes));
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![error()], rules(Feedback::Auto, 3, OnInfraError::Block, None));
    assert_eq!(verdict(&steps), (GateVerdict::Blocked, GateNext::WaitsForPerson));
    assert!(!steps.iter().any(|s| matches!(s, Step::Feedback { .. })), "never sent");
    // Findings under `block_on` only report.
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let steps = round_done(&mut g, vec![review(completed(vec![finding(ReviewSeverity::Medium, "m")]), Feedback::Auto, None)], rules(Feedback::Auto, 3, OnInfraError::Report, None));
    assert_eq!(verdict(&steps), (GateVerdict::Passed, GateNext::TaskFinishes));
}

#[test]
fn the_reviewers_cost_counts_against_the_tasks_budget() {
    let mut g = gate();
    g.before_prompt(TurnId(1), MessageOrigin::Person);
    let found = completed(vec![finding(ReviewSeverity::High, "x")]);
    let steps = round_done(&mut g, vec![review(found, Feedback::Auto, Some(0.75))], rules(Feedback::Auto, 3, OnInfraError::Report, Some(0.5)));
    assert_eq!(verdict(&steps), (GateVerdict::Exhausted, GateNext::TaskFinishes));
    let reason = steps.iter().find_map(|s| match s {
        Step::Emit(SessionEventKind::GateDecided(d)) => d.reason.clone(),
        _ => None,
    });
    assert!(reason.is_some_and(|r| r.contains("$0.75")));
}
