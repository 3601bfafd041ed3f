//! Commands of the Agents screen: every agent detected, installing one with live progress,
//! and the custom ACP agents, which the engine keeps.

use crate::error::IpcError;
use crate::state::AppState;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};
use warden_core::agent::{AgentView, CustomAgent, InstallEvent};
use warden_core::session::AgentKind;
use warden_engine::agents::{detect_all, DetectEnv, InstallCommand, InstallError, Installs};

/// Every preset agent and every custom agent: where it was found, its version, its login, its
/// status. Runs each agent's `--version`, so it takes a moment; nothing else is started.
#[tauri::command]
#[specta::specta]
pub async fn agents_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<AgentView>, IpcError> {
    let custom = app.state::<AppState>().engine.custom_agents().map_err(IpcError::internal)?;
    Ok(detect_all(&custom, &DetectEnv::current()).await)
}

/// Installs a preset agent, sending its progress to `channel`: `started`, every output line,
/// then `finished` with the exit status. A shell installer (goose) runs only with `confirmed`.
/// Returns once the installer started.
#[tauri::command]
#[specta::specta]
pub fn agent_install<R: Runtime>(app: AppHandle<R>, kind: AgentKind, confirmed: bool, channel: Channel<InstallEvent>) -> Result<(), IpcError> {
    let spec = warden_core::agent::spec(kind).ok_or_else(|| IpcError::internal(InstallError::NoPlan(kind.as_str().to_owned())))?;
    let command = InstallCommand::for_plan(&spec.install_plan(), confirmed, &DetectEnv::current()).map_err(IpcError::internal)?;
    let mut events = installs(&app).start(kind, command).map_err(IpcError::internal)?;
    tracing::info!(agent = kind.as_str(), "installing");
    tauri::async_runtime::spawn(async move {
        while let Some(event) = events.recv().await {
            if let InstallEvent::Finished(done) = &event {
                tracing::info!(agent = kind.as_str(), success = done.success, code = ?done.code, cancelled = done.cancelled, "install finished");
            }
            // A window that went away no longer listens; the install still runs to its end.
            let _ = channel.send(event);
        }
    });
    Ok(())
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
