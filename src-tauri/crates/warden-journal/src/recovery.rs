//! Recovery of rollbacks a crash left pending, run by the commands that change files (a
//! rollback, `warden run`, the window), never by one that only reads.
//!
//! First every path is compared with what the rollback recorded for it: its backup (not moved
//! yet) or its target (moved). Any other content means someone changed the file after the
//! crash; then nothing is touched, the rollback is marked abandoned, and the paths are
//! reported. Otherwise the tree is made fully rolled back or fully as before, never half:
//!
//! - Every path already holds its target: the crash came after the last move; it is marked done.
//! - Every target file is still staged: no file had moved yet (moving consumes staged files);
//!   it is rolled forward.
//! - Otherwise some files moved and some did not: every path is put back from its backup and
//!   the rollback is marked abandoned.

use super::apply::{read_image, Apply};
use super::beneath::Beneath;
use super::db::Step;
use super::{Journal, JournalError};
use std::path::Path;
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
    /// Files changed since the crash (see [`Recovery::changed`]), or the project folder is
    /// gone: nothing was touched, and it is abandoned.
    Abandoned,
}

/// One interrupted rollback and what recovery did with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The rollback.
    pub id: RollbackId,
    /// Its project folder.
    pub project: String,
    /// What was done.
    pub outcome: RecoveryOutcome,
    /// When abandoned: the paths that hold neither what the rollback found nor what it was
    /// putting there (changed after the crash), project-relative.
    pub changed: Vec<String>,
}

/// Whether a rollback may have been interrupted in the journal of the data folder `data_dir`,
/// judged without opening the journal: a rollback stages its files in `staging/<id>/` before
/// moving any into the project, and removes that folder once it is done or given up, so an
/// empty (or absent) staging folder means [`Journal::recover`] has no file to move. Used to
/// start an agent before the journal is open (`warden run`); `true` when unsure.
pub fn rollback_may_be_interrupted(data_dir: &Path) -> bool {
    let staging = data_dir.join(super::JOURNAL_DIR).join(super::STAGING_DIR);
    match std::fs::read_dir(&staging) {
        Ok(mut entries) => entries.next().is_some(),
        Err(e) => e.kind() != std::io::ErrorKind::NotFound,
    }
}

impl Journal {
    /// Finishes or reverts every rollback a crash left pending, or abandons it untouched when
    /// its files changed since (see the module's rules), and removes their staged and temporary
    /// files. Run it before changing files, never from a command that only reads.
    pub fn recover(&self) -> Result<Vec<Recovery>, JournalError> {
        let _moving = self.moving();
        let mut done = Vec::new();
        for record in self.db.rollbacks(None, Some(RollbackState::Pending))? {
            let steps = self.db.steps(record.id)?;
            let root = match Beneath::open(Path::new(&record.project)) {
                Ok(root) => root,
                Err(e) => {
                    // The project folder is gone: nothing to finish or revert, and recreating
                    // it would be worse.
                    tracing::warn!(rollback = %record.id, project = %record.project, "interrupted rollback's project unreachable: {e}");
                    self.db.set_state(record.id, RollbackState::Abandoned)?;
                    done.push(Recovery { id: record.id, project: record.project, outcome: RecoveryOutcome::Abandoned, changed: Vec::new() });
                    continue;
                }
            };
            let work = Apply::new(&root, &self.staging(), &self.blobs, record.id);
            let changed = changed_since(&root, &steps);
            let outcome = if !changed.is_empty() {
                self.db.set_state(record.id, RollbackState::Abandoned)?;
                RecoveryOutcome::Abandoned
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
            tracing::warn!(rollback = %record.id, ?outcome, ?changed, "recovered an interrupted rollback");
            done.push(Recovery { id: record.id, project: record.project, outcome, changed });
        }
        Ok(done)
    }
}

/// The paths holding neither the step's backup nor its target (or unreadable beneath the root).
fn changed_since(root: &Beneath, steps: &[Step]) -> Vec<String> {
    steps
        .iter()
        .filter(|step| match read_image(root, &step.path, None) {
            Ok(now) => now != step.backup && now != step.target,
            Err(_) => true,
        })
        .map(|step| step.path.clone())
        .collect()
}
