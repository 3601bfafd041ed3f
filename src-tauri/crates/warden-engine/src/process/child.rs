//! Spawning an agent and ending everything it started.
//!
//! npm launchers start native children, agents start shells that start compilers, and Claude
//! Code starts each Bash command in a session of its own: killing only the process Warden
//! started, or only its process group, leaves the rest running. On Unix each agent leads a new
//! process group, is marked and (on Linux) made a child subreaper so its whole tree can be found
//! and ended ([`super::tree`]); on Windows it runs in a Job Object that is terminated, and closed
//! with Warden (`warden_platform::job`).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::process::{ChildStderr, ChildStdin, ChildStdout, Command};
use tokio::sync::{mpsc, oneshot};

/// What to start.
#[derive(Debug, Clone)]
pub struct SpawnSpec {
    /// The executable.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// The folder it runs in.
    pub cwd: PathBuf,
    /// Variables to set on top of Warden's own environment.
    pub env: Vec<(OsString, OsString)>,
    /// Variables to remove from it.
    pub env_remove: Vec<OsString>,
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitStatusInfo {
    /// Exit code, when it exited.
    pub code: Option<i32>,
    /// The signal that killed it, on Unix.
    pub signal: Option<i32>,
}

/// A running agent process. Dropping it ends every process it started.
#[derive(Debug)]
pub struct AgentProcess {
    pid: Option<u32>,
    #[cfg(unix)]
    tree: Option<super::tree::Tree>,
    #[cfg(windows)]
    job: Option<warden_platform::job::Job>,
    kill: Option<mpsc::Sender<()>>,
    exit: Option<oneshot::Receiver<ExitStatusInfo>>,
}

/// The pipes of a freshly spawned process.
pub struct Pipes {
    /// Its stdin.
    pub stdin: ChildStdin,
    /// Its stdout.
    pub stdout: ChildStdout,
    /// Its stderr.
    pub stderr: ChildStderr,
}

impl AgentProcess {
    /// Starts `spec` with piped stdio in a new process group (Unix) or a Job Object (Windows).
    pub fn spawn(spec: &SpawnSpec) -> std::io::Result<(Self, Pipes)> {
        let mut command = Command::new(&spec.program);
        command
            .args(&spec.args)
            .current_dir(&spec.cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for key in &spec.env_remove {
            command.env_remove(key);
        }
        command.envs(spec.env.iter().map(|(k, v)| (k, v)));
        #[cfg(unix)]
        let tag = super::tree::Tree::new_tag();
        #[cfg(unix)]
        {
            command.env(super::tree::TAG_VAR, &tag);
            command.process_group(0);
        }
        #[cfg(target_os = "linux")]
        // SAFETY: runs in the child between fork and exec and only makes one system call, which
        // is async-signal-safe. The attribute survives exec: orphans of the agent's commands
        // are re-parented to the agent rather than init, so they stay in its tree.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
                Ok(())
            });
        }
        #[cfg(windows)]
        {
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
            command.creation_flags(CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP);
        }
        let mut child = command.spawn()?;
        let pipes = Pipes {
            stdin: child.stdin.take().expect("stdin is piped"),
            stdout: child.stdout.take().expect("stdout is piped"),
            stderr: child.stderr.take().expect("stderr is piped"),
        };
        let pid = child.id();
        #[cfg(unix)]
        let tree = pid.map(|pid| super::tree::Tree::new(pid, tag));
        #[cfg(windows)]
        let job = child.raw_handle().and_then(warden_platform::job::Job::containing);
        let (kill_tx, mut kill_rx) = mpsc::channel::<()>(1);
        let (exit_tx, exit_rx) = oneshot::channel();
        // The waiter owns the `Child`, so the actor can wait for the exit and still kill.
        tokio::spawn(async move {
            let status = tokio::select! {
                status = child.wait() => status,
                _ = kill_rx.recv() => {
                    let _ = child.start_kill();
                    child.wait().await
                }
            };
            let info = match status {
                Ok(s) => exit_info(s),
                Err(e) => {
                    tracing::warn!("waiting for the agent failed: {e}");
                    ExitStatusInfo { code: None, signal: None }
                }
            };
            let _ = exit_tx.send(info);
        });
        let process = Self {
            pid,
            #[cfg(unix)]
            tree,
            #[cfg(windows)]
            job,
            kill: Some(kill_tx),
            exit: Some(exit_rx),
        };
        Ok((process, pipes))
    }

    /// The process id (and process group id) of the agent.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// Takes the receiver that gets the exit status once.
    pub fn take_exit(&mut self) -> Option<oneshot::Receiver<ExitStatusInfo>> {
        self.exit.take()
    }

    /// Notes every process the agent started so far, so they are still ended after the agent
    /// exits on its own (its orphans then lose their parent). Called when a stop begins, before
    /// the agent is asked to exit.
    pub fn remember_tree(&self) {
        #[cfg(unix)]
        if let Some(tree) = &self.tree {
            tree.remember();
        }
    }

    /// Kills the agent and every process it started (its group, its descendants, anything
    /// carrying its mark, what [`AgentProcess::remember_tree`] collected), at once. Also after
    /// the agent exited: what it left behind ends too.
    pub fn kill_group(&self) {
        #[cfg(unix)]
        if let Some(tree) = &self.tree {
            tree.end();
        }
        #[cfg(windows)]
        if let Some(job) = &self.job {
            job.terminate();
        }
        if let Some(kill) = &self.kill {
            let _ = kill.try_send(());
        }
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        self.kill_group();
    }
}

#[cfg(unix)]
fn exit_info(status: std::process::ExitStatus) -> ExitStatusInfo {
    use std::os::unix::process::ExitStatusExt;
    ExitStatusInfo { code: status.code(), signal: status.signal() }
}

#[cfg(not(unix))]
fn exit_info(status: std::process::ExitStatus) -> ExitStatusInfo {
    ExitStatusInfo { code: status.code(), signal: None }
}
