//! Typed events the backend pushes to the window. Their names come from the type names through
//! tauri-specta; nothing here or in the UI spells an event name as a string.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;
use warden_core::WorkspaceView;

/// The workspace changed (a project opened or closed, the recent list or the notices changed),
/// from whatever source: the window, the native menu or the command line.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct WorkspaceChanged(pub WorkspaceView);

/// A permission question waiting for the person, wherever it was asked (derived from session
/// events in core, so anything following sessions can share it).
pub use warden_core::session::WaitingRequest;

/// The questions waiting for the person changed (one arrived or was answered), in any session
/// of this window, in the order they were asked. The window notifies and marks sessions from it,
/// also for sessions that are not open in a tab.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct PermissionsWaiting(pub Vec<WaitingRequest>);

/// A session's stored record probably changed (it started or ended a turn, changed status or
/// exited) or its folder changed outside any turn: lists of sessions, and their worktrees'
/// states, read again. Sent for every session of this window, also those no tab follows.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct SessionRecordChanged {
    /// The session.
    pub session_id: warden_core::session::SessionId,
}

/// A folder the window watches (an open project, or a worktree of one) changed while no turn
/// ran there: the watcher journaled `changes` as ops made outside any turn. Sent whether or not
/// a session is live there, so the Files panel of every session of the folder (a stopped one's
/// too), its Changes view and its worktree state read again.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ProjectFilesChanged {
    /// The watched folder, as the window opened it (the `project` of the sessions in it).
    pub folder: String,
    /// What was recorded (`outside_turn` is set).
    pub changes: warden_core::session::FileChanges,
}

/// The background check after an agents list (every agent asked its version again) found
/// something different from what the list answered: the whole list, as it is now. The Agents
/// screen and the New Session dialog show it in place of theirs.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
pub struct AgentsRefreshed(pub Vec<warden_core::agent::AgentView>);

/// The person clicked the notification of a question: the window shows that session.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct PermissionFocus {
    /// The session that asks.
    pub session_id: warden_core::session::SessionId,
    /// Its project folder (on its host, for a remote session).
    pub project: String,
    /// The remote connection the session is reached through, when it runs on a host: the
    /// window brings that remote project forward, never a local folder of the same path.
    pub connection: Option<crate::remote_window::types::RemoteConnectionId>,
}
