//! Commands of the Agents screen and the first-run welcome: every agent detected (at once from
//! the kept versions, then checked in the background), installing one into Warden's agents
//! folder with live progress, logging in to one in a terminal, and the custom ACP agents,
//! which the engine keeps.

use crate::commands::terminal::{forward_terminal, WindowTerminals};
use crate::error::{IpcError, IpcErrorCode};
use crate::events::AgentsRefreshed;
use crate::state::AppState;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;
use warden_core::agent::{AgentView, CustomAgent, InstallEvent};
use warden_core::session::AgentKind;
use warden_core::terminal::{TerminalEvent, TerminalOpened};
use warden_engine::agents::{detect_all, DetectEnv, Installs, VersionRefresh};
use warden_engine::terminal::{TerminalError, TextStream};

/// Every preset agent and every custom agent: where it was found, its version, its login, its
/// status. Answers at once from the versions kept for unchanged executables (an agent not seen
/// before is asked its `--version`), then asks every agent again in the background (at most
/// once a minute, or now when `check_now`: the Refresh button) and sends [`AgentsRefreshed`]
/// when that found something different.
#[tauri::command]
#[specta::specta]
pub async fn agents_list<R: Runtime>(app: AppHandle<R>, check_now: Option<bool>) -> Result<Vec<AgentView>, IpcError> {
    let custom = app.state::<AppState>().engine.custom_agents().map_err(IpcError::internal)?;
    let env = DetectEnv::current();
    let views = detect_all(&custom, &env).await;
    let emitter = app.clone();
    let refresh = app.state::<VersionRefresh>();
    if check_now == Some(true) {
        refresh.forget();
    }
    refresh.start(views.clone(), custom, env, move |fresh| {
        tracing::info!("the agents changed since they were last listed");
        if let Err(e) = AgentsRefreshed(fresh).emit(&emitter) {
            tracing::warn!("the refreshed agents were not sent to the window: {e}");
        }
    });
    Ok(views)
}

/// Installs a preset agent, sending its progress to `channel`: `started`, every output line,
/// then `finished` with the exit status. An npm agent goes into Warden's own agents folder
/// (`<data>/agents`) at the version Warden is tested with; a shell installer (goose) runs only
/// with `confirmed`. Returns once the installer started. Async, so it runs on Tauri's Tokio
/// runtime, which the installer's process and its supervision need (a sync command runs on the
/// main thread, outside any runtime).
#[tauri::command]
#[specta::specta]
pub async fn agent_install<R: Runtime>(app: AppHandle<R>, kind: AgentKind, confirmed: bool, channel: Channel<InstallEvent>) -> Result<(), IpcError> {
    let mut events = warden_engine::agents::start_install(&installs(&app), kind, confirmed).map_err(IpcError::internal)?;
    tracing::info!(agent = kind.as_str(), "installing");
    let refresh = app.state::<VersionRefresh>().inner().clone();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = events.recv().await {
            if let InstallEvent::Finished(done) = &event {
                tracing::info!(agent = kind.as_str(), success = done.success, code = ?done.code, cancelled = done.cancelled, error = ?done.error, "install finished");
                // What is installed changed: the next list is checked again at once.
                refresh.forget();
            }
            // A window that went away no longer listens; the install still runs to its end.
            let _ = channel.send(event);
        }
    });
    Ok(())
}

/// Opens a terminal of `cols`×`rows` cells running `kind`'s own login flow (`codex login`,
/// `claude auth login`, Gemini CLI's sign-in screen) in the home folder, its output going to
/// `channel` like any terminal's. The other terminal commands type into it and close it.
#[tauri::command]
#[specta::specta]
pub async fn agent_login_open(
    terminals: tauri::State<'_, WindowTerminals>,
    kind: AgentKind,
    cols: u16,
    rows: u16,
    channel: Channel<TerminalEvent>,
) -> Result<TerminalOpened, IpcError> {
    let (spec, title) = warden_engine::agents::login_terminal(kind, cols, rows).await.map_err(terminal_error)?;
    tracing::info!(agent = kind.as_str(), program = %spec.program.display(), "opening a login terminal");
    let registry = terminals.0.clone();
    let id = registry.spawn(spec).map_err(terminal_error)?;
    let subscription = registry.subscribe(id).map_err(terminal_error)?;
    tauri::async_runtime::spawn(forward_terminal(registry, id, TextStream::new(subscription), channel));
    Ok(TerminalOpened { id, title })
}

/// A missing agent keeps its code, so the window can offer to install it.
fn terminal_error(err: TerminalError) -> IpcError {
    match err {
        TerminalError::AgentUnavailable(e) => IpcError { code: IpcErrorCode::AgentUnavailable, message: e.to_string() },
        other => IpcError::internal(other),
    }
}

/// Cancels the running install of `kind` (its whole process group is killed); false when none
/// runs.
#[tauri::command]
#[specta::specta]
pub fn agent_install_cancel<R: Runtime>(app: AppHandle<R>, kind: AgentKind) -> bool {
    installs(&app).cancel(kind)
}

/// Adds a custom agent, or replaces the one named `replacing`. Its name must be unique and not
/// a built-in agent's; the stored (tidied) definition is returned.
#[tauri::command]
#[specta::specta]
pub fn custom_agent_save<R: Runtime>(app: AppHandle<R>, replacing: Option<String>, agent: CustomAgent) -> Result<CustomAgent, IpcError> {
    app.state::<AppState>().engine.save_custom_agent(replacing.as_deref(), &agent).map_err(IpcError::internal)
}

/// Removes the custom agent `name`. Its past sessions stay, under its name.
#[tauri::command]
#[specta::specta]
pub fn custom_agent_remove<R: Runtime>(app: AppHandle<R>, name: String) -> Result<(), IpcError> {
    app.state::<AppState>().engine.remove_custom_agent(&name).map_err(IpcError::internal)
}

/// The installs of this app (`init` manages the registry).
fn installs<R: Runtime>(app: &AppHandle<R>) -> Installs {
    app.state::<Installs>().inner().clone()
}
