//! A JSON file of the data folder that several Warden processes share (the window and any
//! `warden run`): read whole on every use, so what another process wrote counts at once, and
//! replaced atomically, owner-only, so a reader never sees half a file. The project rules and
//! the custom agents are kept this way.

use std::io;
use std::path::Path;

/// The file's bytes, or `None` when there is no file yet.
pub(crate) fn read(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Replaces the file with `text`: written to a staged copy beside it, then renamed into place.
/// The folder is created if needed.
pub(crate) fn replace(path: &Path, text: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut staged = path.as_os_str().to_owned();
    staged.push(".tmp");
    let staged = std::path::PathBuf::from(staged);
    // Created 0600 whatever the umask (a leftover staged copy is narrowed and emptied): these
    // files say what agents may do and how they start, so they are the person's alone, like the
    // rest of the data.
    let mut file = crate::store::private::open_file(&staged)?;
    file.set_len(0)?;
    io::Write::write_all(&mut file, text)?;
    drop(file);
    std::fs::rename(&staged, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_reads_as_none_and_a_replaced_one_leaves_no_staged_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("x.json");
        assert_eq!(read(&path).unwrap(), None);
        replace(&path, b"[1]").unwrap();
        replace(&path, b"[2]").unwrap();
        assert_eq!(read(&path).unwrap().as_deref(), Some(&b"[2]"[..]));
        assert!(!dir.path().join("sub").join("x.json.tmp").exists());
    }
}
