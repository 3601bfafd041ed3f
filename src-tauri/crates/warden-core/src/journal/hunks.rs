//! Per-hunk decisions on a file's recorded change: its hunks as the Files panel and
//! `warden rollback --hunks` number them, what the person decided about each (kept, reverted),
//! the plan of reverting some of them, and the person's comments on a line range.
//!
//! A hunk is one run of changed lines between a file's content before a set of ops and after
//! them, with no context lines, so two changes a line apart are two decisions. Hunks are
//! numbered from 1 in file order. A hunk's `fingerprint` names it by its path and lines (what
//! was removed and what was added), so a decision taken on a turn's diff is seen again on the
//! session's diff where the same hunk appears.

use super::{OpId, RollbackId, RollbackPlan};
use crate::session::{SessionId, TaskId};
use serde::{Deserialize, Serialize};
use specta::Type;

/// What the person decided about a hunk, as the journal records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum HunkState {
    /// Nothing yet.
    Open,
    /// Reviewed and kept: a mark only, files and rollbacks are unaffected.
    Kept,
    /// Put back by a hunk revert that stands (a redo of it makes the hunk open again).
    Reverted {
        /// The hunk revert, for its Redo.
        rollback_id: RollbackId,
    },
}

/// One hunk of a file's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Hunk {
    /// Its number, from 1 in file order: what `--hunks` takes.
    pub index: u32,
    /// Names the hunk by path and lines (see the module).
    pub fingerprint: String,
    /// First removed line in the file before (1-based); where the lines were, for an insertion.
    pub old_start: u32,
    /// The lines removed, each with its line ending.
    pub removed: Vec<String>,
    /// First added line in the file after (1-based); where they would be, for a deletion.
    pub new_start: u32,
    /// The lines added, each with its line ending.
    pub added: Vec<String>,
    /// The person's decision.
    pub state: HunkState,
}

/// A text file's change cut into hunks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileHunks {
    /// The path, project-relative.
    pub path: String,
    /// The ops whose change it is (before the first, after the last), oldest first.
    pub ops: Vec<OpId>,
    /// The hunks, in file order; empty when the content did not change.
    pub hunks: Vec<Hunk>,
}

/// What reverting some hunks of a file would do: the hunks, which of them changed on disk since
/// (refused unless forced), and the journal's plan (one step writing the file) that a hunk
/// revert carries out. The window's confirmation and `warden rollback --hunks --dry-run` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkRevertPlan {
    /// The path.
    pub path: String,
    /// The hunks chosen, with their lines.
    pub hunks: Vec<Hunk>,
    /// Numbers of chosen hunks whose lines (or the lines right next to them) changed on disk
    /// since: reverting them overwrites those changes, so it is refused unless forced.
    pub changed_since: Vec<u32>,
    /// The plan: its one step restores the file with the chosen hunks put back; its conflicts
    /// name the file when `changed_since` is not empty.
    pub plan: RollbackPlan,
}

/// A person's comment on a line range of a file's change: a finding from the person, sent to
/// the agent with `file:lines` and the quoted hunk, batched with the other feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HunkComment {
    /// The comment (journal-wide id).
    pub id: u64,
    /// The session whose change it is about.
    pub session_id: SessionId,
    /// The task it was made during, when the window knew it.
    pub task: Option<TaskId>,
    /// The path, project-relative.
    pub path: String,
    /// First line of the range, in the file after the change (1-based).
    pub start_line: u32,
    /// Last line of the range (inclusive).
    pub end_line: u32,
    /// The quoted lines of the hunk, as a unified diff fragment.
    pub quote: String,
    /// What the person wrote.
    pub text: String,
    /// When it was made (Unix milliseconds).
    pub created_ms: u64,
    /// Whether it went to the agent already.
    pub sent: bool,
}

/// A comment as the window (or a test) makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NewHunkComment {
    /// The session whose change it is about.
    pub session_id: SessionId,
    /// The task it is made during, when known.
    pub task: Option<TaskId>,
    /// The path, project-relative.
    pub path: String,
    /// First line of the range, in the file after the change (1-based).
    pub start_line: u32,
    /// Last line of the range (inclusive).
    pub end_line: u32,
    /// The quoted lines.
    pub quote: String,
    /// What the person wrote.
    pub text: String,
}
