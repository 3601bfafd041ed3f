//! What a review looks at, from Warden's own records: the file journal's diff of the task (a
//! turn, the session) — shell-made changes included, since the journal snapshots the tree —
//! cut into the same hunks the Files panel shows, the prompts that asked for it and the last
//! results of its checks, all from the session's stored events. No git, no merge-base
//! guessing — unless the person asks for a review against a git base (`ReviewScope::Base`):
//! then the diff is git's ([`super::git_base`]), cut into hunks the same way, with no prompts
//! or checks (they belong to the session, not to the branch).

use super::{git_base, ReviewError};
use crate::journal::{hunks, unified_diff, Journal};
use crate::store::Store;
use std::collections::BTreeSet;
use std::path::Path;
use warden_core::journal::{DiffSide, FileDiff, FileOp};
use warden_core::review::{DiffHunk, ReviewScope};
use warden_core::session::{CheckFinished, MessageOrigin, SessionEventKind, SessionId, TurnId};

/// One prompt of the scope: the person's, or Warden's feedback to the agent.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopePrompt {
    /// The turn it started.
    pub turn: TurnId,
    /// Who wrote it.
    pub origin: MessageOrigin,
    /// What it said.
    pub text: String,
}

/// Everything a reviewer is given about a scope.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// The project folder.
    pub project: String,
    /// The reviewed session.
    pub session: SessionId,
    /// What is reviewed.
    pub scope: ReviewScope,
    /// The turns of the scope, oldest first.
    pub turns: Vec<TurnId>,
    /// The prompts of those turns, oldest first.
    pub prompts: Vec<ScopePrompt>,
    /// The last result of each check of the scope (by check id, in the order they ran).
    pub checks: Vec<CheckFinished>,
    /// Each changed file, before the scope's first change and after its last.
    pub diffs: Vec<FileDiff>,
    /// The hunks of those diffs, file by file in diff order.
    pub hunks: Vec<DiffHunk>,
    /// For a review against a git base: the merge base of the base and `HEAD` the diff starts
    /// from (a commit id).
    pub merge_base: Option<String>,
}

impl ReviewInput {
    /// The changed paths, in diff order (a rename names where the file went).
    pub fn changed_paths(&self) -> Vec<&str> {
        self.diffs.iter().map(|d| d.path.as_str()).collect()
    }

    /// The scope's diff as unified text, git's way, file by file (what `warden diff` prints).
    pub fn diff_text(&self) -> String {
        self.diffs.iter().map(unified_diff).collect()
    }

    /// Lines added plus lines removed over every text file: the size of the change.
    pub fn changed_lines(&self) -> u32 {
        self.hunks.iter().map(|h| h.old_lines + h.new_lines).sum()
    }
}

/// The review input of `scope` in `session`, whose project is `project` (refused when the
/// session is of another project, when the scope names a task or turn the session does not
/// have, or when it changed no file). A review against a git base reads git, not `journal`
/// (which may be missing then).
pub fn review_input(store: &Store, journal: Option<&Journal>, project: &Path, session: &SessionId, scope: ReviewScope) -> Result<ReviewInput, ReviewError> {
    let record = store.session(session)?.ok_or_else(|| ReviewError::UnknownSession(session.clone()))?;
    if Path::new(&record.project) != project {
        return Err(ReviewError::OtherProject { session: session.clone(), project: record.project });
    }
    if let ReviewScope::Base { base } = &scope {
        let changed = git_base::base_diff(project, base)?;
        if changed.diffs.is_empty() {
            return Err(ReviewError::NothingChanged(describe(&scope)));
        }
        let hunks = changed.diffs.iter().flat_map(text_hunks).collect();
        return Ok(ReviewInput {
            project: record.project,
            session: session.clone(),
            scope,
            turns: Vec::new(),
            prompts: Vec::new(),
            checks: Vec::new(),
            diffs: changed.diffs,
            hunks,
            merge_base: Some(changed.merge_base),
        });
    }
    let journal = journal.ok_or(ReviewError::JournalUnavailable)?;
    let events = store.events(session, 0)?;
    let turns = scope_turns(&events, &scope)?;
    let prompts: Vec<ScopePrompt> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::UserMessage(m) if turns.contains(&m.turn) => {
                Some(ScopePrompt { turn: m.turn, origin: m.origin, text: m.text.clone() })
            }
            _ => None,
        })
        .collect();
    let checks = scope_checks(&events, &turns);
    let ops: Vec<FileOp> = journal
        .log(project, Some(session))?
        .into_iter()
        .filter(|op| op.rollback_id.is_none() && turns.contains(&op.turn))
        .collect();
    let diffs = if ops.is_empty() { Vec::new() } else { journal.diffs(&ops)? };
    if diffs.is_empty() {
        return Err(ReviewError::NothingChanged(describe(&scope)));
    }
    let hunks = diffs.iter().flat_map(|diff| file_hunks(journal, diff)).collect();
    Ok(ReviewInput {
        project: record.project,
        session: session.clone(),
        scope,
        turns: turns.into_iter().collect(),
        prompts,
        checks,
        diffs,
        hunks,
        merge_base: None,
    })
}

/// How a scope is named in messages.
pub fn describe(scope: &ReviewScope) -> String {
    match scope {
        ReviewScope::Task { task } => format!("task {task}"),
        ReviewScope::Turn { turn } => format!("turn {turn}"),
        ReviewScope::Session => "the session".to_owned(),
        ReviewScope::Base { base } => format!("the changes since {base}"),
    }
}

/// The turns a scope covers. A task runs from its prompt's turn to the turn before the next
/// task (its feedback rounds are the turns in between).
fn scope_turns(events: &[warden_core::session::SessionEvent], scope: &ReviewScope) -> Result<BTreeSet<TurnId>, ReviewError> {
    let all: BTreeSet<TurnId> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::UserMessage(m) => Some(m.turn),
            _ => None,
        })
        .collect();
    match scope {
        ReviewScope::Session => Ok(all),
        ReviewScope::Turn { turn } if all.contains(turn) => Ok(BTreeSet::from([*turn])),
        ReviewScope::Turn { turn } => Err(ReviewError::UnknownScope(format!("the session has no turn {turn}"))),
        // Not a journal scope: `review_input` reads git for it.
        ReviewScope::Base { .. } => Ok(BTreeSet::new()),
        ReviewScope::Task { task } => {
            let starts: BTreeSet<TurnId> = events
                .iter()
                .filter_map(|e| match &e.kind {
                    SessionEventKind::TaskStarted(t) => Some(t.turn),
                    _ => None,
                })
                .collect();
            let first = TurnId(task.0);
            if !starts.contains(&first) {
                return Err(ReviewError::UnknownScope(format!("the session has no task {task}")));
            }
            let next = starts.range(TurnId(first.0 + 1)..).next().copied();
            Ok(all.into_iter().filter(|t| *t >= first && next.is_none_or(|n| *t < n)).collect())
        }
    }
}

/// The last result of each check that ran during `turns` (an event belongs to the turn of the
/// prompt before it), in the order the checks first ran.
fn scope_checks(events: &[warden_core::session::SessionEvent], turns: &BTreeSet<TurnId>) -> Vec<CheckFinished> {
    let mut current: Option<TurnId> = None;
    let mut checks: Vec<CheckFinished> = Vec::new();
    for event in events {
        match &event.kind {
            SessionEventKind::UserMessage(m) => current = Some(m.turn),
            SessionEventKind::CheckFinished(c) if current.is_some_and(|t| turns.contains(&t)) => {
                match checks.iter_mut().find(|k| k.check == c.check) {
                    Some(kept) => *kept = c.clone(),
                    None => checks.push(c.clone()),
                }
            }
            _ => {}
        }
    }
    checks
}

/// A side's text, for hunks: no file reads as empty; anything not kept as text has none.
fn text(side: &DiffSide) -> Option<&str> {
    match side {
        DiffSide::Absent => Some(""),
        DiffSide::Text { text } => Some(text),
        _ => None,
    }
}

/// The hunks of one file's diff: the journal's own (what the Files panel shows, with the same
/// numbers and fingerprints, see `Journal::hunks`), or for a change the journal does not cut
/// into hunks (a deleted or renamed file) the same cut of its text. A file without text on both
/// sides has none.
pub fn file_hunks(journal: &Journal, diff: &FileDiff) -> Vec<DiffHunk> {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    if let Ok(file) = journal.hunks(&diff.ops) {
        if file.path == diff.path {
            return file
                .hunks
                .into_iter()
                .map(|h| DiffHunk {
                    id: DiffHunk::id_for(&diff.path, h.index),
                    path: diff.path.clone(),
                    index: h.index,
                    fingerprint: h.fingerprint,
                    old_start: if diff.before == DiffSide::Absent { 0 } else { h.old_start },
                    old_lines: count(h.removed.len()),
                    new_start: h.new_start,
                    new_lines: count(h.added.len()),
                })
                .collect();
        }
    }
    text_hunks(diff)
}

/// The hunks of one file's diff cut from its before and after texts with the journal's cutter
/// (`warden_journal::hunks`), numbered from 1 — what the Files panel's cut gives for the same
/// texts. A file without text on both sides has none.
pub fn text_hunks(diff: &FileDiff) -> Vec<DiffHunk> {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let (Some(before), Some(after)) = (text(&diff.before), text(&diff.after)) else { return Vec::new() };
    let (old, new) = (hunks::lines(before), hunks::lines(after));
    let no_before = diff.before == DiffSide::Absent;
    let no_after = diff.after == DiffSide::Absent;
    let cuts = hunks::cut(&old, &new);
    let prints = hunks::fingerprints(&diff.path, &old, &new, &cuts);
    cuts.into_iter()
        .zip(prints)
        .enumerate()
        .map(|(i, (cut, fingerprint))| {
            let index = count(i + 1);
            DiffHunk {
                id: DiffHunk::id_for(&diff.path, index),
                path: diff.path.clone(),
                index,
                fingerprint,
                old_start: if no_before { 0 } else { count(cut.old.start + 1) },
                old_lines: count(cut.old.len()),
                new_start: if no_after { 0 } else { count(cut.new.start + 1) },
                new_lines: count(cut.new.len()),
            }
        })
        .collect()
}
