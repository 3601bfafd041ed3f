//! The file finder behind `@` in the prompt box: a fuzzy search over a project's files and
//! folders that honours its ignore rules.
//!
//! Each project's index is walked once ([`index::walk`]) and kept; a query ranks it in memory
//! ([`rank::rank`]), so only the first query of a project waits for the walk. An index older
//! than [`REFRESH_AFTER`] is still answered from at once, and walked again on a thread of its
//! own: a file made a moment ago shows up a moment later, and typing never waits for the disk.
//! (The project watcher runs only while a session is live there; a lazy refresh covers every
//! case the same way.)

pub mod index;
pub mod rank;

use index::Index;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use warden_core::finder::FoundPaths;

/// How old an index may be before a query starts walking the project again (in the background).
pub const REFRESH_AFTER: Duration = Duration::from_secs(3);

/// The most results one query returns.
pub const MAX_LIMIT: usize = 500;

/// The most projects whose index is kept; the one asked about longest ago goes first (a 50,000
/// file index is about 10 MB).
pub const MAX_PROJECTS: usize = 8;

/// The finder's indexes, one per project folder. Cheap to share: clone the `Arc`.
#[derive(Debug, Default)]
pub struct Finder {
    /// Each project's index and when it was last asked about.
    projects: Mutex<HashMap<PathBuf, (Arc<Slot>, Instant)>>,
}

#[derive(Debug, Default)]
struct Slot {
    state: Mutex<SlotState>,
}

#[derive(Debug, Default)]
struct SlotState {
    index: Option<(Arc<Index>, Instant)>,
    refreshing: bool,
}

impl Finder {
    /// An empty finder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The best `limit` (at most [`MAX_LIMIT`]) files and folders of `project` for `query`.
    /// Blocks for the walk on a project's first query; call it off the async runtime.
    pub fn find(self: &Arc<Self>, project: &Path, query: &str, limit: usize) -> FoundPaths {
        let index = self.index(project);
        FoundPaths {
            // The order of an empty query is only worked out when one comes.
            paths: rank::rank(&index.entries, if query.trim().is_empty() { index.root_order() } else { &[] }, query, limit.min(MAX_LIMIT)),
            indexed: index.entries.len() as u32,
            truncated: index.truncated,
        }
    }

    /// Forgets `project`'s index (the next query walks it again).
    pub fn forget(&self, project: &Path) {
        lock(&self.projects).remove(project);
    }

    fn index(self: &Arc<Self>, project: &Path) -> Arc<Index> {
        let slot = {
            let mut projects = lock(&self.projects);
            if !projects.contains_key(project) && projects.len() >= MAX_PROJECTS {
                let oldest = projects.iter().min_by_key(|(_, (_, used))| *used).map(|(path, _)| path.clone());
                if let Some(oldest) = oldest {
                    projects.remove(&oldest);
                }
            }
            let entry = projects.entry(project.to_owned()).or_insert_with(|| (Arc::default(), Instant::now()));
            entry.1 = Instant::now();
            entry.0.clone()
        };
        // The slot's lock is held through a first walk, so two first queries walk once.
        let mut state = lock(&slot.state);
        match &state.index {
            Some((index, at)) => {
                let index = index.clone();
                if at.elapsed() >= REFRESH_AFTER && !state.refreshing {
                    state.refreshing = true;
                    drop(state);
                    self.refresh(project.to_owned(), slot);
                }
                index
            }
            None => {
                let index = Arc::new(index::walk(project, index::MAX_ENTRIES));
                state.index = Some((index.clone(), Instant::now()));
                index
            }
        }
    }

    fn refresh(&self, project: PathBuf, slot: Arc<Slot>) {
        let spawned = std::thread::Builder::new().name("warden-finder".into()).spawn({
            let slot = slot.clone();
            move || {
                let index = Arc::new(index::walk(&project, index::MAX_ENTRIES));
                let mut state = lock(&slot.state);
                state.index = Some((index, Instant::now()));
                state.refreshing = false;
            }
        });
        if spawned.is_err() {
            // No thread to be had: the old index stays; the next query tries again.
            lock(&slot.state).refreshing = false;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_file_is_found_after_the_index_refreshes_and_queries_never_wait_for_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("first.txt"), "").unwrap();
        let finder = Arc::new(Finder::new());
        assert_eq!(finder.find(dir.path(), "first", 5).paths[0].path, "first.txt");
        std::fs::write(dir.path().join("second.txt"), "").unwrap();
        // Fresh: answered from the kept index.
        assert!(finder.find(dir.path(), "second", 5).paths.is_empty());
        finder.forget(dir.path());
        assert_eq!(finder.find(dir.path(), "second", 5).paths[0].path, "second.txt");
    }

    #[test]
    fn only_the_most_recently_asked_projects_are_kept() {
        let dirs: Vec<_> = (0..=MAX_PROJECTS).map(|_| tempfile::tempdir().unwrap()).collect();
        let finder = Arc::new(Finder::new());
        for dir in &dirs {
            finder.find(dir.path(), "", 1);
        }
        let kept = lock(&finder.projects);
        assert_eq!(kept.len(), MAX_PROJECTS);
        assert!(!kept.contains_key(dirs[0].path()), "the first one asked about went");
        assert!(kept.contains_key(dirs[MAX_PROJECTS].path()));
    }

    #[test]
    fn a_stale_index_is_walked_again_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let finder = Arc::new(Finder::new());
        assert_eq!(finder.find(dir.path(), "", 5).indexed, 0);
        std::fs::write(dir.path().join("late.txt"), "").unwrap();
        {
            let slot = lock(&finder.projects).get(dir.path()).map(|(slot, _)| slot.clone()).unwrap();
            let mut state = lock(&slot.state);
            let (index, _) = state.index.take().unwrap();
            state.index = Some((index, Instant::now() - REFRESH_AFTER));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if finder.find(dir.path(), "late", 5).paths.first().is_some_and(|f| f.path == "late.txt") {
                break;
            }
            assert!(Instant::now() < deadline, "the index was never refreshed");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
