//! Carrying out a rollback's steps on a project: staging target files in the journal's folder,
//! moving them into place, and putting the backups back when that cannot finish.
//!
//! Staged files live in `<journal>/staging/<rollback>/<seq>`, on the data folder's filesystem.
//! When the project is on another one, a staged file is copied into a temporary file next to
//! its target (`.<name>.warden-rollback-<id>-<seq>.tmp`) and renamed over it; those temporaries
//! are removed on every path out, recovery included, so none stays in the project.

use super::beneath::{Beneath, BeneathError, Found, Parent};
use super::blobs::{hash_bytes, hash_reader, BlobStore};
use super::db::Step;
use super::metadata::{crosses_devices, make_symlink, set_mode, SYMLINK_MODE};
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

/// What is at `rel` in the project now, as an image, read beneath its root without following
/// a link (see [`super::beneath`]). With `blobs`, the content is also stored there (a backup a
/// rollback can be undone from); without, it is only hashed. A folder at the path is an error
/// (the journal only restores files); a symlink (or a file) among the folders on the way means
/// nothing is there: what lies beyond a link is not the project's.
pub fn read_image(root: &Beneath, rel: &str, blobs: Option<&BlobStore>) -> Result<Option<FileImage>, JournalError> {
    // A file where a parent folder was: nothing at this path either.
    let Some(parent) = root.parent(rel, false)? else { return Ok(None) };
    let io = |source| JournalError::Io { path: parent.path(), source };
    let (kind, mode, hash, size) = match parent.found().map_err(io)? {
        None => return Ok(None),
        Some(Found::Other) => return Err(JournalError::NotAFile { path: parent.path() }),
        Some(Found::Symlink) => {
            let bytes = parent.read_link().map_err(io)?;
            let hash = match blobs {
                Some(blobs) => blobs.put(&bytes)?,
                None => hash_bytes(&bytes),
            };
            (FileKind::Symlink, SYMLINK_MODE, hash, bytes.len() as u64)
        }
        Some(Found::File(mode)) => {
            let mut file = parent.open_file().map_err(io)?;
            let (hash, size) = match blobs {
                Some(blobs) => blobs.put_open(&mut file, &parent.path())?,
                None => hash_reader(&mut file).map_err(io)?,
            };
            (FileKind::File, mode, hash, size)
        }
    };
    Ok(Some(FileImage { hash: Some(hash), size, mode, kind, too_large: false }))
}

/// One rollback's files.
pub struct Apply<'a> {
    root: &'a Beneath,
    staging: PathBuf,
    blobs: &'a BlobStore,
    id: RollbackId,
}

impl<'a> Apply<'a> {
    /// The files of rollback `id` on the project at `root`, staged under `staging_root`.
    pub fn new(root: &'a Beneath, staging_root: &Path, blobs: &'a BlobStore, id: RollbackId) -> Apply<'a> {
        Apply { root, staging: staging_root.join(id.0.to_string()), blobs, id }
    }

    fn staged(&self, step: &Step) -> PathBuf {
        self.staging.join(step.seq.to_string())
    }

    /// The name of the temporary file beside the step's target (in the same folder).
    fn temp_name(&self, step: &Step) -> String {
        let name = step.path.rsplit('/').next().unwrap_or_default();
        format!(".{name}.warden-rollback-{}-{}.tmp", self.id, step.seq)
    }

    /// Writes every target file into the staging folder, content verified and mode set. A
    /// staged file appears under its final name only once complete.
    pub fn stage(&self, steps: &[Step]) -> Result<(), JournalError> {
        warden_disk::private::create_dir(&self.staging).map_err(|source| JournalError::Io { path: self.staging.clone(), source })?;
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
        warden_disk::private::create_dir(&self.staging).map_err(|source| JournalError::Io { path: self.staging.clone(), source })?;
        // A path whose folder became a link was never touched (nothing is done through one):
        // it is left as it is and the others are still put back.
        let skip_unreachable = |result: Result<(), JournalError>, step: &Step| match result {
            Err(JournalError::Beneath(e @ BeneathError::Linked { .. })) => {
                tracing::warn!(path = %step.path, "rollback revert leaves a path it cannot reach safely: {e}");
                Ok(())
            }
            other => other,
        };
        for step in steps.iter().filter(|s| s.backup.is_none()) {
            skip_unreachable(self.remove(&step.path), step)?;
        }
        for step in steps {
            let Some(backup) = &step.backup else { continue };
            let put_back = || -> Result<(), JournalError> {
                if read_image(self.root, &step.path, None)?.as_ref() == Some(backup) {
                    return Ok(());
                }
                let staged = self.staging.join(format!("undo-{}", step.seq));
                self.materialise(backup, &staged)?;
                self.place(&staged, step, backup)
            };
            skip_unreachable(put_back(), step)?;
        }
        Ok(())
    }

    /// Removes the staging folder and any temporary file next to a target.
    pub fn cleanup(&self, steps: &[Step]) {
        for step in steps {
            if let Ok(Some(parent)) = self.root.parent(&step.path, false) {
                parent.remove_temp(&self.temp_name(step));
            }
        }
        if let Err(e) = fs::remove_dir_all(&self.staging) {
            if e.kind() != io::ErrorKind::NotFound {
                tracing::warn!(dir = %self.staging.display(), "rollback staging folder not removed: {e}");
            }
        }
    }

    /// Writes `image` as a new file (or symlink) at `dest` in the journal's folder, from its
    /// verified blob.
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

    /// Writes `image` as the new file (or symlink) `temp` beside `parent`'s path, from its
    /// verified blob, mode set on the open file.
    fn materialise_beside(&self, parent: &Parent<'_>, image: &FileImage, temp: &str) -> Result<(), JournalError> {
        let io = |source| JournalError::Io { path: parent.path(), source };
        let hash = image.hash.as_ref().ok_or_else(|| JournalError::NotKept { path: parent.path() })?;
        match image.kind {
            FileKind::File => {
                let mut file = parent.create_temp(temp).map_err(io)?;
                self.blobs.copy_into(hash, &mut file, &parent.path())?;
                set_open_mode(&file, image.mode).map_err(io)?;
            }
            FileKind::Symlink => {
                let target = self.blobs.get(hash)?;
                parent.symlink_temp(&target, temp).map_err(io)?;
            }
        }
        Ok(())
    }

    /// Moves `staged` (holding `image`) to the step's path, beneath the project root: a
    /// rename, or across filesystems the image written again from its blob into a temporary
    /// file beside the target, renamed over it. Whatever is at the path (a symlink included)
    /// is replaced, never followed.
    fn place(&self, staged: &Path, step: &Step, image: &FileImage) -> Result<(), JournalError> {
        let parent = self
            .root
            .parent(&step.path, true)?
            .ok_or_else(|| JournalError::Beneath(BeneathError::NotInside(step.path.clone())))?;
        let io = |source| JournalError::Io { path: parent.path(), source };
        match parent.rename_from(staged) {
            Ok(()) => Ok(()),
            Err(e) if crosses_devices(&e) => {
                let temp = self.temp_name(step);
                let placed = self.materialise_beside(&parent, image, &temp).and_then(|()| parent.rename_temp(&temp).map_err(io));
                if placed.is_err() {
                    parent.remove_temp(&temp);
                }
                placed?;
                let _ = fs::remove_file(staged);
                Ok(())
            }
            Err(e) => Err(io(e)),
        }
    }

    /// Removes the file (or symlink) at `rel` if there is one, then the folders that leaves
    /// empty, beneath the project root. Beyond a link there is nothing of the project's to
    /// remove.
    fn remove(&self, rel: &str) -> Result<(), JournalError> {
        let Some(parent) = self.root.parent(rel, false)? else { return Ok(()) };
        if parent.unlink().map_err(|source| JournalError::Io { path: parent.path(), source })? {
            parent.remove_emptied_folders();
        }
        Ok(())
    }
}

/// Sets the permission bits of an open file.
fn set_open_mode(file: &fs::File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let mut permissions = file.metadata()?.permissions();
        permissions.set_readonly(mode & 0o222 == 0);
        file.set_permissions(permissions)
    }
}

#[cfg(all(test, unix))]
#[path = "apply_tests.rs"]
mod tests;
