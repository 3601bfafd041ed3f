//! Touching a project's files only beneath its root, never through a link.
//!
//! A recorded path names a file by the real folders it was in. Should one of those folders be
//! replaced by a symlink later (or by a file), writing the path would land wherever the link
//! points — outside the project. So every step of a rollback opens the folder holding its path
//! from a descriptor of the project root, one component at a time with
//! `openat(O_NOFOLLOW | O_DIRECTORY)`, and reads, creates, renames and unlinks relative to that
//! descriptor. A link swapped in after the walk cannot redirect it: the descriptors already
//! point at the real folders. The last component is never followed either: a link there is
//! read as a link, and replaced (rename) or removed (unlink) as one.
//!
//! A link among the folders is refused ([`BeneathError::Linked`]), even one pointing inside the
//! project: the journal recorded the file at its real path, and the same name through a link is
//! another file.
//!
//! Elsewhere than Unix each component is checked with `symlink_metadata` before the path is
//! used, which catches a link put there before the check but not one swapped in between.

use std::io;
use std::path::{Path, PathBuf};

#[cfg(unix)]
#[path = "beneath_unix.rs"]
mod imp;
#[cfg(not(unix))]
#[path = "beneath_other.rs"]
mod imp;

pub use imp::{Beneath, Parent};

/// Why a path could not be reached beneath the project root.
#[derive(Debug, thiserror::Error)]
pub enum BeneathError {
    /// A folder on the way is a symlink, or not a folder at all.
    #[error(
        "{path}: `{folder}` is not a real folder of the project any more (it is a symbolic link or a file), \
         and a rollback never writes through a link"
    )]
    Linked {
        /// The project-relative path.
        path: String,
        /// The project-relative folder that is not one.
        folder: String,
    },
    /// The path is not a plain relative path (empty, absolute, or with `.` or `..`).
    #[error("{0}: not a path inside the project")]
    NotInside(String),
    /// A system call failed.
    #[error("{path}: {source}")]
    Io {
        /// The full path.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
}

/// What sits at a path, read without following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// A regular file with these permission bits.
    File(u32),
    /// A symlink.
    Symlink,
    /// A folder or a special file.
    Other,
}

/// The components of a project-relative path: the folders, then the name.
fn split(rel: &str) -> Result<(Vec<&str>, &str), BeneathError> {
    let parts: Vec<&str> = if cfg!(windows) { rel.split(['/', '\\']).collect() } else { rel.split('/').collect() };
    // A `\` or `:` is an ordinary character of a Unix name, but a separator or a drive (or a
    // stream) on Windows.
    let bad = |p: &&str| p.is_empty() || *p == "." || *p == ".." || (cfg!(windows) && p.contains(':'));
    if parts.iter().any(bad) || Path::new(rel).is_absolute() {
        return Err(BeneathError::NotInside(rel.to_owned()));
    }
    let (name, folders) = parts.split_last().ok_or_else(|| BeneathError::NotInside(rel.to_owned()))?;
    Ok((folders.to_vec(), name))
}

/// The project-relative folder made of the first `n + 1` of `folders`.
fn folder_rel(folders: &[&str], n: usize) -> String {
    folders[..=n].join("/")
}

#[cfg(all(test, unix))]
#[path = "beneath_tests.rs"]
mod tests;
