//! What the window and the command line ask of the files part besides the journal's own
//! operations: which session a tool call's changes belong to (`warden rollback --tool-call`
//! without `--session`), and a rollback's or redo's result as an answer, conflicts included,
//! so neither caller maps the journal's refusal itself.

use super::{Files, FilesError};
use crate::journal::RollbackError;
use std::collections::BTreeSet;
use warden_core::journal::{FileOp, RollbackId, RollbackOutcome, RollbackReport, RollbackTarget};
use warden_core::session::{SessionId, ToolCallId};

impl Files {
    /// The session whose agent made the recorded changes of tool call `call` in a project.
    /// Tool call ids are unique to one session in practice (Claude's `toolu_…`); should two
    /// sessions share one, the error names them so the caller can say which.
    pub fn tool_call_session(&self, project: &str, call: &ToolCallId) -> Result<SessionId, FilesError> {
        session_of_tool_call(&self.file_log(project, None)?, call)
    }

    /// Rolls back what `target` names (see [`Files::rollback`]). Files changed since are an
    /// answer, not a failure: [`RollbackOutcome::Conflicts`], with nothing changed.
    pub fn rollback_outcome(&self, project: &str, target: RollbackTarget, force: bool) -> Result<RollbackOutcome, FilesError> {
        outcome(self.rollback(project, target, force))
    }

    /// Undoes rollback `id` (see [`Files::redo`]), with conflicts as an answer like
    /// [`Files::rollback_outcome`].
    pub fn redo_outcome(&self, project: &str, id: RollbackId, force: bool) -> Result<RollbackOutcome, FilesError> {
        outcome(self.redo(project, id, force))
    }
}

/// The one session among `ops` (the agents' own, not rollbacks') that holds changes of `call`.
fn session_of_tool_call(ops: &[FileOp], call: &ToolCallId) -> Result<SessionId, FilesError> {
    let sessions: BTreeSet<&SessionId> = ops
        .iter()
        .filter(|op| op.rollback_id.is_none() && op.tool_call_id.as_ref() == Some(call))
        .map(|op| &op.session_id)
        .collect();
    let mut found = sessions.iter();
    match (found.next(), found.next()) {
        (None, _) => Err(FilesError::NothingToRollBack(format!("tool call {call} has no recorded file changes"))),
        (Some(session), None) => Ok((*session).clone()),
        (Some(_), Some(_)) => {
            let list: Vec<&str> = sessions.iter().map(|s| s.as_str()).collect();
            Err(FilesError::NothingToRollBack(format!(
                "tool call {call} appears in several sessions ({}); name one with --session",
                list.join(", ")
            )))
        }
    }
}

/// Conflicts become an outcome; every other refusal stays an error.
pub(super) fn outcome(done: Result<RollbackReport, FilesError>) -> Result<RollbackOutcome, FilesError> {
    match done {
        Ok(report) => Ok(RollbackOutcome::Done(report)),
        Err(FilesError::Rollback(RollbackError::Conflicts(conflicts))) => Ok(RollbackOutcome::Conflicts(conflicts)),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: u64, session: &str, call: Option<&str>, rollback: Option<u64>) -> FileOp {
        let mut op: FileOp = serde_json::from_value(serde_json::json!({
            "id": id, "sessionId": session, "turn": 1, "toolCallId": call, "kind": { "type": "modify" },
            "path": "a.txt", "before": null, "after": null, "atMs": 0, "rollbackId": null, "ignored": false,
        }))
        .expect("a minimal op");
        op.rollback_id = rollback.map(warden_core::journal::RollbackId);
        op
    }

    #[test]
    fn a_tool_call_is_found_in_its_one_session_and_rollbacks_own_ops_do_not_count() {
        let call = ToolCallId("toolu_1".into());
        let ops = [op(1, "s1", Some("toolu_1"), None), op(2, "s1", Some("toolu_1"), None), op(3, "s2", Some("toolu_1"), Some(9))];
        assert_eq!(session_of_tool_call(&ops, &call).unwrap(), SessionId("s1".into()));
    }

    #[test]
    fn a_tool_call_without_changes_or_in_two_sessions_is_an_error_that_says_so() {
        let call = ToolCallId("toolu_1".into());
        let none = session_of_tool_call(&[op(1, "s1", Some("other"), None), op(2, "s1", None, None)], &call).unwrap_err();
        assert_eq!(none.to_string(), "nothing to roll back: tool call toolu_1 has no recorded file changes");
        let two = session_of_tool_call(&[op(1, "s2", Some("toolu_1"), None), op(2, "s1", Some("toolu_1"), None)], &call).unwrap_err();
        assert!(two.to_string().contains("several sessions (s1, s2); name one with --session"), "{two}");
    }

    #[test]
    fn conflicts_are_an_outcome_and_other_refusals_stay_errors() {
        let conflicts = outcome(Err(FilesError::Rollback(RollbackError::Conflicts(Vec::new()))));
        assert!(matches!(conflicts, Ok(RollbackOutcome::Conflicts(c)) if c.is_empty()));
        assert!(matches!(outcome(Err(FilesError::Rollback(RollbackError::TurnOpen))), Err(FilesError::Rollback(RollbackError::TurnOpen))));
    }
}
