//! Rolling back recorded ops, and redoing (undoing) a rollback.
//!
//! A rollback reads what is at every path now (storing it as a backup), plans with
//! [`plan_rollback`], and refuses on conflicts unless forced, or when content was not kept.
//! [`Journal::plan_rollback`] and [`Journal::plan_redo`] make the same plan from the same reads
//! without storing or changing anything, so what a preview shows is what the rollback does.
//! Then: the intent (rollback row, pending, and one step per path) in one transaction; every
//! target file staged in the journal's folder; removals and renames into place; the rollback
//! marked done together with the ops it made, in one transaction. An I/O failure on the way puts
//! the backups back; a crash is finished or reverted by [`Journal::recover`].
//!
//! A redo is the rollback of the ops a rollback made: same checks, same journaling.

use super::apply::{read_image, Apply};
use super::beneath::{Beneath, BeneathError};
use super::db::{OpQuery, Step};
use super::{BlobStore, Journal, JournalError};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use warden_core::journal::{
    plan_rollback, Conflict, FileOp, OpId, OpKind, RollbackId, RollbackPlan, RollbackRecord, RollbackReport, RollbackState,
};

/// Why a rollback did not happen. Nothing in the project was changed.
#[derive(Debug, thiserror::Error)]
pub enum RollbackError {
    /// Files changed since the ops being undone; `force` overrides.
    #[error("{} file(s) changed since: {}", .0.len(), conflict_paths(.0))]
    Conflicts(Vec<Conflict>),
    /// Content the rollback needs was over the size cap when recorded, so it was never kept.
    #[error("the content of {} was not kept (over the size cap), so it cannot be restored", .paths.join(", "))]
    ContentNotKept {
        /// The paths.
        paths: Vec<String>,
    },
    /// No ops were given.
    #[error("nothing to roll back")]
    NoOps,
    /// Some op ids are not in the journal.
    #[error("unknown ops: {0:?}")]
    UnknownOps(Vec<OpId>),
    /// The ops belong to more than one project.
    #[error("the ops belong to several projects: {}", .0.join(", "))]
    MixedProjects(Vec<String>),
    /// A path's folder is a symlink (or a file) now, or the path is not inside the project: a
    /// rollback never writes through a link. Nothing was changed.
    #[error("{0}. Nothing was rolled back; move the link away and roll back again")]
    Unreachable(super::beneath::BeneathError),
    /// The project folder is gone.
    #[error("the project folder {0} does not exist")]
    ProjectMissing(PathBuf),
    /// No such rollback.
    #[error("unknown rollback {0}")]
    UnknownRollback(RollbackId),
    /// Only a finished rollback can be redone.
    #[error("rollback {id} is {} and cannot be redone", .state.as_str())]
    NotDone {
        /// The rollback.
        id: RollbackId,
        /// Its state.
        state: RollbackState,
    },
    /// A turn is being recorded: a rollback now would be recorded as the agent's doing.
    #[error("a turn is being recorded; roll back when it ends")]
    TurnOpen,
    /// The change cannot be cut into hunks (not text, deleted, renamed, several files…).
    #[error("the change of {path} has no hunks to revert: {reason}")]
    NotHunked {
        /// The path.
        path: String,
        /// Why, in words.
        reason: String,
    },
    /// Hunk numbers that the change does not have (or none at all).
    #[error("{path} has {count} hunk(s); no hunk {}", numbers(.hunks))]
    UnknownHunks {
        /// The path.
        path: String,
        /// The numbers asked for that do not exist (empty: none was asked for).
        hunks: Vec<u32>,
        /// How many hunks the change has.
        count: u32,
    },
    /// Hunks that a hunk revert that stands put back already: its redo brings them back.
    #[error("hunk(s) {} of {path} were reverted already; redo that revert to bring them back", numbers(.hunks))]
    HunksReverted {
        /// The path.
        path: String,
        /// Their numbers.
        hunks: Vec<u32>,
    },
    /// The journal failed (the project is as it was, or recovery will make it so).
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// Refuses the whole plan, before anything moves, when a file would be written where a folder
/// on the way is a symlink now (the agent replaced `d/` by a link after deleting `d/x`): only a
/// link the same rollback removes first is fine, since the folder is then made anew.
/// `steps` are each path with whether a file is written there.
fn refuse_linked<'a>(root: &Beneath, steps: impl Iterator<Item = (&'a str, bool)> + Clone) -> Result<(), RollbackError> {
    let removed: BTreeSet<&str> = steps.clone().filter(|(_, writes)| !writes).map(|(path, _)| path).collect();
    for (path, _) in steps.filter(|(_, writes)| *writes) {
        let linked = root.linked_folder(path).map_err(RollbackError::Unreachable)?;
        if let Some(folder) = linked.filter(|folder| !removed.contains(folder.as_str())) {
            return Err(RollbackError::Unreachable(BeneathError::Linked { path: path.to_owned(), folder }));
        }
    }
    Ok(())
}

/// Hunk numbers as a list ("1, 3"; "given" for none).
fn numbers(hunks: &[u32]) -> String {
    if hunks.is_empty() {
        return "given".to_owned();
    }
    hunks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn conflict_paths(conflicts: &[Conflict]) -> String {
    conflicts.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", ")
}

impl From<rusqlite::Error> for RollbackError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Journal(e.into())
    }
}

impl Journal {
    /// Undoes `ops` (any set, of one project): every path they touched goes back to what it
    /// was before the oldest of them, exactly (bytes and mode), or nothing changes. Refuses with
    /// the conflicts when a path changed since, unless `force`.
    pub fn rollback(&self, ops: &[OpId], force: bool) -> Result<RollbackReport, RollbackError> {
        let _moving = self.moving();
        let (project, found) = self.named(ops)?;
        let found = self.with_hunk_reverts(&project, found)?;
        self.undo(&project, &found, force, None)
    }

    /// Undoes rollback `id` (which must be done): the rollback of the ops it made, with the same
    /// checks, journaled as a rollback of its own. The undone rollback is marked `undone`.
    pub fn redo(&self, id: RollbackId, force: bool) -> Result<RollbackReport, RollbackError> {
        let _moving = self.moving();
        let (record, made) = self.redoable(id)?;
        self.undo(&record.project, &made, force, Some(id))
    }

    /// What [`Journal::rollback`] of `ops` would do, changing nothing: the same plan from the
    /// same reads of the project. Refused like the rollback, except over conflicts and content
    /// not kept, which the plan lists.
    pub fn plan_rollback(&self, ops: &[OpId]) -> Result<RollbackPlan, RollbackError> {
        let (project, found) = self.named(ops)?;
        let found = self.with_hunk_reverts(&project, found)?;
        Ok(self.plan(&project, &found, None)?.1)
    }

    /// What [`Journal::redo`] of rollback `id` would do, changing nothing.
    pub fn plan_redo(&self, id: RollbackId) -> Result<RollbackPlan, RollbackError> {
        let (record, made) = self.redoable(id)?;
        Ok(self.plan(&record.project, &made, None)?.1)
    }

    /// The ops of `ids` and their one project, or why they cannot be rolled back together.
    pub(super) fn named(&self, ids: &[OpId]) -> Result<(String, Vec<FileOp>), RollbackError> {
        if ids.is_empty() {
            return Err(RollbackError::NoOps);
        }
        let found = self.db.ops(OpQuery::Ids(ids))?;
        let known: BTreeSet<OpId> = found.iter().map(|op| op.id).collect();
        let unknown: BTreeSet<OpId> = ids.iter().copied().filter(|id| !known.contains(id)).collect();
        if !unknown.is_empty() {
            return Err(RollbackError::UnknownOps(unknown.into_iter().collect()));
        }
        let mut projects = self.db.projects_of(ids)?;
        match projects.pop() {
            Some(project) if projects.is_empty() => Ok((project, found)),
            last => Err(RollbackError::MixedProjects(projects.into_iter().chain(last).collect())),
        }
    }

    /// Rollback `id` and the ops it made, when it can be redone.
    fn redoable(&self, id: RollbackId) -> Result<(RollbackRecord, Vec<FileOp>), RollbackError> {
        let record = self.db.rollback(id)?.ok_or(RollbackError::UnknownRollback(id))?;
        if record.state != RollbackState::Done {
            return Err(RollbackError::NotDone { id, state: record.state });
        }
        let made = self.db.ops(OpQuery::MadeBy(id))?;
        Ok((record, made))
    }

    /// Reads what is at every path `ops` touched in `project` and plans undoing them: the one
    /// plan a preview shows and a rollback carries out. With `backups`, every file read is also
    /// stored there, so the rollback can be undone.
    fn plan(&self, project: &str, ops: &[FileOp], backups: Option<&BlobStore>) -> Result<(Beneath, RollbackPlan), RollbackError> {
        let root = Path::new(project);
        if !root.is_dir() {
            return Err(RollbackError::ProjectMissing(root.to_owned()));
        }
        let root = Beneath::open(root).map_err(|source| JournalError::Io { path: root.to_owned(), source })?;
        let paths: BTreeSet<&str> = ops.iter().filter(|op| !op.ignored).flat_map(FileOp::paths).collect();
        let mut current = BTreeMap::new();
        for path in paths {
            // Every path is read beneath the root, never through a link.
            let image = match read_image(&root, path, backups) {
                Err(JournalError::Beneath(e)) => return Err(RollbackError::Unreachable(e)),
                other => other?,
            };
            current.insert(path.to_owned(), image);
        }
        let plan = plan_rollback(ops, &current);
        // Forcing cannot get past a link, so neither can a plan.
        refuse_linked(&root, plan.steps.iter().map(|s| (s.path.as_str(), s.target.is_some())))?;
        Ok((root, plan))
    }

    /// Plans, checks and carries out undoing `ops` in `project`.
    fn undo(&self, project: &str, ops: &[FileOp], force: bool, redo_of: Option<RollbackId>) -> Result<RollbackReport, RollbackError> {
        // Stored as it is read: the backup that makes this rollback undoable.
        let (root, plan) = self.plan(project, ops, Some(&self.blobs))?;
        if !plan.not_kept.is_empty() {
            return Err(RollbackError::ContentNotKept { paths: plan.not_kept });
        }
        if !plan.conflicts.is_empty() && !force {
            return Err(RollbackError::Conflicts(plan.conflicts));
        }
        let by_id: HashMap<OpId, &FileOp> = ops.iter().map(|op| (op.id, op)).collect();
        let steps: Vec<Step> = plan
            .steps
            .iter()
            .enumerate()
            .map(|(seq, s)| Step {
                seq: seq as u32,
                path: s.path.clone(),
                target: s.target.clone(),
                backup: s.current.clone(),
                session_id: by_id[&s.op].session_id.clone(),
                turn: by_id[&s.op].turn,
            })
            .collect();
        let op_ids: Vec<OpId> = plan.ops.clone();
        let id = self.carry_out(project, &root, &steps, &op_ids, force, redo_of, &[])?;
        Ok(RollbackReport {
            id,
            ops: op_ids,
            restored: steps.iter().filter(|s| s.target.is_some()).map(|s| s.path.clone()).collect(),
            removed: steps.iter().filter(|s| s.target.is_none()).map(|s| s.path.clone()).collect(),
            skipped: plan.skipped,
            conflicts: if force { plan.conflicts } else { Vec::new() },
            forced: force,
        })
    }

    /// Carries out planned `steps`, all or nothing: the intent first (a hunk revert names its
    /// `hunks`), every target staged, then moved into place; on a failure the backups go back
    /// and the rollback is abandoned. Returns the rollback, done and recorded.
    #[allow(clippy::too_many_arguments)] // Each is one column of the rollback row.
    pub(super) fn carry_out(
        &self,
        project: &str,
        root: &Beneath,
        steps: &[Step],
        op_ids: &[OpId],
        force: bool,
        redo_of: Option<RollbackId>,
        hunks: &[String],
    ) -> Result<RollbackId, RollbackError> {
        let id = self.db.begin_rollback(project, op_ids, force, redo_of, hunks, steps)?;
        let work = Apply::new(root, &self.staging(), &self.blobs, id);
        if let Err(e) = work.stage(steps) {
            work.cleanup(steps);
            self.db.set_state(id, RollbackState::Abandoned)?;
            return Err(e.into());
        }
        if let Err(e) = work.apply(steps) {
            tracing::error!(rollback = %id, "rollback failed half way ({e}); putting the files back");
            // If putting back fails too, the rollback stays pending for `recover`.
            work.revert(steps)?;
            work.cleanup(steps);
            self.db.set_state(id, RollbackState::Abandoned)?;
            return Err(match e {
                // A folder became a link between the plan and the move: refused like at the plan.
                JournalError::Beneath(e) => RollbackError::Unreachable(e),
                e => e.into(),
            });
        }
        let record = self.db.rollback(id)?.expect("the rollback was just written");
        self.finish(&record, steps)?;
        work.cleanup(steps);
        Ok(id)
    }

    /// Marks a rollback whose files are all in place done, recording its changes as ops.
    pub(super) fn finish(&self, record: &RollbackRecord, steps: &[Step]) -> Result<Vec<FileOp>, JournalError> {
        let at_ms = warden_disk::now_ms();
        let made = steps
            .iter()
            .map(|s| FileOp {
                id: OpId(0),
                session_id: s.session_id.clone(),
                turn: s.turn,
                tool_call_id: None,
                path: s.path.clone(),
                kind: match (&s.backup, &s.target) {
                    (None, _) => OpKind::Create,
                    (_, None) => OpKind::Delete,
                    (Some(before), Some(after)) if before.same_content(after) => OpKind::Chmod,
                    _ => OpKind::Modify,
                },
                before: s.backup.clone(),
                after: s.target.clone(),
                at_ms,
                ignored: false,
                rollback_id: Some(record.id),
                undone_by: None,
            })
            .collect();
        Ok(self.db.finish_rollback(record, made)?)
    }
}

