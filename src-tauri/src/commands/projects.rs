//! Commands for the workspace: opening, switching and closing projects, recent projects, notices.

use crate::error::IpcError;
use crate::publish::{now_ms, publish};
use crate::state::AppState;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use warden_core::{NoticeId, ProjectId, WorkspaceView};
use warden_engine::folder_exists;

/// The workspace as it is now. The window calls this once at start; after that it follows
/// `WorkspaceChanged` events.
#[tauri::command]
#[specta::specta]
pub fn workspace_snapshot(state: State<'_, AppState>) -> WorkspaceView {
    state.workspace().view(folder_exists)
}

/// Opens the folder at `path` as a project and brings it to the front.
#[tauri::command]
#[specta::specta]
pub fn project_open<R: Runtime>(app: AppHandle<R>, path: String) -> Result<WorkspaceView, IpcError> {
    let state = app.state::<AppState>();
    let result = warden_engine::open_project(&mut state.workspace(), &path, now_ms());
    match result {
        Ok(project) => {
            tracing::info!(project = %project.id, "opened project");
            Ok(publish(&app))
        }
        Err(e) => {
            tracing::warn!(%path, error = %e, "opening project failed");
            Err(e.into())
        }
    }
}

/// Shows the system folder picker and opens the chosen folder. Returns `None` when the person
/// cancels the dialog.
#[tauri::command]
#[specta::specta]
pub async fn project_pick<R: Runtime>(app: AppHandle<R>) -> Result<Option<WorkspaceView>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    pick_and_open(app, move |view| {
        let _ = tx.send(view);
    });
    // A dropped sender means the dialog went away without an answer: treat it as cancelled.
    rx.await.unwrap_or(Ok(None))
}

/// Shows the folder picker; when a folder is chosen, opens it. `done` receives the result:
/// the new view, `None` if cancelled, or the error (which is also shown as a notice, because the
/// menu has nobody else to tell).
pub fn pick_and_open<R: Runtime>(
    app: AppHandle<R>,
    done: impl FnOnce(Result<Option<WorkspaceView>, IpcError>) + Send + 'static,
) {
    let handle = app.clone();
    app.dialog().file().set_title("Open Project Folder").pick_folder(move |folder| {
        let Some(folder) = folder else { return done(Ok(None)) };
        let path = match folder.into_path() {
            Ok(path) => path,
            Err(e) => return done(Err(IpcError::internal(format!("The chosen folder is unusable: {e}")))),
        };
        done(crate::publish::open_or_notify(&handle, &path.to_string_lossy()).map(Some));
    });
}

/// Brings an open project to the front.
#[tauri::command]
#[specta::specta]
pub fn project_activate<R: Runtime>(app: AppHandle<R>, id: ProjectId) -> Result<WorkspaceView, IpcError> {
    app.state::<AppState>().workspace().activate(&id)?;
    Ok(publish(&app))
}

/// Closes an open project (its files are untouched; it stays in the recent list).
#[tauri::command]
#[specta::specta]
pub fn project_close<R: Runtime>(app: AppHandle<R>, id: ProjectId) -> Result<WorkspaceView, IpcError> {
    app.state::<AppState>().workspace().close(&id)?;
    Ok(publish(&app))
}

/// Shows an open project's folder in the system file manager.
#[tauri::command]
#[specta::specta]
pub fn project_reveal<R: Runtime>(app: AppHandle<R>, id: ProjectId) -> Result<(), IpcError> {
    let path = app.state::<AppState>().workspace().project(&id).map(|p| p.path.clone());
    let path = path.ok_or(warden_core::ProjectError::NotOpen { id })?;
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| IpcError::internal(format!("Could not show {path} in the file manager: {e}")))
}

/// Removes a folder from the recent projects list.
#[tauri::command]
#[specta::specta]
pub fn recent_forget<R: Runtime>(app: AppHandle<R>, path: String) -> WorkspaceView {
    app.state::<AppState>().workspace().forget_recent(&path);
    publish(&app)
}

/// Marks a notice as read.
#[tauri::command]
#[specta::specta]
pub fn notice_dismiss<R: Runtime>(app: AppHandle<R>, id: NoticeId) -> WorkspaceView {
    app.state::<AppState>().workspace().dismiss(id);
    publish(&app)
}
