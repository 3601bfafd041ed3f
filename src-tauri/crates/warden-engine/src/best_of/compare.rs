//! Comparing a best-of-N group: for each member its session (status, turns, cost), its
//! worktree's state, the files and lines it changed against its base (committed or not), and
//! what the task gate said about its last task.

use super::BestOfError;
use crate::engine::Sessions;
use crate::worktrees::{self, WorktreeError};
use std::path::Path;
pub use warden_core::best_of::{BestOfEntry as Entry, ChecksSummary};
use warden_core::session::{CheckOutcome, GateVerdict, SessionEvent, SessionEventKind, TaskOutcome};

/// Every member of `group`, oldest first. The store and git are read; nothing is changed.
pub fn compare(sessions: &Sessions, group: &str) -> Result<Vec<Entry>, BestOfError> {
    let records = sessions.store().group(group)?;
    if records.is_empty() {
        return Err(BestOfError::UnknownGroup(group.to_owned()));
    }
    let data_dir = sessions.data_dir();
    records
        .into_iter()
        .map(|session| {
            let folder = Path::new(&session.project);
            // A discarded member has no worktree now. One whose worktree cannot be read is
            // shown the same way (and logged) rather than hiding the whole group.
            let worktree = match (&session.worktree, worktrees::state(data_dir, folder)) {
                (Some(_), Ok(state)) => Some(state),
                (Some(_), Err(WorktreeError::NotWarden(_))) | (None, _) => None,
                (Some(_), Err(e)) => {
                    tracing::warn!("best of N: the worktree {} cannot be read: {e}", folder.display());
                    None
                }
            };
            let (files, additions, deletions) = match &worktree {
                Some(w) if !w.missing => counts(data_dir, folder).unwrap_or_else(|e| {
                    tracing::warn!("best of N: the changes in {} cannot be read: {e}", folder.display());
                    (0, 0, 0)
                }),
                _ => (0, 0, 0),
            };
            let checks = checks_summary(&sessions.store().events(&session.id, 0)?);
            Ok(Entry { session, worktree, files, additions, deletions, checks })
        })
        .collect()
}

/// Files, lines added and lines removed in the worktree at `folder` against its base.
fn counts(data_dir: &Path, folder: &Path) -> Result<(u32, u32, u32), WorktreeError> {
    let changes = worktrees::changes(data_dir, folder)?;
    let files = u32::try_from(changes.files.len()).unwrap_or(u32::MAX);
    let additions = changes.files.iter().map(|f| f.additions).fold(0u32, u32::saturating_add);
    let deletions = changes.files.iter().map(|f| f.deletions).fold(0u32, u32::saturating_add);
    Ok((files, additions, deletions))
}

/// What the gate said about the last task in `events`: the gating and non-gating checks of
/// its last round (side runs left out) and its verdict in words. `None` when no task has
/// check results or a verdict.
pub fn checks_summary(events: &[SessionEvent]) -> Option<ChecksSummary> {
    let task = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::TaskStarted(t) => Some(t.task.0),
            SessionEventKind::CheckFinished(c) => Some(c.task.0),
            SessionEventKind::GateDecided(g) => Some(g.task.0),
            SessionEventKind::TaskFinished(f) => Some(f.task.0),
            _ => None,
        })
        .max()?;
    let checks: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            SessionEventKind::CheckFinished(c) if c.task.0 == task && !c.side => Some(c),
            _ => None,
        })
        .collect();
    let round = checks.iter().map(|c| c.round).max();
    let last_round = checks.iter().filter(|c| Some(c.round) == round);
    let (mut passed, mut failed) = (0u32, 0u32);
    for check in last_round {
        match check.outcome {
            CheckOutcome::Passed => passed += 1,
            CheckOutcome::Failed | CheckOutcome::Error { .. } => failed += 1,
            CheckOutcome::Skipped { .. } | CheckOutcome::NotTrusted { .. } => {}
        }
    }
    let finished = events.iter().rev().find_map(|e| match &e.kind {
        SessionEventKind::TaskFinished(f) if f.task.0 == task => Some(f.outcome),
        _ => None,
    });
    let decided = events.iter().rev().find_map(|e| match &e.kind {
        SessionEventKind::GateDecided(g) if g.task.0 == task => Some(g.verdict),
        _ => None,
    });
    let checking = events.iter().any(|e| matches!(&e.kind, SessionEventKind::CheckStarted(c) if c.task.0 == task && !c.side));
    let verdict = match (finished, decided) {
        (Some(outcome), _) => outcome_words(outcome),
        (None, Some(GateVerdict::Passed)) => "passed",
        (None, Some(GateVerdict::Blocked)) => "blocked",
        (None, Some(GateVerdict::Exhausted)) => "blocked, no more rounds",
        (None, None) if checking => "checking",
        (None, None) => return None,
    };
    Some(ChecksSummary { passed, failed, verdict: verdict.to_owned() })
}

fn outcome_words(outcome: TaskOutcome) -> &'static str {
    match outcome {
        TaskOutcome::Passed => "passed",
        TaskOutcome::AcceptedWithFindings => "accepted with failing checks",
        TaskOutcome::Exhausted => "blocked, no more rounds",
        TaskOutcome::Stopped => "stopped",
        TaskOutcome::Failed => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_core::session::{CheckFinished, GateDecided, GateNext, SessionId, TaskFinished, TaskId, TaskStarted, TurnId};

    fn event(seq: u64, kind: SessionEventKind) -> SessionEvent {
        SessionEvent { session_id: SessionId("s".into()), seq, at_ms: seq, kind }
    }

    fn check(task: u32, round: u32, id: &str, outcome: CheckOutcome, side: bool) -> SessionEventKind {
        SessionEventKind::CheckFinished(CheckFinished {
            task: TaskId(task),
            round,
            check: id.into(),
            gate: true,
            outcome,
            exit_code: None,
            duration_ms: 1,
            counts: None,
            findings: Vec::new(),
            log_path: None,
            why: Vec::new(),
            side,
        })
    }

    #[test]
    fn the_last_round_of_the_last_task_is_counted_and_its_verdict_named() {
        let events = vec![
            event(1, check(1, 1, "old", CheckOutcome::Failed, false)),
            event(2, SessionEventKind::TaskStarted(TaskStarted { task: TaskId(2), turn: TurnId(3) })),
            event(3, check(2, 1, "test", CheckOutcome::Failed, false)),
            event(4, check(2, 2, "test", CheckOutcome::Passed, false)),
            event(5, check(2, 2, "lint", CheckOutcome::Error { reason: "not found".into() }, false)),
            event(6, check(2, 2, "side", CheckOutcome::Passed, true)),
            event(7, SessionEventKind::GateDecided(GateDecided { task: TaskId(2), round: 2, verdict: GateVerdict::Blocked, next: GateNext::WaitsForPerson, reason: None })),
        ];
        let summary = checks_summary(&events).unwrap();
        assert_eq!(summary, ChecksSummary { passed: 1, failed: 1, verdict: "blocked".into() });
        let mut finished = events.clone();
        finished.push(event(8, SessionEventKind::TaskFinished(TaskFinished { task: TaskId(2), outcome: TaskOutcome::AcceptedWithFindings, rounds: 2 })));
        assert_eq!(checks_summary(&finished).unwrap().verdict, "accepted with failing checks");
    }

    #[test]
    fn a_session_without_checks_has_no_summary() {
        assert_eq!(checks_summary(&[]), None);
        let started = [event(1, SessionEventKind::TaskStarted(TaskStarted { task: TaskId(1), turn: TurnId(1) }))];
        assert_eq!(checks_summary(&started), None, "a task still running its turn has no verdict yet");
    }
}
