//! Carrying out a rollback's steps on a project: staging target files in the journal's folder,
//! moving them into place, and putting the backups back when that cannot finish.
//!
//! Staged files live in `<journal>/staging/<rollback>/<seq>`, on the data folder's filesystem.
//! When the project is on another one, a staged file is copied into a temporary file next to
//! its target (`.<name>.warden-rollback-<id>-<seq>.tmp`) and renamed over it; those temporaries
//! are removed on every path out, recovery included, so none stays in the project.

use super::blobs::{hash_bytes, BlobStore};
use super::db::Step;
use super::metadata::{crosses_devices, make_symlink, read_link_bytes, set_mode, stat_of};
use super::JournalError;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use warden_core::journal::{FileImage, FileKind, RollbackId};

/// Test hook: with `WARDEN_JOURNAL_CRASH_AFTER=N` set, a process applying a rollback kills
/// itself (SIGKILL, no cleanup) once N changes to the project are made, to prove recovery.
pub const CRASH_AFTER_ENV: &str = "WARDEN_JOURNAL_CRASH_AFTER";

fn crash_point(changes_made: usize) {
    static LIMIT: OnceLock<Option<usize>> = OnceLock::new();
    let limit = LIMIT.get_or_init(|| std::env::var(CRASH_AFTER_ENV).ok().and_then(|v| v.parse().ok()));
    if *limit == Some(changes_made) {
        tracing::error!("{CRASH_AFTER_ENV}={changes_made}: killing this process as asked");
        #[cfg(unix)]
        // SAFETY: sending a signal to our own process has no memory-safety preconditions.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
        std::process::abort();
    }
}

/// What is at `rel` in `root` now, as an image. With `blobs`, the content is also stored there
/// (a backup a rollback can be undone from); without, it is only hashed. A folder in the way is
/// an error: the journal only restores files.
pub fn read_image(root: &Path, rel: &str, blobs: Option<&BlobStore>) -> Result<Option<FileImage>, JournalError> {
    let path = root.join(rel);
    let meta = match fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        // A file where a parent folder was: nothing at this path either.
        Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => return Ok(None),
        Err(source) => return Err(JournalError::Io { path, source }),
    };
    let io = |source| JournalError::Io { path: path.clone(), source };
    let kind = if meta.file_type().is_symlink() { FileKind::Symlink } else { FileKind::File };
    let stat = stat_of(&meta, kind);
    let (hash, size) = if kind == FileKind::Symlink {
        let bytes = read_link_bytes(&path).map_err(io)?;
        let hash = match blobs {
            Some(blobs) => blobs.put(&bytes)?,
            None => hash_bytes(&bytes),
        };
        (hash, bytes.len() as u64)
    } else if meta.is_file() {
        let (hash, size) = match blobs {
            Some(blobs) => blobs.put_file(&path)?,
            None => super::blobs::hash_file(&path).map_err(io)?,
        };
        (hash, size)
    } else {
        return Err(JournalError::NotAFile { path });
    };
    Ok(Some(FileImage { hash: Some(hash), size, mode: stat.mode, kind, too_large: false }))
}

/// One rollback's files.
pub struct Apply<'a> {
    root: &'a Path,
    staging: PathBuf,
    blobs: &'a BlobStore,
    id: RollbackId,
}

impl<'a> Apply<'a> {
    /// The files of rollback `id` on the project at `root`, staged under `staging_root`.
    pub fn new(root: &'a Path, staging_root: &Path, blobs: &'a BlobStore, id: RollbackId) -> Apply<'a> {
        Apply { root, staging: staging_root.join(id.0.to_string()), blobs, id }
    }

    fn staged(&self, step: &Step) -> PathBuf {
        self.staging.join(step.seq.to_string())
    }

    fn temp_next_to(&self, step: &Step) -> PathBuf {
        let target = self.root.join(&step.path);
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        target.with_file_name(format!(".{name}.warden-rollback-{}-{}.tmp", self.id, step.seq))
    }

    /// Writes every target file into the staging folder, content verified and mode set. A
    /// staged file appears under its final name only once complete.
    pub fn stage(&self, steps: &[Step]) -> Result<(), JournalError> {
        fs::create_dir_all(&self.staging).map_err(|source| JournalError::Io { path: self.staging.clone(), source })?;
        for step in steps {
            if let Some(target) = &step.target {
                let part = self.staging.join(format!("{}.part", step.seq));
                self.materialise(target, &part)?;
                let staged = self.staged(step);
                fs::rename(&part, &staged).map_err(|source| JournalError::Io { path: staged, source })?;
            }
        }
        Ok(())
    }

    /// Whether every target file is staged, so the move into place can be (re)done.
    pub fn all_staged(&self, steps: &[Step]) -> bool {
        steps.iter().filter(|s| s.target.is_some()).all(|s| self.staged(s).exists())
    }

    /// Whether every path already holds its target.
    pub fn all_in_target(&self, steps: &[Step]) -> Result<bool, JournalError> {
        for step in steps {
            if read_image(self.root, &step.path, None)? != step.target {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Makes the project match the targets: removals first (a file may stand where a folder
    /// must go), then every staged file renamed into place. Re-running after an interruption
    /// with everything still staged is safe.
    pub fn apply(&self, steps: &[Step]) -> Result<(), JournalError> {
        let mut made = 0;
        for step in steps.iter().filter(|s| s.target.is_none()) {
            crash_point(made);
            self.remove(&step.path)?;
            made += 1;
        }
        for step in steps {
            let Some(target) = &step.target else { continue };
            crash_point(made);
            self.place(&self.staged(step), step, target)?;
            made += 1;
        }
        crash_point(made);
        Ok(())
    }

    /// Puts every path back as its backup says, whatever point `apply` reached.
    pub fn revert(&self, steps: &[Step]) -> Result<(), JournalError> {
        fs::create_dir_all(&self.staging).map_err(|source| JournalError::Io { path: self.staging.clone(), source })?;
        for step in steps.iter().filter(|s| s.backup.is_none()) {
            self.remove(&step.path)?;
        }
        for step in steps {
            let Some(backup) = &step.backup else { continue };
            if read_image(self.root, &step.path, None)?.as_ref() == Some(backup) {
                continue;
            }
            let staged = self.staging.join(format!("undo-{}", step.seq));
            let _ = fs::remove_file(&staged);
            self.materialise(backup, &staged)?;
            self.place(&staged, step, backup)?;
        }
        Ok(())
    }

    /// Removes the staging folder and any temporary file next to a target.
    pub fn cleanup(&self, steps: &[Step]) {
        for step in steps {
            let _ = fs::remove_file(self.temp_next_to(step));
        }
        if let Err(e) = fs::remove_dir_all(&self.staging) {
            if e.kind() != io::ErrorKind::NotFound {
                tracing::warn!(dir = %self.staging.display(), "rollback staging folder not removed: {e}");
            }
        }
    }

    /// Writes `image` as a new file (or symlink) at `dest`, from its verified blob.
    fn materialise(&self, image: &FileImage, dest: &Path) -> Result<(), JournalError> {
        let _ = fs::remove_file(dest);
        let hash = image.hash.as_ref().ok_or_else(|| JournalError::NotKept { path: dest.to_owned() })?;
        match image.kind {
            FileKind::File => {
                self.blobs.copy_out(hash, dest)?;
                set_mode(dest, image.mode).map_err(|source| JournalError::Io { path: dest.to_owned(), source })?;
            }
            FileKind::Symlink => {
                let target = self.blobs.get(hash)?;
                make_symlink(&target, dest).map_err(|source| JournalError::Io { path: dest.to_owned(), source })?;
            }
        }
        Ok(())
    }

    /// Moves `staged` (holding `image`) to the step's path: a rename, or across filesystems
    /// the image written again from its blob into a temporary file beside the target, renamed
    /// over it.
    fn place(&self, staged: &Path, step: &Step, image: &FileImage) -> Result<(), JournalError> {
        let dest = self.root.join(&step.path);
        let io = |source| JournalError::Io { path: dest.clone(), source };
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        match fs::rename(staged, &dest) {
            Ok(()) => Ok(()),
            Err(e) if crosses_devices(&e) => {
                let temp = self.temp_next_to(step);
                let placed = self.materialise(image, &temp).and_then(|()| fs::rename(&temp, &dest).map_err(io));
                if placed.is_err() {
                    let _ = fs::remove_file(&temp);
                }
                placed?;
                let _ = fs::remove_file(staged);
                Ok(())
            }
            Err(e) => Err(io(e)),
        }
    }

    /// Removes the file at `rel` if there is one, then the folders that leaves empty.
    fn remove(&self, rel: &str) -> Result<(), JournalError> {
        let path = self.root.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(JournalError::Io { path, source }),
        }
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || !d.starts_with(self.root) || fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}
