//! The engine's permissions part: the rules Warden keeps for each project (read, replaced or
//! edited one rule at a time through the rules file, their only writer) and the log of every
//! permission decision of a project's sessions. Its failures are [`PermissionsError`]s.

use crate::permission::{ProjectRules, RuleEdit, RulesError};
use crate::store::{Store, StoreError};
use std::sync::Arc;
use warden_core::permission::RuleSet;
use warden_core::session::{permission_log, PermissionLogEntry, SessionId};

/// Why project rules or the permission log could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum PermissionsError {
    /// The project folder is not usable.
    #[error(transparent)]
    Project(#[from] warden_core::ProjectError),
    /// Project rules could not be read or saved.
    #[error(transparent)]
    Rules(#[from] RulesError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No stored session of this project has this id.
    #[error("there is no session {0}")]
    UnknownSession(SessionId),
}

/// The project rules and the permission log.
pub struct Permissions {
    store: Arc<Store>,
    /// Where project permission rules are kept: the rules file, its only writer.
    project_rules: Arc<dyn ProjectRules>,
}

impl Permissions {
    pub(super) fn new(store: Arc<Store>, project_rules: Arc<dyn ProjectRules>) -> Self {
        Self { store, project_rules }
    }

    /// The permission rules Warden keeps for a project.
    pub fn project_rules(&self, project: &str) -> Result<RuleSet, PermissionsError> {
        let project = crate::resolve_project_dir(project)?;
        Ok(self.project_rules.rules(&project)?)
    }

    /// Replaces the permission rules of a project. Running sessions use them from their next
    /// question on.
    pub fn set_project_rules(&self, project: &str, rules: &RuleSet) -> Result<(), PermissionsError> {
        let project = crate::resolve_project_dir(project)?;
        Ok(self.project_rules.set_rules(&project, rules)?)
    }

    /// Applies one change to the permission rules of a project as they are stored now
    /// (`warden permissions allow | deny | remove`); returns the rules after it and whether it
    /// changed anything.
    pub fn edit_project_rules(&self, project: &str, edit: &RuleEdit) -> Result<(RuleSet, bool), PermissionsError> {
        let project = crate::resolve_project_dir(project)?;
        let mut changed = false;
        let rules = self.project_rules.update(&project, &mut |rules| changed = edit.apply(rules))?;
        Ok((rules, changed))
    }

    /// Every permission decision of a project's sessions (or of one session), oldest first.
    pub fn permission_log(&self, project: &str, session: Option<&SessionId>) -> Result<Vec<PermissionLogEntry>, PermissionsError> {
        let project = crate::resolve_project_dir(project)?;
        let project = project.to_string_lossy();
        if let Some(id) = session {
            let record = self.store.session(id)?.ok_or_else(|| PermissionsError::UnknownSession(id.clone()))?;
            if record.project != project {
                return Err(PermissionsError::UnknownSession(id.clone()));
            }
        }
        let events = self.store.permission_events(&project, session)?;
        let mut log = Vec::new();
        // Each session's questions and answers are read together, so answers find their question.
        for chunk in events.chunk_by(|a, b| a.session_id == b.session_id) {
            log.extend(permission_log(chunk));
        }
        log.sort_by_key(|e| e.at_ms);
        Ok(log)
    }
}
