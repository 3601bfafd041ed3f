//! Installing an agent: its install command run in its own process group, every output line
//! and the exit status reported as they happen, with a cancel that kills the whole group.

use super::env::DetectEnv;
use crate::process::{read_lines, AgentProcess, SpawnSpec};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use warden_core::agent::{InstallEvent, InstallFinished, InstallPlan, OutputStream};
use warden_core::session::AgentKind;

/// The longest output line passed on whole; npm's progress lines are far shorter.
const MAX_INSTALL_LINE: usize = 64 * 1024;

/// Why an install did not start.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// A custom agent: the person installs it, Warden only starts it.
    #[error("{0} has no install command: Warden only starts it")]
    NoPlan(String),
    /// npm is needed and was not found.
    #[error("npm was not found on PATH nor in the usual folders; install Node.js (which brings npm) and try again")]
    NoNpm,
    /// A shell installer runs only after the person saw and confirmed it.
    #[error("this installer runs a shell script from the internet and needs your confirmation first: {0}")]
    NeedsConfirmation(String),
    /// An install of this agent is already running.
    #[error("{0} is already being installed")]
    AlreadyRunning(String),
    /// The command could not be started.
    #[error("could not start {program}: {source}")]
    Spawn {
        /// The executable.
        program: String,
        /// Why.
        source: std::io::Error,
    },
}

/// A command that installs something.
#[derive(Debug, Clone)]
pub struct InstallCommand {
    /// The executable.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// Variables set on top of Warden's environment.
    pub env: Vec<(OsString, OsString)>,
    /// The folder it runs in.
    pub cwd: PathBuf,
    /// The command line as shown to the person.
    pub shown: String,
}

impl InstallCommand {
    /// The command for `plan`: `npm install -g <package>` with the npm found in `env`, or the
    /// shell installer through `sh -c` once `confirmed`.
    pub fn for_plan(plan: &InstallPlan, confirmed: bool, env: &DetectEnv) -> Result<Self, InstallError> {
        let cwd = env.home.clone().filter(|h| h.is_dir()).unwrap_or_else(std::env::temp_dir);
        match &plan.npm_package {
            Some(package) => {
                let npm = super::find_custom("npm", env)
                    .or_else(|| ["/usr/local/bin/npm", "/opt/homebrew/bin/npm", "/usr/bin/npm"].iter().map(PathBuf::from).find(|p| p.is_file()))
                    .ok_or(InstallError::NoNpm)?;
                Ok(Self::npm(npm, package, cwd))
            }
            None if !confirmed => Err(InstallError::NeedsConfirmation(plan.command.clone())),
            None => Ok(Self {
                program: PathBuf::from("/bin/sh"),
                args: vec!["-c".into(), plan.command.clone().into()],
                env: Vec::new(),
                cwd,
                shown: plan.command.clone(),
            }),
        }
    }

    /// `npm install -g <package>` with a given npm (`package` may be a local folder or tarball).
    pub fn npm(npm: PathBuf, package: &str, cwd: PathBuf) -> Self {
        Self {
            program: npm,
            args: vec!["install".into(), "-g".into(), package.into()],
            // Progress as plain lines, no colour codes, no funding or update nags.
            env: [("npm_config_color", "false"), ("npm_config_fund", "false"), ("npm_config_update_notifier", "false")]
                .map(|(k, v)| (k.into(), v.into()))
                .to_vec(),
            cwd,
            shown: format!("npm install -g {package}"),
        }
    }
}

/// The installs running now, one per agent at most, each cancellable.
#[derive(Debug, Default, Clone)]
pub struct Installs {
    running: Arc<Mutex<HashMap<AgentKind, oneshot::Sender<()>>>>,
}

impl Installs {
    /// Starts `command` as the install of `kind`. The receiver gets `Started`, every line of
    /// output, and last `Finished`; it ends after that.
    pub fn start(&self, kind: AgentKind, command: InstallCommand) -> Result<mpsc::UnboundedReceiver<InstallEvent>, InstallError> {
        let (cancel_tx, cancel_rx) = oneshot::channel();
        {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            if running.get(&kind).is_some_and(|tx| !tx.is_closed()) {
                return Err(InstallError::AlreadyRunning(kind.as_str().to_owned()));
            }
            running.insert(kind, cancel_tx);
        }
        let spec = SpawnSpec {
            program: command.program.clone(),
            args: command.args.clone(),
            cwd: command.cwd.clone(),
            env: command.env.clone(),
            env_remove: Vec::new(),
        };
        let (process, pipes) = match AgentProcess::spawn(&spec) {
            Ok(spawned) => spawned,
            Err(source) => {
                self.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&kind);
                return Err(InstallError::Spawn { program: command.program.display().to_string(), source });
            }
        };
        // Nothing is typed into an installer: its stdin ends at once, so a question fails
        // instead of hanging.
        drop(pipes.stdin);
        let (events, rx) = mpsc::unbounded_channel();
        let _ = events.send(InstallEvent::Started { command: command.shown });
        let running = self.running.clone();
        tokio::spawn(async move {
            let finished = supervise(process, pipes.stdout, pipes.stderr, cancel_rx, events.clone()).await;
            running.lock().unwrap_or_else(|p| p.into_inner()).remove(&kind);
            let _ = events.send(InstallEvent::Finished(finished));
        });
        Ok(rx)
    }

    /// Cancels the running install of `kind`; false when none runs.
    pub fn cancel(&self, kind: AgentKind) -> bool {
        match self.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&kind) {
            Some(cancel) => cancel.send(()).is_ok(),
            None => false,
        }
    }

    /// Whether an install of `kind` is running.
    pub fn is_running(&self, kind: AgentKind) -> bool {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).get(&kind).is_some_and(|tx| !tx.is_closed())
    }
}

/// Passes the output on until both streams end and the process exited (or was cancelled).
async fn supervise(
    mut process: AgentProcess,
    stdout: tokio::process::ChildStdout,
    stderr: tokio::process::ChildStderr,
    mut cancel: oneshot::Receiver<()>,
    events: mpsc::UnboundedSender<InstallEvent>,
) -> InstallFinished {
    let (out_tx, mut out_rx) = mpsc::channel(64);
    let (err_tx, mut err_rx) = mpsc::channel(64);
    tokio::spawn(read_lines(tokio::io::BufReader::new(stdout), out_tx, MAX_INSTALL_LINE));
    tokio::spawn(read_lines(tokio::io::BufReader::new(stderr), err_tx, MAX_INSTALL_LINE));
    let mut exit = process.take_exit().expect("a fresh process has its exit");
    let mut cancelled = false;
    let mut listening = true;
    let (mut out_open, mut err_open) = (true, true);
    let mut status = None;
    let send = |stream, line: Vec<u8>| {
        let _ = events.send(InstallEvent::Output { stream, line: String::from_utf8_lossy(&line).trim_end_matches('\r').to_owned() });
    };
    // Ends when the process exited and its pipes closed. A grandchild that keeps a pipe open
    // after the installer exited does not hold the install up: the group is killed then.
    while status.is_none() || out_open || err_open {
        tokio::select! {
            line = out_rx.recv(), if out_open => match line {
                Some(line) => send(OutputStream::Stdout, line),
                None => out_open = false,
            },
            line = err_rx.recv(), if err_open => match line {
                Some(line) => send(OutputStream::Stderr, line),
                None => err_open = false,
            },
            result = &mut exit, if status.is_none() => {
                status = Some(result.unwrap_or(crate::process::ExitStatusInfo { code: None, signal: None }));
                // What the installer started lives in its group; it ends with it.
                process.kill_group();
            }
            asked = &mut cancel, if listening && status.is_none() => {
                listening = false;
                // A dropped sender (the registry forgot it) is not a cancel.
                if asked.is_ok() {
                    cancelled = true;
                    process.kill_group();
                }
            }
        }
    }
    let status = status.expect("the loop ends after the exit");
    InstallFinished { success: !cancelled && status.code == Some(0), code: status.code, signal: status.signal, cancelled }
}
