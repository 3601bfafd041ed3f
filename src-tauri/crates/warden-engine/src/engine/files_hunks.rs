//! The files part's per-hunk decisions: a change's hunks, reverting some of them (a partial
//! rollback, under the same turn gate as every rollback), keeping one, and the person's
//! comments. The journal does the work (`warden_journal::Journal::revert_hunks`); this side
//! checks that the ops named are the project's, and runs reverts only while no turn is open.

use super::files_requests::outcome;
use super::{Files, FilesError};
use warden_core::journal::{FileHunks, HunkComment, HunkRevertPlan, NewHunkComment, OpId, RollbackOutcome, RollbackReport};
use warden_core::session::SessionId;

impl Files {
    /// The hunks of the change `ops` (of one text file of `project`) made, with the person's
    /// decisions.
    pub fn file_hunks(&self, project: &str, ops: &[OpId]) -> Result<FileHunks, FilesError> {
        let ids = self.own_ops(project, ops)?;
        Ok(self.journal()?.hunks(&ids)?)
    }

    /// What reverting hunks `hunks` (numbered from 1) of that change would do, changing nothing.
    pub fn hunk_revert_plan(&self, project: &str, ops: &[OpId], hunks: &[u32]) -> Result<HunkRevertPlan, FilesError> {
        let ids = self.own_ops(project, ops)?;
        Ok(self.journal()?.plan_hunk_revert(&ids, hunks)?)
    }

    /// Reverts hunks `hunks` of that change: refused over a hunk changed since (unless `force`)
    /// and while a turn is running in the project, like every rollback.
    pub fn revert_hunks(&self, project: &str, ops: &[OpId], hunks: &[u32], force: bool) -> Result<RollbackReport, FilesError> {
        let ids = self.own_ops(project, ops)?;
        let dir = crate::resolve_project_dir(project)?;
        let journal = self.journal()?.clone();
        self.while_idle(&dir, || journal.revert_hunks(&ids, hunks, force))
    }

    /// [`Files::revert_hunks`] with a hunk changed since as an answer
    /// ([`RollbackOutcome::Conflicts`]), not a failure.
    pub fn revert_hunks_outcome(&self, project: &str, ops: &[OpId], hunks: &[u32], force: bool) -> Result<RollbackOutcome, FilesError> {
        outcome(self.revert_hunks(project, ops, hunks, force))
    }

    /// Marks a hunk kept (or open again): a mark the Files panel shows; nothing else changes.
    pub fn keep_hunk(&self, project: &str, path: &str, fingerprint: &str, session: &SessionId, kept: bool) -> Result<(), FilesError> {
        let dir = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.keep_hunk(&dir, path, fingerprint, session, kept)?)
    }

    /// Stores the person's comment on a line range of a change.
    pub fn add_comment(&self, project: &str, comment: NewHunkComment) -> Result<HunkComment, FilesError> {
        let dir = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.add_comment(&dir, comment)?)
    }

    /// The person's comments on a session's changes, oldest first (only unsent with `unsent`).
    pub fn comments(&self, project: &str, session: &SessionId, unsent: bool) -> Result<Vec<HunkComment>, FilesError> {
        let dir = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.comments(&dir, session, unsent)?)
    }

    /// Removes a comment; whether there was one.
    pub fn delete_comment(&self, project: &str, id: u64) -> Result<bool, FilesError> {
        let dir = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.delete_comment(&dir, id)?)
    }

    /// Records that comments went to the agent (the feedback composer sent them).
    pub fn mark_comments_sent(&self, project: &str, ids: &[u64]) -> Result<(), FilesError> {
        let dir = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.mark_comments_sent(&dir, ids)?)
    }

    /// `ops` when every one is of `project`, so a hunk named from one project never touches
    /// another.
    fn own_ops(&self, project: &str, ops: &[OpId]) -> Result<Vec<OpId>, FilesError> {
        let dir = crate::resolve_project_dir(project)?;
        let found = self.project_ops(&dir, ops)?;
        if found.is_empty() {
            let list: Vec<String> = ops.iter().map(ToString::to_string).collect();
            return Err(FilesError::NothingToRollBack(format!("ops {} are not recorded changes of {}", list.join(", "), dir.display())));
        }
        Ok(found.iter().map(|op| op.id).collect())
    }
}
