//! What a pipeline tells its agents: the planner's prompt, the implementer's prompt with the
//! approved plan, the review findings sent back as feedback, and the planner's "stop" answer.

use warden_core::review::{ReviewFinding, ReviewResult, ReviewSeverity};

/// What the planner is told when its plan-approval question is answered: the plan goes to the
/// person and another agent, so it must not carry it out itself.
pub const PLANNER_STOP: &str = "Thank you: Warden hands this plan to the person for approval and to another agent to implement. \
                                Do not implement it; stop here.";

/// The planner's prompt.
pub fn plan_prompt(task: &str, instructions: Option<&str>) -> String {
    // The first line names the step and the task: it is what the session list shows as title.
    let mut text = format!("Plan: {}\n\n", first_line(task));
    text.push_str(
        "You are the planner of a pipeline: read the project and write a step-by-step plan for the task below. \
         Change nothing: another agent implements the plan once the person approves it. \
         When the plan is ready, present it (ask to exit plan mode, if you can).\n\n## Task\n\n",
    );
    text.push_str(task.trim());
    push_instructions(&mut text, instructions);
    text
}

/// The implementer's prompt: the task and, when there was a plan step, the approved plan.
pub fn implement_prompt(task: &str, plan: Option<&str>, instructions: Option<&str>) -> String {
    let Some(plan) = plan else {
        let mut text = task.trim().to_owned();
        push_instructions(&mut text, instructions);
        return text;
    };
    let mut text = format!("Implement: {}\n\nCarry out this plan, which the person approved.\n\n## Task\n\n", first_line(task));
    text.push_str(task.trim());
    text.push_str("\n\n## Plan\n\n");
    text.push_str(plan.trim());
    push_instructions(&mut text, instructions);
    text
}

/// The task's first non-empty line, shortened: a session's title.
fn first_line(task: &str) -> String {
    let line = task.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    match line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

fn push_instructions(text: &mut String, instructions: Option<&str>) {
    if let Some(instructions) = instructions.map(str::trim).filter(|i| !i.is_empty()) {
        text.push_str("\n\n## Instructions\n\n");
        text.push_str(instructions);
    }
}

/// The findings of `result` that block: of a severity in `block_on`, and on the task's own
/// changes (a finding outside them is about code the implementer did not touch).
pub fn blocking<'a>(result: &'a ReviewResult, block_on: &[ReviewSeverity]) -> Vec<&'a ReviewFinding> {
    result.findings.iter().filter(|f| block_on.contains(&f.severity) && !f.outside_changes).collect()
}

/// The feedback sent to the implementer for blocking findings, one reviewer's at a time.
pub fn review_feedback(reviewer: &str, findings: &[&ReviewFinding]) -> String {
    let mut text = format!("A reviewer ({reviewer}) found problems in your changes. Fix them, then end your turn.\n");
    for f in findings {
        text.push_str(&format!("\n- [{}] {}", f.severity.as_str(), f.title.trim()));
        match (&f.file, f.line_start, f.line_end) {
            (Some(file), Some(a), Some(b)) if b > a => text.push_str(&format!(" ({file}:{a}-{b})")),
            (Some(file), Some(a), _) => text.push_str(&format!(" ({file}:{a})")),
            (Some(file), None, _) => text.push_str(&format!(" ({file})")),
            (None, _, _) => {}
        }
        if !f.body.trim().is_empty() {
            text.push_str(&format!("\n  {}", f.body.trim()));
        }
        if !f.recommendation.trim().is_empty() {
            text.push_str(&format!("\n  Recommendation: {}", f.recommendation.trim()));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::review::{ReviewVerdict, Reviewer};
    use warden_core::session::AgentKind;

    fn finding(severity: ReviewSeverity, outside: bool) -> ReviewFinding {
        ReviewFinding {
            severity,
            title: "h() returns 0".into(),
            body: "1 - 1 is 0.".into(),
            file: Some("src/lib.rs".into()),
            line_start: Some(8),
            line_end: Some(9),
            confidence: Some(0.9),
            recommendation: "Return 1.".into(),
            hunk: None,
            outside_changes: outside,
        }
    }

    #[test]
    fn only_blocking_severities_on_the_tasks_changes_block() {
        let result = ReviewResult {
            verdict: ReviewVerdict::NeedsAttention,
            summary: String::new(),
            findings: vec![finding(ReviewSeverity::High, false), finding(ReviewSeverity::Low, false), finding(ReviewSeverity::Critical, true)],
            reviewer: Reviewer { agent: AgentKind::Codex, model: None, session_id: None },
        };
        let found = blocking(&result, &[ReviewSeverity::Critical, ReviewSeverity::High]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, ReviewSeverity::High);
        let text = review_feedback("codex", &found);
        assert!(text.contains("- [high] h() returns 0 (src/lib.rs:8-9)") && text.contains("Recommendation: Return 1."), "{text}");
    }

    #[test]
    fn the_implementer_gets_the_task_and_the_approved_plan() {
        let text = implement_prompt("Add f", Some("1. Write f"), Some("Keep it short"));
        assert!(text.contains("## Task\n\nAdd f") && text.contains("## Plan\n\n1. Write f") && text.ends_with("Keep it short"), "{text}");
        assert_eq!(implement_prompt("Add f", None, None), "Add f");
        assert!(text.starts_with("Implement: Add f\n"), "{text}");
        let plan = plan_prompt("\n  Add f\nwith care", None);
        assert!(plan.starts_with("Plan: Add f\n") && plan.contains("Change nothing"), "{plan}");
    }
}
