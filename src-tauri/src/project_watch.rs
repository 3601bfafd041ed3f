//! The window's hold on the project watchers: every project open in the window, and every
//! worktree of it whose folder exists, is watched while it is open (not only while a session is
//! live there), so a change made while no session runs is journaled at once as an op outside
//! any turn and the window hears of it ([`ProjectFilesChanged`]). The engine shares one watcher
//! per folder between the window and the live sessions there, so nothing is recorded twice.
//!
//! What is held is worked out again whenever the workspace changes (`publish`) and whenever a
//! session starts or ends (a new worktree appears with its first session; a discarded one's
//! folder is gone).

use crate::commands::checks::ChecksData;
use crate::events::ProjectFilesChanged;
use crate::state::AppState;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;
use warden_core::session::SessionEventKind;
use warden_engine::watch::Listener;

/// The folders the window watches: each open project and its worktrees' existing folders.
pub fn open_roots(projects: &[String], data_dir: &Path) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for project in projects {
        let project = PathBuf::from(project);
        let worktrees = warden_engine::worktrees::folders_of(data_dir, &project);
        roots.push(project);
        roots.extend(worktrees);
    }
    roots.sort();
    roots.dedup();
    roots
}

/// Makes the watchers hold exactly the folders of the projects open now.
pub fn sync<R: Runtime>(app: &AppHandle<R>) {
    let Some(state) = app.try_state::<AppState>() else { return };
    let Some(watchers) = state.engine.sessions().watchers() else { return };
    let Some(data) = app.try_state::<ChecksData>() else { return };
    let projects: Vec<String> = state.workspace().view(|_| true).open.into_iter().map(|p| p.path).collect();
    let roots = open_roots(&projects, &data.0);
    watchers.hold_open(&roots, |root| listener(app, root));
}

/// What the window does with a watched folder's news: changes become [`ProjectFilesChanged`];
/// a notice (the watch limit reached) becomes a notice of the window.
fn listener<R: Runtime>(app: &AppHandle<R>, root: &Path) -> Listener {
    let (app, folder) = (app.clone(), root.to_string_lossy().into_owned());
    Arc::new(move |kind| match kind {
        SessionEventKind::FileChanges(changes) => {
            if let Err(e) = (ProjectFilesChanged { folder: folder.clone(), changes }).emit(&app) {
                tracing::warn!(error = %e, "emitting ProjectFilesChanged failed");
            }
        }
        SessionEventKind::Notice(notice) => {
            app.state::<AppState>().workspace().notify(notice.text);
            crate::publish::publish(&app);
        }
        _ => {}
    })
}

/// Holds the open projects now, and again whenever a session of this window starts or ends.
pub fn install<R: Runtime>(app: &AppHandle<R>) {
    sync(app);
    let handle = app.clone();
    app.state::<AppState>().channels.observe(Box::new(move |event| {
        if matches!(event.kind, SessionEventKind::Status(_) | SessionEventKind::AgentExited(_)) {
            sync(&handle);
        }
    }));
}
