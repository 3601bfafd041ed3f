//! Tables of the session store and reading rows back.

use rusqlite::{Connection, Row};
use warden_core::session::{SessionId, SessionRecord, SessionStatus};

/// Current schema version (`PRAGMA user_version`).
const VERSION: i32 = 5;

/// Creates or upgrades the tables.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    warden_disk::sqlite::configure(conn)?;
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 1 {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS sessions (
                id TEXT PRIMARY KEY,
                project TEXT NOT NULL,
                agent TEXT NOT NULL,
                agent_session_id TEXT,
                title TEXT NOT NULL DEFAULT '',
                model TEXT,
                permission_mode TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL,
                status TEXT NOT NULL,
                turns INTEGER NOT NULL DEFAULT 0,
                last_seq INTEGER NOT NULL DEFAULT 0,
                cost_usd REAL NOT NULL DEFAULT 0,
                owner_pid INTEGER
             );
             CREATE INDEX IF NOT EXISTS sessions_by_project ON sessions (project, created_ms);
             CREATE TABLE IF NOT EXISTS events (
                session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                at_ms INTEGER NOT NULL,
                type TEXT NOT NULL,
                body TEXT NOT NULL,
                PRIMARY KEY (session_id, seq)
             ) WITHOUT ROWID;",
        )?;
    }
    if version < 2 {
        // Issue 7's agents: which custom ACP agent, and Codex's sandbox.
        conn.execute_batch(
            "ALTER TABLE sessions ADD COLUMN agent_name TEXT;
             ALTER TABLE sessions ADD COLUMN sandbox TEXT;",
        )?;
    }
    if version < 3 {
        // Issue 17's reviews: a reviewer's session names the session it reviews, and findings
        // the person marked as false positives stay marked for the rest of their task.
        conn.execute_batch(
            "ALTER TABLE sessions ADD COLUMN reviews TEXT;
             CREATE TABLE IF NOT EXISTS review_false_positives (
                session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
                task INTEGER NOT NULL,
                key TEXT NOT NULL,
                file TEXT,
                title TEXT NOT NULL,
                marked_ms INTEGER NOT NULL,
                PRIMARY KEY (session_id, task, key)
             ) WITHOUT ROWID;",
        )?;
    }
    if version < 4 {
        // Issue 18's worktrees: a session in its own worktree names it and its main folder
        // (listed under that project), and best-of-N sessions share a group.
        conn.execute_batch(
            "ALTER TABLE sessions ADD COLUMN worktree TEXT;
             ALTER TABLE sessions ADD COLUMN worktree_main TEXT;
             ALTER TABLE sessions ADD COLUMN group_id TEXT;
             CREATE INDEX IF NOT EXISTS sessions_by_main ON sessions (worktree_main, created_ms);
             CREATE INDEX IF NOT EXISTS sessions_by_group ON sessions (group_id);",
        )?;
    }
    if version < 5 {
        // Issue 19's search: the searchable text of each session and its full-text index (see
        // `search.rs`); the sessions already stored wait for the backfill.
        conn.execute_batch(super::search::SCHEMA_V5)?;
    }
    conn.pragma_update(None, "user_version", VERSION)?;
    Ok(())
}

/// The columns `session_row` reads.
pub const SELECT_SESSION: &str = "SELECT id, project, agent, agent_session_id, title, model, permission_mode,
    created_ms, updated_ms, status, turns, last_seq, cost_usd, owner_pid, agent_name, sandbox, reviews, worktree, group_id FROM sessions";

/// A session row; a session whose driving process is gone but that never recorded its end is
/// reported as crashed.
pub fn session_row(r: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let bad = |i: usize, e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    };
    let mut status: SessionStatus = text(9)?.parse().map_err(|e| bad(9, e))?;
    let owner: Option<u32> = r.get(13)?;
    if !status.is_over() && !owner.is_some_and(process_alive) {
        status = SessionStatus::Crashed;
    }
    Ok(SessionRecord {
        id: SessionId(text(0)?),
        project: text(1)?,
        agent: text(2)?.parse().map_err(|e| bad(2, e))?,
        agent_session_id: r.get(3)?,
        title: text(4)?,
        model: r.get(5)?,
        permission_mode: text(6)?.parse().map_err(|e| bad(6, e))?,
        created_ms: r.get::<_, i64>(7)? as u64,
        updated_ms: r.get::<_, i64>(8)? as u64,
        status,
        turns: r.get(10)?,
        last_seq: r.get::<_, i64>(11)? as u64,
        cost_usd: r.get(12)?,
        agent_name: r.get(14)?,
        sandbox: r.get::<_, Option<String>>(15)?.map(|s| s.parse()).transpose().map_err(|e| bad(15, e))?,
        reviews: r.get::<_, Option<String>>(16)?.map(SessionId),
        worktree: r.get::<_, Option<String>>(17)?.map(|s| serde_json::from_str(&s)).transpose().map_err(|e| bad(17, e.to_string()))?,
        group: r.get(18)?,
    })
}

/// Whether a process with this id is running.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only checks that the process exists and may be signalled.
        let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        false
    }
}
