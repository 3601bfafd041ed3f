//! The paths whose content the journal has ever kept in a project, across sessions.
//!
//! Ignore files are the agent's to write, so they cannot decide alone what the journal keeps: an
//! agent writing `*` into `.git/info/exclude` in one session would otherwise turn a later
//! session's `rm -rf src` into "ignored" changes a rollback skips. A path kept once is kept in
//! every later snapshot of the project, whatever the ignore files say then.
//!
//! The set is stored in `journal.db` (`kept_paths`), read once per project per process when
//! its first snapshot is taken, and shared by every recorder of that project in the process,
//! so concurrent sessions see each other's additions. A snapshot only adds the paths the set
//! did not hold yet: on a large project the first snapshot writes every path once, later ones
//! a handful.

use super::snapshot::Snapshot;
use super::{Journal, JournalError};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

/// The kept paths of one project (project-relative, `/`-separated, as snapshots name them).
#[derive(Debug, Default)]
pub struct KeptPaths {
    paths: RwLock<HashSet<String>>,
}

impl KeptPaths {
    /// The set, held for the length of a walk (additions wait for it).
    pub fn read(&self) -> RwLockReadGuard<'_, HashSet<String>> {
        self.paths.read().unwrap_or_else(|p| p.into_inner())
    }
}

/// Every project's kept paths loaded so far in this process, by project key.
#[derive(Debug, Default)]
pub struct KeptCache {
    projects: Mutex<HashMap<String, Arc<KeptPaths>>>,
}

impl Journal {
    /// The kept paths of `project` (a [`super::project_key`]), read from the database the first
    /// time.
    pub(super) fn kept_paths(&self, project: &str) -> Result<Arc<KeptPaths>, JournalError> {
        // Held while loading, so two recorders starting together read the table once.
        let mut projects = self.kept.projects.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(kept) = projects.get(project) {
            return Ok(kept.clone());
        }
        let paths: HashSet<String> = self.db.kept_paths(project)?.into_iter().collect();
        let kept = Arc::new(KeptPaths { paths: RwLock::new(paths) });
        projects.insert(project.to_owned(), kept.clone());
        Ok(kept)
    }

    /// Adds every path whose content `snapshot` kept to the set of `project`, in the database
    /// first: what the set holds in memory is always stored. `snapshot` must have been taken
    /// with this set and a previous snapshot that went through here (or none): it only lists
    /// the paths neither kept.
    pub(super) fn keep(&self, project: &str, kept: &KeptPaths, snapshot: &mut Snapshot) -> Result<(), JournalError> {
        // Taken out: a snapshot lives on as the next one's previous, and the first one's list
        // names every file of the project.
        let mut new = std::mem::take(&mut snapshot.newly_kept);
        {
            // Another recorder of the project may have added some since the walk began.
            let known = kept.read();
            new.retain(|path| !known.contains(path));
        }
        if new.is_empty() {
            return Ok(());
        }
        let paths: Vec<&str> = new.iter().map(String::as_str).collect();
        self.db.add_kept_paths(project, &paths)?;
        let mut set = kept.paths.write().unwrap_or_else(|p| p.into_inner());
        set.extend(new);
        Ok(())
    }
}

#[cfg(all(test, unix))]
#[path = "kept_tests.rs"]
mod tests;
