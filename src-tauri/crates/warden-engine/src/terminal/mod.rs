//! Terminals: programs on real pseudo-terminals, for the window's Terminal panel and for ACP's
//! `terminal/*` methods.
//!
//! # The API
//!
//! [`Terminals`] is a registry (`Send + Sync`, shared behind an `Arc`) of terminals by
//! [`TerminalId`]:
//!
//! - [`Terminals::spawn`] starts a [`TerminalSpec`] (program, arguments, folder, variables,
//!   size, output limit) on a new PTY with `TERM=xterm-256color`. [`TerminalSpec::shell`] is the
//!   person's shell ([`default_shell`]).
//! - [`Terminals::write`] types bytes in (queued, in order, never blocking);
//!   [`Terminals::resize`] changes the size (the program gets SIGWINCH).
//! - [`Terminals::subscribe`] gives the output so far and then every chunk as it is read, and
//!   the exit last ([`TerminalEvent`]). Several subscribers may follow one terminal; a slow one
//!   slows the program, as a slow terminal would.
//! - [`Terminals::output`] is the kept tail of the output (at most the spec's
//!   `output_byte_limit`, cut at a character boundary), whether it was truncated, and the exit
//!   once there is one; [`Terminals::wait_for_exit`] waits for the exit.
//! - [`Terminals::kill`] ends the process but keeps the terminal, so its output can still be
//!   read; [`Terminals::release`] kills it if needed and forgets it.
//!
//! The window's Terminal panel starts what [`panel_spec`] gives (the shell, or an agent's own
//! interface) and follows a subscription through a [`TextStream`]: text of whole characters in
//! batched messages, then the exit, in core's [`warden_core::terminal::TerminalEvent`]s.
//!
//! # Processes
//!
//! The program leads a new session and process group on its PTY. An interactive shell runs
//! each job in a group of its own, so killing sends SIGHUP to the program's group, the
//! terminal's foreground job and (on Linux) every other group of the session, closes the PTY,
//! and sends SIGKILL to the same groups once the program ended or after a second. Dropping the
//! registry releases every terminal; [`Terminals::shutdown`] also waits for the SIGKILL, so no
//! shell or job outlives the app.
//!
//! # Threads
//!
//! portable-pty's handles block. Each terminal has a reader thread, a writer thread and a
//! thread waiting for the process; the async API only touches shared state and channels. The
//! exit is recorded after the reader reached the end of the output (or after two seconds, when
//! a background process still holds the PTY open).

mod agent_tui;
mod output;
mod panel;
#[cfg(unix)]
mod process_groups;
mod pty;
mod spec;
mod text_stream;

pub use agent_tui::{agent_tui, AgentTui};
pub use output::{OutputTail, Utf8Decoder, DEFAULT_OUTPUT_LIMIT};
pub use panel::panel_spec;
pub use text_stream::{TextStream, MESSAGE_LIMIT};
pub use spec::{
    default_shell, Subscription, TerminalError, TerminalEvent, TerminalExit, TerminalId, TerminalOutput, TerminalSpec,
};

use pty::Terminal;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Every terminal of the app (or of one ACP session), by id.
#[derive(Default)]
pub struct Terminals {
    terminals: Mutex<HashMap<TerminalId, Arc<Terminal>>>,
    last_id: AtomicU64,
}

impl Terminals {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts `spec` on a new PTY. Fails with a message for people when the folder is missing,
    /// the size is zero or the program cannot be started.
    pub fn spawn(&self, spec: TerminalSpec) -> Result<TerminalId, TerminalError> {
        let id = TerminalId(self.last_id.fetch_add(1, Ordering::Relaxed) + 1);
        let terminal = Terminal::spawn(&spec, &id.to_string())?;
        self.lock().insert(id, Arc::new(terminal));
        Ok(id)
    }

    /// Types `bytes` into the terminal. Queued and written in call order; never blocks.
    pub fn write(&self, id: TerminalId, bytes: &[u8]) -> Result<(), TerminalError> {
        self.get(id)?.write(bytes)
    }

    /// Changes the terminal's size in character cells.
    pub fn resize(&self, id: TerminalId, cols: u16, rows: u16) -> Result<(), TerminalError> {
        self.get(id)?.resize(cols, rows)
    }

    /// The output kept so far, and every later chunk and the exit as they happen.
    pub fn subscribe(&self, id: TerminalId) -> Result<Subscription, TerminalError> {
        Ok(self.get(id)?.subscribe())
    }

    /// The kept tail of the output, whether older output was dropped, and the exit if the
    /// process has ended.
    pub fn output(&self, id: TerminalId) -> Result<TerminalOutput, TerminalError> {
        let (text, truncated, exit) = self.get(id)?.output();
        Ok(TerminalOutput { text, truncated, exit })
    }

    /// Waits until the terminal's process ends and returns how it ended (at once if it has).
    pub async fn wait_for_exit(&self, id: TerminalId) -> Result<TerminalExit, TerminalError> {
        let terminal = self.get(id)?;
        Ok(terminal.wait_for_exit().await)
    }

    /// The process id of the terminal's program (the leader of its process group).
    pub fn pid(&self, id: TerminalId) -> Result<Option<u32>, TerminalError> {
        Ok(self.get(id)?.pid())
    }

    /// Kills the terminal's process group and closes its PTY; its output stays readable until
    /// [`Terminals::release`]. Killing an ended terminal does nothing.
    pub fn kill(&self, id: TerminalId) -> Result<(), TerminalError> {
        self.get(id)?.kill();
        Ok(())
    }

    /// Kills the terminal if it still runs and forgets it: its id finds nothing afterwards.
    pub fn release(&self, id: TerminalId) -> Result<(), TerminalError> {
        let terminal = self.lock().remove(&id).ok_or(TerminalError::NotFound(id))?;
        terminal.kill();
        Ok(())
    }

    /// Releases every terminal (the app quitting, an ACP session ending).
    pub fn release_all(&self) {
        let all: Vec<_> = self.lock().drain().collect();
        if !all.is_empty() {
            tracing::info!(count = all.len(), "releasing every terminal");
        }
        for (_, terminal) in all {
            terminal.kill();
        }
    }

    /// Releases every terminal and waits (at most about a second) until their processes have
    /// ended, sending SIGKILL to what ignored the hangup: for the app quitting, when no thread
    /// would be left to finish the kill.
    pub fn shutdown(&self) {
        let all: Vec<_> = self.lock().drain().map(|(_, t)| t).collect();
        for terminal in &all {
            terminal.kill();
        }
        let deadline = std::time::Instant::now() + pty::KILL_GRACE;
        for terminal in &all {
            terminal.finish_kill(deadline);
        }
    }

    /// The ids of the terminals held, in order of opening.
    pub fn ids(&self) -> Vec<TerminalId> {
        let mut ids: Vec<_> = self.lock().keys().copied().collect();
        ids.sort();
        ids
    }

    fn get(&self, id: TerminalId) -> Result<Arc<Terminal>, TerminalError> {
        self.lock().get(&id).cloned().ok_or(TerminalError::NotFound(id))
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<TerminalId, Arc<Terminal>>> {
        // A map of handles: a panic elsewhere cannot leave it half-changed.
        self.terminals.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for Terminals {
    fn drop(&mut self) {
        self.release_all();
    }
}
