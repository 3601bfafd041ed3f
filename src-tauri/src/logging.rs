//! Logging: `tracing` to stderr and to a daily rolling file in the app's log folder.

use crate::state::AppState;
use std::path::Path;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_opener::OpenerExt;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

/// How many daily log files are kept.
const KEEP_FILES: usize = 7;

/// Starts logging to stderr and to `warden.<date>.log` in `dir`. The filter comes from
/// `WARDEN_LOG` (same syntax as `RUST_LOG`), `info` by default. Returns the guard that flushes
/// the file on drop; keep it for the life of the app. If a logger is already installed (tests),
/// nothing changes.
pub fn init(dir: &Path) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_env("WARDEN_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // The appender prunes old files at start and complains if the folder is not there yet.
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("warden: cannot create the log folder {}: {e}", dir.display());
    }
    let (file_writer, guard) = match tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("warden")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)
    {
        Ok(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            (Some(writer), Some(guard))
        }
        Err(e) => {
            // Still log to stderr; a read-only home must not stop the app.
            eprintln!("warden: cannot write logs to {}: {e}", dir.display());
            (None, None)
        }
    };
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(file_writer.map(|w| fmt::layer().with_ansi(false).with_writer(w)));
    registry.try_init().ok()?;
    guard
}

/// Help › Open Logs Folder: shows the log folder in the system file manager.
pub fn open_folder<R: Runtime>(app: &AppHandle<R>) {
    let dir = app.state::<AppState>().log_dir.clone();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        tracing::warn!(dir = %dir.display(), error = %e, "creating the log folder failed");
    }
    if let Err(e) = app.opener().open_path(dir.to_string_lossy(), None::<&str>) {
        tracing::warn!(dir = %dir.display(), error = %e, "opening the log folder failed");
        let state = app.state::<AppState>();
        state.workspace().notify(format!("Could not open the logs folder {}: {e}", dir.display()));
        crate::publish::publish(app);
    }
}
