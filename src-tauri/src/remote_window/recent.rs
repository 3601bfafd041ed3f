//! The recent remote projects: newest first, one entry per (kind, destination, folder), at
//! most [`RECENT_REMOTE_LIMIT`]. Kept in the same settings file as the recent projects
//! (`recent_store`), under their own key.

use super::types::{RecentRemoteProject, RemoteKind};

/// How many recent remote projects are kept.
pub const RECENT_REMOTE_LIMIT: usize = 20;

/// The list with `entry` first (replacing the same project's older entry).
pub fn remember(mut list: Vec<RecentRemoteProject>, entry: RecentRemoteProject) -> Vec<RecentRemoteProject> {
    list.retain(|e| !e.is(entry.kind, &entry.destination, &entry.folder));
    list.insert(0, entry);
    normalized(list)
}

/// The list without that project.
pub fn forget(mut list: Vec<RecentRemoteProject>, kind: RemoteKind, destination: &str, folder: &str) -> Vec<RecentRemoteProject> {
    list.retain(|e| !e.is(kind, destination, folder));
    list
}

/// Newest first, no duplicates, at most the limit (a stored list may have been edited by hand).
pub fn normalized(mut list: Vec<RecentRemoteProject>) -> Vec<RecentRemoteProject> {
    list.sort_by_key(|e| std::cmp::Reverse(e.last_opened_ms));
    let mut kept: Vec<RecentRemoteProject> = Vec::with_capacity(list.len().min(RECENT_REMOTE_LIMIT));
    for entry in list {
        if kept.len() < RECENT_REMOTE_LIMIT && !kept.iter().any(|k| k.is(entry.kind, &entry.destination, &entry.folder)) {
            kept.push(entry);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(destination: &str, folder: &str, at: u64) -> RecentRemoteProject {
        RecentRemoteProject {
            kind: RemoteKind::Ssh,
            destination: destination.into(),
            folder: folder.into(),
            label: format!("{destination}:{folder}"),
            ssh_args: Vec::new(),
            remote_warden: None,
            container_engine: None,
            last_opened_ms: at,
        }
    }

    #[test]
    fn newest_first_once_each_and_bounded() {
        let list = remember(Vec::new(), entry("a", "/x", 1));
        let list = remember(list, entry("b", "/x", 2));
        let list = remember(list, entry("a", "/x", 3));
        assert_eq!(list.iter().map(|e| (e.destination.as_str(), e.last_opened_ms)).collect::<Vec<_>>(), [("a", 3), ("b", 2)]);
        let list = forget(list, RemoteKind::Ssh, "a", "/x");
        assert_eq!(list.len(), 1);
        let many = (0..30).map(|i| entry("h", &format!("/p{i}"), i)).collect();
        let kept = normalized(many);
        assert_eq!(kept.len(), RECENT_REMOTE_LIMIT);
        assert_eq!(kept[0].folder, "/p29");
    }
}
