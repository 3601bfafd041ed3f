//! The parts of a file's metadata the journal compares and restores, and symlinks as bytes:
//! the one place that differs between Unix and elsewhere.

use std::fs;
use std::io;
use std::path::Path;
use warden_core::journal::FileKind;

/// What a snapshot keeps of a file's metadata to tell, without reading it, that it is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// Size in bytes.
    pub size: u64,
    /// Last content change, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// Last metadata change, nanoseconds since the Unix epoch. Nobody can set it back, so it
    /// catches a rewrite that restores the old mtime (`cp -p`, `touch -r`).
    pub ctime_ns: i64,
    /// The inode (0 where there is none).
    pub ino: u64,
    /// Permission bits.
    pub mode: u32,
}

/// The mode recorded for every symlink: a link's own permission bits mean nothing on Linux
/// (always 0o777) and follow the umask on macOS, so they are neither compared nor restored.
pub const SYMLINK_MODE: u32 = 0o777;

/// The [`Stat`] of `meta` (from `symlink_metadata`: a link is never followed) of a `kind`.
pub fn stat_of(meta: &fs::Metadata, kind: FileKind) -> Stat {
    let mut stat = platform_stat(meta);
    if kind == FileKind::Symlink {
        stat.mode = SYMLINK_MODE;
    }
    stat
}

#[cfg(unix)]
fn platform_stat(meta: &fs::Metadata) -> Stat {
    use std::os::unix::fs::MetadataExt;
    Stat {
        size: meta.size(),
        mtime_ns: meta.mtime().saturating_mul(1_000_000_000).saturating_add(meta.mtime_nsec()),
        ctime_ns: meta.ctime().saturating_mul(1_000_000_000).saturating_add(meta.ctime_nsec()),
        ino: meta.ino(),
        mode: meta.mode() & 0o7777,
    }
}

/// Without inodes and ctimes, the mtime has to do.
#[cfg(not(unix))]
fn platform_stat(meta: &fs::Metadata) -> Stat {
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    let mode = if meta.permissions().readonly() { 0o444 } else { 0o644 };
    Stat { size: meta.len(), mtime_ns, ctime_ns: mtime_ns, ino: 0, mode }
}

/// Sets the permission bits of the file at `path` (never through a symlink: links have none).
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let mut permissions = fs::metadata(path)?.permissions();
        permissions.set_readonly(mode & 0o222 == 0);
        fs::set_permissions(path, permissions)
    }
}

/// Where the symlink at `path` points, as the bytes stored for its content.
pub fn read_link_bytes(path: &Path) -> io::Result<Vec<u8>> {
    let target = fs::read_link(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(target.as_os_str().as_bytes().to_vec())
    }
    #[cfg(not(unix))]
    {
        Ok(target.to_string_lossy().into_owned().into_bytes())
    }
}

/// Makes a symlink at `at` pointing to `target` (bytes as [`read_link_bytes`] gave them).
pub fn make_symlink(target: &[u8], at: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), at)
    }
    #[cfg(windows)]
    {
        std::os::windows::fs::symlink_file(String::from_utf8_lossy(target).as_ref(), at)
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (target, at);
        Err(io::Error::new(io::ErrorKind::Unsupported, "symlinks are not supported here"))
    }
}

/// Whether a failed rename failed only because source and destination are on different
/// filesystems, so copying is the way.
pub fn crosses_devices(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::CrossesDevices
}
