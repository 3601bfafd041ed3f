//! Persisting the recent-projects list (and the recent remote projects) with tauri-plugin-store.
//!
//! A store file that cannot be read is never silently overwritten: it is set aside beside the new
//! one and the person is told, so a hand-edited or damaged file loses nothing.

use std::path::{Path, PathBuf};
use tauri::{AppHandle, Runtime};
use tauri_plugin_store::StoreExt;
use warden_core::{RecentProject, RecentProjects};

/// The store key under which the recent list lives.
const RECENT_KEY: &str = "recentProjects";

/// The recent list as loaded, with a message for the person if the file had to be set aside.
pub struct Loaded {
    /// The remembered projects.
    pub recent: RecentProjects,
    /// Set when the store was unreadable and a fresh one was started.
    pub notice: Option<String>,
}

/// Loads the recent list from the store at `path`.
pub fn load<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Loaded {
    let file = tauri_plugin_store::resolve_store_path(app, path).unwrap_or_else(|_| path.to_path_buf());
    // The store plugin ignores a file it cannot parse and would overwrite it on the next save,
    // so check the file first and move a bad one out of the way.
    let notice = check(&file).map(|reason| {
        tracing::warn!(file = %file.display(), %reason, "settings store unreadable");
        match set_aside(&file) {
            Ok(aside) => format!(
                "Warden's settings file {} could not be read ({reason}). It was kept as {} and a \
                 new one was started.",
                file.display(),
                aside.display()
            ),
            Err(e) => format!(
                "Warden's settings file {} could not be read ({reason}) nor set aside ({e}); recent \
                 projects will not be remembered until it is fixed or removed.",
                file.display()
            ),
        }
    });
    let recent = app
        .store(path)
        .ok()
        .and_then(|store| store.get(RECENT_KEY))
        .and_then(|value| serde_json::from_value::<Vec<RecentProject>>(value).ok())
        .map(RecentProjects::from_entries)
        .unwrap_or_default();
    Loaded { recent, notice }
}

/// Writes the recent list to the store at `path` and flushes it to disk.
pub fn save<R: Runtime>(app: &AppHandle<R>, path: &Path, recent: &RecentProjects) -> Result<(), String> {
    let store = app.store(path).map_err(|e| e.to_string())?;
    store.set(RECENT_KEY, serde_json::to_value(recent).map_err(|e| e.to_string())?);
    store.save().map_err(|e| e.to_string())
}

/// The store key under which the recent remote projects live (beside the local ones).
const RECENT_REMOTE_KEY: &str = "recentRemoteProjects";

/// The recent remote projects in the store at `path`, newest first. An entry that cannot be
/// used is logged with its reason and left in the file as it was (`save_remote` keeps it).
pub fn load_remote<R: Runtime>(app: &AppHandle<R>, path: &Path) -> Vec<crate::remote_window::types::RecentRemoteProject> {
    let Some(value) = app.store(path).ok().and_then(|store| store.get(RECENT_REMOTE_KEY)) else {
        return Vec::new();
    };
    let decoded = crate::remote_window::recent::decode(value);
    for problem in &decoded.problems {
        tracing::warn!("{problem}");
    }
    crate::remote_window::recent::normalized(decoded.entries)
}

/// Writes the recent remote projects to the store at `path` and flushes it to disk; the stored
/// entries that could not be read are written back after them unchanged.
pub fn save_remote<R: Runtime>(app: &AppHandle<R>, path: &Path, list: &[crate::remote_window::types::RecentRemoteProject]) -> Result<(), String> {
    let store = app.store(path).map_err(|e| e.to_string())?;
    let unreadable = store.get(RECENT_REMOTE_KEY).map(|v| crate::remote_window::recent::decode(v).unreadable).unwrap_or_default();
    store.set(RECENT_REMOTE_KEY, crate::remote_window::recent::encode(list, unreadable).map_err(|e| e.to_string())?);
    store.save().map_err(|e| e.to_string())
}

/// Why the store file cannot be used as it is, or `None` if it is fine (or not there yet).
fn check(file: &Path) -> Option<String> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(e.to_string()),
    };
    let map = match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes) {
        Ok(map) => map,
        Err(e) => return Some(format!("it is not a JSON object: {e}")),
    };
    let value = map.get(RECENT_KEY)?;
    serde_json::from_value::<Vec<RecentProject>>(value.clone())
        .err()
        .map(|e| format!("the recent projects entry is malformed: {e}"))
}

/// Renames an unreadable store file to `<name>.corrupt-<unix seconds>` and returns that path.
fn set_aside(file: &Path) -> std::io::Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    let aside = file.with_file_name(name);
    std::fs::rename(file, &aside)?;
    Ok(aside)
}
