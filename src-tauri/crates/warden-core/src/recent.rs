//! The list of recently opened projects, newest first.
//!
//! This is the pure list logic; the desktop glue persists it (tauri-plugin-store) and the engine
//! adds what only the file system knows, such as whether a folder still exists.

use serde::{Deserialize, Serialize};
use specta::Type;

/// How many recent projects are remembered. Older ones fall off the end.
pub const RECENT_LIMIT: usize = 20;

/// One remembered project folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RecentProject {
    /// Canonical absolute path of the folder when it was last opened.
    pub path: String,
    /// The name shown for it.
    pub name: String,
    /// When it was last opened, in milliseconds since the Unix epoch.
    pub last_opened_ms: u64,
}

/// Recently opened projects, most recent first, without duplicate paths, at most
/// [`RECENT_LIMIT`] long.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecentProjects(Vec<RecentProject>);

impl RecentProjects {
    /// Builds the list from stored entries, restoring the invariants (order, no duplicates,
    /// limit) in case the stored file was edited by hand or written by an older version.
    pub fn from_entries(mut entries: Vec<RecentProject>) -> Self {
        entries.sort_by(|a, b| b.last_opened_ms.cmp(&a.last_opened_ms));
        let mut list = Vec::with_capacity(entries.len().min(RECENT_LIMIT));
        for entry in entries {
            if !list.iter().any(|e: &RecentProject| e.path == entry.path) {
                list.push(entry);
            }
        }
        list.truncate(RECENT_LIMIT);
        Self(list)
    }

    /// Records that the folder at `path` was opened at `now_ms`: it moves to the front.
    pub fn touch(&mut self, path: &str, name: &str, now_ms: u64) {
        self.0.retain(|e| e.path != path);
        self.0.insert(
            0,
            RecentProject { path: path.to_owned(), name: name.to_owned(), last_opened_ms: now_ms },
        );
        self.0.truncate(RECENT_LIMIT);
    }

    /// Forgets the folder at `path`. Returns whether it was in the list.
    pub fn remove(&mut self, path: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|e| e.path != path);
        self.0.len() != before
    }

    /// Forgets every folder.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The entries, most recent first.
    pub fn entries(&self) -> &[RecentProject] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &RecentProjects) -> Vec<&str> {
        list.entries().iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn touching_moves_a_project_to_the_front_without_duplicating_it() {
        let mut list = RecentProjects::default();
        list.touch("/a", "a", 1);
        list.touch("/b", "b", 2);
        list.touch("/a", "a", 3);
        assert_eq!(paths(&list), ["/a", "/b"]);
        assert_eq!(list.entries()[0].last_opened_ms, 3, "the newer time replaces the older");
    }

    #[test]
    fn the_list_keeps_only_the_most_recent_entries() {
        let mut list = RecentProjects::default();
        for i in 0..(RECENT_LIMIT as u64 + 5) {
            list.touch(&format!("/p{i}"), "p", i);
        }
        assert_eq!(list.entries().len(), RECENT_LIMIT);
        assert_eq!(list.entries()[0].path, format!("/p{}", RECENT_LIMIT + 4));
        assert!(!paths(&list).contains(&"/p0"), "the oldest falls off");
    }

    #[test]
    fn removing_reports_whether_anything_was_removed() {
        let mut list = RecentProjects::default();
        list.touch("/a", "a", 1);
        assert!(list.remove("/a"));
        assert!(!list.remove("/a"));
        assert!(list.entries().is_empty());
    }

    #[test]
    fn stored_entries_are_sorted_deduplicated_and_capped() {
        let entry = |path: &str, t| RecentProject { path: path.into(), name: "x".into(), last_opened_ms: t };
        let mut stored = vec![entry("/old", 1), entry("/new", 9), entry("/old", 5)];
        stored.extend((0..30).map(|i| entry(&format!("/bulk{i}"), 0)));
        let list = RecentProjects::from_entries(stored);
        assert_eq!(&paths(&list)[..2], ["/new", "/old"]);
        assert_eq!(list.entries()[1].last_opened_ms, 5, "the newest copy of a duplicate wins");
        assert_eq!(list.entries().len(), RECENT_LIMIT);
    }

    #[test]
    fn round_trips_through_json_as_a_plain_array() {
        let mut list = RecentProjects::default();
        list.touch("/a", "a", 7);
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(json, r#"[{"path":"/a","name":"a","lastOpenedMs":7}]"#);
        assert_eq!(serde_json::from_str::<RecentProjects>(&json).unwrap(), list);
    }
}
