//! The check runner's results (warden-gate's types) as the session stream's core types.

use warden_core::session::{CheckFinished, CheckOutcome, Finding, FindingSeverity, TaskId, TestCounts};
use warden_gate::parse::{self, Severity};
use warden_gate::run::{CheckResult, CheckStatus};

/// A parser's finding as the stream carries it.
pub fn finding(f: &parse::Finding) -> Finding {
    Finding {
        severity: match f.severity {
            Severity::Error => FindingSeverity::Error,
            Severity::Warning => FindingSeverity::Warning,
        },
        title: f.title.clone(),
        body: f.body.clone(),
        file: f.file.clone(),
        line: f.line,
    }
}

/// How a check ended, as the stream carries it.
pub fn outcome(status: &CheckStatus) -> CheckOutcome {
    match status {
        CheckStatus::Passed => CheckOutcome::Passed,
        CheckStatus::Failed => CheckOutcome::Failed,
        CheckStatus::Error { reason, detail } => CheckOutcome::Error { reason: format!("{reason}: {detail}") },
        CheckStatus::Skipped { reason } => CheckOutcome::Skipped { reason: reason.clone() },
    }
}

/// A finished check of `task`'s `round`; `why` says why it ran.
pub fn check_finished(task: TaskId, round: u32, result: &CheckResult, why: Vec<String>) -> CheckFinished {
    CheckFinished {
        task,
        round,
        check: result.id.clone(),
        gate: result.gate,
        outcome: outcome(&result.status),
        exit_code: result.exit_code,
        duration_ms: u64::try_from(result.duration.as_millis()).unwrap_or(u64::MAX),
        counts: result.counts.map(|c| TestCounts { passed: c.passed, failed: c.failed, ignored: c.ignored }),
        findings: result.findings.iter().map(finding).collect(),
        log_path: result.log.as_ref().map(|p| p.display().to_string()),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use warden_gate::run::ErrorReason;

    #[test]
    fn an_error_keeps_its_reason_and_a_finding_its_location() {
        let result = CheckResult {
            id: "tests".into(),
            gate: true,
            status: CheckStatus::Error { reason: ErrorReason::NotFound, detail: "no such program".into() },
            exit_code: None,
            duration: Duration::from_millis(12),
            findings: vec![parse::Finding { title: "t".into(), file: Some("a.rs".into()), line: Some(3), body: "b".into(), severity: Severity::Error }],
            counts: None,
            log: None,
        };
        let done = check_finished(TaskId(1), 2, &result, vec![]);
        assert_eq!(done.outcome, CheckOutcome::Error { reason: "not found: no such program".into() });
        assert_eq!((done.findings[0].file.as_deref(), done.findings[0].line, done.duration_ms), (Some("a.rs"), Some(3), 12));
    }
}
