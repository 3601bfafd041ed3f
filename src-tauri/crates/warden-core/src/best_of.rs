//! What a best-of-N group shows the window and `warden` alike: what is asked to start one, each
//! member side by side, the gate's word on its last task, and what a pick did. One set of types
//! for the engine that computes them and the IPC (the window's and a remote host's) that
//! carries them.

use crate::session::{AgentKind, PermissionMode, Sandbox, SessionRecord};
use crate::worktree::WorktreeInfo;
use serde::{Deserialize, Serialize};
use specta::Type;

/// One member of a group as the compare view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BestOfEntry {
    /// Its session (status, turns, cost).
    pub session: SessionRecord,
    /// Its worktree now; `None` once it was discarded (or when it is not one of Warden's).
    pub worktree: Option<WorktreeInfo>,
    /// Files that differ from the base.
    pub files: u32,
    /// Lines added.
    pub additions: u32,
    /// Lines removed.
    pub deletions: u32,
    /// The gate's checks of its last task; `None` when no task ran checks or got a verdict.
    pub checks: Option<ChecksSummary>,
}

/// The gate's word on a member's last task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChecksSummary {
    /// Checks of the last round that passed.
    pub passed: u32,
    /// Checks of the last round that failed or could not give a verdict.
    pub failed: u32,
    /// The task's verdict in words ("passed", "blocked", "checking"…).
    pub verdict: String,
}

/// What a pick did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BestOfPicked {
    /// The commit the base branch is at now.
    pub commit: String,
    /// The other members' branches, removed with their worktrees.
    pub discarded: Vec<String>,
}

/// One agent of a best-of-N group, as the New Session dialog asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BestOfMember {
    /// Which agent.
    pub agent: AgentKind,
    /// For a custom agent: its name in the settings.
    pub agent_name: Option<String>,
    /// The model, when not the agent's default.
    pub model: Option<String>,
    /// For Codex: the sandbox its commands run in.
    pub sandbox: Option<Sandbox>,
}

/// What starting a best-of-N group asks for (the window's dialog, a remote host's client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BestOfStart {
    /// The project folder, as typed (resolved and checked where it lives).
    pub project: String,
    /// The prompt every member gets.
    pub prompt: String,
    /// The members, in order.
    pub members: Vec<BestOfMember>,
    /// The permission mode of every member.
    pub permission_mode: PermissionMode,
    /// The branch or commit the worktrees start from; the current `HEAD` when `None`.
    pub base: Option<String>,
    /// Run the configured setup command in each worktree (when it is allowed).
    pub run_setup: bool,
}

/// A group just started: its id and its sessions, in member order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BestOfGroup {
    /// The group's id (each session's `group`).
    pub id: String,
    /// Its sessions.
    pub sessions: Vec<SessionRecord>,
}
