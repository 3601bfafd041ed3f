//! Commands for best of N: start one prompt with several agents, each in its own worktree, as
//! one group; compare the group's members; pick one to merge into the base and discard the
//! others. The work itself is the engine's (`warden_engine::best_of`, which `warden serve`
//! calls alike for a remote window), in the types of `warden_core::best_of`.

use crate::error::IpcError;
use crate::state::AppState;
use tauri::State;
use warden_core::best_of::{BestOfEntry, BestOfGroup, BestOfMember, BestOfPicked, BestOfStart};
use warden_core::session::{PermissionMode, SessionId};
use warden_core::worktree::MergeHow;
use warden_engine::best_of::{self, BestOfError};

impl From<BestOfError> for IpcError {
    fn from(err: BestOfError) -> Self {
        match err {
            BestOfError::Project(e) => e.into(),
            other => IpcError::internal(other),
        }
    }
}

/// Starts `prompt` with every member, each in a new worktree of `project` (from `base`, the
/// current `HEAD` when not given; the configured setup command run when `run_setup` and it is
/// allowed), as one group. All or nothing: when one member cannot start, the others are
/// stopped and their worktrees removed, and the error names the member and why.
#[tauri::command]
#[specta::specta]
pub async fn best_of_start(
    state: State<'_, AppState>,
    project: String,
    prompt: String,
    members: Vec<BestOfMember>,
    permission_mode: PermissionMode,
    base: Option<String>,
    run_setup: bool,
) -> Result<BestOfGroup, IpcError> {
    let asked = BestOfStart { project, prompt, members, permission_mode, base, run_setup };
    let group = best_of::start_asked(state.engine.sessions(), asked, state.channels.clone()).await?;
    for note in &group.notes {
        tracing::info!("best of N {}: {note}", group.id);
    }
    Ok(group.into())
}

/// The members of `group` side by side: session, worktree state, files and lines changed
/// against the base, and the gate's checks of the last task.
#[tauri::command]
#[specta::specta]
pub async fn best_of_compare(state: State<'_, AppState>, group: String) -> Result<Vec<BestOfEntry>, IpcError> {
    let sessions = state.engine.sessions().clone();
    let entries = tauri::async_runtime::spawn_blocking(move || best_of::compare(&sessions, &group))
        .await
        .map_err(IpcError::internal)??;
    Ok(entries)
}

/// Keeps the work of `session_id`: stops the group's sessions, commits its uncommitted work
/// (with `message`, or one naming the agent and branch), merges it into the base `how` asked,
/// then removes the other members' worktrees and branches. A conflict names its files and
/// leaves the base and every worktree as they were.
#[tauri::command]
#[specta::specta]
pub async fn best_of_pick(
    state: State<'_, AppState>,
    group: String,
    session_id: SessionId,
    how: MergeHow,
    message: Option<String>,
) -> Result<BestOfPicked, IpcError> {
    Ok(best_of::pick(state.engine.sessions(), &group, &session_id, how.into(), message).await?)
}
