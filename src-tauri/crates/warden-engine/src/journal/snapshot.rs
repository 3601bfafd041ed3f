//! A snapshot of a project tree: every file and symlink with its metadata and content hash,
//! taken in one walk that honours .gitignore (`.git/` is never entered).
//!
//! Hashing is lazy: a file whose size, mtime, ctime and inode are those of the previous snapshot
//! keeps its hash unread. Whatever is hashed is also put in the blob store, so every state a
//! snapshot saw can be restored: the first snapshot copies the whole tree (dedup'd by hash),
//! later ones only what changed. Paths .gitignore hides are walked too, but only their metadata
//! is kept: their changes are counted, never copied.

use super::blobs::{BlobError, BlobStore};
use super::metadata::Stat;
use super::walk::walk;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use warden_core::journal::{BlobHash, FileImage, FileKind};

/// Files over this size (10 MiB) are journaled without their content, unless the recorder is
/// given another cap.
pub const DEFAULT_CAP: u64 = 10 * 1024 * 1024;

/// One file or symlink as a snapshot saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its metadata.
    pub stat: Stat,
    /// File or symlink.
    pub kind: FileKind,
    /// Its content's blob; `None` when too large, ignored or unreadable.
    pub hash: Option<BlobHash>,
    /// Over the cap.
    pub too_large: bool,
    /// Hidden by .gitignore.
    pub ignored: bool,
}

impl Entry {
    /// The entry as the journal records it.
    pub fn image(&self) -> FileImage {
        FileImage {
            hash: self.hash.clone(),
            size: self.stat.size,
            mode: self.stat.mode,
            kind: self.kind,
            too_large: self.too_large,
        }
    }
}

/// A whole tree at one moment, by project-relative `/`-separated path.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub(super) entries: HashMap<String, Entry>,
    /// Wall-clock start of the walk, nanoseconds since the Unix epoch.
    pub(super) taken_ns: i64,
    /// How many files this snapshot had to read.
    read: usize,
}

/// What a snapshot copies and what it never walks.
#[derive(Debug, Clone)]
pub struct SnapshotOptions {
    /// Files over this many bytes are not copied; their image says `too_large`.
    pub cap: u64,
    /// Absolute folders inside the project never walked (the journal's own, if the data folder
    /// is put inside the project).
    pub exclude: Vec<PathBuf>,
}

impl Default for SnapshotOptions {
    fn default() -> Self {
        SnapshotOptions { cap: DEFAULT_CAP, exclude: Vec::new() }
    }
}

impl Snapshot {
    /// Walks `root`, reusing the hashes of `previous` where the metadata says nothing changed.
    /// An unreadable folder or a file that vanishes during the walk is left out; only failing
    /// to store a blob fails the snapshot (the journal could not restore what it records).
    pub fn take(root: &Path, blobs: &BlobStore, options: &SnapshotOptions, previous: Option<&Snapshot>) -> Result<Snapshot, BlobError> {
        let taken_ns = now_ns();
        let (entries, read) = walk(root, blobs, options, previous)?;
        Ok(Snapshot { entries, taken_ns, read })
    }

    /// The entry at `path`.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries.get(path)
    }

    /// Every entry, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.entries.iter().map(|(p, e)| (p.as_str(), e))
    }

    /// How many files and symlinks it holds, ignored ones included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the tree was empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many files this snapshot read (the rest kept the previous snapshot's hash).
    pub fn files_read(&self) -> usize {
        self.read
    }
}

fn now_ns() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0)
}

#[cfg(all(test, unix))]
#[path = "snapshot_tests.rs"]
mod tests;
