//! The file journal's data: what an agent did to which file of a project, with the file as it
//! was before and after (its content named by hash in a blob store the engine keeps), and what a
//! rollback did. Planning a rollback is pure logic too, in [`plan`].
//!
//! Paths are project-relative with `/` separators, so the journal reads the same wherever the
//! project folder is mounted.

pub mod hunks;
pub mod plan;
pub mod view;

/// Tools of the agents that cannot change a file: the journal takes no snapshot around their
/// calls (a snapshot reads the whole project, and most calls are reads). Anything they could
/// not have done still shows up at the next snapshot, at the latest when the turn ends.
const READ_ONLY_TOOLS: &[&str] =
    &["Read", "Grep", "Glob", "LS", "NotebookRead", "WebFetch", "WebSearch", "TodoWrite"];

/// Whether a call of `tool` can only read (so its file changes need no snapshot of their own).
pub fn tool_only_reads(tool: &str, input: &crate::session::ToolInput) -> bool {
    // A plan to approve or a question only asks the person.
    READ_ONLY_TOOLS.contains(&tool) || input.always_asks()
}

pub use hunks::{FileHunks, Hunk, HunkComment, HunkRevertPlan, HunkState, NewHunkComment};
pub use plan::{plan_rollback, PlanAction, PlanStep, RollbackPlan};
pub use view::{DiffSide, FileDiff, FileOpSummary, RollbackOutcome, RollbackTarget};

use crate::session::{SessionId, ToolCallId, TurnId};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::fmt;
use std::str::FromStr;

macro_rules! number_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

number_id!(
    /// One recorded file operation. Ids grow with time, so sorting by id is sorting by when the
    /// change was recorded, across sessions.
    OpId
);
number_id!(
    /// One rollback (or redo) of recorded operations.
    RollbackId
);

/// A blob's name: the lowercase hex SHA-256 of its bytes, so equal contents are stored once and
/// a damaged blob is recognised when read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(transparent)]
pub struct BlobHash(pub String);

impl BlobHash {
    /// The hash as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BlobHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What sits at a path. Directories are not journaled: they exist because files are in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    /// A regular file; its content is its bytes.
    File,
    /// A symbolic link; its content is the target it points to, never followed.
    Symlink,
}

/// A file as it was at one moment: enough to tell whether it is still the same and, when its
/// content was kept, to put it back exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileImage {
    /// The content's blob; `None` when it was not kept (too large, or a path .gitignore hides).
    pub hash: Option<BlobHash>,
    /// Size in bytes (for a symlink, of its target text).
    pub size: u64,
    /// Unix permission bits (`0o644`, `0o755`, …).
    pub mode: u32,
    /// File or symlink.
    pub kind: FileKind,
    /// Set when the content was over the size cap, so it could not be kept.
    pub too_large: bool,
}

impl FileImage {
    /// Whether the bytes of this image are in the blob store, so it can be restored.
    pub fn content_kept(&self) -> bool {
        self.hash.is_some()
    }

    /// Whether only the mode differs between `self` and `other`.
    pub fn same_content(&self, other: &FileImage) -> bool {
        self.kind == other.kind && self.size == other.size && self.hash == other.hash && self.too_large == other.too_large
    }
}

/// What an operation did to its path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum OpKind {
    /// The path did not exist and now does.
    Create,
    /// The content changed (and maybe the mode).
    Modify,
    /// The path existed and no longer does.
    Delete,
    /// The content moved to this path from `from`, which no longer exists. `before` is the file
    /// as it was at `from`, `after` as it is at the op's path.
    Rename {
        /// Where it was, project-relative.
        from: String,
    },
    /// Only the permission bits changed.
    Chmod,
}

impl OpKind {
    /// The kind's stored name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Modify => "modify",
            Self::Delete => "delete",
            Self::Rename { .. } => "rename",
            Self::Chmod => "chmod",
        }
    }
}

/// One recorded change to one file of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileOp {
    /// The op.
    pub id: OpId,
    /// The session whose agent made the change (for a rollback's op, the session of the change
    /// it undid).
    pub session_id: SessionId,
    /// The turn it happened in.
    pub turn: TurnId,
    /// The tool call it happened in, when exactly one was running; `None` when the change could
    /// only be tied to the turn.
    pub tool_call_id: Option<ToolCallId>,
    /// The path, project-relative, `/`-separated (for a rename, where the file went).
    pub path: String,
    /// What happened.
    pub kind: OpKind,
    /// The file before; `None` when it did not exist.
    pub before: Option<FileImage>,
    /// The file after; `None` when it no longer exists.
    pub after: Option<FileImage>,
    /// When it was recorded (Unix milliseconds).
    pub at_ms: u64,
    /// Whether .gitignore hides the path: such changes are counted, their content never copied,
    /// and a rollback leaves them alone.
    pub ignored: bool,
    /// Set when a rollback (or redo) made this change rather than an agent, so the log shows
    /// rollbacks in line with what they undid, and a redo is the rollback of these ops.
    pub rollback_id: Option<RollbackId>,
    /// The rollback that undid this op, while that rollback stands (a redo of it clears this):
    /// a rollback named by tool call, turn or session leaves such ops out. Recorded by the
    /// journal; `None` on an op being appended.
    pub undone_by: Option<RollbackId>,
}

impl FileOp {
    /// Every path the op changed: its own, and for a rename where the file came from.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        let from = match &self.kind {
            OpKind::Rename { from } => Some(from.as_str()),
            _ => None,
        };
        std::iter::once(self.path.as_str()).chain(from)
    }
}

/// A path that is not as the journal left it: undoing over it would lose a change nobody asked
/// to undo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    /// The path.
    pub path: String,
    /// What the journal says should be there (`None`: nothing).
    pub expected: Option<FileImage>,
    /// What is there (or, when a change that is not being undone came between two that are,
    /// what that change left).
    pub found: Option<FileImage>,
}

/// Where a rollback is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum RollbackState {
    /// Its intent is written and files may be half moved: recovery finishes or reverts it.
    Pending,
    /// Every file is in place.
    Done,
    /// A later redo put the files back as they were before it.
    Undone,
    /// It was interrupted and recovery put every file back as it was before it.
    Abandoned,
}

impl RollbackState {
    /// The state's stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Undone => "undone",
            Self::Abandoned => "abandoned",
        }
    }
}

impl FromStr for RollbackState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(Self::Pending),
            "done" => Ok(Self::Done),
            "undone" => Ok(Self::Undone),
            "abandoned" => Ok(Self::Abandoned),
            other => Err(format!("unknown rollback state '{other}'")),
        }
    }
}

/// What a finished rollback did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RollbackReport {
    /// The rollback, for a later redo.
    pub id: RollbackId,
    /// The ops it undid.
    pub ops: Vec<OpId>,
    /// Paths written back (content and mode).
    pub restored: Vec<String>,
    /// Paths removed because the undone ops created them.
    pub removed: Vec<String>,
    /// Paths of undone ops that .gitignore hides: left as they are, their content was never kept.
    pub skipped: Vec<String>,
    /// The conflicts that were overridden (empty unless `forced`).
    pub conflicts: Vec<Conflict>,
    /// Whether it was asked to go ahead over conflicts.
    pub forced: bool,
}

/// A rollback as the journal lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RollbackRecord {
    /// The rollback.
    pub id: RollbackId,
    /// The project folder.
    pub project: String,
    /// When it was asked for (Unix milliseconds).
    pub created_ms: u64,
    /// The ops it undoes.
    pub ops: Vec<OpId>,
    /// Whether it went ahead over conflicts.
    pub forced: bool,
    /// Where it is.
    pub state: RollbackState,
    /// The rollback this one undoes, when it is a redo.
    pub redo_of: Option<RollbackId>,
    /// For a hunk revert, the fingerprints of the hunks it put back (see [`hunks`]): its ops
    /// stand, partly undone, so it is not what undid them. Empty for a rollback of whole ops.
    pub hunks: Vec<String>,
}

#[cfg(test)]
mod read_only_tests {
    use super::tool_only_reads;

    #[test]
    fn only_tools_that_cannot_write_skip_their_snapshots() {
        let any = crate::session::ToolInput::other(serde_json::Value::Null);
        for tool in ["Read", "Grep", "Glob", "WebFetch", "TodoWrite"] {
            assert!(tool_only_reads(tool, &any), "{tool}");
        }
        let plan = crate::session::ToolInput::Plan { plan: None };
        assert!(tool_only_reads("ExitPlanMode", &plan), "a plan approval only asks");
        // Anything that can run a program or write a file is snapshotted, as is a tool unknown.
        for tool in ["Bash", "Edit", "MultiEdit", "Write", "NotebookEdit", "Task", "mcp__fs__write", "read"] {
            assert!(!tool_only_reads(tool, &any), "{tool}");
        }
    }
}
