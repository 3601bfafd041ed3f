//! `warden checks run --project DIR [--check ID]… [--json]`: the project's checks without an
//! agent, so CI and a pre-commit hook use the same definition of "done" as the gate.
//!
//! There is no task here: `on` (the trigger) and the `when.*` filters are not applied; every
//! enabled check runs (or the ones named with `--check`), in parallel unless `after` orders
//! them. Project entries run only when the person trusted the project file as it is.
//!
//! Exit codes: 0 every gate check passed (or there is none); 3 a gate check failed; 4 no gate
//! check failed but one could not give a verdict (not found, timed out, cancelled, its parser
//! failed, it could not start, or it was skipped because a check it comes after could not
//! run); 2 nothing ran (a configuration error, an unknown `--check`, an untrusted project file).

use clap::Args;
use serde::Serialize;
use std::path::Path;
use warden_gate::config::{self, Check, Entry, Mode};
use warden_gate::run::{self, Cancel, CheckResult, CheckStatus, CheckToRun, RunOptions};
use warden_gate::trust::{EntryTrust, FileTrust, TrustStore};

/// Every gate check passed, or there is none.
pub const PASSED: u8 = 0;
/// Nothing ran: the configuration, the arguments or the trust stopped it.
pub const NOTHING_RAN: u8 = 2;
/// A gate check failed.
pub const GATE_FAILED: u8 = 3;
/// No gate check failed, but at least one could not give a verdict.
pub const INFRA_ERROR: u8 = 4;

/// Arguments of `warden checks run`.
#[derive(Debug, Args)]
pub struct ChecksRunArgs {
    /// The project folder.
    #[arg(long, value_name = "DIR")]
    pub project: String,
    /// Run only this check (repeatable); by default every enabled check runs. `on` and
    /// `when.*` are not applied: there is no agent task to match.
    #[arg(long = "check", value_name = "ID")]
    pub checks: Vec<String>,
    /// One JSON object per finished check and line, then a summary line.
    #[arg(long)]
    pub json: bool,
}

/// One line of `--json`.
#[derive(Serialize)]
#[serde(tag = "type")]
enum JsonLine<'a> {
    /// A check ended (or was skipped).
    #[serde(rename = "check.completed")]
    Check {
        #[serde(flatten)]
        result: &'a CheckResult,
    },
    /// The run's verdict.
    #[serde(rename = "summary", rename_all = "camelCase")]
    Summary { verdict: &'static str, exit_code: u8, passed: usize, failed: usize, errors: usize, skipped: usize },
}

/// Runs the checks and prints their results; returns the exit code.
pub async fn run(args: ChecksRunArgs, data_dir: &Path) -> u8 {
    let project = match warden_engine::resolve_project_dir(&args.project) {
        Ok(p) => p,
        Err(e) => return nothing_ran(e.to_string()),
    };
    let gate_config = match config::load(&project, data_dir) {
        Ok(c) => c,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            return nothing_ran(format!("the checks configuration has {} error(s); nothing ran", errors.len()));
        }
    };
    let selected = match select(&gate_config.checks, &args.checks) {
        Ok(s) => s,
        Err(message) => return nothing_ran(message),
    };
    if selected.is_empty() {
        if !args.json {
            println!("No checks to run in {} (see {}).", project.display(), config::PROJECT_FILE);
        }
        return PASSED;
    }

    let hash = gate_config.project_file.as_ref().map(|f| f.sha256.clone());
    let store = TrustStore::new(data_dir, &project);
    let file_trust = match store.file_trust(hash.as_deref()) {
        Ok(t) => t,
        Err(e) => return nothing_ran(e.to_string()),
    };
    let untrusted: Vec<(&Entry<Check>, String)> = selected
        .iter()
        .filter_map(|entry| match EntryTrust::of(entry.source, &file_trust) {
            EntryTrust::NotTrusted(reason) => Some((*entry, reason)),
            _ => None,
        })
        .collect();
    if !untrusted.is_empty() {
        for (entry, reason) in &untrusted {
            println!("{}  not trusted  {}  ({reason})", entry.id, entry.spec.command);
        }
        return nothing_ran(format!(
            "{} check(s) come from {} and it is not trusted as it is, so nothing ran: review its commands and approve it with `warden checks trust --project {}`",
            untrusted.len(),
            config::PROJECT_FILE,
            project.display()
        ));
    }
    if let (FileTrust::RunOnce, Some(hash)) = (&file_trust, hash.as_deref()) {
        // "Run once" is spent by this run.
        if let Err(e) = store.take_run_once(hash) {
            return nothing_ran(e.to_string());
        }
    }

    let checks: Vec<CheckToRun> = selected.iter().map(|e| CheckToRun::from_check(&e.spec)).collect();
    let gates: Vec<bool> = selected.iter().map(|e| gates(&e.spec)).collect();
    let options = RunOptions {
        project: project.clone(),
        log_dir: config::project_logs(data_dir, &project),
        log_cap: run::DEFAULT_LOG_CAP,
        log_stamp: None,
    };
    let cancel = Cancel::new();
    let on_interrupt = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        })
    };
    let json = args.json;
    let results = run::run_checks(checks, &options, &cancel, |result| print_result(result, json)).await;
    on_interrupt.abort();

    let code = exit_code(&results, &gates);
    let count = |f: fn(&CheckStatus) -> bool| results.iter().filter(|r| f(&r.status)).count();
    let passed = count(|s| matches!(s, CheckStatus::Passed));
    let failed = count(|s| matches!(s, CheckStatus::Failed));
    let errors = count(|s| matches!(s, CheckStatus::Error { .. }));
    let skipped = count(|s| matches!(s, CheckStatus::Skipped { .. }));
    let verdict = match code {
        PASSED => "passed",
        GATE_FAILED => "failed",
        _ => "error",
    };
    if json {
        let line = JsonLine::Summary { verdict, exit_code: code, passed, failed, errors, skipped };
        println!("{}", serde_json::to_string(&line).unwrap_or_default());
    } else {
        println!("\n{verdict}: {passed} passed, {failed} failed, {errors} could not run, {skipped} skipped");
    }
    code
}

fn nothing_ran(message: String) -> u8 {
    eprintln!("warden checks run: {message}");
    NOTHING_RAN
}

/// The enabled checks, or the ones asked for (an unknown or disabled id is an error: asking
/// for a check that cannot run must not look like a pass).
fn select<'a>(checks: &'a [Entry<Check>], wanted: &[String]) -> Result<Vec<&'a Entry<Check>>, String> {
    if wanted.is_empty() {
        return Ok(checks.iter().filter(|e| e.disabled.is_none()).collect());
    }
    let mut out = Vec::new();
    for id in wanted {
        match checks.iter().find(|e| &e.id == id) {
            None => {
                let known: Vec<&str> = checks.iter().map(|e| e.id.as_str()).collect();
                return Err(format!("no check `{id}` (known: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") }));
            }
            Some(e) if e.disabled.is_some() => {
                return Err(format!("check `{id}` is {}", e.disabled.as_ref().map(ToString::to_string).unwrap_or_default()));
            }
            Some(e) if !out.iter().any(|o: &&Entry<Check>| o.id == e.id) => out.push(e),
            Some(_) => {}
        }
    }
    Ok(out)
}

/// Whether a check's result decides the verdict: `gate = true` and not `mode = "async"`
/// (async checks are reported, never blocking).
fn gates(check: &Check) -> bool {
    check.gate && check.mode != Mode::Async
}

/// 3 when a gate check failed; else 4 when one could not give a verdict; else 0.
fn exit_code(results: &[CheckResult], gates: &[bool]) -> u8 {
    let gate_results = results.iter().zip(gates).filter(|(_, g)| **g).map(|(r, _)| r);
    let mut code = PASSED;
    for result in gate_results {
        match &result.status {
            CheckStatus::Failed => return GATE_FAILED,
            CheckStatus::Skipped { .. } | CheckStatus::Error { .. } => code = INFRA_ERROR,
            CheckStatus::Passed => {}
        }
    }
    // A gate check skipped after a failed one: the failure decided it (returned above only if
    // that check gates too; an advisory failure leaves the skip an infrastructure matter).
    if code == INFRA_ERROR && skipped_after_failure(results, gates) {
        return GATE_FAILED;
    }
    code
}

fn skipped_after_failure(results: &[CheckResult], gates: &[bool]) -> bool {
    results.iter().zip(gates).any(|(r, g)| *g && matches!(&r.status, CheckStatus::Skipped { reason } if reason.ends_with("` failed")))
}

fn print_result(result: &CheckResult, json: bool) {
    if json {
        println!("{}", serde_json::to_string(&JsonLine::Check { result }).unwrap_or_default());
        return;
    }
    let seconds = result.duration.as_secs_f64();
    let status = match &result.status {
        CheckStatus::Passed => "passed".to_string(),
        CheckStatus::Failed => "FAILED".to_string(),
        CheckStatus::Error { reason, detail } => format!("ERROR ({reason}): {detail}"),
        CheckStatus::Skipped { reason } => format!("skipped: {reason}"),
    };
    let advisory = if result.gate { "" } else { " (advisory)" };
    let counts = result
        .counts
        .map(|c| format!("  [{} passed, {} failed, {} ignored]", c.passed, c.failed, c.ignored))
        .unwrap_or_default();
    println!("{}{advisory}  {status}  {seconds:.1}s{counts}", result.id);
    for finding in &result.findings {
        let place = match (&finding.file, finding.line) {
            (Some(file), Some(line)) => format!("{file}:{line}  "),
            (Some(file), None) => format!("{file}  "),
            _ => String::new(),
        };
        println!("  - {place}{}", finding.title);
        for line in finding.body.lines().take(6) {
            println!("      {line}");
        }
    }
    if let (Some(log), false) = (&result.log, matches!(result.status, CheckStatus::Passed)) {
        println!("  log: {}", log.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn result(status: CheckStatus) -> CheckResult {
        CheckResult { id: "x".into(), gate: true, status, exit_code: None, duration: Duration::ZERO, findings: Vec::new(), counts: None, log: None }
    }

    #[test]
    fn the_exit_code_separates_failures_from_errors() {
        let error = CheckStatus::Error { reason: run::ErrorReason::NotFound, detail: String::new() };
        assert_eq!(exit_code(&[result(CheckStatus::Passed)], &[true]), PASSED);
        assert_eq!(exit_code(&[result(CheckStatus::Failed)], &[false]), PASSED, "advisory");
        assert_eq!(exit_code(&[result(error.clone()), result(CheckStatus::Failed)], &[true, true]), GATE_FAILED);
        assert_eq!(exit_code(&[result(error.clone()), result(CheckStatus::Passed)], &[true, true]), INFRA_ERROR);
        assert_eq!(exit_code(&[result(error), result(CheckStatus::Failed)], &[true, false]), INFRA_ERROR);
        let skipped = CheckStatus::Skipped { reason: "`tests` failed".into() };
        assert_eq!(exit_code(&[result(CheckStatus::Failed), result(skipped)], &[false, true]), GATE_FAILED);
        assert_eq!(exit_code(&[], &[]), PASSED);
    }
}
