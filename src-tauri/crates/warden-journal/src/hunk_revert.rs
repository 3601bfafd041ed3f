//! Per-hunk decisions on a recorded change: its hunks with what the person decided, reverting
//! some of them (a partial rollback), keeping one (a mark), and the person's comments.
//!
//! A hunk revert is a rollback like any other — the same intent, staging, atomic move, backup,
//! recovery and redo — whose one step writes the file as it is now with the chosen hunks put
//! back (see `hunks.rs`). Its row names the hunks' fingerprints, and it is *not* what undid
//! its ops: they still stand, partly undone, so a later rollback of the file, turn or session
//! still undoes them. That rollback takes the hunk reverts' own ops along (newest first), so the
//! file goes back to what it was before the agent's change with no conflict.

use super::beneath::{Beneath, Found};
use super::blobs::hash_bytes;
use super::db::{OpQuery, Step};
use super::hunks::{cut, fingerprints, lines, put_back, Cut};
use super::rollback::RollbackError;
use super::{project_key, Journal, JournalError};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use warden_core::journal::{
    Conflict, FileHunks, FileImage, FileKind, FileOp, Hunk, HunkComment, HunkRevertPlan, HunkState, NewHunkComment, OpId,
    OpKind, PlanAction, PlanStep, RollbackPlan, RollbackReport, RollbackState,
};
use warden_core::session::SessionId;

/// A change cut into hunks, with what is needed to put some back.
struct Hunked {
    project: String,
    path: String,
    ops: Vec<FileOp>,
    before: String,
    after: String,
    cuts: Vec<Cut>,
    hunks: Vec<Hunk>,
}

/// The file as it is now, read once: its image and its text.
struct Now {
    image: FileImage,
    text: String,
}

impl Journal {
    /// The hunks of the change `ops` made to one text file (before the first, after the last),
    /// each with what the person decided about it.
    pub fn hunks(&self, ops: &[OpId]) -> Result<FileHunks, RollbackError> {
        let hunked = self.hunked(ops)?;
        Ok(FileHunks { path: hunked.path, ops: hunked.ops.iter().map(|op| op.id).collect(), hunks: hunked.hunks })
    }

    /// What reverting hunks `numbers` (from 1) of the change `ops` made would do, changing
    /// nothing: the plan [`Journal::revert_hunks`] carries out if the file does not change in
    /// between.
    pub fn plan_hunk_revert(&self, ops: &[OpId], numbers: &[u32]) -> Result<HunkRevertPlan, RollbackError> {
        let hunked = self.hunked(ops)?;
        let (_, plan, _) = self.hunk_plan(&hunked, numbers, false)?;
        Ok(plan)
    }

    /// Reverts hunks `numbers` (from 1) of the change `ops` made to one text file: the file as it
    /// is now with those hunks put back, the rest of it (other hunks, later changes elsewhere)
    /// left as it is. Refused with the conflict when a chosen hunk's lines changed since, unless
    /// `force`; all or nothing; journaled as a rollback, so a redo undoes it.
    pub fn revert_hunks(&self, ops: &[OpId], numbers: &[u32], force: bool) -> Result<RollbackReport, RollbackError> {
        let _moving = self.moving();
        let hunked = self.hunked(ops)?;
        let (root, plan, now) = self.hunk_plan(&hunked, numbers, true)?;
        if !plan.plan.conflicts.is_empty() && !force {
            return Err(RollbackError::Conflicts(plan.plan.conflicts));
        }
        let Some(step) = plan.plan.steps.first() else {
            return Err(RollbackError::NoOps);
        };
        let newest = hunked.ops.last().ok_or(RollbackError::NoOps)?;
        let steps = [Step {
            seq: 0,
            path: step.path.clone(),
            target: step.target.clone(),
            backup: Some(now.image),
            session_id: newest.session_id.clone(),
            turn: newest.turn,
        }];
        let fingerprints: Vec<String> = plan.hunks.iter().map(|h| h.fingerprint.clone()).collect();
        let id = self.carry_out(&hunked.project, &root, &steps, &plan.plan.ops, force, None, &fingerprints)?;
        Ok(RollbackReport {
            id,
            ops: plan.plan.ops,
            restored: vec![hunked.path],
            removed: Vec::new(),
            skipped: Vec::new(),
            conflicts: if force { plan.plan.conflicts } else { Vec::new() },
            forced: force,
        })
    }

    /// Marks the hunk `fingerprint` of `path` kept (or, with `kept` false, open again) in
    /// `project`. A mark only: no file changes, and rollbacks undo a kept hunk like any other.
    pub fn keep_hunk(&self, project: &Path, path: &str, fingerprint: &str, session: &SessionId, kept: bool) -> Result<(), JournalError> {
        Ok(self.db.set_kept(&project_key(project), path, fingerprint, session, kept)?)
    }

    /// Stores the person's comment on a line range of a change in `project`.
    pub fn add_comment(&self, project: &Path, comment: NewHunkComment) -> Result<HunkComment, JournalError> {
        Ok(self.db.add_comment(&project_key(project), comment)?)
    }

    /// The person's comments on `session`'s changes in `project`, oldest first (only those not
    /// sent yet with `unsent`).
    pub fn comments(&self, project: &Path, session: &SessionId, unsent: bool) -> Result<Vec<HunkComment>, JournalError> {
        Ok(self.db.comments(&project_key(project), session, unsent)?)
    }

    /// Removes comment `id` of `project`; false when there was none.
    pub fn delete_comment(&self, project: &Path, id: u64) -> Result<bool, JournalError> {
        Ok(self.db.delete_comment(&project_key(project), id)?)
    }

    /// Records that comments `ids` of `project` went to the agent.
    pub fn mark_comments_sent(&self, project: &Path, ids: &[u64]) -> Result<(), JournalError> {
        Ok(self.db.mark_comments_sent(&project_key(project), ids)?)
    }

    /// `ops` with the ops of the hunk reverts that stand on any of them (newest last): undoing
    /// the ops whole undoes those first, so the file goes back with no conflict.
    pub(super) fn with_hunk_reverts(&self, project: &str, mut ops: Vec<FileOp>) -> Result<Vec<FileOp>, RollbackError> {
        let named: BTreeSet<OpId> = ops.iter().map(|op| op.id).collect();
        for record in self.db.rollbacks(Some(project), Some(RollbackState::Done))? {
            if record.hunks.is_empty() || !record.ops.iter().any(|id| named.contains(id)) {
                continue;
            }
            let made = self.db.ops(OpQuery::MadeBy(record.id))?;
            ops.extend(made.into_iter().filter(|op| op.undone_by.is_none() && !named.contains(&op.id)));
        }
        ops.sort_by_key(|op| op.id);
        ops.dedup_by_key(|op| op.id);
        Ok(ops)
    }

    /// The change `ops` made, cut into hunks with their states, or why it cannot be.
    fn hunked(&self, ids: &[OpId]) -> Result<Hunked, RollbackError> {
        let (project, mut ops) = self.named(ids)?;
        ops.sort_by_key(|op| op.id);
        let (Some(first), Some(last)) = (ops.first(), ops.last()) else { return Err(RollbackError::NoOps) };
        let path = last.path.clone();
        let refuse = |reason: &str| RollbackError::NotHunked { path: path.clone(), reason: reason.to_owned() };
        if ops.iter().any(|op| op.path != path) {
            return Err(refuse("the changes are of several files"));
        }
        if ops.iter().any(|op| matches!(op.kind, OpKind::Rename { .. })) {
            return Err(refuse("it was renamed"));
        }
        if ops.iter().any(|op| op.ignored) {
            return Err(refuse(".gitignore hides it, so its content was not kept"));
        }
        if last.after.is_none() {
            return Err(refuse("the change deleted it"));
        }
        let before = self.text_of(first.before.as_ref()).map_err(|e| refuse(&e))?;
        let after = self.text_of(last.after.as_ref()).map_err(|e| refuse(&e))?;
        let cuts = cut(&lines(&before), &lines(&after));
        let keeps = self.db.kept(&project, &path)?;
        let mut reverted = BTreeMap::new();
        for record in self.db.rollbacks(Some(&project), Some(RollbackState::Done))? {
            for print in &record.hunks {
                reverted.insert(print.clone(), record.id);
            }
        }
        let (old, new) = (lines(&before), lines(&after));
        let prints = fingerprints(&path, &old, &new, &cuts);
        let hunks = cuts
            .iter()
            .zip(prints)
            .enumerate()
            .map(|(i, (c, fingerprint))| {
                let state = match reverted.get(&fingerprint) {
                    Some(&rollback_id) => HunkState::Reverted { rollback_id },
                    None if keeps.contains(&fingerprint) => HunkState::Kept,
                    None => HunkState::Open,
                };
                Hunk {
                    index: i as u32 + 1,
                    old_start: c.old.start as u32 + 1,
                    removed: old[c.old.clone()].iter().map(|l| (*l).to_owned()).collect(),
                    new_start: c.new.start as u32 + 1,
                    added: new[c.new.clone()].iter().map(|l| (*l).to_owned()).collect(),
                    fingerprint,
                    state,
                }
            })
            .collect();
        Ok(Hunked { project, path, ops, before, after, cuts, hunks })
    }

    /// The text of a recorded side (`""` for no file), or why it has none.
    fn text_of(&self, image: Option<&FileImage>) -> Result<String, String> {
        let Some(image) = image else { return Ok(String::new()) };
        if image.kind != FileKind::File {
            return Err("it is a symlink".into());
        }
        let hash = image.hash.as_ref().ok_or_else(|| "its content was not kept".to_owned())?;
        let bytes = self.content(hash).map_err(|e| e.to_string())?;
        String::from_utf8(bytes).ok().filter(|t| !t.contains('\0')).ok_or_else(|| "it is not a text file".to_owned())
    }

    /// Reads the file now and plans putting hunks `numbers` back. With `store`, the file as it
    /// is now (the backup) and the target are kept in the blob store.
    fn hunk_plan(&self, hunked: &Hunked, numbers: &[u32], store: bool) -> Result<(Beneath, HunkRevertPlan, Now), RollbackError> {
        let chosen: BTreeSet<u32> = numbers.iter().copied().collect();
        let unknown: Vec<u32> = chosen.iter().copied().filter(|&n| n == 0 || n as usize > hunked.hunks.len()).collect();
        if chosen.is_empty() || !unknown.is_empty() {
            return Err(RollbackError::UnknownHunks { path: hunked.path.clone(), hunks: unknown, count: hunked.hunks.len() as u32 });
        }
        let hunks: Vec<Hunk> = chosen.iter().map(|&n| hunked.hunks[n as usize - 1].clone()).collect();
        let done: Vec<u32> = hunks.iter().filter(|h| matches!(h.state, HunkState::Reverted { .. })).map(|h| h.index).collect();
        if !done.is_empty() {
            return Err(RollbackError::HunksReverted { path: hunked.path.clone(), hunks: done });
        }
        let project = Path::new(&hunked.project);
        if !project.is_dir() {
            return Err(RollbackError::ProjectMissing(project.to_owned()));
        }
        let root = Beneath::open(project).map_err(|source| JournalError::Io { path: project.to_owned(), source })?;
        let now = self.read_now(&root, &hunked.path, store)?;
        let cuts: Vec<Cut> = chosen.iter().map(|&n| hunked.cuts[n as usize - 1].clone()).collect();
        let back = put_back(&lines(&hunked.before), &lines(&hunked.after), &lines(&now.text), &cuts);
        let bytes = back.text.as_bytes();
        let hash = if store { self.blobs.put(bytes).map_err(JournalError::from)? } else { hash_bytes(bytes) };
        let target = FileImage { hash: Some(hash), size: bytes.len() as u64, mode: now.image.mode, kind: FileKind::File, too_large: false };
        let (first, last) = (&hunked.ops[0], &hunked.ops[hunked.ops.len() - 1]);
        let ids: Vec<OpId> = hunked.ops.iter().map(|op| op.id).collect();
        let steps = if back.text == now.text {
            Vec::new()
        } else {
            vec![PlanStep {
                path: hunked.path.clone(),
                action: PlanAction::Restore,
                current: Some(now.image.clone()),
                target: Some(target),
                op: last.id,
                undoes: ids.clone(),
                since_turn: first.turn,
                since_rollback: first.rollback_id,
            }]
        };
        let changed_since: Vec<u32> = back.changed_since.iter().map(|&i| hunks[i].index).collect();
        let conflicts = if changed_since.is_empty() {
            Vec::new()
        } else {
            vec![Conflict { path: hunked.path.clone(), expected: last.after.clone(), found: Some(now.image.clone()) }]
        };
        let plan = RollbackPlan { ops: ids, steps, conflicts, not_kept: Vec::new(), skipped: Vec::new() };
        Ok((root, HunkRevertPlan { path: hunked.path.clone(), hunks, changed_since, plan }, now))
    }

    /// The text file at `path` now, read once beneath the root (kept in the blob store with
    /// `store`), or why hunks cannot be put back into it.
    fn read_now(&self, root: &Beneath, path: &str, store: bool) -> Result<Now, RollbackError> {
        let refuse = |reason: &str| RollbackError::NotHunked { path: path.to_owned(), reason: reason.to_owned() };
        let gone = || refuse("it was deleted (or replaced by a folder) since; revert the whole file instead");
        let parent = root.parent(path, false).map_err(RollbackError::Unreachable)?.ok_or_else(gone)?;
        let io = |source| JournalError::Io { path: parent.path(), source };
        let mode = match parent.found().map_err(io)? {
            Some(Found::File(mode)) => mode,
            Some(Found::Symlink) => return Err(refuse("a symlink stands there now")),
            _ => return Err(gone()),
        };
        let mut bytes = Vec::new();
        parent.open_file().map_err(io)?.read_to_end(&mut bytes).map_err(io)?;
        let hash = if store { self.blobs.put(&bytes).map_err(JournalError::from)? } else { hash_bytes(&bytes) };
        let image = FileImage { hash: Some(hash), size: bytes.len() as u64, mode, kind: FileKind::File, too_large: false };
        // One read: the image is of exactly the bytes the hunks are put back into.
        let text = String::from_utf8(bytes).ok().filter(|t| !t.contains('\0')).ok_or_else(|| refuse("it is not text any more"))?;
        Ok(Now { image, text })
    }
}
