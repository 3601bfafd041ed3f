//! ACP's `fs/write_text_file`, done so that a write lands only in the file it names, in a real
//! folder of the project: never through a link.
//!
//! Writing a file in place (`fs::write`) writes through whatever the name is: a hard link made
//! inside the project to a file outside it, or a folder swapped for a symbolic link, would let
//! the agent change a file outside the project. So the content goes into a new temporary file
//! beside the target, which is then renamed over it (the name gets a new file; no other name of
//! the old file sees the content), keeping the target's permission bits. The folders on the way
//! are opened one by one from the project root without following a link (the journal's
//! [`Beneath`]), and missing ones are made as real folders. Refused, with a message the agent
//! sees: a folder on the way that is a link or a file, a target with more than one name (a
//! hard link), a target that is a link, a folder or a special file.

use crate::journal::beneath::{Beneath, BeneathError, Found};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The permission bits of a file the agent creates.
const NEW_FILE_MODE: u32 = 0o644;

/// Numbers the temporary files of this process.
static TEMPS: AtomicU64 = AtomicU64::new(0);

/// Why a write did not happen.
#[derive(Debug, thiserror::Error, PartialEq)]
pub(crate) enum WriteError {
    /// Warden will not do it (the agent is told why).
    #[error("{0}")]
    Refused(String),
    /// It failed.
    #[error("{0}")]
    Failed(String),
}

/// Writes `content` to `path`, an absolute path under the project folder `root` (as the agent
/// named it: beneath `root` as given or as resolved; `root` itself may be reached through links).
pub(crate) fn write_beneath(root: &Path, path: &Path, content: &[u8]) -> Result<(), WriteError> {
    let shown = path.display();
    let real_root = root.canonicalize().ok();
    let rel = path
        .strip_prefix(root)
        .ok()
        .or_else(|| real_root.as_deref().and_then(|r| path.strip_prefix(r).ok()))
        .and_then(Path::to_str)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| WriteError::Refused(format!("{shown} is not a file inside the project folder {}", root.display())))?;
    let name = path.file_name().and_then(|n| n.to_str()).ok_or_else(|| WriteError::Refused(format!("{shown} names no file")))?;
    let beneath = Beneath::open(root).map_err(|e| WriteError::Failed(format!("could not open the project folder {}: {e}", root.display())))?;
    let parent = match beneath.parent(rel, true) {
        Ok(Some(parent)) => parent,
        Ok(None) => return Err(WriteError::Failed(format!("could not make the folders for {shown}"))),
        Err(BeneathError::Linked { folder, .. }) => {
            return Err(WriteError::Refused(format!(
                "Warden did not write {shown}: `{folder}` is not a real folder of the project (it is a symbolic link or a file), and Warden never writes through a link"
            )))
        }
        Err(e) => return Err(WriteError::Failed(format!("could not write {shown}: {e}"))),
    };
    let failed = |e: std::io::Error| WriteError::Failed(format!("could not write {shown}: {e}"));
    let mode = match parent.found().map_err(failed)? {
        None => NEW_FILE_MODE,
        Some(Found::File(mode)) => {
            if links(&parent.open_file().map_err(failed)?) > 1 {
                return Err(WriteError::Refused(format!(
                    "Warden did not write {shown}: the file has more than one name (a hard link), so writing it would also change the file under its other names, which may be outside the project"
                )));
            }
            // Set-id bits are not carried over to content the agent wrote.
            mode & 0o777
        }
        Some(Found::Symlink) => {
            return Err(WriteError::Refused(format!("Warden did not write {shown}: it is a symbolic link, and Warden never writes through a link")))
        }
        Some(Found::Other) => return Err(WriteError::Refused(format!("Warden did not write {shown}: it is a folder or a special file, not a file"))),
    };
    let temp = format!(".{name}.warden-{}-{}.tmp", std::process::id(), TEMPS.fetch_add(1, Ordering::Relaxed));
    let written = (|| {
        let mut file = parent.create_temp(&temp)?;
        file.write_all(content)?;
        set_mode(&file, mode)?;
        file.sync_all()?;
        drop(file);
        parent.rename_temp(&temp)
    })();
    if let Err(e) = written {
        parent.remove_temp(&temp);
        return Err(failed(e));
    }
    Ok(())
}

#[cfg(unix)]
fn links(file: &std::fs::File) -> u64 {
    use std::os::unix::fs::MetadataExt;
    // Unreadable metadata counts as shared: the write is refused, never done through a link.
    file.metadata().map_or(u64::MAX, |m| m.nlink())
}

#[cfg(not(unix))]
fn links(_file: &std::fs::File) -> u64 {
    // The link count is not in stable std elsewhere; the rename still never writes through one.
    1
}

#[cfg(unix)]
fn set_mode(file: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_file: &std::fs::File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

    fn project() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        (dir, root)
    }

    #[test]
    fn a_write_replaces_the_file_and_keeps_its_mode() {
        let (_d, root) = project();
        let target = root.join("run.sh");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o750)).unwrap();
        let before = std::fs::metadata(&target).unwrap().ino();
        write_beneath(&root, &target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let after = std::fs::metadata(&target).unwrap();
        assert_eq!(after.permissions().mode() & 0o777, 0o750, "the mode is kept");
        assert_ne!(after.ino(), before, "a new file took the name (written beside it, renamed over)");
        write_beneath(&root, &root.join("a/b/new.txt"), b"x").unwrap();
        assert_eq!(std::fs::read_to_string(root.join("a/b/new.txt")).unwrap(), "x", "missing folders are made");
        let leftovers: Vec<_> = std::fs::read_dir(&root).unwrap().filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().contains("warden-")).collect();
        assert!(leftovers.is_empty(), "no temporary file is left");
    }

    #[test]
    fn a_hard_link_to_a_file_outside_is_refused_and_the_outside_file_kept() {
        let (_d, root) = project();
        let outside = tempfile::tempdir().unwrap();
        for (i, inside) in ["link.txt", "deep/er/link.txt", ".env"].iter().enumerate() {
            let secret = outside.path().join(format!("secret{i}"));
            std::fs::write(&secret, "keep").unwrap();
            let target = root.join(inside);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::hard_link(&secret, &target).unwrap();
            let Err(WriteError::Refused(why)) = write_beneath(&root, &target, b"owned") else { panic!("{inside}: a hard link is refused") };
            assert!(why.contains("more than one name"), "{why}");
            assert_eq!(std::fs::read_to_string(&secret).unwrap(), "keep", "{inside}: the outside file is untouched");
        }
    }

    #[test]
    fn a_symlinked_folder_or_target_is_refused() {
        let (_d, root) = project();
        let outside = tempfile::tempdir().unwrap();
        symlink(outside.path(), root.join("out")).unwrap();
        std::fs::create_dir(root.join("real")).unwrap();
        symlink(root.join("real"), root.join("inner")).unwrap();
        std::fs::write(outside.path().join("f"), "keep").unwrap();
        symlink(outside.path().join("f"), root.join("file-link")).unwrap();
        std::fs::write(root.join("plain"), "").unwrap();
        for rel in ["out/x.txt", "out/deeper/x.txt", "inner/x.txt", "file-link", "plain/x.txt", "real"] {
            let result = write_beneath(&root, &root.join(rel), b"owned");
            assert!(matches!(result, Err(WriteError::Refused(_))), "{rel}: {result:?}");
        }
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1, "nothing was made outside");
        assert_eq!(std::fs::read_to_string(outside.path().join("f")).unwrap(), "keep");
        assert!(!root.join("real/x.txt").exists(), "a link to a folder inside is refused too");
        // The project folder itself may be reached through a link; the path may name it either way.
        let via = tempfile::tempdir().unwrap();
        let alias = via.path().join("alias");
        symlink(&root, &alias).unwrap();
        write_beneath(&alias, &alias.join("real/through-alias.txt"), b"ok").unwrap();
        write_beneath(&alias, &root.join("real/through-real.txt"), b"ok").unwrap();
        assert!(root.join("real/through-alias.txt").exists() && root.join("real/through-real.txt").exists());
    }
}
