//! The worktree and best-of-N calls of a remote window, one [`WorktreesRequest`] arm per
//! window command (`worktree_*`, `best_of_*`) answered by its [`WorktreesResponse`] arm, in the
//! same types the window's own IPC carries. The host resolves and checks every folder, branch
//! and group itself (`server/worktrees.rs`): a client's words are untrusted.

use serde::{Deserialize, Serialize};
use specta::Type;
use warden_core::best_of::{BestOfEntry, BestOfGroup, BestOfPicked, BestOfStart};
use warden_core::journal::FileDiff;
use warden_core::session::SessionId;
use warden_core::worktree::{MergeHow, MergeOutcome, WorktreeChanges, WorktreeInfo, WorktreeOptions};

/// One worktree or best-of-N call (inside [`crate::Request::Worktrees`]).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "call", content = "args", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum WorktreesRequest {
    /// What the New Session dialog offers for a worktree of `project` ([`WorktreesResponse::Options`]).
    Options {
        /// The project folder (open on the host).
        project: String,
        /// The session's title, for the suggested branch.
        title: String,
    },
    /// Warden's worktrees of `project` with their state ([`WorktreesResponse::List`]).
    List {
        /// The project folder (open on the host).
        project: String,
    },
    /// The state of the worktree at `path` ([`WorktreesResponse::State`]).
    State {
        /// The worktree's folder.
        path: String,
    },
    /// Everything on the worktree's branch versus its base ([`WorktreesResponse::Changes`]).
    Changes {
        /// The worktree's folder.
        path: String,
    },
    /// One file's diff in the worktree ([`WorktreesResponse::Diff`]).
    Diff {
        /// The worktree's folder.
        path: String,
        /// The file, relative to the worktree.
        file: String,
    },
    /// Commits everything uncommitted in the worktree ([`WorktreesResponse::Committed`]).
    Commit {
        /// The worktree's folder.
        path: String,
        /// The commit message.
        message: String,
    },
    /// Brings the worktree's work into its base ([`WorktreesResponse::Merged`]).
    Merge {
        /// The worktree's folder.
        path: String,
        /// Merge, squash or rebase.
        how: MergeHow,
        /// The message for uncommitted work (and a squash).
        message: Option<String>,
    },
    /// Pushes the branch and opens a pull request with the host's `gh` ([`WorktreesResponse::Pr`]).
    Pr {
        /// The worktree's folder.
        path: String,
    },
    /// Removes the worktree's folder and branch, its running sessions stopped first
    /// ([`WorktreesResponse::Discarded`]).
    Discard {
        /// The worktree's folder.
        path: String,
    },
    /// Starts one prompt with several agents, each in its own worktree, as one group
    /// ([`WorktreesResponse::BestOfStarted`]).
    BestOfStart(BestOfStart),
    /// The members of a group side by side ([`WorktreesResponse::BestOfCompared`]).
    BestOfCompare {
        /// The group.
        group: String,
    },
    /// Keeps one member's work and discards the others' ([`WorktreesResponse::BestOfPicked`]).
    BestOfPick {
        /// The group.
        group: String,
        /// The member kept.
        session: SessionId,
        /// Merge, squash or rebase.
        how: MergeHow,
        /// The commit's message; one naming the agent and branch when absent.
        message: Option<String>,
    },
}

/// The answer to a [`WorktreesRequest`] (inside [`crate::Response::Worktrees`]).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
pub enum WorktreesResponse {
    /// What a worktree session would get.
    Options(WorktreeOptions),
    /// A project's worktrees.
    List(Vec<WorktreeInfo>),
    /// One worktree's state.
    State(WorktreeInfo),
    /// A worktree's changes.
    Changes(WorktreeChanges),
    /// One file's diff.
    Diff(FileDiff),
    /// The commit made.
    Committed(String),
    /// How the merge ended.
    Merged(MergeOutcome),
    /// What `gh` answered (the pull request's address).
    Pr(String),
    /// The worktree is gone.
    Discarded,
    /// A group started.
    BestOfStarted(BestOfGroup),
    /// A group's members.
    BestOfCompared(Vec<BestOfEntry>),
    /// What a pick did.
    BestOfPicked(BestOfPicked),
}
