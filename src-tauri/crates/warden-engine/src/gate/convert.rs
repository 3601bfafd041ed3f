//! The check runner's results (warden-gate's types) as the session stream's core types, and
//! the agent's tool calls as the `when.*` filters read them.

use serde_json::Value;
use warden_core::session::{CheckFinished, CheckOutcome, Finding, FindingSeverity, TaskId, TestCounts, ToolCallUpdate, ToolInput, ToolKind};
use warden_gate::filters;
use warden_gate::parse::{self, Severity};
use warden_gate::run::{CheckResult, CheckStatus};

/// A tool call as the filters see it: its kind (`execute`, `edit`, …) and, for a shell
/// command, its command line. The exit code is set once the call ends ([`tool_exit_code`]).
pub fn tool_call(kind: ToolKind, input: &ToolInput) -> filters::ToolCall {
    filters::ToolCall { kind: Some(tool_kind(kind).to_owned()), command: shell_command(input), exit_code: None }
}

/// The kind's name as the configuration writes it in `when.tool_kind`.
pub fn tool_kind(kind: ToolKind) -> &'static str {
    match kind {
        ToolKind::Read => "read",
        ToolKind::Edit => "edit",
        ToolKind::Delete => "delete",
        ToolKind::Move => "move",
        ToolKind::Search => "search",
        ToolKind::Execute => "execute",
        ToolKind::Think => "think",
        ToolKind::Fetch => "fetch",
        ToolKind::Other => "other",
    }
}

/// The command line of a shell call.
pub fn shell_command(input: &ToolInput) -> Option<String> {
    match input {
        ToolInput::Shell { command, .. } => Some(command.clone()),
        _ => None,
    }
}

/// The exit code an ended command reported: Codex's `exitCode` in its raw output, an ACP
/// terminal's `exitStatus.exitCode`, or Claude's "Exit code N" at the start of a failed
/// command's text. `None` when it says none.
pub fn tool_exit_code(update: &ToolCallUpdate) -> Option<i64> {
    let output = update.output.as_ref()?;
    let raw = output.raw_output.as_ref();
    let reported = [raw.and_then(|r| r.get("exitCode")), raw.and_then(|r| r.get("exit_code")), raw.and_then(|r| r.pointer("/exitStatus/exitCode"))];
    if let Some(code) = reported.into_iter().flatten().find_map(Value::as_i64) {
        return Some(code);
    }
    let text = output.text.trim_start();
    let text = text.strip_prefix("Error: ").unwrap_or(text);
    let digits: String = text.strip_prefix("Exit code ")?.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
    digits.parse().ok()
}

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
        side: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use warden_gate::run::ErrorReason;

    #[test]
    fn an_ended_commands_exit_code_is_read_from_each_agents_shape() {
        use warden_core::session::{ToolCallId, ToolOutput};
        let ended = |text: &str, raw: Option<Value>| ToolCallUpdate {
            id: ToolCallId("t".into()),
            output: Some(ToolOutput::new(text.into(), raw)),
            ..Default::default()
        };
        assert_eq!(tool_exit_code(&ended("made\n", Some(serde_json::json!({"exitCode": 2, "status": "failed"})))), Some(2));
        assert_eq!(tool_exit_code(&ended("", Some(serde_json::json!({"exitStatus": {"exitCode": 0}})))), Some(0));
        assert_eq!(tool_exit_code(&ended("Exit code 101\nerror: test failed", None)), Some(101));
        assert_eq!(tool_exit_code(&ended("Error: Exit code 1", None)), Some(1));
        assert_eq!(tool_exit_code(&ended("all good", Some(serde_json::json!({"stdout": "x"})))), None);
        assert_eq!(tool_exit_code(&ToolCallUpdate::default()), None);
        let shell = ToolInput::Shell { command: "npm test".into(), cwd: None, description: None, timeout_ms: None };
        let call = tool_call(ToolKind::Execute, &shell);
        assert_eq!((call.kind.as_deref(), call.command.as_deref()), (Some("execute"), Some("npm test")));
    }

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
