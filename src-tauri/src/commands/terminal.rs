//! Commands for the Terminal panel: a shell (or an agent's own interface) on a real PTY in the
//! project folder, its output streamed to the window over a typed channel.
//!
//! Output crosses as text: the engine's bytes are decoded as UTF-8 here, a character split
//! between two reads held back until it is whole. A string goes into xterm.js as it is, stays
//! readable in the IPC log, and costs less than base64 (+33% on every byte) except for the
//! escape character, which JSON writes as six. Bytes that are not UTF-8 arrive as U+FFFD, which
//! is what xterm.js would draw for them anyway.

use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::Path;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;
use warden_core::session::{AgentKind, SessionId};
use warden_engine::terminal::{self as engine, agent_tui, Terminals, TerminalError, TerminalSpec, Utf8Decoder};

/// The most text one output message carries: chunks read meanwhile are joined up to this, so a
/// fast printer costs a few large messages rather than thousands of small ones.
const MESSAGE_LIMIT: usize = 256 * 1024;

/// The window's terminals, kept in `tauri::State` beside [`AppState`]. Quitting releases them all.
#[derive(Default)]
pub struct WindowTerminals(pub Arc<Terminals>);

/// A terminal of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub struct TerminalId(pub u64);

impl From<engine::TerminalId> for TerminalId {
    fn from(id: engine::TerminalId) -> Self {
        Self(id.0)
    }
}

impl From<TerminalId> for engine::TerminalId {
    fn from(id: TerminalId) -> Self {
        Self(id.0)
    }
}

/// What to run instead of the person's shell: an agent's own interactive interface.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalCommand {
    /// The agent whose interface to open (an ACP adapter opens its agent's CLI).
    pub agent: AgentKind,
    /// A Warden session of that agent to resume in it, where its CLI can resume.
    pub resume: Option<SessionId>,
}

/// A terminal that was opened.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalOpened {
    /// Its id for the other terminal commands.
    pub id: TerminalId,
    /// What its tab says: the shell's name, or the agent's (with "resumed" when it resumed).
    pub title: String,
}

/// How a terminal's process ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TerminalExit {
    /// Its exit code, when it exited by itself.
    pub code: Option<u32>,
    /// The signal that ended it (`SIGHUP`), on Unix.
    pub signal: Option<String>,
}

/// What a terminal sends to the window, in order; `exited` is last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum TerminalEvent {
    /// Text the terminal printed (with its escape sequences), whole characters only.
    Output(String),
    /// The process ended.
    Exited(TerminalExit),
}

/// Opens a terminal in `project` of `cols`×`rows` cells running the person's shell, or
/// `command`'s agent interface. Its output, from the first byte, and then its exit go to
/// `channel`.
#[tauri::command]
#[specta::specta]
pub async fn terminal_open(
    state: State<'_, AppState>,
    terminals: State<'_, WindowTerminals>,
    project: String,
    cols: u16,
    rows: u16,
    command: Option<TerminalCommand>,
    channel: Channel<TerminalEvent>,
) -> Result<TerminalOpened, IpcError> {
    let cwd = warden_engine::resolve_project_dir(&project)?;
    let (spec, title) = match command {
        None => {
            let spec = TerminalSpec::shell(&cwd, cols, rows);
            let title = spec.program.file_stem().map_or_else(|| "Shell".to_owned(), |s| s.to_string_lossy().into_owned());
            (spec, title)
        }
        Some(command) => agent_spec(&state, &cwd, cols, rows, command).await?,
    };
    let registry = terminals.0.clone();
    let id = registry.spawn(spec).map_err(ipc_error)?;
    let subscription = registry.subscribe(id).map_err(ipc_error)?;
    tauri::async_runtime::spawn(forward(registry, id, subscription, channel));
    Ok(TerminalOpened { id: id.into(), title })
}

/// Types `data` into the terminal (keys, or pasted text). Writes are queued in call order and
/// never wait for the program to read them.
#[tauri::command]
#[specta::specta]
pub fn terminal_write(terminals: State<'_, WindowTerminals>, id: TerminalId, data: String) -> Result<(), IpcError> {
    terminals.0.write(id.into(), data.as_bytes()).map_err(ipc_error)
}

/// Gives the terminal a new size in character cells; the program is told (SIGWINCH).
#[tauri::command]
#[specta::specta]
pub fn terminal_resize(terminals: State<'_, WindowTerminals>, id: TerminalId, cols: u16, rows: u16) -> Result<(), IpcError> {
    terminals.0.resize(id.into(), cols, rows).map_err(ipc_error)
}

/// Closes a terminal: its process group is killed and the terminal forgotten. Closing one that
/// is already gone is not an error (its tab may close after its process ended and was released).
#[tauri::command]
#[specta::specta]
pub fn terminal_close(terminals: State<'_, WindowTerminals>, id: TerminalId) -> Result<(), IpcError> {
    match terminals.0.release(id.into()) {
        Ok(()) | Err(TerminalError::NotFound(_)) => Ok(()),
        Err(e) => Err(ipc_error(e)),
    }
}

/// The agent interface `command` names, found where discovery finds the agent, and its title.
async fn agent_spec(
    state: &AppState,
    cwd: &Path,
    cols: u16,
    rows: u16,
    command: TerminalCommand,
) -> Result<(TerminalSpec, String), IpcError> {
    let agent_session = match &command.resume {
        None => None,
        Some(id) => {
            let record = state.engine.store().session(id).map_err(IpcError::internal)?;
            let record = record.ok_or_else(|| IpcError::internal(format!("there is no session {}", id.0)))?;
            if record.agent != command.agent {
                return Err(IpcError::internal(format!(
                    "session {} is a {} session, not {}",
                    id.0,
                    record.agent.as_str(),
                    command.agent.as_str()
                )));
            }
            record.agent_session_id
        }
    };
    let tui = agent_tui(command.agent, agent_session.as_deref()).map_err(ipc_error)?;
    let binary = warden_engine::discovery::find_agent(tui.cli)
        .await
        .map_err(|e| IpcError { code: IpcErrorCode::AgentUnavailable, message: e.to_string() })?;
    let name = warden_core::agent::spec(tui.cli).map_or(tui.cli.as_str(), |s| s.name);
    let title = if tui.resumed { format!("{name} (resumed)") } else { name.to_owned() };
    Ok((TerminalSpec::command(binary.program, tui.args, cwd, cols, rows), title))
}

/// Sends the terminal's output and exit to the window until it ends. A window that can no longer
/// be reached cannot show or close the terminal, so the terminal is released then.
async fn forward(
    terminals: Arc<Terminals>,
    id: engine::TerminalId,
    mut subscription: engine::Subscription,
    channel: Channel<TerminalEvent>,
) {
    let mut decoder = Utf8Decoder::new();
    let mut text = decoder.push(&subscription.backlog);
    let mut exit = None;
    loop {
        // Everything already read goes in one message (up to the limit).
        while exit.is_none() && text.len() < MESSAGE_LIMIT {
            match subscription.events.try_recv() {
                Ok(engine::TerminalEvent::Output(bytes)) => text += &decoder.push(&bytes),
                Ok(engine::TerminalEvent::Exited(e)) => exit = Some(e),
                Err(_) => break,
            }
        }
        if exit.is_some() {
            text += &decoder.finish();
        }
        if !text.is_empty() && channel.send(TerminalEvent::Output(std::mem::take(&mut text))).is_err() {
            break;
        }
        if let Some(e) = exit.take() {
            let _ = channel.send(TerminalEvent::Exited(TerminalExit { code: e.code, signal: e.signal }));
            return;
        }
        match subscription.events.recv().await {
            Some(engine::TerminalEvent::Output(bytes)) => text = decoder.push(&bytes),
            Some(engine::TerminalEvent::Exited(e)) => exit = Some(e),
            None => return,
        }
    }
    tracing::info!(terminal = %id, "the window no longer hears this terminal; releasing it");
    let _ = terminals.release(id);
}

fn ipc_error(err: TerminalError) -> IpcError {
    IpcError::internal(err)
}
