//! The login shell's PATH, for finding and starting agents and checks.
//!
//! A macOS app opened from the Finder, the Dock or Spotlight is started by launchd with a bare
//! PATH (`/usr/bin:/bin:/usr/sbin:/sbin`): what the person's shell profile adds — nvm's `node`,
//! Homebrew's `/opt/homebrew/bin`, Volta's shims — is missing, so agents installed through them
//! would not be found, and an npm launcher that is found would not find its `node`. At start-up
//! the window calls [`capture_in_background`]; a thread asks the login shell ([`shell`]) while
//! the window opens. [`search_path`] and [`for_children`] use the answer merged with the app's
//! own PATH ([`merge`]); a caller that comes before the answer waits for it, at most until the
//! shell's timeout. A shell that fails or hangs leaves the app's own PATH in use.
//!
//! Only macOS captures: Linux desktop sessions hand apps the session's PATH, Windows has no
//! login shell, and a command started from a terminal already has the shell's PATH.

mod merge;
mod shell;

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long the login shell may take. Shells with nvm and oh-my-zsh take about a second; a
/// shell that takes longer is killed and the app's own PATH is used.
const TIMEOUT: Duration = Duration::from_secs(5);
/// What a waiter allows on top of the timeout for the hung shell to be killed and reaped.
const KILL_MARGIN: Duration = Duration::from_millis(500);

/// Whether this system starts apps without the login shell's PATH.
pub const NEEDED: bool = cfg!(target_os = "macos");

/// The capture of this process, once started.
static CAPTURE: OnceLock<Arc<Capture>> = OnceLock::new();

/// Starts reading the login shell's PATH on a background thread, on macOS only (elsewhere it
/// does nothing). Call it once, early (the window does, before anything looks for an agent);
/// later calls do nothing.
pub fn capture_in_background() {
    if NEEDED {
        CAPTURE.get_or_init(|| Capture::start(login_shell(), TIMEOUT, Vec::new()));
    }
}

/// The PATH to search for programs: once the login shell's PATH is known, it merged with this
/// process's own; before that, waits for it (at most until the shell's timeout); with no capture
/// started or a failed one, this process's PATH.
pub fn search_path() -> Option<OsString> {
    let current = std::env::var_os("PATH");
    match CAPTURE.get() {
        Some(capture) => capture.merged(current.as_deref()),
        None => current,
    }
}

/// The PATH to give a process Warden starts, when it differs from the one the process would
/// inherit (only after a login shell's PATH was captured); `None` means: inherit.
pub fn for_children() -> Option<OsString> {
    CAPTURE.get()?;
    let path = search_path()?;
    (Some(&path) != std::env::var_os("PATH").as_ref()).then_some(path)
}

/// The person's login shell: `$SHELL`, else zsh (macOS's default since 10.15).
fn login_shell() -> PathBuf {
    std::env::var_os("SHELL").filter(|s| !s.is_empty()).map_or_else(|| PathBuf::from("/bin/zsh"), PathBuf::from)
}

/// One reading of a login shell's PATH, running or done.
struct Capture {
    /// When the shell's answer is given up on (the shell is killed by then).
    deadline: Instant,
    /// `None` while the shell runs; then its PATH, or `None` inside when it gave none.
    result: Mutex<Option<Option<OsString>>>,
    /// Signalled when `result` is set.
    done: Condvar,
}

impl Capture {
    /// Starts asking `shell` on a thread of its own.
    fn start(shell: PathBuf, timeout: Duration, env: Vec<(String, OsString)>) -> Arc<Capture> {
        let capture = Arc::new(Capture { deadline: Instant::now() + timeout + KILL_MARGIN, result: Mutex::new(None), done: Condvar::new() });
        let worker = Arc::clone(&capture);
        let spawned = std::thread::Builder::new().name("login-path".to_owned()).spawn(move || {
            let started = Instant::now();
            let env: Vec<(&str, &OsStr)> = env.iter().map(|(k, v)| (k.as_str(), v.as_os_str())).collect();
            let path = match shell::ask(&shell, timeout, &env) {
                Ok(path) => {
                    tracing::info!(shell = %shell.display(), ms = started.elapsed().as_millis() as u64, "read the login shell's PATH");
                    Some(path)
                }
                Err(e) => {
                    tracing::warn!(shell = %shell.display(), "could not read the login shell's PATH ({e}); using the app's own");
                    None
                }
            };
            worker.finish(path);
        });
        if let Err(e) = spawned {
            tracing::warn!("no thread to read the login shell's PATH: {e}");
            capture.finish(None);
        }
        capture
    }

    fn finish(&self, path: Option<OsString>) {
        *self.result.lock().unwrap_or_else(|p| p.into_inner()) = Some(path);
        self.done.notify_all();
    }

    /// The shell's PATH, waiting for it until the deadline; `None` when it gave none in time.
    fn wait(&self) -> Option<OsString> {
        let mut result = self.result.lock().unwrap_or_else(|p| p.into_inner());
        while result.is_none() {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            result = self.done.wait_timeout(result, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        result.clone().flatten()
    }

    /// The shell's PATH merged with `current` (see [`merge::merge`]); `current` itself when the
    /// shell gave none.
    fn merged(&self, current: Option<&OsStr>) -> Option<OsString> {
        match self.wait() {
            Some(login) => merge::merge(&login, current).or_else(|| current.map(OsStr::to_owned)),
            None => current.map(OsStr::to_owned),
        }
    }
}

#[cfg(all(test, unix))]
mod tests;
