//! Commands about a remote project's host itself that need a channel (the others go through
//! `remote_call` as `Request::Host`): installing an agent there with its progress, and opening
//! an agent's login flow in a terminal there.

use crate::error::IpcError;
use crate::remote_window::types::RemoteConnectionId;
use crate::remote_window::RemoteWindow;
use tauri::ipc::Channel;
use tauri::State;
use warden_core::agent::InstallEvent;
use warden_core::session::AgentKind;
use warden_core::terminal::{TerminalEvent, TerminalOpened};

/// Installs a preset agent on the host of `connection` (into its own agents folder), sending
/// the host's progress to `channel` as `agent_install` does for this machine. Returns once the
/// install started there.
#[tauri::command]
#[specta::specta]
pub async fn remote_agent_install(
    remote: State<'_, RemoteWindow>,
    connection: RemoteConnectionId,
    kind: AgentKind,
    confirmed: bool,
    channel: Channel<InstallEvent>,
) -> Result<(), IpcError> {
    remote.agent_install(&connection, kind, confirmed, channel).await
}

/// Opens a terminal on the host of `connection` running `kind`'s own login flow; its output
/// goes to `channel`. It is typed into, resized and closed like any host terminal.
#[tauri::command]
#[specta::specta]
pub async fn remote_agent_login_open(
    remote: State<'_, RemoteWindow>,
    connection: RemoteConnectionId,
    kind: AgentKind,
    cols: u16,
    rows: u16,
    channel: Channel<TerminalEvent>,
) -> Result<TerminalOpened, IpcError> {
    remote.agent_login(&connection, kind, cols, rows, channel).await
}
