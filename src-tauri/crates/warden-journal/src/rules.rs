//! The ignore files as they were when a turn began.
//!
//! Within a turn, what is ignored is judged by these, never by the ignore files on disk: an agent
//! that writes `*` to `.git/info/exclude` (or `src/` to a `.gitignore`) and then creates
//! `src/evil.rs` in the same turn must not get the new file recorded as an "ignored" change a
//! rollback skips. The next turn begins from the disk again, so a change to the ignore rules takes
//! effect from the turn after the one that made it.

use super::blobs::BlobStore;
use super::snapshot::Snapshot;
use super::walk::GIT_EXCLUDE;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use warden_core::journal::FileKind;

/// The content of every ignore file the walk reads (each `.gitignore` and `.git/info/exclude`),
/// by project-relative path, at one moment. A path absent here had no ignore file then, whatever
/// is on disk now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IgnoreFiles {
    files: HashMap<String, Vec<u8>>,
}

impl IgnoreFiles {
    /// The ignore files `snapshot` of the project at `root` saw.
    ///
    /// Ignore files are always kept, so their content comes from the blob store: exactly what the
    /// snapshot hashed, even if the file changed since. Only a `.gitignore` the snapshot could not
    /// copy (a symlink, over the cap, unreadable) is read from disk now, following links as the
    /// walk does, and the exclude file when a symlinked `.git/info` kept it out of the snapshot.
    /// Reading costs the ignore files only, once per turn.
    pub fn of(snapshot: &Snapshot, blobs: &BlobStore, root: &Path) -> IgnoreFiles {
        let mut files = HashMap::new();
        for (rel, entry) in snapshot.entries() {
            if !is_ignore_file(rel) {
                continue;
            }
            let stored = match (&entry.hash, entry.kind) {
                (Some(hash), FileKind::File) => blobs
                    .get(hash)
                    .map_err(|e| tracing::warn!(path = rel, "journal: an ignore file's copy is unreadable, reading the disk: {e}"))
                    .ok(),
                _ => None,
            };
            if let Some(bytes) = stored.or_else(|| fs::read(root.join(rel)).ok()) {
                files.insert(rel.to_owned(), bytes);
            }
        }
        if !files.contains_key(GIT_EXCLUDE) {
            if let Ok(bytes) = fs::read(root.join(GIT_EXCLUDE)) {
                files.insert(GIT_EXCLUDE.to_owned(), bytes);
            }
        }
        IgnoreFiles { files }
    }

    /// The matcher of the ignore file at `rel` (project-relative), rooted at `dir`, as it was;
    /// `None` when there was none.
    pub(super) fn matcher(&self, dir: &Path, rel: &str) -> Option<Gitignore> {
        self.files.get(rel).and_then(|bytes| matcher_of(dir, rel, bytes))
    }
}

/// Whether the walk reads `rel` as an ignore file.
fn is_ignore_file(rel: &str) -> bool {
    rel == GIT_EXCLUDE || rel == ".gitignore" || rel.ends_with("/.gitignore")
}

/// Builds a matcher from an ignore file's bytes line by line, as `GitignoreBuilder::add` does
/// from the file: `\n` or `\r\n` ends a line, a UTF-8 byte order mark before the first is
/// dropped, and a line that is not UTF-8 ends the file.
fn matcher_of(dir: &Path, rel: &str, bytes: &[u8]) -> Option<Gitignore> {
    let mut builder = GitignoreBuilder::new(dir);
    let from = dir.join(rel.rsplit('/').next().unwrap_or(rel));
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Ok(line) = std::str::from_utf8(line) else {
            tracing::warn!(file = rel, "journal snapshot: part of an ignore file is not UTF-8");
            break;
        };
        let line = if i == 0 { line.trim_start_matches('\u{feff}') } else { line };
        if let Err(e) = builder.add_line(Some(from.clone()), line) {
            tracing::warn!(file = rel, "journal snapshot: part of an ignore file is unusable: {e}");
        }
    }
    builder.build().map_err(|e| tracing::warn!(file = rel, "ignore file unusable: {e}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ignore::Match;

    fn ignored(m: &Gitignore, path: &str, is_dir: bool) -> bool {
        matches!(m.matched(Path::new("/p").join(path), is_dir), Match::Ignore(_))
    }

    #[test]
    fn bytes_are_read_as_the_file_would_be() {
        let m = matcher_of(Path::new("/p"), ".gitignore", b"\xef\xbb\xbftarget/\r\n*.log\n!keep.log\n\nsrc/gen").unwrap();
        assert!(ignored(&m, "target", true));
        assert!(ignored(&m, "a.log", false));
        assert!(!ignored(&m, "keep.log", false));
        assert!(ignored(&m, "src/gen", false));
        assert!(!ignored(&m, "src/main.rs", false));
        // A line that is not UTF-8 ends the file, as `GitignoreBuilder::add` reads it.
        let m = matcher_of(Path::new("/p"), ".gitignore", b"a\n\xff\nb\n").unwrap();
        assert!(ignored(&m, "a", false) && !ignored(&m, "b", false));
    }

    #[test]
    fn a_nested_file_is_rooted_at_its_folder() {
        let m = matcher_of(Path::new("/p/src"), "src/.gitignore", b"/gen\n").unwrap();
        assert!(ignored(&m, "src/gen", false));
        assert!(!ignored(&m, "gen", false));
    }

    #[test]
    fn a_walk_judges_by_the_files_as_they_were_not_by_the_disk() {
        use crate::snapshot::SnapshotOptions;
        use std::collections::HashSet;
        let (root, data) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let blobs = BlobStore::open(&data.path().join("blobs")).unwrap();
        let write = |rel: &str, bytes: &[u8]| {
            let path = root.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        };
        write(".gitignore", b"target/\n");
        write("old/.gitignore", b"*.tmp\n");
        write("target/x", b"");
        let begun = Snapshot::take(root.path(), &blobs, &SnapshotOptions::default(), None).unwrap();
        // Changed after the snapshot, before the rules are read: the snapshot's copy counts.
        write(".gitignore", b"target/\nsrc/\n");
        let rules = IgnoreFiles::of(&begun, &blobs, root.path());
        fs::remove_file(root.path().join("old/.gitignore")).unwrap();
        write(".git/info/exclude", b"*\n");
        write("new/.gitignore", b"*\n");
        for rel in ["src/a.rs", "new/b.rs", "old/c.tmp", "d.rs", "target/y"] {
            write(rel, b"");
        }
        let snap = |rules| Snapshot::take_keeping(root.path(), &blobs, &SnapshotOptions::default(), None, &HashSet::new(), rules).unwrap();
        let ignored = |s: &Snapshot| {
            let mut paths: Vec<_> = s.entries().filter(|(_, e)| e.ignored).map(|(p, _)| p.to_owned()).collect();
            paths.sort();
            paths
        };
        assert_eq!(ignored(&snap(Some(&rules))), ["old/c.tmp", "target/x", "target/y"]);
        // Without them the disk decides, as outside a turn.
        assert_eq!(ignored(&snap(None)), ["d.rs", "new/b.rs", "old/c.tmp", "src/a.rs", "target/x", "target/y"]);
    }

    #[test]
    fn only_ignore_files_are_taken() {
        for rel in [".gitignore", "a/b/.gitignore", GIT_EXCLUDE] {
            assert!(is_ignore_file(rel), "{rel}");
        }
        for rel in ["x.gitignore", ".gitignore/x", "a/.gitignorex", ".git/info/exclude.bak"] {
            assert!(!is_ignore_file(rel), "{rel}");
        }
    }
}
