//! A session's own worktree as the project configures it (`[worktree]` of `.warden/checks.toml`
//! and the person's layer): which files are copied in, and the setup command with whether it
//! may run — under exactly the trust rules of the gate's checks ([`crate::trust`]) — and
//! running it with the gate's own runner ([`crate::run`]): the same shell, process group,
//! timeout and capped log as a check.

use crate::config::{self, CheckCommand, ConfigError, Source};
use crate::run::{self, Cancel, CheckStatus, CheckToRun, ErrorReason, RunOptions};
use crate::trust::{EntryTrust, FileTrust, TrustError, TrustStore};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How many of the log's last lines a failed setup quotes.
pub const TAIL_LINES: usize = 20;

/// How a new worktree of a project is prepared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorktreeSettings {
    /// The setup command (one line for the shell), from whichever layer set it last.
    pub setup: Option<String>,
    /// Project-relative paths to copy into a new worktree (checked: relative, no `..`).
    pub copy: Vec<String>,
    /// How long the setup command may run.
    pub setup_timeout: Duration,
    /// Whether the setup command may run: there is one, and it comes from the person's layer
    /// or from a project file they trusted (or allowed to run once). `false` without a command.
    pub trusted: bool,
    /// Why the setup command will not run, or that it uses the file's one allowed run, in words
    /// for the person.
    pub note: Option<String>,
}

impl Default for WorktreeSettings {
    fn default() -> Self {
        Self { setup: None, copy: Vec::new(), setup_timeout: config::DEFAULT_SETUP_TIMEOUT, trusted: false, note: None }
    }
}

/// The checks configuration has errors, so none of it is used (as for the checks).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe_config_errors(.0))]
pub struct SettingsError(pub Vec<ConfigError>);

fn describe_config_errors(errors: &[ConfigError]) -> String {
    let first = errors.first().map(ToString::to_string).unwrap_or_default();
    match errors.len() {
        1 => format!("the checks configuration has an error, so its [worktree] settings are not used: {first}"),
        n => format!("the checks configuration has {n} errors, so its [worktree] settings are not used; the first: {first}"),
    }
}

/// The `[worktree]` settings of `project` (the main folder, not a worktree of it) with the
/// trust of its setup command. Reads both layers and the trust record; spends nothing (see
/// [`spend_run_once`]).
pub fn settings(project: &Path, data_dir: &Path) -> Result<WorktreeSettings, SettingsError> {
    let project = canonical(project);
    let config = config::load(&project, data_dir).map_err(SettingsError)?;
    let worktree = config.worktree;
    let (trusted, note) = match (&worktree.setup, worktree.setup_source) {
        (None, _) => (false, None),
        (Some(_), Some(Source::Personal)) => (true, None),
        (Some(_), _) => {
            let hash = config.project_file.as_ref().map(|f| f.sha256.as_str());
            match TrustStore::new(data_dir, &project).file_trust(hash) {
                Ok(file) => project_setup_trust(&file),
                Err(e) => (false, Some(format!("The setup command in {} will not run: the trust decision could not be read ({e}).", config::PROJECT_FILE))),
            }
        }
    };
    Ok(WorktreeSettings { setup: worktree.setup, copy: worktree.copy, setup_timeout: worktree.setup_timeout, trusted, note })
}

/// Whether the project file's setup command may run with the file in state `file`, and the note.
fn project_setup_trust(file: &FileTrust) -> (bool, Option<String>) {
    match EntryTrust::of(Source::Project, file) {
        EntryTrust::NotTrusted(reason) => (
            false,
            Some(format!(
                "The setup command in {} will not run: {reason}. Trusting the file (also in the Checks panel) lets it run; a setup command in your personal layer always runs.",
                config::PROJECT_FILE
            )),
        ),
        _ if *file == FileTrust::RunOnce => (true, Some(format!("The setup command uses the one run you allowed {}; the next run asks again.", config::PROJECT_FILE))),
        _ => (true, None),
    }
}

/// Records that the setup command ran: a project file allowed to run once is asked about again
/// afterwards, as after its checks ran. Nothing happens when the setup came from the person's
/// layer or the file is trusted for good.
pub fn spend_run_once(project: &Path, data_dir: &Path) -> Result<(), TrustError> {
    let project = canonical(project);
    let Ok(config) = config::load(&project, data_dir) else { return Ok(()) };
    if config.worktree.setup.is_none() || config.worktree.setup_source != Some(Source::Project) {
        return Ok(());
    }
    if let Some(file) = &config.project_file {
        TrustStore::new(data_dir, &project).take_run_once(&file.sha256)?;
    }
    Ok(())
}

/// A log for a setup run of `project`, beside its check logs (where the window reads logs from):
/// `<data>/checks/logs/<project-key>/worktree-setup-<ms>.log`.
pub fn setup_log_path(data_dir: &Path, project: &Path) -> PathBuf {
    run::log_file(&config::project_logs(data_dir, &canonical(project)), "worktree-setup", warden_disk::now_ms())
}

/// A setup command that ran to success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupRun {
    /// Its log.
    pub log: PathBuf,
    /// How long it ran.
    pub duration: Duration,
}

/// Why the setup command did not succeed. Each says where its log is and quotes its last lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    /// It ran and ended with a failure (`code` is `None` when a signal ended it).
    Failed {
        /// The command.
        command: String,
        /// Its exit code.
        code: Option<i32>,
        /// Its log.
        log: PathBuf,
        /// The log's last lines.
        last_lines: Vec<String>,
    },
    /// It ran past its timeout; its whole process group was killed.
    TimedOut {
        /// The command.
        command: String,
        /// The timeout it ran past.
        timeout: Duration,
        /// Its log.
        log: PathBuf,
        /// The log's last lines.
        last_lines: Vec<String>,
    },
    /// It was stopped (cancelled) before it ended.
    Cancelled {
        /// The command.
        command: String,
        /// Its log, when it started.
        log: Option<PathBuf>,
    },
    /// The checks configuration has errors, so its setup command is not known.
    Settings(SettingsError),
    /// It could not start, or the shell could not find its program.
    CouldNotStart {
        /// The command.
        command: String,
        /// Why, in words.
        detail: String,
        /// Its log, when one was written.
        log: Option<PathBuf>,
        /// The log's last lines.
        last_lines: Vec<String>,
    },
}

impl SetupError {
    /// The log of the run, when there is one.
    pub fn log(&self) -> Option<&Path> {
        match self {
            Self::Failed { log, .. } | Self::TimedOut { log, .. } => Some(log),
            Self::Cancelled { log, .. } | Self::CouldNotStart { log, .. } => log.as_deref(),
            Self::Settings(_) => None,
        }
    }

    /// The log's last lines (at most [`TAIL_LINES`]).
    pub fn last_lines(&self) -> &[String] {
        match self {
            Self::Failed { last_lines, .. } | Self::TimedOut { last_lines, .. } | Self::CouldNotStart { last_lines, .. } => last_lines,
            Self::Cancelled { .. } | Self::Settings(_) => &[],
        }
    }
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Failed { command, code: Some(code), .. } => write!(f, "the setup command `{command}` failed with exit code {code}")?,
            Self::Failed { command, code: None, .. } => write!(f, "the setup command `{command}` was ended by a signal")?,
            Self::TimedOut { command, timeout, .. } => {
                write!(f, "the setup command `{command}` ran longer than its {} and was stopped", words(*timeout))?;
            }
            Self::Cancelled { command, .. } => write!(f, "the setup command `{command}` was stopped")?,
            Self::CouldNotStart { command, detail, .. } => write!(f, "the setup command `{command}` could not run: {detail}")?,
            Self::Settings(e) => write!(f, "{e}")?,
        }
        if let Some(log) = self.log() {
            write!(f, " (log: {})", log.display())?;
        }
        let lines = self.last_lines();
        if !lines.is_empty() {
            write!(f, "; its last lines:\n{}", lines.join("\n"))?;
        }
        Ok(())
    }
}

impl std::error::Error for SetupError {}

/// A timeout in the words `setup_timeout` is written in (`10m`, `90s`, `1500ms`).
fn words(d: Duration) -> String {
    let secs = d.as_secs();
    if d.subsec_millis() != 0 || secs == 0 {
        format!("{}ms", d.as_millis())
    } else if secs.is_multiple_of(3600) {
        format!("{}h", secs / 3600)
    } else if secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}

/// Runs `command` (one line for the shell, as a check's `shell`) in the worktree `cwd`, its
/// output (stdout and stderr in order) streamed to `log`, bounded by `timeout`: past it the
/// whole process group is killed. Whatever it left running in its group ends with it.
pub async fn run_setup(command: &str, cwd: &Path, timeout: Duration, log: &Path) -> Result<SetupRun, SetupError> {
    run_setup_with_cancel(command, cwd, timeout, log, &Cancel::new()).await
}

/// [`run_setup`] that `cancel` stops (the process group is killed).
pub async fn run_setup_with_cancel(command: &str, cwd: &Path, timeout: Duration, log: &Path, cancel: &Cancel) -> Result<SetupRun, SetupError> {
    if !cwd.is_dir() {
        // Checked here: a missing folder would otherwise read as the shell not being found.
        return Err(SetupError::CouldNotStart { command: command.to_owned(), detail: format!("the folder {} does not exist", cwd.display()), log: None, last_lines: Vec::new() });
    }
    let check = CheckToRun {
        id: "worktree-setup".to_owned(),
        command: CheckCommand::Shell(command.to_owned()),
        cwd: ".".to_owned(),
        env: BTreeMap::new(),
        timeout,
        parser: crate::parse::Parser::ExitCode,
        gate: true,
        after: Vec::new(),
    };
    let options = RunOptions {
        project: cwd.to_path_buf(),
        log_dir: log.parent().map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
        log_cap: run::DEFAULT_LOG_CAP,
        log_stamp: None,
    };
    let result = run::run_check_logged(&check, &options, cancel, Some(log)).await;
    let command = command.to_owned();
    let last_lines = || result.log.as_deref().map(last_lines).unwrap_or_default();
    match &result.status {
        CheckStatus::Passed => Ok(SetupRun { log: log.to_path_buf(), duration: result.duration }),
        CheckStatus::Failed | CheckStatus::Skipped { .. } => Err(SetupError::Failed { command, code: result.exit_code, log: log.to_path_buf(), last_lines: last_lines() }),
        CheckStatus::Error { reason: ErrorReason::TimedOut, .. } => Err(SetupError::TimedOut { command, timeout, log: log.to_path_buf(), last_lines: last_lines() }),
        CheckStatus::Error { reason: ErrorReason::Cancelled, .. } => Err(SetupError::Cancelled { command, log: result.log.clone() }),
        CheckStatus::Error { detail, .. } => Err(SetupError::CouldNotStart { command, detail: detail.clone(), log: result.log.clone(), last_lines: last_lines() }),
    }
}

/// What [`run_configured_setup`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupOutcome {
    /// The project configures no setup command.
    NoCommand,
    /// There is one, but it may not run; the note says why and how to trust it.
    NotTrusted(String),
    /// It ran and succeeded.
    Ran(SetupRun),
}

/// The whole setup of a new worktree of `project` (the main folder) in `worktree`: reads the
/// settings, runs the command only when it may ([`WorktreeSettings::trusted`]), bounded by its
/// `setup_timeout`, and spends a "run once" decision it used. The one place the trust rule is
/// applied, so every caller (the window, best of N, `warden run --worktree`) gets the same.
pub async fn run_configured_setup(project: &Path, data_dir: &Path, worktree: &Path, log: &Path, cancel: &Cancel) -> Result<SetupOutcome, SetupError> {
    let settings = settings(project, data_dir).map_err(SetupError::Settings)?;
    let Some(command) = settings.setup.as_deref() else { return Ok(SetupOutcome::NoCommand) };
    if !settings.trusted {
        let note = settings.note.unwrap_or_else(|| format!("The setup command in {} is not trusted.", config::PROJECT_FILE));
        return Ok(SetupOutcome::NotTrusted(note));
    }
    let ran = run_setup_with_cancel(command, worktree, settings.setup_timeout, log, cancel).await;
    if let Err(e) = spend_run_once(project, data_dir) {
        tracing::warn!("could not record that the setup command used the one allowed run: {e}");
    }
    ran.map(SetupOutcome::Ran)
}

/// The last [`TAIL_LINES`] lines of the log (only its last 16 KiB are read: a log can be
/// megabytes long), each cut to a readable length.
fn last_lines(log: &Path) -> Vec<String> {
    const TAIL_BYTES: u64 = 16 * 1024;
    const LINE_CHARS: usize = 400;
    let Ok(mut file) = std::fs::File::open(log) else { return Vec::new() };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let start = len.saturating_sub(TAIL_BYTES);
    if file.seek(SeekFrom::Start(start)).is_err() {
        return Vec::new();
    }
    let mut bytes = Vec::new();
    if file.read_to_end(&mut bytes).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<&str> = text.lines().collect();
    if start > 0 && !lines.is_empty() {
        // The first line read is likely a piece of a longer one.
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let from = lines.len().saturating_sub(TAIL_LINES);
    lines[from..]
        .iter()
        .map(|l| if l.chars().count() > LINE_CHARS { format!("{}…", l.chars().take(LINE_CHARS).collect::<String>()) } else { (*l).to_owned() })
        .collect()
}

/// The canonical folder (trust and the personal layer are keyed by it), or `path` as given
/// when it cannot be resolved.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
#[path = "worktree_tests.rs"]
mod tests;
