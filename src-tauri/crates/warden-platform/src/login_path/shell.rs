//! Asking a login shell for its PATH: `$SHELL -l -i -c '…; printenv PATH; …'` (login and
//! interactive, so both the profile and the rc file run: nvm, Homebrew and Volta put their
//! folders in either), with a marker unique to the call printed on both sides of the value, as
//! start-up files print greetings and warnings of their own.
//!
//! The shell gets no input and, on Unix, a session of its own without a terminal, so an
//! interactive shell cannot stop waiting for one; a shell that takes longer than the timeout is
//! killed with everything it started. Everything here is bounded by that timeout.

use super::merge::between_markers;
use std::ffi::{OsStr, OsString};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The variable that hands the shell its marker, so the marker never appears in the command line
/// a start-up file might echo (`set -x` writes to stderr, which is dropped, but a marker in the
/// script itself could still be printed by a shell's own tracing).
const MARK_VAR: &str = "WARDEN_PATH_MARK";
/// `printf` and `printenv` exist in every shell Warden expects (bash, zsh, fish, dash); `printenv`
/// prints PATH joined with `:` even in fish, whose own `$PATH` is a list.
const SCRIPT: &str = r#"printf '%s' "$WARDEN_PATH_MARK"; printenv PATH; printf '%s' "$WARDEN_PATH_MARK""#;
/// How long a shell that printed its answer gets to exit on its own before it is killed.
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// Why no PATH came from the shell.
#[derive(Debug)]
pub(crate) enum ShellError {
    /// The shell could not be started.
    Spawn(std::io::Error),
    /// It printed no answer within the timeout and was killed.
    TimedOut(Duration),
    /// It ended without printing the PATH between the markers.
    NoPath {
        /// Its exit code, when it exited.
        code: Option<i32>,
    },
}

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShellError::Spawn(e) => write!(f, "could not start it: {e}"),
            ShellError::TimedOut(limit) => write!(f, "it did not answer within {} ms and was killed", limit.as_millis()),
            ShellError::NoPath { code: Some(code) } => write!(f, "it exited with code {code} without printing PATH"),
            ShellError::NoPath { code: None } => write!(f, "it ended without printing PATH"),
        }
    }
}

/// Runs `shell` as a login and interactive shell and returns the PATH it prints, within
/// `timeout`. `env` is set on top of this process's environment (tests give a home of their
/// own).
pub(crate) fn ask(shell: &Path, timeout: Duration, env: &[(&str, &OsStr)]) -> Result<OsString, ShellError> {
    let deadline = Instant::now() + timeout;
    let mark = unique_mark();
    let mut command = Command::new(shell);
    command
        .args(["-l", "-i", "-c", SCRIPT])
        .env(MARK_VAR, &mark)
        // oh-my-zsh otherwise may stop an interactive shell to ask about updating itself.
        .env("DISABLE_AUTO_UPDATE", "true")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: runs in the child between fork and exec and makes one async-signal-safe call.
        // A new session has no controlling terminal (an interactive shell cannot stop on it),
        // and its process group is the shell's pid, so a hanging shell is killed with its jobs.
        unsafe {
            command.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    let mut child = command.spawn().map_err(ShellError::Spawn)?;
    let Some(mut stdout) = child.stdout.take() else {
        end(&mut child);
        return Err(ShellError::NoPath { code: None });
    };
    // A plain thread reads, so the wait below can give up: a process the start-up files left
    // running may hold the pipe open long after the shell is gone.
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::Builder::new().name("login-path-read".to_owned()).spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    if let Err(e) = reader {
        end(&mut child);
        return Err(ShellError::Spawn(e));
    }
    let mut output = Vec::new();
    let found = loop {
        if let Some(path) = between_markers(&output, &mark) {
            break Some(path);
        }
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(chunk) => output.extend_from_slice(&chunk),
            Err(RecvTimeoutError::Timeout) => {
                end(&mut child);
                return Err(ShellError::TimedOut(timeout));
            }
            Err(RecvTimeoutError::Disconnected) => break None,
        }
    };
    let grace = if found.is_some() { Instant::now() + EXIT_GRACE } else { deadline };
    let code = exit_code_by(&mut child, grace);
    match found {
        Some(path) => Ok(path),
        None => Err(ShellError::NoPath { code }),
    }
}

/// Waits until `until` for the shell to exit (killing it after that); its exit code.
fn exit_code_by(child: &mut Child, until: Instant) -> Option<i32> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                end(child);
                return None;
            }
        }
    }
}

/// Kills the shell and, on Unix, every process of its session's group, then reaps it (a killed
/// process is reaped at once).
fn end(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group (the shell's own, set up
        // by setsid); a group already gone gives ESRCH.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A marker no start-up file prints by chance.
fn unique_mark() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("__WARDEN_PATH_{}_{nanos}__", std::process::id())
}
