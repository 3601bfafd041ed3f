//! One rollback, redo or recovery at a time across every Warden process on a data folder: the
//! window and a `warden rollback` (or `warden run`, whose start runs recovery) share the
//! journal, and recovery in one must never "finish" a rollback another is still carrying out.
//!
//! The lock is the standard library's exclusive file lock (`flock` on Unix, `LockFileEx` on
//! Windows), so every platform runs this same code.

use std::fs::File;
use std::path::Path;

/// Held while files move; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct MoveLock {
    // Kept open: the lock lives as long as the descriptor.
    _file: Option<File>,
}

impl MoveLock {
    /// Waits for and takes the lock file `<journal>/moving.lock`. When it cannot be opened or
    /// locked, the in-process mutex still orders this process's rollbacks, so that is logged,
    /// not fatal.
    pub fn acquire(dir: &Path) -> MoveLock {
        let path = dir.join("moving.lock");
        let file = match warden_disk::private::open_file(&path) {
            Ok(file) => file,
            Err(e) => {
                tracing::warn!(path = %path.display(), "cannot open the journal's lock file: {e}");
                return MoveLock { _file: None };
            }
        };
        // Blocks until every other holder is done (std retries an interrupted wait itself).
        if let Err(e) = file.lock() {
            tracing::warn!(path = %path.display(), "cannot lock the journal's lock file: {e}");
        }
        MoveLock { _file: Some(file) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = MoveLock::acquire(dir.path());
        assert!(first._file.is_some());
        // Another open file description is another holder, as another process would be.
        let other = File::options().write(true).open(dir.path().join("moving.lock")).unwrap();
        assert!(other.try_lock().is_err(), "locked while the first holds it");
        let (tx, rx) = mpsc::channel();
        let path = dir.path().to_owned();
        let waiter = std::thread::spawn(move || {
            let _second = MoveLock::acquire(&path);
            tx.send(()).unwrap();
        });
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err(), "the second waits");
        drop(first);
        rx.recv_timeout(Duration::from_secs(10)).expect("the second gets it once the first is dropped");
        waiter.join().unwrap();
        assert!(other.try_lock().is_ok(), "free again");
    }
}
