//! A project's `[worktree]` settings (the setup command, the files to copy in) and running
//! its setup command in a new worktree: both come from the task gate
//! (`warden_gate::worktree`), trusted like the gate's own commands. This file is the one
//! place the engine reaches them.

use super::WorktreeError;
use std::path::Path;
pub use warden_gate::worktree::WorktreeSettings;

/// The `[worktree]` settings of the project at `main`. A checks configuration with errors
/// gives none (as for its checks), with the errors as the note.
pub fn settings(main: &Path, data_dir: &Path) -> WorktreeSettings {
    warden_gate::worktree::settings(main, data_dir)
        .unwrap_or_else(|errors| WorktreeSettings { note: Some(errors.to_string()), ..WorktreeSettings::default() })
}

/// Runs the setup command `command` of the project at `main` in the new worktree `cwd`,
/// bounded by `timeout` and logged beside the project's check logs. A project file allowed to
/// run once has spent its run afterwards. The error names the log and quotes its last lines.
pub async fn run(data_dir: &Path, main: &Path, command: &str, cwd: &Path, timeout: std::time::Duration) -> Result<(), WorktreeError> {
    let log = warden_gate::worktree::setup_log_path(data_dir, main);
    if let Some(folder) = log.parent() {
        std::fs::create_dir_all(folder).map_err(|e| WorktreeError::Io(format!("{}: {e}", folder.display())))?;
    }
    let ran = warden_gate::worktree::run_setup(command, cwd, timeout, &log).await;
    if let Err(e) = warden_gate::worktree::spend_run_once(main, data_dir) {
        tracing::warn!("the setup command's one allowed run could not be recorded as spent: {e}");
    }
    ran.map(|_| ()).map_err(|failed| WorktreeError::Setup(format!("{failed}\nThe worktree made for the session was removed.")))
}
