//! After the workspace changes: persist it, refresh the native menu, tell the window.
//!
//! Every path that changes the workspace (commands, menu, command line) ends here, so the three
//! never disagree.

use crate::error::IpcError;
use crate::events::WorkspaceChanged;
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;
use warden_core::WorkspaceView;
use warden_engine::folder_exists;

/// Persists the recent list, rebuilds the menu and emits [`WorkspaceChanged`]. Returns the view
/// that was published.
pub fn publish<R: Runtime>(app: &AppHandle<R>) -> WorkspaceView {
    let state = app.state::<AppState>();
    let recent = state.workspace().recent().clone();
    if let Err(e) = crate::recent_store::save(app, &state.store_path, &recent) {
        tracing::error!(error = %e, "saving recent projects failed");
        state.workspace().notify(format!("Recent projects could not be saved: {e}"));
    }
    let view = state.workspace().view(folder_exists);
    // Open projects are watched, closed ones no longer.
    crate::project_watch::sync(app);
    if let Err(e) = crate::menu::refresh(app, &view) {
        tracing::warn!(error = %e, "refreshing the menu failed");
    }
    if let Err(e) = WorkspaceChanged(view.clone()).emit(app) {
        tracing::warn!(error = %e, "emitting WorkspaceChanged failed");
    }
    view
}

/// The current time in milliseconds since the Unix epoch, for "last opened".
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Opens the project at `raw` for a caller that has nobody else to show an error to (the menu,
/// the command line, the folder picker): a failure also becomes a notice in the window.
pub fn open_or_notify<R: Runtime>(app: &AppHandle<R>, raw: &str) -> Result<WorkspaceView, IpcError> {
    let state = app.state::<AppState>();
    let result = warden_engine::open_project(&mut state.workspace(), raw, now_ms());
    match result {
        Ok(project) => {
            tracing::info!(project = %project.id, "opened project");
            Ok(publish(app))
        }
        Err(e) => {
            tracing::warn!(path = raw, error = %e, "opening project failed");
            state.workspace().notify(e.to_string());
            publish(app);
            Err(e.into())
        }
    }
}
