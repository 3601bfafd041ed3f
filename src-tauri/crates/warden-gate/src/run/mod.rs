//! Running checks: each one as the person, in its folder inside the project, in its own process
//! group, with a timeout; its output (stdout and stderr through one pipe, so in the order they
//! were written) streamed to a log file; its result parsed ([`crate::parse`]).
//!
//! [`run_checks`] runs several at once, in parallel unless `after` orders them; a [`Cancel`]
//! stops them all (Stop). A check that cannot run — the command is not found, it timed out, it
//! was cancelled, its parser could not read the output, it could not start — ends as an
//! [`CheckStatus::Error`], never as a failure: that is not the agent's work failing.

mod log;
mod process;
mod schedule;

#[cfg(test)]
mod tests;

use crate::config::{Check, CheckCommand, ParserSpec};
use crate::parse::{Counts, Finding, Parser};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub use log::{log_file, prepare as prepare_log};
pub use process::run_check;
pub(crate) use process::run_check_logged;
pub use schedule::run_checks;

/// What is kept of a check's output by default: the first half and the last half of 4 MiB.
pub const DEFAULT_LOG_CAP: u64 = 4 * 1024 * 1024;

/// How long the output may still arrive once the process group is gone or killed: output
/// still held by a process that left the group is not waited for longer.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// How long a check has to end after SIGTERM on timeout or Stop before its group gets SIGKILL.
pub const KILL_GRACE: Duration = Duration::from_secs(2);

/// One check, as the runner needs it.
#[derive(Debug, Clone)]
pub struct CheckToRun {
    /// Its id.
    pub id: String,
    /// What it runs.
    pub command: CheckCommand,
    /// Its folder, relative to the project, as the configuration wrote it.
    pub cwd: String,
    /// Variables added to the person's environment.
    pub env: BTreeMap<String, String>,
    /// How long it may take.
    pub timeout: Duration,
    /// How its output is read.
    pub parser: Parser,
    /// Whether its failure blocks "done".
    pub gate: bool,
    /// Checks that must pass (in the same run) before it starts.
    pub after: Vec<String>,
}

impl CheckToRun {
    /// The runner's view of a configured check.
    pub fn from_check(check: &Check) -> Self {
        Self {
            id: check.id.clone(),
            command: check.command.clone(),
            cwd: check.cwd.clone(),
            env: check.env.clone(),
            timeout: check.timeout,
            parser: parser_of(&check.parse),
            gate: check.gate,
            after: check.after.clone(),
        }
    }
}

/// The parser a configuration names.
pub fn parser_of(spec: &ParserSpec) -> Parser {
    match spec {
        ParserSpec::ExitCode => Parser::ExitCode,
        ParserSpec::CargoTest => Parser::CargoTest,
        ParserSpec::Pytest => Parser::Pytest,
        ParserSpec::Junit(path) => Parser::Junit(PathBuf::from(path)),
        ParserSpec::Tsc => Parser::Tsc,
    }
}

/// Where logs go and how much of each is kept.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The project: every check's folder is inside it.
    pub project: PathBuf,
    /// The folder for the logs (created owner-only).
    pub log_dir: PathBuf,
    /// Bytes of output kept per check: past it, the first and the last half are kept, with a
    /// line saying how much was left out between them.
    pub log_cap: u64,
    /// Names every log of the run with this stamp ([`log_file`]), so the caller knows each
    /// check's log before it starts ([`RunOptions::log_path`]); it must be unique among the runs
    /// sharing `log_dir`. `None`: each log is named when its check starts.
    pub log_stamp: Option<u64>,
}

impl RunOptions {
    /// The log check `id` will write, when the run's logs are named in advance (`log_stamp`).
    pub fn log_path(&self, id: &str) -> Option<PathBuf> {
        self.log_stamp.map(|stamp| log_file(&self.log_dir, id, stamp))
    }
}

/// Why a check could not give a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorReason {
    /// The program (or, in the `shell` form, a command the shell ran: exit 127) is not found.
    NotFound,
    /// It ran past its timeout and was killed.
    TimedOut,
    /// Stop: it was killed, or never started.
    Cancelled,
    /// Its parser could not read the output (or the report it should have written).
    ParserFailed,
    /// It could not be started: its folder is missing or outside the project, the program is
    /// not executable, the log could not be created.
    SpawnFailed,
}

impl std::fmt::Display for ErrorReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotFound => "not found",
            Self::TimedOut => "timed out",
            Self::Cancelled => "cancelled",
            Self::ParserFailed => "parser failed",
            Self::SpawnFailed => "could not start",
        })
    }
}

/// How a check ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum CheckStatus {
    /// It exited 0 and its parser saw nothing failing.
    Passed,
    /// It ran and reported failures: the agent's work is not done.
    Failed,
    /// It could not give a verdict (an infrastructure problem, never sent as a failure).
    Error {
        /// Why.
        reason: ErrorReason,
        /// In words, for the person.
        detail: String,
    },
    /// It did not run because a check it comes `after` did not pass.
    Skipped {
        /// Which check and how it ended.
        reason: String,
    },
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    /// The check's id.
    pub id: String,
    /// Whether it gates.
    pub gate: bool,
    /// How it ended.
    #[serde(flatten)]
    pub status: CheckStatus,
    /// Its exit code (none when it did not start or a signal ended it).
    pub exit_code: Option<i32>,
    /// How long it ran.
    #[serde(rename = "durationMs", serialize_with = "as_millis")]
    pub duration: Duration,
    /// What its parser found.
    pub findings: Vec<Finding>,
    /// Test counts, when its parser reads them.
    pub counts: Option<Counts>,
    /// Its log, when one was written.
    pub log: Option<PathBuf>,
}

fn as_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl CheckResult {
    fn without_run(check: &CheckToRun, status: CheckStatus) -> Self {
        Self {
            id: check.id.clone(),
            gate: check.gate,
            status,
            exit_code: None,
            duration: Duration::ZERO,
            findings: Vec::new(),
            counts: None,
            log: None,
        }
    }
}

/// Stop for a whole run: every check still running is killed (its process group), every
/// check not started yet ends as cancelled. Clones share the same state.
#[derive(Debug, Clone)]
pub struct Cancel(Arc<watch::Sender<bool>>);

impl Default for Cancel {
    fn default() -> Self {
        Self::new()
    }
}

impl Cancel {
    /// A token not cancelled yet.
    pub fn new() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }

    /// Cancels the run.
    pub fn cancel(&self) {
        self.0.send_replace(true);
    }

    /// Whether the run was cancelled.
    pub fn is_cancelled(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once the run is cancelled.
    pub async fn cancelled(&self) {
        let mut rx = self.0.subscribe();
        // The sender lives in `self`, so the channel cannot close while this waits.
        let _ = rx.wait_for(|cancelled| *cancelled).await;
    }
}
