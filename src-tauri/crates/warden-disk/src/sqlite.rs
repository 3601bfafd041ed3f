//! What every Warden database shares: its connection settings, the health check run before it
//! is used after an unclean shutdown, and what happens to one that fails it (kept aside, never deleted).

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Connection settings shared by Warden's databases and read by each `migrate`: WAL with NORMAL
/// sync survives a crash of Warden (not of the OS) without losing a commit, at a fraction of
/// FULL's cost; the window and the headless command may write at the same time, so a busy
/// database is waited for.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
}

/// Opens the database at `path`, checked first ([`quick_check`]) when `check`: when its
/// [`Occupancy`](crate::occupancy::Occupancy) says the last use did not end cleanly.
/// A database that does not exist yet (or is empty) has nothing to check.
pub fn open(path: &Path, check: bool) -> rusqlite::Result<Connection> {
    let existing = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    let conn = Connection::open(path)?;
    if check && existing {
        tracing::info!(db = %path.display(), "checking the database (PRAGMA quick_check): its last use did not end cleanly");
        quick_check(&conn)?;
    }
    Ok(conn)
}

/// Fails unless SQLite finds the database whole (`PRAGMA quick_check`).
pub fn quick_check(conn: &Connection) -> rusqlite::Result<()> {
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), Some(check)));
    }
    Ok(())
}

/// Renames a damaged database and its WAL side files to `<name>.corrupt-<unix time>` — kept for
/// a closer look, never deleted — and returns the new name.
pub fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let aside = path.with_file_name(format!(
        "{}.corrupt-{secs}",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        let _ = std::fs::rename(&side, format!("{}{suffix}", aside.display()));
    }
    Ok(aside)
}
