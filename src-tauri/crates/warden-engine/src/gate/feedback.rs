//! The feedback message: what the agent reads when the gate blocked, composed from the failing
//! checks' findings and the blocking reviews' findings; and the signature of a round's
//! failures, which stops automatic feedback when a round fails exactly like the one before.
//!
//! A review's finding travels as a [`CheckFinding`] named for its reviewer (`reviewer codex`),
//! its title led by its severity (`[high] …`) and its place the first line it names, so the
//! composer lists it as "reviewer codex [high] title (file:line)" and can leave it out of the
//! message like a check's; its section reads "## Review `reviewer codex` needs attention".

use super::reviews::GateReview;
use warden_core::review::{ReviewFinding, ReviewSeverity};
use warden_core::session::{CheckFinding, CheckFinished, CheckOutcome, Finding, FindingSeverity, TestCounts};

/// How much of a check's log the message quotes when its parser found nothing to name.
const LOG_TAIL: usize = 2000;
/// How much of one finding's explanation the message quotes.
const BODY_LIMIT: usize = 1200;

/// The checks of a round that failed and gate: what feedback is about.
pub fn failing(results: &[CheckFinished]) -> Vec<&CheckFinished> {
    results.iter().filter(|r| r.gate && r.outcome == CheckOutcome::Failed).collect()
}

/// The reviews of a round that block the gate with findings.
pub(crate) fn blocking(reviews: &[GateReview]) -> Vec<&GateReview> {
    reviews.iter().filter(|r| r.blocks()).collect()
}

/// A reviewer's finding as the feedback carries it.
fn review_finding(f: &ReviewFinding) -> Finding {
    let severity = if f.severity <= ReviewSeverity::High { FindingSeverity::Error } else { FindingSeverity::Warning };
    let mut body = f.body.trim().to_owned();
    if let (Some(start), Some(end)) = (f.line_start, f.line_end) {
        if end > start {
            body = format!("(lines {start}-{end}) {body}");
        }
    }
    let recommendation = f.recommendation.trim();
    if !recommendation.is_empty() {
        body = format!("{body}\nRecommendation: {recommendation}");
    }
    Finding { severity, title: format!("[{}] {}", f.severity.as_str(), f.title), body: body.trim().to_owned(), file: f.file.clone(), line: f.line_start }
}

/// Every finding of the failing checks, tagged with its check, then the blocking findings of
/// the blocking reviews, tagged with their reviewer.
pub(crate) fn findings(failing: &[&CheckFinished], reviews: &[&GateReview]) -> Vec<CheckFinding> {
    let checks = failing.iter().flat_map(|r| r.findings.iter().map(|f| CheckFinding { check: r.check.clone(), finding: f.clone() }));
    let reviewed = reviews.iter().flat_map(|r| r.blocking().into_iter().map(|f| CheckFinding { check: r.label.clone(), finding: review_finding(f) }));
    checks.chain(reviewed).collect()
}

/// The message for the agent: one short section per failing check, with its counts and every
/// finding with its location (a check whose parser found nothing quotes the end of its log),
/// then one per blocking review with its blocking findings.
pub(crate) fn compose(failing: &[&CheckFinished], reviews: &[&GateReview]) -> String {
    let mut text = String::from(if reviews.is_empty() {
        "Warden ran the project's checks after your turn and they did not pass. Fix what they report, then end your turn; the checks run again.\n"
    } else if failing.is_empty() {
        "Warden had your changes reviewed after your turn and the review found problems. Fix what it reports, then end your turn; the review runs again.\n"
    } else {
        "Warden ran the project's checks and had your changes reviewed after your turn, and they did not pass. Fix what they report, then end your turn; they run again.\n"
    });
    for check in failing {
        text.push_str(&format!("\n## Check `{}` failed{}\n", check.check, summary(check.exit_code, check.counts)));
        if check.findings.is_empty() {
            match check.log_path.as_deref().and_then(log_tail) {
                Some(tail) => text.push_str(&format!("Its output ended with:\n```\n{tail}\n```\n")),
                None => text.push_str("It reported no details.\n"),
            }
        }
        for f in &check.findings {
            push_finding(&mut text, f);
        }
    }
    for review in reviews {
        let blocking = review.blocking();
        text.push_str(&format!("\n## Review `{}` needs attention ({} finding(s) that block)\n", review.label, blocking.len()));
        for f in blocking {
            push_finding(&mut text, &review_finding(f));
        }
    }
    text
}

/// One finding's line, "- title (file:line)", with its explanation indented under it.
fn push_finding(text: &mut String, f: &Finding) {
    let location = match (&f.file, f.line) {
        (Some(file), Some(line)) => format!(" ({file}:{line})"),
        (Some(file), None) => format!(" ({file})"),
        _ => String::new(),
    };
    text.push_str(&format!("- {}{location}\n", f.title));
    let body = f.body.trim();
    if !body.is_empty() {
        for line in cut(body, BODY_LIMIT).lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
}

fn summary(exit_code: Option<i32>, counts: Option<TestCounts>) -> String {
    let mut parts = Vec::new();
    if let Some(c) = counts {
        parts.push(format!("{} failed, {} passed", c.failed, c.passed));
    }
    if let Some(code) = exit_code {
        parts.push(format!("exit code {code}"));
    }
    if parts.is_empty() { String::new() } else { format!(" ({})", parts.join(", ")) }
}

/// The last `LOG_TAIL` bytes of a log, at a character boundary.
fn log_tail(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim_end();
    if text.is_empty() {
        return None;
    }
    let mut start = text.len().saturating_sub(LOG_TAIL);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    Some(text[start..].to_owned())
}

fn cut(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// What identifies a round's failures: each failing check with its findings (title and
/// location), or its exit code when it has none, and each blocking review's blocking findings.
/// Two rounds with the same signature failed the same way.
pub(crate) fn signature(failing: &[&CheckFinished], reviews: &[&GateReview]) -> Vec<String> {
    let mut sig: Vec<String> = failing
        .iter()
        .flat_map(|r| {
            if r.findings.is_empty() {
                vec![format!("{}|exit {:?}", r.check, r.exit_code)]
            } else {
                r.findings.iter().map(|f| format!("{}|{}|{:?}|{:?}", r.check, f.title, f.file, f.line)).collect()
            }
        })
        .chain(reviews.iter().flat_map(|r| {
            r.blocking().into_iter().map(|f| format!("{}|{}|{}|{:?}|{:?}", r.label, f.severity.as_str(), f.title, f.file, f.line_start)).collect::<Vec<_>>()
        }))
        .collect();
    sig.sort();
    sig
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{Finding, FindingSeverity, TaskId};

    fn failed(check: &str, findings: Vec<Finding>) -> CheckFinished {
        CheckFinished {
            task: TaskId(1),
            round: 1,
            check: check.into(),
            gate: true,
            outcome: CheckOutcome::Failed,
            exit_code: Some(1),
            duration_ms: 5,
            counts: Some(TestCounts { passed: 3, failed: 1, ignored: 0 }),
            findings,
            log_path: None,
            why: vec![],
            side: false,
        }
    }

    #[test]
    fn the_message_names_the_check_its_counts_and_each_finding_with_its_location() {
        let f = Finding { severity: FindingSeverity::Error, title: "tests::adds".into(), body: "assertion failed".into(), file: Some("src/lib.rs".into()), line: Some(7) };
        let r = failed("unit", vec![f]);
        let text = compose(&[&r], &[]);
        assert!(text.contains("## Check `unit` failed (1 failed, 3 passed, exit code 1)"), "{text}");
        assert!(text.contains("- tests::adds (src/lib.rs:7)\n  assertion failed"), "{text}");
    }

    #[test]
    fn signatures_ignore_order_and_tell_different_failures_apart() {
        let a = failed("a", vec![]);
        let b = failed("b", vec![]);
        assert_eq!(signature(&[&a, &b], &[]), signature(&[&b, &a], &[]));
        assert_ne!(signature(&[&a], &[]), signature(&[&a, &b], &[]));
    }
}
