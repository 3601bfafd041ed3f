//! One rollback, redo or recovery at a time across every Warden process on a data folder: the
//! window and a `warden rollback` (or any headless command, whose start runs recovery) share
//! the journal, and recovery in one must never "finish" a rollback another is still carrying
//! out.

use std::fs::File;
use std::path::Path;

/// Held while files move; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct MoveLock {
    // Kept open: the lock lives as long as the descriptor.
    _file: Option<File>,
}

impl MoveLock {
    /// Waits for and takes the lock file `<journal>/moving.lock`. When it cannot be opened the
    /// in-process mutex still orders this process's rollbacks, so that is logged, not fatal.
    pub fn acquire(dir: &Path) -> MoveLock {
        let path = dir.join("moving.lock");
        let file = match File::options().create(true).truncate(false).write(true).open(&path) {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!(path = %path.display(), "cannot open the journal's lock file: {e}");
                return MoveLock { _file: None };
            }
        };
        lock(&file);
        MoveLock { _file: Some(file) }
    }
}

#[cfg(unix)]
fn lock(file: &File) {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: flock on a descriptor this function's caller keeps open; no memory involved.
        let r = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        if r == 0 {
            return;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            tracing::warn!("cannot lock the journal's lock file: {e}");
            return;
        }
    }
}

#[cfg(not(unix))]
fn lock(_file: &File) {}
