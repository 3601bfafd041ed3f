//! What a click on one of Warden's own menu items does.
//!
//! Kept apart from the menu bar (`menu.rs`) so the app's modules form a DAG: the actions call
//! the project commands, `publish` and `logging`, and `publish` refreshes the bar, but nothing
//! calls back up here except the menu event hook in `lib.rs`.

use crate::menu::MenuAction;
use crate::state::AppState;
use tauri::menu::MenuEvent;
use tauri::{AppHandle, Manager, Runtime};

/// Handles a click on one of Warden's own menu items.
pub fn handle<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let Some(action) = MenuAction::parse(event.id().as_ref()) else { return };
    tracing::debug!(?action, "menu");
    match action {
        MenuAction::OpenProject => crate::commands::projects::pick_and_open(app.clone(), |_| {}),
        MenuAction::OpenRemoteProject => {
            use tauri_specta::Event;
            if let Err(e) = crate::commands::remote::RemoteDialogRequested.emit(app) {
                tracing::warn!(error = %e, "asking the window for the remote project dialog failed");
            }
        }
        MenuAction::OpenRecent(i) => {
            let path = app.state::<AppState>().workspace().recent().entries().get(i).map(|e| e.path.clone());
            if let Some(path) = path {
                // A failure is already shown as a notice.
                let _ = crate::publish::open_or_notify(app, &path);
            }
        }
        MenuAction::ClearRecent => {
            app.state::<AppState>().workspace().clear_recent();
            crate::publish::publish(app);
        }
        MenuAction::CloseProject => {
            let state = app.state::<AppState>();
            let active = state.workspace().active().cloned();
            if let Some(id) = active {
                let _ = state.workspace().close(&id);
                crate::publish::publish(app);
            }
        }
        MenuAction::OpenLogsFolder => crate::logging::open_folder(app),
        MenuAction::CheckForUpdates => {
            use tauri_specta::Event;
            if let Err(e) = crate::updates::UpdateDialogRequested.emit(app) {
                tracing::warn!(error = %e, "asking the window to check for updates failed");
            }
        }
    }
}
