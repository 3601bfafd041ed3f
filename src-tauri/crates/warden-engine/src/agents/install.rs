//! Installing an agent: its install command run in its own process group, every output line
//! and the exit status reported as they happen, with a cancel that kills the whole group.
//!
//! npm packages go into Warden's own agents folder (see [`super::managed`]) at the version
//! Warden's tests drive, never `npm install -g`: no root, no change to the person's global
//! packages, and a failed install leaves nothing behind.

use super::env::DetectEnv;
use super::managed::Staged;
use crate::process::{read_lines, AgentProcess, SpawnSpec};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use warden_core::agent::{AgentSpec, InstallEvent, InstallFinished, OutputStream};
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
    #[error("npm was not found on PATH nor in the usual folders; install Node.js (which brings npm) from https://nodejs.org and try again")]
    NoNpm,
    /// npm was found, but not the Node.js it runs on.
    #[error("npm was found at {0}, but not Node.js, which it runs on; install Node.js from https://nodejs.org and try again")]
    NoNode(String),
    /// A shell installer runs only after the person saw and confirmed it.
    #[error("this installer runs a shell script from the internet and needs your confirmation first: {0}")]
    NeedsConfirmation(String),
    /// The engine has no data folder open, so there is no agents folder to install into.
    #[error("Warden's data folder is not open, so it has no agents folder to install into")]
    NoDataFolder,
    /// An install of this agent is already running.
    #[error("{0} is already being installed")]
    AlreadyRunning(String),
    /// Warden's agents folder could not be prepared.
    #[error("could not prepare Warden's agents folder {folder}: {source}")]
    Folder {
        /// The folder.
        folder: String,
        /// Why.
        source: std::io::Error,
    },
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
    /// The partial folder it installs into, moved into place when it succeeded (npm installs
    /// into Warden's agents folder); `None` for an installer that puts things where it likes.
    pub staged: Option<Staged>,
}

/// The variable that replaces the npm package spec Warden installs for `kind`
/// (`WARDEN_AGENT_PACKAGE_CODEX=/tmp/fixture.tgz`): tests install a local package this way.
pub fn package_override_var(kind: AgentKind) -> String {
    format!("WARDEN_AGENT_PACKAGE_{}", kind.as_str().to_uppercase().replace('-', "_"))
}

impl InstallCommand {
    /// The command that installs `spec`: its npm package at Warden's pinned version into
    /// `root/<agent>` (through a partial folder) with the npm and Node.js found in `env`, or
    /// its shell installer through `sh -c` once `confirmed`.
    pub fn for_agent(spec: &AgentSpec, confirmed: bool, env: &DetectEnv, root: &Path) -> Result<Self, InstallError> {
        let override_var = package_override_var(spec.kind);
        let package = env.var(&override_var).map(str::to_owned).or_else(|| spec.npm_spec());
        match package {
            Some(package) => {
                let (npm, node_dir) = find_npm(env)?;
                let staged = Staged::prepare(root, spec.kind.as_str(), spec.program)
                    .map_err(|source| InstallError::Folder { folder: root.display().to_string(), source })?;
                let mut command = Self::npm(npm, &package, &staged.partial);
                // npm starts with `#!/usr/bin/env node`: the Node.js found must be on its PATH,
                // also when Warden itself started without it (a desktop launcher's PATH).
                let path = std::env::join_paths(std::iter::once(node_dir).chain(env.path.iter().flat_map(std::env::split_paths)))
                    .unwrap_or_default();
                command.env.push(("PATH".into(), path));
                command.staged = Some(staged);
                Ok(command)
            }
            None if !confirmed => Err(InstallError::NeedsConfirmation(spec.install.to_owned())),
            None => Ok(Self {
                program: PathBuf::from("/bin/sh"),
                args: vec!["-c".into(), spec.install.into()],
                env: Vec::new(),
                cwd: env.home.clone().filter(|h| h.is_dir()).unwrap_or_else(std::env::temp_dir),
                shown: spec.install.to_owned(),
                staged: None,
            }),
        }
    }

    /// `npm install <package>` into the folder `prefix` (its `node_modules`) with a given npm;
    /// `package` may be a registry spec, a local folder or a tarball.
    pub fn npm(npm: PathBuf, package: &str, prefix: &Path) -> Self {
        Self {
            program: npm,
            args: ["install", "--prefix"].map(OsString::from).into_iter().chain([prefix.as_os_str().to_owned(), package.into()]).collect(),
            // Progress as plain lines (one per download), no colour codes, no funding, audit or
            // update nags.
            env: [
                ("npm_config_color", "false"),
                ("npm_config_fund", "false"),
                ("npm_config_audit", "false"),
                ("npm_config_update_notifier", "false"),
                ("npm_config_loglevel", "http"),
            ]
            .map(|(k, v)| (k.into(), v.into()))
            .to_vec(),
            cwd: prefix.to_owned(),
            shown: format!("npm install {package}"),
            staged: None,
        }
    }
}

/// npm and the folder of the Node.js it runs on: beside npm (an nvm or official install), else
/// on PATH or in the usual folders.
fn find_npm(env: &DetectEnv) -> Result<(PathBuf, PathBuf), InstallError> {
    find_npm_in(env, &["/usr/local/bin", "/opt/homebrew/bin", "/usr/bin"])
}

/// [`find_npm`] with the folders searched after PATH.
fn find_npm_in(env: &DetectEnv, usual: &[&str]) -> Result<(PathBuf, PathBuf), InstallError> {
    let find = |name: &str| {
        super::find_custom(name, env).or_else(|| usual.iter().map(|d| Path::new(d).join(name)).find(|p| crate::discovery::is_executable(p)))
    };
    let npm = find("npm").ok_or(InstallError::NoNpm)?;
    let beside = npm.parent().map(|d| d.join("node")).filter(|p| crate::discovery::is_executable(p));
    let node = beside.or_else(|| find("node")).ok_or_else(|| InstallError::NoNode(npm.display().to_string()))?;
    let node_dir = node.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((npm, node_dir))
}

/// Why npm failed, in plain words, from one of its output lines; `None` when the line does not
/// say. npm prints its error code (`npm error code ENOTFOUND`) before the details.
pub fn explain_npm_line(line: &str) -> Option<String> {
    const NETWORK: [&str; 7] = ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "ENETUNREACH", "EHOSTUNREACH"];
    if let Some(code) = NETWORK.iter().find(|c| line.contains(**c)) {
        return Some(format!(
            "npm could not reach the package registry ({code}): check the network connection, or npm's proxy and registry settings"
        ));
    }
    if line.contains("E404") {
        return Some("the package was not found on the npm registry".to_owned());
    }
    if line.contains("EACCES") || line.contains("EPERM") {
        return Some("npm was not allowed to write a file it needed (see its output)".to_owned());
    }
    if line.contains("ENOSPC") {
        return Some("the disk is full".to_owned());
    }
    None
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
                if let Some(staged) = &command.staged {
                    staged.discard();
                }
                return Err(InstallError::Spawn { program: command.program.display().to_string(), source });
            }
        };
        // Nothing is typed into an installer: its stdin ends at once, so a question fails
        // instead of hanging.
        drop(pipes.stdin);
        let (events, rx) = mpsc::unbounded_channel();
        let _ = events.send(InstallEvent::Started { command: command.shown });
        let running = self.running.clone();
        let staged = command.staged;
        tokio::spawn(async move {
            let mut finished = supervise(process, pipes.stdout, pipes.stderr, cancel_rx, events.clone()).await;
            // Only a whole, successful install is moved into place; anything else is removed.
            if let Some(staged) = staged {
                if finished.success {
                    if let Err(why) = staged.commit() {
                        finished.success = false;
                        finished.error = Some(why);
                    }
                } else {
                    staged.discard();
                }
            }
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
    // The first line that says why npm failed, in plain words.
    let mut why: Option<String> = None;
    let mut send = |stream, line: Vec<u8>| {
        let line = String::from_utf8_lossy(&line).trim_end_matches('\r').to_owned();
        if why.is_none() {
            why = explain_npm_line(&line);
        }
        let _ = events.send(InstallEvent::Output { stream, line });
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
    let status = status.unwrap_or(crate::process::ExitStatusInfo { code: None, signal: None });
    let success = !cancelled && status.code == Some(0);
    let error = if success || cancelled { None } else { why };
    InstallFinished { success, code: status.code, signal: status.signal, cancelled, error }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn exe(path: &Path) {
        std::fs::write(path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn a_missing_npm_or_node_is_said_before_anything_runs() {
        let npm_only = tempfile::tempdir().unwrap();
        let node_only = tempfile::tempdir().unwrap();
        let env = |dirs: &[&Path]| DetectEnv { path: Some(std::env::join_paths(dirs).unwrap()), home: None, vars: Default::default() };
        let none = find_npm_in(&env(&[]), &[]).unwrap_err();
        assert!(matches!(none, InstallError::NoNpm) && none.to_string().contains("install Node.js"), "{none}");
        exe(&npm_only.path().join("npm"));
        let no_node = find_npm_in(&env(&[npm_only.path()]), &[]).unwrap_err();
        assert!(matches!(no_node, InstallError::NoNode(_)) && no_node.to_string().contains("not Node.js"), "{no_node}");
        // Node.js elsewhere on PATH is the one npm gets on its PATH.
        exe(&node_only.path().join("node"));
        let (npm, node_dir) = find_npm_in(&env(&[npm_only.path(), node_only.path()]), &[]).unwrap();
        assert_eq!((npm, node_dir), (npm_only.path().join("npm"), node_only.path().to_path_buf()));
    }

    #[test]
    fn npms_failures_are_told_in_plain_words() {
        let offline = explain_npm_line("npm error code ENOTFOUND").unwrap();
        assert!(offline.contains("could not reach the package registry (ENOTFOUND)"), "{offline}");
        assert!(explain_npm_line("npm error code E404").unwrap().contains("not found on the npm registry"));
        assert_eq!(explain_npm_line("added 1 package in 2s"), None);
    }
}
