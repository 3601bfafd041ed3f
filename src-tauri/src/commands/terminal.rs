//! Commands for the Terminal panel: a shell (or an agent's own interface) on a real PTY in the
//! project folder, its output streamed to the window over a typed channel. The engine's
//! terminal module decides what runs ([`panel_spec`]) and turns the output into text messages
//! ([`TextStream`]); these commands look up, call it and map the error.

use crate::error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;
use warden_core::terminal::{TerminalCommand, TerminalEvent, TerminalId, TerminalOpened};
use warden_engine::terminal::{panel_spec, Terminals, TerminalError, TextStream};

/// The window's terminals, kept in `tauri::State` beside [`AppState`]. Quitting releases them all.
#[derive(Default)]
pub struct WindowTerminals(pub Arc<Terminals>);

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
    let resume = match command.as_ref().and_then(|c| c.resume.as_ref()) {
        None => None,
        Some(id) => {
            let record = state.engine.store().session(id).map_err(IpcError::internal)?;
            Some(record.ok_or_else(|| IpcError::internal(format!("there is no session {}", id.0)))?)
        }
    };
    let (spec, title) = panel_spec(&cwd, cols, rows, command.map(|c| c.agent), resume.as_ref()).await.map_err(ipc_error)?;
    let registry = terminals.0.clone();
    let id = registry.spawn(spec).map_err(ipc_error)?;
    let subscription = registry.subscribe(id).map_err(ipc_error)?;
    tauri::async_runtime::spawn(forward_terminal(registry, id, TextStream::new(subscription), channel));
    Ok(TerminalOpened { id, title })
}

/// Types `data` into the terminal (keys, or pasted text). Writes are queued in call order and
/// never wait for the program to read them.
#[tauri::command]
#[specta::specta]
pub fn terminal_write(terminals: State<'_, WindowTerminals>, id: TerminalId, data: String) -> Result<(), IpcError> {
    terminals.0.write(id, data.as_bytes()).map_err(ipc_error)
}

/// Gives the terminal a new size in character cells; the program is told (SIGWINCH).
#[tauri::command]
#[specta::specta]
pub fn terminal_resize(terminals: State<'_, WindowTerminals>, id: TerminalId, cols: u16, rows: u16) -> Result<(), IpcError> {
    terminals.0.resize(id, cols, rows).map_err(ipc_error)
}

/// Closes a terminal: its process group is killed and the terminal forgotten. Closing one that
/// is already gone is not an error (its tab may close after its process ended and was released).
#[tauri::command]
#[specta::specta]
pub fn terminal_close(terminals: State<'_, WindowTerminals>, id: TerminalId) -> Result<(), IpcError> {
    match terminals.0.release(id) {
        Ok(()) | Err(TerminalError::NotFound(_)) => Ok(()),
        Err(e) => Err(ipc_error(e)),
    }
}

/// Sends the terminal's messages to the window until it ends. A window that can no longer be
/// reached cannot show or close the terminal, so the terminal is released then. (Also the
/// login terminals of `commands::agents`.)
pub(crate) async fn forward_terminal(terminals: Arc<Terminals>, id: TerminalId, mut stream: TextStream, channel: Channel<TerminalEvent>) {
    while let Some(event) = stream.next().await {
        let last = matches!(event, TerminalEvent::Exited(_));
        if channel.send(event).is_err() && !last {
            tracing::info!(terminal = %id, "the window no longer hears this terminal; releasing it");
            let _ = terminals.release(id);
            return;
        }
    }
}

/// A missing agent keeps its code, so the window can offer to install it.
fn ipc_error(err: TerminalError) -> IpcError {
    match err {
        TerminalError::AgentUnavailable(e) => IpcError { code: IpcErrorCode::AgentUnavailable, message: e.to_string() },
        other => IpcError::internal(other),
    }
}
