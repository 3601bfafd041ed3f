//! Warden's data at rest is the person's alone: the data folder and every folder in it are
//! `0700`, every file Warden writes there `0600`, whatever the umask.
//!
//! The data folder holds every prompt and output (`sessions.db`), copies of project files that
//! may be keys (`journal/blobs/`), and custom agents' environment values (`warden.json`).
//! Files Warden creates itself are created with their mode ([`create_dir`], [`open_file`],
//! [`ensure_file`]); SQLite gives its `-wal`/`-shm` files the mode of their database file, so
//! creating the database `0600` before SQLite opens it covers them. The process umask is left
//! alone on purpose: agents and terminals inherit it, and their files in the project must
//! follow the person's umask, not Warden's.
//!
//! [`secure_data_dir`] tightens what an older version (or another component, such as a log
//! appender or a settings plugin writing in place) left wider, at every start, idempotently
//! (group and other lose every bit, the owner keeps its own, so `0644` becomes `0600`): a
//! folder's files are tightened each time, and its subfolders are walked when they are found
//! wider than `0700` or are one of the few small ones, so a blob store tightened once is not
//! walked again.
//!
//! Elsewhere than Unix the folder and file permissions of the user's profile apply: nothing
//! here changes them.

use std::fs::{self, File};
use std::io;
use std::path::Path;

/// The mode of Warden's folders.
pub const DIR_MODE: u32 = 0o700;

/// The mode of Warden's files.
pub const FILE_MODE: u32 = 0o600;

/// Subfolders whose content is re-checked at every start even when the folder itself is
/// already private: few files, written by components that follow the umask.
#[cfg(unix)]
const ALWAYS_CHECKED: &[&str] = &["journal", "logs"];

/// Creates `dir` (and missing parents) private, and makes it private if it already existed.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new().recursive(true).mode(DIR_MODE).create(dir)?;
        narrow(dir, DIR_MODE)?;
        Ok(())
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

/// Opens `path` for writing (creating it `0600`; an existing file loses its group and other
/// bits), without truncating it.
pub fn open_file(path: &Path) -> io::Result<File> {
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    narrow_file(&file)?;
    Ok(file)
}

/// Creates `path` as a new private file (failing if anything is there), for writing.
pub fn create_new(path: &Path) -> io::Result<File> {
    let mut options = File::options();
    options.create_new(true).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    options.open(path)
}

/// Makes sure `path` exists as a private file before another component (SQLite, a settings
/// plugin) writes it: created `0600` with `initial` when missing; when present it loses its
/// group and other bits. Writers
/// that rewrite a file in place keep its mode, so this is all they need.
pub fn ensure_file(path: &Path, initial: &[u8]) -> io::Result<()> {
    use std::io::Write;
    match create_new(path) {
        Ok(mut file) => file.write_all(initial),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            #[cfg(unix)]
            narrow(path, DIR_MODE)?;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Creates the data folder private and tightens what is already in it (see the module). Only
/// failing to create or narrow the folder itself is an error; a file that cannot be tightened
/// (owned by someone else) is logged and the rest still done.
pub fn secure_data_dir(dir: &Path) -> io::Result<()> {
    create_dir(dir)?;
    #[cfg(unix)]
    tighten(dir, true);
    Ok(())
}

/// Takes group and other bits away from the files of `dir`, and from its subfolders' files
/// when they were wide (or are always checked). Symlinks are never followed or changed.
#[cfg(unix)]
fn tighten(dir: &Path, top: bool) {
    let warn = |path: &Path, e: io::Error| tracing::warn!(path = %path.display(), "cannot make Warden's data private: {e}");
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => return warn(dir, e),
    };
    for entry in listing.filter_map(Result::ok) {
        let Ok(file_type) = entry.file_type() else { continue };
        let path = entry.path();
        if file_type.is_dir() {
            let wide = narrow(&path, DIR_MODE).unwrap_or_else(|e| {
                warn(&path, e);
                false
            });
            let small = top && ALWAYS_CHECKED.iter().any(|name| entry.file_name() == *name);
            if wide || small {
                tighten(&path, false);
            }
        } else if file_type.is_file() {
            // Group and other lose every bit; the owner's are left (an executable stays one).
            if let Err(e) = narrow(&path, DIR_MODE) {
                warn(&path, e);
            }
        }
    }
}

/// Clears the bits of `path`'s mode that `allowed` does not have; returns whether any were set.
#[cfg(unix)]
fn narrow(path: &Path, allowed: u32) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::symlink_metadata(path)?.permissions().mode() & 0o7777;
    if mode & !allowed == 0 {
        return Ok(false);
    }
    fs::set_permissions(path, fs::Permissions::from_mode(mode & allowed))?;
    Ok(true)
}

#[cfg(unix)]
fn narrow_file(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode() & 0o7777;
    if mode & !DIR_MODE != 0 {
        file.set_permissions(fs::Permissions::from_mode(mode & DIR_MODE))?;
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn existing_wide_folders_and_files_are_tightened_idempotently() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        for sub in ["journal/blobs/ab", "logs"] {
            fs::create_dir_all(data.join(sub)).unwrap();
        }
        let files = ["sessions.db", "sessions.db-wal", "warden.json", "journal/journal.db", "journal/blobs/ab/cdef", "logs/warden.log"];
        for file in files {
            fs::write(data.join(file), b"x").unwrap();
            fs::set_permissions(data.join(file), fs::Permissions::from_mode(0o644)).unwrap();
        }
        for folder in ["", "journal", "journal/blobs", "journal/blobs/ab", "logs"] {
            fs::set_permissions(data.join(folder), fs::Permissions::from_mode(0o755)).unwrap();
        }
        // A link in the data folder to something else is neither followed nor changed.
        let outside = dir.path().join("outside");
        fs::write(&outside, b"not ours").unwrap();
        fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&outside, data.join("link")).unwrap();
        for _ in 0..2 {
            secure_data_dir(&data).unwrap();
            for folder in ["", "journal", "journal/blobs", "journal/blobs/ab", "logs"] {
                assert_eq!(mode(&data.join(folder)), 0o700, "{folder:?}");
            }
            for file in files {
                assert_eq!(mode(&data.join(file)), 0o600, "{file}");
            }
            assert_eq!(mode(&outside), 0o644);
        }
        // Group and other lose every bit; the owner's are left as they were.
        fs::set_permissions(data.join("warden.json"), fs::Permissions::from_mode(0o751)).unwrap();
        secure_data_dir(&data).unwrap();
        assert_eq!(mode(&data.join("warden.json")), 0o700);
    }

    #[test]
    fn new_folders_and_files_are_private_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a/b/data");
        create_dir(&data).unwrap();
        assert_eq!(mode(&data), 0o700);
        ensure_file(&data.join("warden.json"), b"{}").unwrap();
        assert_eq!(mode(&data.join("warden.json")), 0o600);
        assert_eq!(fs::read(data.join("warden.json")).unwrap(), b"{}");
        ensure_file(&data.join("warden.json"), b"other").unwrap();
        assert_eq!(fs::read(data.join("warden.json")).unwrap(), b"{}", "an existing file is kept");
        drop(open_file(&data.join("lock")).unwrap());
        assert_eq!(mode(&data.join("lock")), 0o600);
    }
}
