//! The shapes of Warden's worktrees as the window sees them: how a session is asked to start in
//! one ([`WorktreeStart`]), what the New Session dialog offers ([`WorktreeOptions`]), a
//! worktree's state ([`WorktreeInfo`]), everything on its branch versus its base
//! ([`WorktreeChanges`]) and how its work is brought back ([`MergeHow`]). The engine
//! (`warden_engine::worktrees`) fills them; they live here so the IPC layer can type them.

use crate::journal::OpKind;
use serde::{Deserialize, Serialize};
use specta::Type;

/// How a session is asked to start in a new worktree of its project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorktreeStart {
    /// The branch or commit to start from; the current `HEAD` when `None`.
    #[serde(default)]
    pub base: Option<String>,
    /// The new branch's name; `warden/<slug of the title>` (made unique) when `None`.
    #[serde(default)]
    pub branch: Option<String>,
    /// What the work is about (the default branch name is made from it).
    pub title: String,
    /// Files of the project to copy in (relative), beyond the configured `[worktree] copy`.
    #[serde(default)]
    pub copy: Vec<String>,
    /// Run the configured `[worktree] setup` command (when it is allowed to run).
    #[serde(default)]
    pub run_setup: bool,
}

/// What the New Session dialog shows for a project that could get a worktree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorktreeOptions {
    /// A git repository with a commit: a worktree can be made.
    pub usable: bool,
    /// Why not, in words (not a repository, no commits, git missing).
    pub problem: Option<String>,
    /// The branch checked out in the project; `None` on a detached `HEAD`.
    pub current_branch: Option<String>,
    /// The short commit of `HEAD`.
    pub head: Option<String>,
    /// The local branches, for the base picker.
    pub branches: Vec<String>,
    /// The branch a worktree for this title would get (`warden/<slug>`, made unique).
    pub suggested_branch: String,
    /// The files `[worktree] copy` lists.
    pub copy: Vec<String>,
    /// The `[worktree] setup` command.
    pub setup: Option<String>,
    /// Whether the setup command may run (from a trusted project file or the personal layer).
    pub setup_trusted: bool,
    /// What to tell the person about the setup command (such as why it will not run).
    pub setup_note: Option<String>,
    /// The folder the project's worktrees are made in.
    pub folder: String,
}

/// One of Warden's worktrees and its state now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorktreeInfo {
    /// Its folder (the project of a session that runs in it).
    pub path: String,
    /// Its branch.
    pub branch: String,
    /// The branch it was made from (its work goes back there), when the base was a branch.
    pub base_branch: Option<String>,
    /// The commit it was made from.
    pub base_commit: String,
    /// Commits on its branch that its base does not have.
    pub ahead: u32,
    /// Commits on its base that its branch does not have.
    pub behind: u32,
    /// Files with uncommitted changes in its folder (empty when the folder is missing).
    pub uncommitted: Vec<String>,
    /// Its folder was deleted by hand (discarding it still cleans up).
    pub missing: bool,
}

/// Everything on a worktree's branch versus its base: its commits, and file by file what
/// changed, committed or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WorktreeChanges {
    /// The base: its branch, or its short commit when it was made from a commit.
    pub base: String,
    /// The commit the branch and its base have in common (what the changes are against).
    pub merge_base: String,
    /// The branch's commits the base does not have, newest first.
    pub commits: Vec<CommitLine>,
    /// The files that differ from the merge base, in path order.
    pub files: Vec<ChangedFile>,
}

/// One commit, as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CommitLine {
    /// Its short id.
    pub id: String,
    /// Its first line.
    pub subject: String,
}

/// A file that differs between a worktree's folder and its merge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangedFile {
    /// The path, relative to the worktree.
    pub path: String,
    /// What happened to it (create, modify, delete; the Files panel's kinds).
    pub kind: OpKind,
    /// Lines added (0 for a binary file).
    pub additions: u32,
    /// Lines removed (0 for a binary file).
    pub deletions: u32,
    /// Part of the change is not committed yet.
    pub uncommitted: bool,
}

/// What bringing a worktree's work back gave: merged, or a conflict that changed nothing.
/// A conflict is an answer, not a failure: the window lists its files one by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum MergeOutcome {
    /// The base branch now holds the work.
    Merged {
        /// The base's commit after the merge.
        commit: String,
    },
    /// The merge conflicts in these files; nothing was merged and the base is as it was.
    Conflict {
        /// The conflicting files, relative to the repository.
        files: Vec<String>,
    },
}

/// How a worktree's work is brought back into its base branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MergeHow {
    /// A merge commit.
    Merge,
    /// One commit with all the work.
    Squash,
    /// The branch's commits rebased onto the base, which is then fast-forwarded.
    Rebase,
}
