//! What the desktop app keeps in `tauri::State`.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use warden_core::Workspace;
use warden_engine::Engine;
use crate::session_channels::SessionChannels;

/// The app's shared state. The workspace lock is only ever held for a few pure operations and is
/// never held across an `.await`.
pub struct AppState {
    workspace: Mutex<Workspace>,
    /// The tauri-plugin-store file holding settings and recent projects.
    pub store_path: PathBuf,
    /// The folder the log files are written to.
    pub log_dir: PathBuf,
    /// Agent sessions: the store and the live session actors.
    pub engine: Arc<Engine>,
    /// The window's live subscriptions to session events.
    pub channels: Arc<SessionChannels>,
}

impl AppState {
    /// State for a workspace persisted in `store_path`.
    pub fn new(workspace: Workspace, store_path: PathBuf, log_dir: PathBuf, engine: Arc<Engine>) -> Self {
        Self { workspace: Mutex::new(workspace), store_path, log_dir, engine, channels: Arc::default() }
    }

    /// Locks the workspace. A panic while it was held cannot leave it half-changed (every
    /// workspace method either completes or returns an error first), so a poisoned lock is
    /// recovered rather than taking the whole app down.
    pub fn workspace(&self) -> MutexGuard<'_, Workspace> {
        self.workspace.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
