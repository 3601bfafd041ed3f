//! Commands for remote projects: open a folder on a host (ssh, a container, a command), install
//! the matching headless Warden there with its progress, forward one engine call, follow a
//! remote session in a tab, close a connection, and the recent remote projects. Each is a thin
//! wrapper of [`RemoteWindow`]; the connection's state reaches the window as
//! [`RemoteConnectionChanged`].

use crate::error::IpcError;
use crate::remote_window::types::*;
use crate::remote_window::{recent, RemoteWindow, RECONNECT_PAUSES};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_specta::Event;
use warden_core::session::{SessionEvent, SessionId};
use warden_core::terminal::{TerminalCommand, TerminalEvent, TerminalOpened};
use warden_remote::{Request, Response};

/// A remote connection's state changed (connected, reconnecting with its attempt and next try,
/// gone with the reason, closed).
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct RemoteConnectionChanged {
    /// The connection.
    pub connection: RemoteConnectionId,
    /// Where it reaches, in words.
    pub label: String,
    /// Its state now.
    pub state: RemoteConnectionState,
}

/// File › Open Remote Project… was chosen: the window shows its dialog.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type, Event)]
pub struct RemoteDialogRequested;

/// Puts the window's [`RemoteWindow`] in the app's state: remote sessions' events go to the
/// same session channels as local ones; state changes become [`RemoteConnectionChanged`].
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let engine = state.engine.clone();
    let is_local = Box::new(move |id: &SessionId| engine.sessions().handle(id).is_some() || matches!(engine.store().session(id), Ok(Some(_))));
    let handle = app.clone();
    let on_state = Box::new(move |connection, label, state| {
        let _ = RemoteConnectionChanged { connection, label, state }.emit(&handle);
    });
    app.manage(RemoteWindow::new(state.channels.clone(), is_local, on_state, RECONNECT_PAUSES.to_vec()));
}

/// Opens a folder on a host: connects (or reuses the connection to the same place), opens it
/// in the host's engine, follows its running sessions and remembers it among the recent remote
/// projects. When Warden is missing there or of another version, says what the host has so the
/// window can offer `remote_install`.
#[tauri::command]
#[specta::specta]
pub async fn remote_open<R: Runtime>(app: AppHandle<R>, target: RemoteTarget) -> Result<RemoteOpenOutcome, IpcError> {
    let outcome = app.state::<RemoteWindow>().open(&target).await?;
    if let RemoteOpenOutcome::Opened(opened) = &outcome {
        let store = app.state::<AppState>().store_path.clone();
        let entry = RecentRemoteProject::of(&opened.target, opened.label.clone(), crate::publish::now_ms());
        let list = recent::remember(crate::recent_store::load_remote(&app, &store), entry);
        if let Err(e) = crate::recent_store::save_remote(&app, &store, &list) {
            tracing::warn!("the recent remote projects could not be saved: {e}");
        }
    }
    Ok(outcome)
}

/// Installs this installation's headless `warden` on the host (`~/.local/bin/warden`), after
/// checking it runs the same operating system and architecture; each step goes to `progress`.
#[tauri::command]
#[specta::specta]
pub async fn remote_install(remote: State<'_, RemoteWindow>, target: RemoteTarget, progress: Channel<RemoteInstallProgress>) -> Result<RemoteHost, IpcError> {
    let binary = crate::cli::executables::headless_executable().map_err(IpcError::internal)?;
    remote
        .install(&target, &binary, |step| {
            let _ = progress.send(step);
        })
        .await
}

/// One engine call on the host of `connection` (warden-remote's `Request`, answered by its
/// `Response`).
#[tauri::command]
#[specta::specta]
pub async fn remote_call(remote: State<'_, RemoteWindow>, connection: RemoteConnectionId, request: Request) -> Result<Response, IpcError> {
    remote.call(&connection, request).await
}

/// Follows a remote session, as `session_subscribe` a local one: `channel` gets its events from
/// now on (across reconnects, no gap, no duplicate); the stored ones after `after_seq` are
/// returned. `session_unsubscribe` ends it.
#[tauri::command]
#[specta::specta]
pub async fn remote_session_subscribe(
    remote: State<'_, RemoteWindow>,
    connection: RemoteConnectionId,
    session_id: SessionId,
    after_seq: u64,
    channel: Channel<SessionEvent>,
) -> Result<Vec<SessionEvent>, IpcError> {
    remote.subscribe(&connection, &session_id, after_seq, channel).await
}

/// Opens a terminal on the host of `connection` in `project` of `cols`×`rows` cells (the
/// person's shell there, or `command`'s agent interface); its output, then its exit, go to
/// `channel`, across reconnects. Type, resize and close it with `remote_call`.
#[tauri::command]
#[specta::specta]
pub async fn remote_terminal_open(
    remote: State<'_, RemoteWindow>,
    connection: RemoteConnectionId,
    project: String,
    cols: u16,
    rows: u16,
    command: Option<TerminalCommand>,
    channel: Channel<TerminalEvent>,
) -> Result<TerminalOpened, IpcError> {
    remote.terminal_open(&connection, project, cols, rows, command, channel).await
}

/// Closes a connection; the host's sessions go on there.
#[tauri::command]
#[specta::specta]
pub async fn remote_close(remote: State<'_, RemoteWindow>, connection: RemoteConnectionId) -> Result<(), IpcError> {
    remote.close(&connection).await
}

/// Every connection and its state (for a window that reloads).
#[tauri::command]
#[specta::specta]
pub fn remote_connections(remote: State<'_, RemoteWindow>) -> Vec<RemoteConnectionView> {
    remote.connections()
}

/// Every remote session the window knows, with its connection: how the window tells a remote
/// session (and its questions) from a local one.
#[tauri::command]
#[specta::specta]
pub fn remote_sessions(remote: State<'_, RemoteWindow>) -> Vec<RemoteSessionRef> {
    remote.sessions()
}

/// The recent remote projects, newest first.
#[tauri::command]
#[specta::specta]
pub fn remote_recent<R: Runtime>(app: AppHandle<R>) -> Vec<RecentRemoteProject> {
    let store = app.state::<AppState>().store_path.clone();
    crate::recent_store::load_remote(&app, &store)
}

/// Forgets a recent remote project; the list as it is now.
#[tauri::command]
#[specta::specta]
pub fn remote_recent_forget<R: Runtime>(app: AppHandle<R>, kind: RemoteKind, destination: String, folder: String) -> Result<Vec<RecentRemoteProject>, IpcError> {
    let store = app.state::<AppState>().store_path.clone();
    let list = recent::forget(crate::recent_store::load_remote(&app, &store), kind, &destination, &folder);
    crate::recent_store::save_remote(&app, &store, &list).map_err(IpcError::internal)?;
    Ok(list)
}
