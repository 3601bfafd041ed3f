//! One check as a process: started in its own process group with stdout and stderr on one
//! pipe, waited for with a timeout and the run's [`Cancel`], its whole group killed on timeout
//! or Stop (and whatever it left behind when it ends), its output streamed to a [`CappedLog`].

use super::log::CappedLog;
use super::{Cancel, CheckResult, CheckStatus, CheckToRun, ErrorReason, RunOptions, DRAIN_TIMEOUT, KILL_GRACE};
use crate::config::{resolve_cwd, CheckCommand};
use crate::parse::{self, ParseInput};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};
use tokio::process::Command;

/// How the wait ended.
enum Waited {
    Exited(std::io::Result<ExitStatus>),
    TimedOut,
    Cancelled,
}

/// Runs one check to its result. Never panics and never waits unbounded: the check's own
/// timeout, then [`KILL_GRACE`] and [`DRAIN_TIMEOUT`], bound every wait.
pub async fn run_check(check: &CheckToRun, options: &RunOptions, cancel: &Cancel) -> CheckResult {
    run_check_logged(check, options, cancel, None).await
}

/// [`run_check`] writing its output to `log` when given (the worktree setup names its own log)
/// instead of the one `options` names.
pub(crate) async fn run_check_logged(check: &CheckToRun, options: &RunOptions, cancel: &Cancel, log: Option<&Path>) -> CheckResult {
    let error = |reason, detail: String| CheckResult::without_run(check, CheckStatus::Error { reason, detail });
    if cancel.is_cancelled() {
        return error(ErrorReason::Cancelled, "stopped before it started".to_string());
    }
    let cwd = match resolve_cwd(&options.project, &check.cwd) {
        Ok(cwd) => cwd,
        Err(e) => return error(ErrorReason::SpawnFailed, e.to_string()),
    };
    let opened = match log.map(Path::to_path_buf).or_else(|| options.log_path(&check.id)) {
        Some(path) => CappedLog::open(&path, options.log_cap),
        None => CappedLog::create(&options.log_dir, &check.id, options.log_cap),
    };
    let log = match opened {
        Ok(log) => log,
        Err(e) => return error(ErrorReason::SpawnFailed, format!("cannot create its log in {}: {e}", options.log_dir.display())),
    };
    let log_path = log.path().to_path_buf();
    let (reader, writer) = match std::io::pipe() {
        Ok(pair) => pair,
        Err(e) => return error(ErrorReason::SpawnFailed, format!("cannot create a pipe: {e}")),
    };
    let stderr = match writer.try_clone() {
        Ok(w) => w,
        Err(e) => return error(ErrorReason::SpawnFailed, format!("cannot create a pipe: {e}")),
    };
    let mut command = build(&check.command, &cwd);
    command
        .current_dir(&cwd)
        .envs(&check.env)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(stderr)
        // The leader only; the group is killed below. This covers a dropped future.
        .kill_on_drop(true);
    // The macOS app starts with a bare PATH: `npm test` needs the login shell's.
    if let Some(path) = warden_platform::login_path::for_children() {
        if !check.env.contains_key("PATH") {
            command.env("PATH", path);
        }
    }
    own_group(&mut command);

    let started_at = SystemTime::now();
    let started = Instant::now();
    let spawned = command.spawn();
    // The command holds the pipe's write ends: dropped now, the reader sees the end of the
    // output when the check's processes are gone, not when this function returns.
    drop(command);
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return with_log(error(ErrorReason::NotFound, format!("{}: command not found", program_name(&check.command))), log_path);
        }
        Err(e) => return with_log(error(ErrorReason::SpawnFailed, format!("{}: {e}", program_name(&check.command))), log_path),
    };
    let group = Group::of(&child);
    let log = Arc::new(Mutex::new(log));
    let drained = stream(reader, Arc::clone(&log));

    let waited = tokio::select! {
        status = child.wait() => Waited::Exited(status),
        () = tokio::time::sleep(check.timeout) => Waited::TimedOut,
        () = cancel.cancelled() => Waited::Cancelled,
    };
    let stopped = waited_reason(&waited);
    let status = match waited {
        Waited::Exited(status) => status.ok(),
        Waited::TimedOut | Waited::Cancelled => {
            group.signal(Signal::Term);
            match tokio::time::timeout(KILL_GRACE, child.wait()).await {
                Ok(status) => status.ok(),
                Err(_) => {
                    let _ = child.start_kill();
                    tokio::time::timeout(KILL_GRACE, child.wait()).await.ok().and_then(Result::ok)
                }
            }
        }
    };
    // What the check left running in its group ends with it (a server it started, a
    // grandchild a timeout or Stop interrupted): otherwise it would hold the output open.
    group.signal(Signal::Kill);
    if tokio::time::timeout(DRAIN_TIMEOUT, drained).await.is_err() {
        tracing::warn!(check = %check.id, "output still open after the check ended (a process left its group); log closed");
    }
    if let Ok(mut log) = log.lock() {
        log.finish();
    }
    let duration = started.elapsed();
    let exit_code = status.and_then(|s| s.code());
    let mut result = CheckResult { duration, exit_code, ..with_log(CheckResult::without_run(check, CheckStatus::Passed), log_path.clone()) };
    match stopped {
        Some(ErrorReason::TimedOut) => {
            result.status = CheckStatus::Error {
                reason: ErrorReason::TimedOut,
                detail: format!("ran longer than {}s and was killed", check.timeout.as_secs_f64()),
            };
            return result;
        }
        Some(reason) => {
            result.status = CheckStatus::Error { reason, detail: "stopped while running".to_string() };
            return result;
        }
        None => {}
    }
    if let Some(missing) = shell_not_found(&check.command, exit_code) {
        result.status = CheckStatus::Error { reason: ErrorReason::NotFound, detail: missing };
        return result;
    }
    let output = std::fs::read(&log_path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
    let input = ParseInput { output: &output, exit_code, cwd: &cwd, started: Some(started_at) };
    match parse::parse(&check.parser, input) {
        Ok(parsed) => {
            result.status = if parse::verdict(&parsed, exit_code) { CheckStatus::Passed } else { CheckStatus::Failed };
            result.findings = parsed.findings;
            result.counts = parsed.counts;
        }
        Err(e) => {
            result.status = CheckStatus::Error { reason: ErrorReason::ParserFailed, detail: format!("{}: {e}", check.parser) };
        }
    }
    result
}

fn waited_reason(waited: &Waited) -> Option<ErrorReason> {
    match waited {
        Waited::Exited(_) => None,
        Waited::TimedOut => Some(ErrorReason::TimedOut),
        Waited::Cancelled => Some(ErrorReason::Cancelled),
    }
}

fn with_log(mut result: CheckResult, log: PathBuf) -> CheckResult {
    result.log = Some(log);
    result
}

/// The command line: argv without a shell, or the shell form through `sh -c` (`cmd /C`).
fn build(command: &CheckCommand, cwd: &Path) -> Command {
    match command {
        CheckCommand::Argv(argv) => {
            let program = argv.first().map(String::as_str).unwrap_or_default();
            // `./script.sh` means the check's folder, whatever the platform does with a
            // relative program and a changed folder.
            let program_path = Path::new(program);
            let mut command = if program_path.is_relative() && program_path.components().count() > 1 {
                Command::new(cwd.join(program_path))
            } else {
                Command::new(program)
            };
            command.args(argv.iter().skip(1));
            command
        }
        CheckCommand::Shell(line) => {
            #[cfg(unix)]
            {
                let mut command = Command::new("sh");
                command.arg("-c").arg(line);
                command
            }
            #[cfg(windows)]
            {
                let mut command = Command::new("cmd");
                command.arg("/C").arg(line);
                command
            }
        }
    }
}

fn program_name(command: &CheckCommand) -> String {
    match command {
        CheckCommand::Argv(argv) => argv.first().cloned().unwrap_or_default(),
        CheckCommand::Shell(_) => "sh".to_string(),
    }
}

/// A shell says "not found" with its exit code: 127 for `sh`, 9009 for `cmd`.
fn shell_not_found(command: &CheckCommand, exit_code: Option<i32>) -> Option<String> {
    let CheckCommand::Shell(line) = command else { return None };
    let not_found = if cfg!(windows) { 9009 } else { 127 };
    (exit_code == Some(not_found)).then(|| format!("the shell could not find a command of `{line}` (exit code {not_found})"))
}

/// Reads the pipe on a thread of its own (a blocking read; a plain thread, so a process that
/// left the group and keeps the pipe open never holds up the runtime's shutdown).
fn stream(mut reader: std::io::PipeReader, log: Arc<Mutex<CappedLog>>) -> tokio::sync::oneshot::Receiver<()> {
    let (done, drained) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new().name("warden-check-output".to_string()).spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => match log.lock() {
                    Ok(mut log) => log.write(&buf[..n]),
                    Err(_) => break,
                },
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let _ = done.send(());
    });
    if let Err(e) = spawned {
        tracing::warn!("cannot read a check's output: {e}");
    }
    drained
}

#[derive(Clone, Copy)]
enum Signal {
    Term,
    Kill,
}

/// The check's processes: its process group on Unix, its Job Object on Windows.
struct Group {
    pid: Option<u32>,
    /// Ends the check's whole tree, and with Warden (kill-on-close); `None` when Windows refused
    /// one, and then `taskkill /T` ends the tree.
    #[cfg(windows)]
    job: Option<warden_platform::job::Job>,
}

impl Group {
    fn of(child: &tokio::process::Child) -> Group {
        Group {
            pid: child.id(),
            #[cfg(windows)]
            job: child.raw_handle().and_then(warden_platform::job::Job::containing),
        }
    }

    fn signal(&self, signal: Signal) {
        #[cfg(windows)]
        if let Some(job) = &self.job {
            // Windows has no polite signal for a tree: both end it.
            let _ = signal;
            job.terminate();
            return;
        }
        signal_group(self.pid, signal);
    }
}

#[cfg(unix)]
fn own_group(command: &mut Command) {
    command.process_group(0);
}

/// Signals the check's whole process group (its id is the leader's pid).
#[cfg(unix)]
fn signal_group(pid: Option<u32>, signal: Signal) {
    let Some(pid) = pid.and_then(|p| i32::try_from(p).ok()).filter(|p| *p > 1) else { return };
    let signal = match signal {
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    // SAFETY: kill(2) with a negative pid signals that process group; no memory is involved.
    // ESRCH (the group is already gone) is the usual answer after a clean exit.
    unsafe {
        libc::kill(-pid, signal);
    }
}

/// Windows (not compiled or tested here): a new process group in a Job Object ([`Group`]);
/// `taskkill /T /F` ends the tree when there is no job.
#[cfg(windows)]
fn own_group(command: &mut Command) {
    const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
    command.creation_flags(CREATE_NEW_PROCESS_GROUP);
}

#[cfg(windows)]
fn signal_group(pid: Option<u32>, _signal: Signal) {
    let Some(pid) = pid else { return };
    let _ = std::process::Command::new("taskkill")
        .args(["/T", "/F", "/PID", &pid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}
