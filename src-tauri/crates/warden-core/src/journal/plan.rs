//! Planning a rollback: from the ops to undo and what is on disk now, the state each path must
//! end in, and the reasons not to go ahead.
//!
//! Undoing is simulated newest op first, one path at a time: before an op is undone its path
//! must hold exactly what the op left (`after`); undoing puts back what it found (`before`). For
//! the newest op of a path the check is against the disk, so a change made since is a conflict;
//! for older ops it is against what the newer op found, so a change in between that is not
//! being undone is a conflict too rather than silently lost.

use super::{Conflict, FileImage, FileOp, OpId, RollbackId};
use crate::session::TurnId;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{BTreeMap, BTreeSet};

/// What a rollback does to one path, named from what is there now and what must be there
/// after: the words the confirmation shows are the move the rollback makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PlanAction {
    /// The file is written back with its earlier content (and mode).
    Restore,
    /// The file is removed: the undone ops made it (or moved it here).
    Remove,
    /// The file is brought back: the undone ops removed it (or moved it away).
    Recreate,
    /// Only its permission bits go back; the content is already as it was.
    Chmod,
}

impl PlanAction {
    /// The action that turns `current` into `target` (they differ).
    fn between(current: Option<&FileImage>, target: Option<&FileImage>) -> PlanAction {
        match (current, target) {
            (_, None) => PlanAction::Remove,
            (None, Some(_)) => PlanAction::Recreate,
            (Some(now), Some(then)) if now.same_content(then) && now.content_kept() => PlanAction::Chmod,
            (Some(_), Some(_)) => PlanAction::Restore,
        }
    }
}

/// One path a rollback changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanStep {
    /// The path, project-relative.
    pub path: String,
    /// What happens to it.
    pub action: PlanAction,
    /// What is there now (`None`: nothing).
    pub current: Option<FileImage>,
    /// What must be there after (`None`: the path is removed).
    pub target: Option<FileImage>,
    /// The newest undone op of the path: the rollback's own op on this path is attributed to its
    /// session and turn.
    pub op: OpId,
    /// Every undone op of the path, oldest first: the path goes back to what it was before the
    /// first of them.
    pub undoes: Vec<OpId>,
    /// The turn of that first op, to say "as it was before turn 3".
    pub since_turn: TurnId,
    /// Set when that first op was a rollback's own (this is a redo): the path goes back to what
    /// it was before that rollback.
    pub since_rollback: Option<RollbackId>,
}

/// What undoing a set of ops takes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RollbackPlan {
    /// The ops the rollback undoes, by id (each once): what it is recorded as having undone.
    pub ops: Vec<OpId>,
    /// The paths to change, sorted by path; a path already in its target state is not listed.
    pub steps: Vec<PlanStep>,
    /// Paths not as the journal left them, one per path.
    pub conflicts: Vec<Conflict>,
    /// Paths to change whose content was not kept (over the size cap): no rollback can be exact
    /// for them, forced or not.
    pub not_kept: Vec<String>,
    /// Paths of ops on .gitignore'd files, which a rollback leaves alone.
    pub skipped: Vec<String>,
}

/// Plans undoing `ops` (any subset of the journal, in any order; duplicates count once) given
/// `current`, the state on disk now of every path they touch (a path missing from the map is
/// taken to hold nothing).
pub fn plan_rollback(ops: &[FileOp], current: &BTreeMap<String, Option<FileImage>>) -> RollbackPlan {
    let mut ordered: Vec<&FileOp> = ops.iter().collect();
    ordered.sort_by_key(|op| std::cmp::Reverse(op.id));
    ordered.dedup_by_key(|op| op.id);

    let mut state: BTreeMap<&str, Option<FileImage>> = BTreeMap::new();
    // Per path, its undone ops newest first (the walk's order).
    let mut undone: BTreeMap<&str, Vec<&FileOp>> = BTreeMap::new();
    let mut ids: Vec<OpId> = ordered.iter().map(|op| op.id).collect();
    ids.reverse();
    let mut conflicts: BTreeMap<&str, Conflict> = BTreeMap::new();
    let mut unkept: BTreeSet<&str> = BTreeSet::new();
    let mut skipped: BTreeSet<&str> = BTreeSet::new();

    for op in ordered {
        if op.ignored {
            skipped.extend(op.paths());
            continue;
        }
        let too_large = [&op.before, &op.after].into_iter().flatten().any(|image| image.too_large);
        for (path, after, before) in transitions(op) {
            let now = state.entry(path).or_insert_with(|| current.get(path).cloned().flatten());
            if now.as_ref() != after {
                conflicts.entry(path).or_insert_with(|| Conflict {
                    path: path.to_owned(),
                    expected: after.cloned(),
                    found: now.clone(),
                });
            }
            *now = before.cloned();
            undone.entry(path).or_default().push(op);
            if too_large {
                unkept.insert(path);
            }
        }
    }

    let mut steps = Vec::new();
    let mut not_kept = Vec::new();
    for (path, target) in state {
        let now = current.get(path).cloned().flatten();
        if now == target {
            continue;
        }
        let lacks_content = target.as_ref().is_some_and(|t| !t.content_kept());
        if lacks_content || unkept.contains(path) {
            not_kept.push(path.to_owned());
        }
        let Some(list) = undone.get(path) else { continue };
        let (Some(newest), Some(first)) = (list.first(), list.last()) else { continue };
        steps.push(PlanStep {
            path: path.to_owned(),
            action: PlanAction::between(now.as_ref(), target.as_ref()),
            current: now,
            target,
            op: newest.id,
            undoes: list.iter().rev().map(|op| op.id).collect(),
            since_turn: first.turn,
            since_rollback: first.rollback_id,
        });
    }
    // A conflict on a path that ends as it is (created, then deleted by hand) changes nothing.
    let changed: BTreeSet<&str> = steps.iter().map(|s| s.path.as_str()).collect();
    let conflicts = conflicts.into_iter().filter(|(path, _)| changed.contains(path)).map(|(_, c)| c).collect();
    let skipped = skipped.into_iter().filter(|p| !changed.contains(p)).map(str::to_owned).collect();
    RollbackPlan { ops: ids, steps, conflicts, not_kept, skipped }
}

/// What undoing `op` means per path: (path, what the op left there, what it found there).
fn transitions(op: &FileOp) -> Vec<(&str, Option<&FileImage>, Option<&FileImage>)> {
    match &op.kind {
        super::OpKind::Rename { from } => {
            vec![(op.path.as_str(), op.after.as_ref(), None), (from.as_str(), None, op.before.as_ref())]
        }
        _ => vec![(op.path.as_str(), op.after.as_ref(), op.before.as_ref())],
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
