//! Commands of the update dialog: check for an update, download and install it (progress as the
//! typed event [`UpdateProgress`]), restart into it, and the start-up check setting. Help ›
//! Check for Updates… asks the window to open the dialog with [`UpdateDialogRequested`].

use crate::error::IpcError;
use crate::state::AppState;
use crate::updates::{self, UpdateInfo, UpdateProgress, UpdateSettings};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

/// Asks the update server whether a newer Warden exists; `null` when this one is the newest.
#[tauri::command]
#[specta::specta]
pub async fn update_check<R: Runtime>(app: AppHandle<R>) -> Result<Option<UpdateInfo>, IpcError> {
    updates::check(&app).await
}

/// Downloads, verifies and installs the update the last check found, sending
/// [`UpdateProgress`] as it downloads. Resolves once installed; `update_restart` runs it.
#[tauri::command]
#[specta::specta]
pub async fn update_install<R: Runtime>(app: AppHandle<R>) -> Result<(), IpcError> {
    let emitter = app.clone();
    // A few events per percent would flood the window: one per percent (or per 256 KiB when
    // the size is unknown), and the last.
    let mut last = 0u64;
    updates::install(&app, move |downloaded, total| {
        let step = total.map(|t| (t / 100).max(1)).unwrap_or(256 * 1024);
        if downloaded - last >= step || Some(downloaded) == total {
            last = downloaded;
            let _ = UpdateProgress { downloaded, total }.emit(&emitter);
        }
    })
    .await
}

/// Quits (stopping every session as on any quit) and starts the installed version.
#[tauri::command]
#[specta::specta]
pub fn update_restart<R: Runtime>(app: AppHandle<R>) {
    tracing::info!("restarting into the installed update");
    app.request_restart();
}

/// The update settings.
#[tauri::command]
#[specta::specta]
pub fn update_settings_get<R: Runtime>(app: AppHandle<R>) -> UpdateSettings {
    let store = app.state::<AppState>().store_path.clone();
    UpdateSettings { check_at_start: updates::check_at_start(&app, &store) }
}

/// Changes the update settings; returns them as stored.
#[tauri::command]
#[specta::specta]
pub fn update_settings_set<R: Runtime>(app: AppHandle<R>, settings: UpdateSettings) -> Result<UpdateSettings, IpcError> {
    let store = app.state::<AppState>().store_path.clone();
    updates::set_check_at_start(&app, &store, settings.check_at_start)
        .map_err(|e| IpcError::internal(format!("The update setting could not be saved: {e}")))?;
    Ok(UpdateSettings { check_at_start: updates::check_at_start(&app, &store) })
}
