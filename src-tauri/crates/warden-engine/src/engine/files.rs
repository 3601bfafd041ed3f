//! The engine's files part, its side of the file journal: opening it (and recovering
//! interrupted rollbacks) at start, and reading, diffing, rolling back and redoing a project's
//! recorded file changes, whether or not the sessions that made them are running. Its failures
//! are [`FilesError`]s.
//!
//! A rollback never runs under a turn being recorded: in this process the [`TurnGate`] holds
//! turns back while it runs; a turn running in another Warden process is seen in the store (its
//! session is `running`) and refuses the rollback.

use super::Sessions;
use crate::journal::{project_key, Journal, JournalError, OpQuery, Recovery, RecoveryOutcome, RollbackError};
use crate::session::TurnGate;
use crate::store::{Store, StoreError};
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use warden_core::journal::{FileDiff, FileOp, OpId, RollbackId, RollbackPlan, RollbackRecord, RollbackReport, RollbackTarget};
use warden_core::session::{SessionId, SessionStatus};

/// Why a project's recorded file changes could not be read, diffed, rolled back or redone.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// The project folder is not usable.
    #[error(transparent)]
    Project(#[from] warden_core::ProjectError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The file journal could not be opened at start (the notice said why).
    #[error("the file journal is not available, so file changes cannot be shown or rolled back")]
    JournalUnavailable,
    /// The file journal failed.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// A rollback or redo was refused (nothing was changed).
    #[error("rollback refused: {0}")]
    Rollback(#[from] RollbackError),
    /// What a rollback or diff was asked for has no recorded change to act on.
    #[error("nothing to roll back: {0}")]
    NothingToRollBack(String),
}

/// A project's recorded file changes: the log, diffs, rollbacks and redos.
pub struct Files {
    store: Arc<Store>,
    /// The file journal every session records into; `None` when it could not be opened.
    journal: Option<Arc<Journal>>,
    /// Turns being recorded in this process, which hold rollbacks back.
    gate: Arc<TurnGate>,
    /// The live sessions of this process, whose turns the gate sees.
    sessions: Arc<Sessions>,
}

/// Opens the journal of `data_dir`. The journal is `None` when it cannot be opened: sessions
/// then run unrecorded. The notice says what the person should know. Rollbacks a crash
/// interrupted are left for [`Files::recover_rollbacks`]: opening only reads.
pub(super) fn open_journal(data_dir: &Path) -> (Option<Arc<Journal>>, Option<String>) {
    let opened = match Journal::open(data_dir) {
        Ok(opened) => opened,
        Err(e) => {
            tracing::error!("file journal unavailable: {e}");
            let text = format!("The file journal could not be opened ({e}): file changes are not recorded and cannot be rolled back.");
            return (None, Some(text));
        }
    };
    (Some(Arc::new(opened.journal)), opened.notice)
}

/// What the person is told about recovered rollbacks (`None`: nothing to tell).
fn recovery_notice(recovered: &[Recovery]) -> Option<String> {
    let count = |outcome| recovered.iter().filter(|r| r.outcome == outcome).count();
    let completed = count(RecoveryOutcome::Finished) + count(RecoveryOutcome::RolledForward);
    let undone = count(RecoveryOutcome::Reverted);
    let mut parts = Vec::new();
    if completed + undone > 0 {
        parts.push(format!(
            "Warden stopped in the middle of {} rollback(s): {completed} were completed and {undone} were undone, so no \
             file is left half rolled back.",
            completed + undone
        ));
    }
    for r in recovered.iter().filter(|r| r.outcome == RecoveryOutcome::Abandoned) {
        parts.push(if r.changed.is_empty() {
            format!("Warden stopped in the middle of rollback {} of {}, whose folder is gone; it was abandoned.", r.id, r.project)
        } else {
            format!(
                "Warden stopped in the middle of rollback {} of {}, and these files changed since: {}. It was abandoned and \
                 nothing was touched; check them, and roll back again if you still want to.",
                r.id,
                r.project,
                r.changed.join(", ")
            )
        });
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Joins two optional notices into one.
pub(super) fn join_notices(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a} {b}")),
        (a, b) => a.or(b),
    }
}

impl Files {
    pub(super) fn new(store: Arc<Store>, journal: Option<Arc<Journal>>, gate: Arc<TurnGate>, sessions: Arc<Sessions>) -> Self {
        Self { store, journal, gate, sessions }
    }

    /// Finishes, reverts or abandons (when their files changed since) the rollbacks a crash
    /// interrupted; returns what the person should be told. Commands that change files call it
    /// before they do (a rollback, `warden run`, the window); commands that only read never do.
    pub fn recover_rollbacks(&self) -> Option<String> {
        let journal = self.journal.as_ref()?;
        match journal.recover() {
            Ok(recovered) => recovery_notice(&recovered),
            Err(e) => Some(format!("Interrupted rollbacks could not be recovered ({e}); Warden will try again next time.")),
        }
    }

    /// The file journal.
    pub fn journal(&self) -> Result<&Arc<Journal>, FilesError> {
        self.journal.as_ref().ok_or(FilesError::JournalUnavailable)
    }

    /// Every file change recorded in a project (of one session, or all), rollbacks' own
    /// included, oldest first.
    pub fn file_log(&self, project: &str, session: Option<&SessionId>) -> Result<Vec<FileOp>, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.log(&project, session)?)
    }

    /// The rollbacks (and redos) of a project, oldest first.
    pub fn rollbacks(&self, project: &str) -> Result<Vec<RollbackRecord>, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        Ok(self.journal()?.rollbacks(Some(&project))?)
    }

    /// The ops `target` names in a project, oldest first: an op by id (of this project), or the
    /// agent's ops (not rollbacks') of a tool call, a turn or a session.
    pub fn file_ops(&self, project: &str, target: &RollbackTarget) -> Result<Vec<FileOp>, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        self.target_ops(&project, target)
    }

    /// The files `target` changed, before and after (see [`Journal::diffs`]).
    pub fn file_diff(&self, project: &str, target: &RollbackTarget) -> Result<Vec<FileDiff>, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        let ops = self.target_ops(&project, target)?;
        Ok(self.journal()?.diffs(&ops)?)
    }

    /// Undoes what `target` names in a project: every file back as it was before, exactly, or
    /// nothing changes. Refused with the conflicts when a file changed since (unless `force`),
    /// while a turn is running in the project, or when everything named was rolled back already.
    /// The agents whose changes were undone are told at their next prompt.
    pub fn rollback(&self, project: &str, target: RollbackTarget, force: bool) -> Result<RollbackReport, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        let journal = self.journal()?;
        let ids = self.standing(&project, &target)?;
        self.while_idle(&project, || journal.rollback(&ids, force))
    }

    /// What [`Files::rollback`] of `target` would do, path by path, changing nothing: the plan
    /// the rollback carries out if no file changes in between. Refused like the rollback, except
    /// over files changed since, which the plan lists as conflicts.
    pub fn rollback_plan(&self, project: &str, target: &RollbackTarget) -> Result<RollbackPlan, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        let ids = self.standing(&project, target)?;
        Ok(self.journal()?.plan_rollback(&ids)?)
    }

    /// What [`Files::redo`] of rollback `id` would do, path by path, changing nothing.
    pub fn redo_plan(&self, project: &str, id: RollbackId) -> Result<RollbackPlan, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        self.own_rollback(&project, id)?;
        Ok(self.journal()?.plan_redo(id)?)
    }

    /// The ops of `target` that no rollback has undone (as the journal records): what a rollback
    /// of it undoes. Refused when every one was rolled back already.
    fn standing(&self, project: &Path, target: &RollbackTarget) -> Result<Vec<OpId>, FilesError> {
        let ops = self.target_ops(project, target)?;
        let ids: Vec<OpId> = ops.iter().filter(|op| op.undone_by.is_none()).map(|op| op.id).collect();
        if ids.is_empty() {
            return Err(FilesError::NothingToRollBack(format!("{} was rolled back already", describe(target))));
        }
        Ok(ids)
    }

    /// Refuses rollback `id` unless it is one of `project`'s, so a redo named from one project
    /// never touches another.
    fn own_rollback(&self, project: &Path, id: RollbackId) -> Result<(), FilesError> {
        match self.journal()?.rollback_record(id)? {
            Some(record) if record.project == project_key(project) => Ok(()),
            _ => Err(RollbackError::UnknownRollback(id).into()),
        }
    }

    /// Undoes rollback `id` of a project: the files go back to what the rollback found. Refused
    /// like a rollback.
    pub fn redo(&self, project: &str, id: RollbackId, force: bool) -> Result<RollbackReport, FilesError> {
        let project = crate::resolve_project_dir(project)?;
        let journal = self.journal()?;
        self.own_rollback(&project, id)?;
        self.while_idle(&project, || journal.redo(id, force))
    }

    /// Runs a rollback or redo unless a turn is running in the project.
    pub(super) fn while_idle(
        &self,
        project: &Path,
        f: impl FnOnce() -> Result<RollbackReport, RollbackError>,
    ) -> Result<RollbackReport, FilesError> {
        // Sessions of this process are seen by the gate (their stored status lags their turns
        // by an event); those of another Warden process only in the store.
        let sessions = self.store.sessions(Some(&project.to_string_lossy()))?;
        if sessions.iter().any(|s| s.status == SessionStatus::Running && self.sessions.handle(&s.id).is_none()) {
            return Err(RollbackError::TurnOpen.into());
        }
        match self.gate.while_idle(&project_key(project), f) {
            Some(result) => Ok(result?),
            None => Err(RollbackError::TurnOpen.into()),
        }
    }

    /// The ops `ids` when every one of them is of `project`; none otherwise, so a rollback
    /// named from one project can never touch another.
    pub(super) fn project_ops(&self, project: &Path, ids: &[OpId]) -> Result<Vec<FileOp>, FilesError> {
        let journal = self.journal()?;
        if ids.is_empty() || journal.projects_of(ids)? != [project_key(project)] {
            return Ok(Vec::new());
        }
        let found = journal.ops(OpQuery::Ids(ids))?;
        let asked: HashSet<&OpId> = ids.iter().collect();
        Ok(if found.len() == asked.len() { found } else { Vec::new() })
    }

    fn target_ops(&self, project: &Path, target: &RollbackTarget) -> Result<Vec<FileOp>, FilesError> {
        let journal = self.journal()?;
        let agents = |session: &SessionId, keep: &dyn Fn(&FileOp) -> bool| -> Result<Vec<FileOp>, FilesError> {
            let ops = journal.log(project, Some(session))?;
            Ok(ops.into_iter().filter(|op| op.rollback_id.is_none() && keep(op)).collect())
        };
        let ops = match target {
            RollbackTarget::Op { id } => self.project_ops(project, &[*id])?,
            RollbackTarget::Ops { ids } => self.project_ops(project, ids)?,
            RollbackTarget::ToolCall { session_id, tool_call_id } => {
                agents(session_id, &|op| op.tool_call_id.as_ref() == Some(tool_call_id))?
            }
            RollbackTarget::Turn { session_id, turn } => agents(session_id, &|op| op.turn == *turn)?,
            RollbackTarget::Session { session_id } => agents(session_id, &|_| true)?,
        };
        if ops.is_empty() {
            return Err(FilesError::NothingToRollBack(format!(
                "{} has no recorded file changes in {}",
                describe(target),
                project.display()
            )));
        }
        Ok(ops)
    }
}

/// A target in words, for errors.
fn describe(target: &RollbackTarget) -> String {
    match target {
        RollbackTarget::Op { id } => format!("op {id}"),
        RollbackTarget::Ops { ids } => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            format!("ops {}", ids.join(", "))
        }
        RollbackTarget::ToolCall { session_id, tool_call_id } => format!("tool call {tool_call_id} of session {session_id}"),
        RollbackTarget::Turn { session_id, turn } => format!("turn {turn} of session {session_id}"),
        RollbackTarget::Session { session_id } => format!("session {session_id}"),
    }
}
