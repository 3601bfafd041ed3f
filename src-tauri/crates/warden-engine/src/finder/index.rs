//! The list of a project's files and folders the finder searches: walked once with the
//! project's ignore rules (`.gitignore`, `.ignore`, `.git/info/exclude`, as git reads them),
//! `.git/` never entered and symbolic links never followed, each path kept ready for the
//! matcher.

use nucleo_matcher::Utf32String;
use std::path::Path;
use warden_core::session::PathKind;

/// The most paths an index keeps: past it the walk stops and the answer says it was cut short
/// (a home folder opened as a project must not eat the memory).
pub const MAX_ENTRIES: usize = 500_000;

/// One file or folder.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Relative to the project, `/`-separated.
    pub path: String,
    /// The same, as the matcher reads it (converted once, not per query).
    pub haystack: Utf32String,
    /// File or folder.
    pub kind: PathKind,
    /// How many `/` the path has (0 at the root), for the order of an empty query.
    pub depth: u32,
}

/// A walked project.
#[derive(Debug, Default)]
pub struct Index {
    /// Every file and folder, in walk order.
    pub entries: Vec<Entry>,
    /// The walk stopped at [`MAX_ENTRIES`].
    pub truncated: bool,
    /// The entries' positions nearest the root first (see [`root_order`]): what an empty query
    /// shows, sorted at the first empty query of a walk rather than per keystroke (and not at
    /// all for a typed query, so its first results do not wait for it).
    nearest: std::sync::OnceLock<Vec<u32>>,
}

impl Index {
    /// See [`root_order`].
    pub fn root_order(&self) -> &[u32] {
        self.nearest.get_or_init(|| root_order(&self.entries))
    }
}

/// The positions of `entries` in the order an empty query shows them: by depth, folders before
/// files at one depth, then by path without regard to case.
pub fn root_order(entries: &[Entry]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    order.sort_by_cached_key(|&i| {
        let e = &entries[i as usize];
        (e.depth, e.kind != PathKind::Folder, e.path.to_lowercase(), e.path.clone())
    });
    order
}

/// Walks `root`. Unreadable folders are skipped, not fatal: the finder shows what it can read.
pub fn walk(root: &Path, limit: usize) -> Index {
    let mut index = Index::default();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        // A folder that is not a repository still has its `.gitignore` honoured, as an editor does.
        .require_git(false)
        // The person's global excludes are theirs, not the project's; the journal reads the same.
        .git_global(false)
        .filter_entry(|e| e.file_name() != std::ffi::OsStr::new(".git"))
        .build();
    for entry in walker.flatten() {
        if entry.depth() == 0 {
            continue;
        }
        let kind = match entry.file_type() {
            Some(t) if t.is_dir() => PathKind::Folder,
            Some(t) if t.is_file() => PathKind::File,
            // Links, sockets and the like: a link is not followed, so it is not offered either.
            _ => continue,
        };
        let Ok(relative) = entry.path().strip_prefix(root) else { continue };
        let path = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if index.entries.len() >= limit {
            index.truncated = true;
            break;
        }
        let depth = path.matches('/').count() as u32;
        index.entries.push(Entry { haystack: Utf32String::from(path.as_str()), path, kind, depth });
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_files_git_and_links_are_left_out_dotfiles_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        std::fs::create_dir_all(root.join(".git/objects")).unwrap();
        std::fs::create_dir_all(root.join("target/debug")).unwrap();
        std::fs::write(root.join(".gitignore"), "target/\n*.log\n").unwrap();
        std::fs::write(root.join("src/deep/a.rs"), "").unwrap();
        std::fs::write(root.join("build.log"), "").unwrap();
        std::fs::write(root.join(".env.example"), "").unwrap();
        std::fs::write(root.join("target/debug/x"), "").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("src"), root.join("link")).unwrap();
        let index = walk(root, MAX_ENTRIES);
        let mut paths: Vec<_> = index.entries.iter().map(|e| (e.path.as_str(), e.kind)).collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        assert_eq!(
            paths,
            vec![
                (".env.example", PathKind::File),
                (".gitignore", PathKind::File),
                ("src", PathKind::Folder),
                ("src/deep", PathKind::Folder),
                ("src/deep/a.rs", PathKind::File),
            ]
        );
        assert!(!index.truncated);
        assert_eq!(walk(root, 2).entries.len(), 2);
        assert!(walk(root, 2).truncated);
    }
}
