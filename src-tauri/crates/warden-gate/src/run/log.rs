//! A check's log file with a size cap: the first part of the output is streamed to the file as
//! it comes (written straight through, so it can be read while the check runs); past it, only
//! the last part is kept (in memory) and written after a line saying how much was left out,
//! when the check ends. The end of a test run holds its summary, so both ends matter more than
//! the middle.
//!
//! [`log_file`] is the only place a log's name is made, so the path a caller announces before a
//! check starts (`CheckStarted.log_path`) is the file its output goes to.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

/// The log of check `id` in `dir` for a run stamped `stamp` (milliseconds since the epoch, or
/// any number unique among the runs sharing `dir`): `<id>-<stamp>.log`, the id reduced to
/// characters safe in a file name.
pub fn log_file(dir: &Path, id: &str, stamp: u64) -> PathBuf {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(60)
        .collect();
    dir.join(format!("{safe}-{stamp}.log"))
}

/// Creates the (empty, owner-only) log at `path` if it is not there yet, its folder too, so it
/// can be opened as soon as it is announced.
pub fn prepare(path: &Path) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        warden_disk::private::create_dir(dir)?;
    }
    warden_disk::private::open_file(path).map(drop)
}

/// The log being written.
pub struct CappedLog {
    file: File,
    path: PathBuf,
    head_limit: u64,
    tail_limit: usize,
    written: u64,
    tail: VecDeque<u8>,
    dropped: u64,
    finished: bool,
}

impl CappedLog {
    /// Creates a new owner-only log for check `id` in `dir` (created owner-only too).
    /// Its name is [`log_file`]'s with the time it is created (moved on past a clash).
    pub fn create(dir: &Path, id: &str, cap: u64) -> io::Result<Self> {
        warden_disk::private::create_dir(dir)?;
        let stamp = warden_disk::now_ms();
        let mut attempt = 0u64;
        let (file, path) = loop {
            let path = log_file(dir, id, stamp + attempt);
            match warden_disk::private::create_new(&path) {
                Ok(file) => break (file, path),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(e),
            }
        };
        Ok(Self::with_file(file, path, cap))
    }

    /// Opens the announced log at `path` (see [`prepare`]; created if missing), owner-only,
    /// appending to what it holds.
    pub fn open(path: &Path, cap: u64) -> io::Result<Self> {
        prepare(path)?;
        let mut file = warden_disk::private::open_file(path)?;
        file.seek(io::SeekFrom::End(0))?;
        Ok(Self::with_file(file, path.to_path_buf(), cap))
    }

    fn with_file(file: File, path: PathBuf, cap: u64) -> Self {
        let tail_limit = usize::try_from(cap / 2).unwrap_or(usize::MAX);
        Self {
            file,
            path,
            head_limit: cap - cap / 2,
            tail_limit,
            written: 0,
            tail: VecDeque::new(),
            dropped: 0,
            finished: false,
        }
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds output. A write error stops the streaming (the run itself goes on).
    pub fn write(&mut self, mut chunk: &[u8]) {
        if self.finished {
            return;
        }
        if self.written < self.head_limit {
            let room = usize::try_from(self.head_limit - self.written).unwrap_or(usize::MAX);
            let now = chunk.len().min(room);
            if self.file.write_all(&chunk[..now]).is_err() {
                self.finished = true;
                return;
            }
            self.written += now as u64;
            chunk = &chunk[now..];
        }
        if chunk.is_empty() {
            return;
        }
        self.tail.extend(chunk);
        if self.tail.len() > self.tail_limit {
            let extra = self.tail.len() - self.tail_limit;
            self.tail.drain(..extra);
            self.dropped += extra as u64;
        }
    }

    /// Writes the kept tail; later writes are ignored.
    pub fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.finished = true;
        if self.dropped > 0 {
            let _ = write!(self.file, "\n[warden: {} bytes of output left out here]\n", self.dropped);
        }
        let (a, b) = self.tail.as_slices();
        let _ = self.file.write_all(a).and_then(|()| self.file.write_all(b)).and_then(|()| self.file.flush());
        self.tail.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_both_ends_past_the_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut log = CappedLog::create(&dir.path().join("logs"), "a/b", 10).expect("log");
        assert!(log.path().file_name().is_some_and(|n| n.to_string_lossy().starts_with("a_b-")));
        log.write(b"0123");
        log.write(b"456789abcdefghij");
        log.finish();
        log.write(b"late");
        let text = std::fs::read_to_string(log.path()).expect("read");
        assert_eq!(text, "01234\n[warden: 10 bytes of output left out here]\nfghij");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(log.path()).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let mode = std::fs::metadata(dir.path().join("logs")).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }

    #[test]
    fn an_announced_log_is_the_file_written_and_exists_before_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = log_file(&dir.path().join("round"), "npm test", 42);
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("npm_test-42.log"));
        prepare(&path).expect("prepare");
        assert_eq!(std::fs::read(&path).expect("exists before the check starts"), b"");
        let mut log = CappedLog::open(&path, 100).expect("open");
        log.write(b"first ");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "first ", "streamed while it runs");
        log.write(b"second");
        log.finish();
        assert_eq!(log.path(), path);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "first second");
    }

    #[test]
    fn under_the_cap_everything_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut log = CappedLog::create(dir.path(), "x", 10).expect("log");
        log.write(b"01234567");
        log.write(b"89");
        log.finish();
        assert_eq!(std::fs::read_to_string(log.path()).expect("read"), "0123456789");
    }
}
