//! Recovery at start: a rollback left pending by a crash is finished or reverted, so the tree is
//! either fully rolled back or fully as before, never half.
//!
//! - Every path already holds its target: the crash came after the last move; it is marked done.
//! - Every target file is still staged: no file had moved yet (moving consumes staged files);
//!   it is rolled forward.
//! - Otherwise some files moved and some did not: every path is put back from its backup and
//!   the rollback is marked abandoned.

use super::apply::Apply;
use super::{Journal, JournalError};
use warden_core::journal::{RollbackId, RollbackState};

/// What recovery did with one interrupted rollback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryOutcome {
    /// Its files were all in place already; it is now recorded as done.
    Finished,
    /// Its files were moved into place; it is done.
    RolledForward,
    /// Its files were put back as they were before it; it is abandoned.
    Reverted,
}

/// One interrupted rollback and what recovery did with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
    /// The rollback.
    pub id: RollbackId,
    /// What was done.
    pub outcome: RecoveryOutcome,
}

impl Journal {
    /// Finishes or reverts every rollback a crash left pending (see the module's rules), and
    /// removes their staged and temporary files. Call it once at start, before recording.
    pub fn recover(&self) -> Result<Vec<Recovery>, JournalError> {
        let _moving = self.moving();
        let mut done = Vec::new();
        for record in self.db.rollbacks(None, Some(RollbackState::Pending))? {
            let steps = self.db.steps(record.id)?;
            let root = std::path::Path::new(&record.project);
            let work = Apply::new(root, &self.staging(), &self.blobs, record.id);
            let outcome = if !root.is_dir() {
                // The project folder is gone: nothing to finish or revert, and recreating it
                // would be worse.
                self.db.set_state(record.id, RollbackState::Abandoned)?;
                RecoveryOutcome::Reverted
            } else if work.all_in_target(&steps)? {
                self.finish(&record, &steps)?;
                RecoveryOutcome::Finished
            } else if work.all_staged(&steps) && work.apply(&steps).is_ok() {
                self.finish(&record, &steps)?;
                RecoveryOutcome::RolledForward
            } else {
                work.revert(&steps)?;
                self.db.set_state(record.id, RollbackState::Abandoned)?;
                RecoveryOutcome::Reverted
            };
            work.cleanup(&steps);
            tracing::warn!(rollback = %record.id, ?outcome, "recovered an interrupted rollback");
            done.push(Recovery { id: record.id, outcome });
        }
        Ok(done)
    }
}
