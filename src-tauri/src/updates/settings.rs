//! The update setting, kept with Warden's other settings in the settings store (`warden.json`
//! in the data folder): whether to look for an update when Warden starts. Off unless the person
//! turns it on.

use std::path::Path;
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;

/// The store key of the start-up check.
const CHECK_AT_START_KEY: &str = "checkForUpdatesAtStart";

/// Whether the window looks for an update at start; false when unset or unreadable.
pub fn check_at_start<R: Runtime>(app: &AppHandle<R>, store: &Path) -> bool {
    app.store(store).ok().and_then(|s| s.get(CHECK_AT_START_KEY)).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// Turns the start-up check on or off and writes the settings file.
pub fn set_check_at_start<R: Runtime>(app: &AppHandle<R>, store: &Path, on: bool) -> Result<(), String> {
    let store = app.store(store).map_err(|e| e.to_string())?;
    store.set(CHECK_AT_START_KEY, on);
    store.save().map_err(|e| e.to_string())
}
