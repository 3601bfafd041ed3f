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
use super::rules::IgnoreFiles;
use super::walk::walk;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use warden_core::journal::{BlobHash, FileImage, FileKind};

/// Files over this size (10 MiB) are journaled without their content, unless the recorder is
/// given another cap.
pub const DEFAULT_CAP: u64 = 10 * 1024 * 1024;

/// The environment variable that sets the cap, in MiB (`0` keeps no content at all).
pub const CAP_ENV: &str = "WARDEN_JOURNAL_MAX_FILE_MB";

/// The cap a value of [`CAP_ENV`] asks for: [`DEFAULT_CAP`] when unset, an error naming the
/// variable when it is not a whole number of MiB.
pub fn cap_from(value: Option<&str>) -> Result<u64, String> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(DEFAULT_CAP) };
    value
        .parse::<u64>()
        .ok()
        .and_then(|mib| mib.checked_mul(1024 * 1024))
        .ok_or_else(|| format!("{CAP_ENV}={value:?} is not a whole number of MiB; files over 10 MiB are kept without content"))
}

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
    /// The paths whose content this snapshot kept and neither the previous snapshot nor the
    /// kept paths it was given did: what the journal must add to the project's kept paths.
    pub(super) newly_kept: Vec<String>,
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
        Self::take_keeping(root, blobs, options, previous, &HashSet::new(), None)
    }

    /// [`Snapshot::take`], also keeping the content of every path in `kept` whatever the ignore
    /// files say: the paths the journal kept in earlier sessions of the project. With `rules`,
    /// ignored-ness is judged by those ignore files (a turn's, as it began) instead of the disk's.
    pub fn take_keeping(
        root: &Path,
        blobs: &BlobStore,
        options: &SnapshotOptions,
        previous: Option<&Snapshot>,
        kept: &HashSet<String>,
        rules: Option<&IgnoreFiles>,
    ) -> Result<Snapshot, BlobError> {
        let taken_ns = now_ns();
        let walked = walk(root, blobs, options, previous, kept, rules)?;
        Ok(Snapshot { entries: walked.entries, taken_ns, read: walked.read, newly_kept: walked.newly_kept })
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

#[cfg(test)]
mod cap_tests {
    use super::*;

    #[test]
    fn the_cap_is_read_in_mib_and_a_bad_value_is_named() {
        assert_eq!(cap_from(None), Ok(DEFAULT_CAP));
        assert_eq!(cap_from(Some(" ")), Ok(DEFAULT_CAP));
        assert_eq!(cap_from(Some("1")), Ok(1024 * 1024));
        assert_eq!(cap_from(Some("0")), Ok(0));
        assert!(cap_from(Some("ten")).unwrap_err().contains("WARDEN_JOURNAL_MAX_FILE_MB=\"ten\""));
        assert!(cap_from(Some("99999999999999999")).is_err());
    }
}
