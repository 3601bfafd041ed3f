//! Tables of the file journal and reading its rows back.

use rusqlite::{Connection, Row};
use warden_core::journal::{FileImage, FileOp, OpId, OpKind, RollbackId, RollbackRecord};
use warden_core::session::{SessionId, ToolCallId, TurnId};

/// Current schema version (`PRAGMA user_version`).
const VERSION: i32 = 5;

/// Sets `undone_by` of the ops selected by `{which}` (an SQL condition on `ops`) from the
/// rollbacks as they stand: the newest done rollback that undid each, or none. One rule for the
/// migration and for a redo, which makes what its rollback undid stand again. A hunk revert
/// (`hunks` set) undoes part of its ops only, so it never counts.
pub const RECOMPUTE_UNDONE_BY: &str = "UPDATE ops SET undone_by = (
        SELECT MAX(r.id) FROM rollbacks r, json_each(r.ops) j WHERE r.state = 'done' AND j.value = ops.id
            AND r.hunks IS NULL
    ) WHERE {which}";

/// The rule of [`RECOMPUTE_UNDONE_BY`] as version 4 knew it, before hunk reverts existed (its
/// migration runs before the `hunks` column is added).
const RECOMPUTE_UNDONE_BY_V4: &str = "UPDATE ops SET undone_by = (
        SELECT MAX(r.id) FROM rollbacks r, json_each(r.ops) j WHERE r.state = 'done' AND j.value = ops.id
    ) WHERE {which}";

/// Creates or upgrades the tables.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    warden_disk::sqlite::configure(conn)?;
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 1 {
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS rollbacks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                project TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                ops TEXT NOT NULL,
                forced INTEGER NOT NULL,
                state TEXT NOT NULL,
                redo_of INTEGER REFERENCES rollbacks (id)
             );
             CREATE INDEX IF NOT EXISTS rollbacks_by_state ON rollbacks (state);
             CREATE TABLE IF NOT EXISTS rollback_steps (
                rollback_id INTEGER NOT NULL REFERENCES rollbacks (id),
                seq INTEGER NOT NULL,
                path TEXT NOT NULL,
                target TEXT,
                backup TEXT,
                session_id TEXT NOT NULL,
                turn INTEGER NOT NULL,
                PRIMARY KEY (rollback_id, seq)
             ) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS ops (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                project TEXT NOT NULL,
                session_id TEXT NOT NULL,
                turn INTEGER NOT NULL,
                tool_call_id TEXT,
                path TEXT NOT NULL,
                kind TEXT NOT NULL,
                from_path TEXT,
                before TEXT,
                after TEXT,
                at_ms INTEGER NOT NULL,
                ignored INTEGER NOT NULL,
                rollback_id INTEGER REFERENCES rollbacks (id)
             );
             CREATE INDEX IF NOT EXISTS ops_by_project ON ops (project, id);
             CREATE INDEX IF NOT EXISTS ops_by_session ON ops (session_id, turn, id);
             CREATE INDEX IF NOT EXISTS ops_by_tool_call ON ops (tool_call_id) WHERE tool_call_id IS NOT NULL;
             CREATE INDEX IF NOT EXISTS ops_by_rollback ON ops (rollback_id) WHERE rollback_id IS NOT NULL;",
        )?;
    }
    if version < 2 {
        // Which sessions' agents have yet to hear of a rollback that undid their changes: one
        // row per rollback and session, told when that session's next prompt carries the note.
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS rollback_notes (
                rollback_id INTEGER NOT NULL REFERENCES rollbacks (id),
                session_id TEXT NOT NULL,
                told INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (rollback_id, session_id)
             ) WITHOUT ROWID;
             CREATE INDEX IF NOT EXISTS rollback_notes_untold ON rollback_notes (session_id) WHERE told = 0;",
        )?;
    }
    if version < 3 {
        // Every path whose content the journal has kept in a project: kept in every later
        // session whatever the ignore files say then (see `kept.rs`). A journal from before
        // starts with the paths its ops kept, the best it knows.
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS kept_paths (
                project TEXT NOT NULL,
                path TEXT NOT NULL,
                PRIMARY KEY (project, path)
             ) WITHOUT ROWID;
             INSERT OR IGNORE INTO kept_paths (project, path)
                SELECT project, path FROM ops WHERE ignored = 0
                UNION SELECT project, from_path FROM ops WHERE ignored = 0 AND from_path IS NOT NULL;",
        )?;
    }
    if version < 4 {
        // Which rollback undid each op, so the log and the window read it rather than work it
        // out from contents. A journal from before learns it from its finished rollbacks. In one
        // transaction with the version, so a crash half way leaves a journal that migrates again.
        let backfill = RECOMPUTE_UNDONE_BY_V4
            .replace("{which}", "id IN (SELECT j.value FROM rollbacks r, json_each(r.ops) j WHERE r.state = 'done')");
        conn.execute_batch(&format!(
            "BEGIN;
             ALTER TABLE ops ADD COLUMN undone_by INTEGER REFERENCES rollbacks (id);
             CREATE INDEX IF NOT EXISTS ops_by_undoer ON ops (undone_by) WHERE undone_by IS NOT NULL;
             {backfill};
             PRAGMA user_version = 4;
             COMMIT;"
        ))?;
    }
    if version < 5 {
        // Per-hunk decisions (issue 17). A hunk revert is a rollback whose `hunks` lists the
        // fingerprints it put back (NULL for a rollback of whole ops). Keeps are marks by path
        // and fingerprint; comments are the person's findings, per session.
        conn.execute_batch(
            "BEGIN;
             ALTER TABLE rollbacks ADD COLUMN hunks TEXT;
             CREATE TABLE IF NOT EXISTS hunk_keeps (
                project TEXT NOT NULL,
                path TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                session_id TEXT NOT NULL,
                at_ms INTEGER NOT NULL,
                PRIMARY KEY (project, path, fingerprint)
             ) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS hunk_comments (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                project TEXT NOT NULL,
                session_id TEXT NOT NULL,
                task INTEGER,
                path TEXT NOT NULL,
                start_line INTEGER NOT NULL,
                end_line INTEGER NOT NULL,
                quote TEXT NOT NULL,
                text TEXT NOT NULL,
                created_ms INTEGER NOT NULL,
                sent INTEGER NOT NULL DEFAULT 0
             );
             CREATE INDEX IF NOT EXISTS hunk_comments_by_session ON hunk_comments (project, session_id, id);
             PRAGMA user_version = 5;
             COMMIT;",
        )?;
    }
    conn.pragma_update(None, "user_version", VERSION)?;
    Ok(())
}

/// An image as stored: JSON, `NULL` for "no file".
pub fn image_text(image: &Option<FileImage>) -> Option<String> {
    image.as_ref().map(|i| serde_json::to_string(i).expect("images always serialise"))
}

fn bad(i: usize, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.to_string().into())
}

/// Reads an image stored by [`image_text`] from column `i`.
pub fn image_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<FileImage>> {
    let text: Option<String> = r.get(i)?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| bad(i, e))).transpose()
}

/// The columns `op_row` reads.
pub const SELECT_OP: &str = "SELECT id, session_id, turn, tool_call_id, path, kind, from_path, before, after, at_ms,
    ignored, rollback_id, undone_by FROM ops";

/// An op row.
pub fn op_row(r: &Row<'_>) -> rusqlite::Result<FileOp> {
    let kind: String = r.get(5)?;
    let from: Option<String> = r.get(6)?;
    let kind = match (kind.as_str(), from) {
        ("create", _) => OpKind::Create,
        ("modify", _) => OpKind::Modify,
        ("delete", _) => OpKind::Delete,
        ("chmod", _) => OpKind::Chmod,
        ("rename", Some(from)) => OpKind::Rename { from },
        (other, _) => return Err(bad(5, format!("unknown op kind '{other}'"))),
    };
    Ok(FileOp {
        id: OpId(r.get::<_, i64>(0)? as u64),
        session_id: SessionId(r.get(1)?),
        turn: TurnId(r.get(2)?),
        tool_call_id: r.get::<_, Option<String>>(3)?.map(ToolCallId),
        path: r.get(4)?,
        kind,
        before: image_at(r, 7)?,
        after: image_at(r, 8)?,
        at_ms: r.get::<_, i64>(9)? as u64,
        ignored: r.get(10)?,
        rollback_id: r.get::<_, Option<i64>>(11)?.map(|id| RollbackId(id as u64)),
        undone_by: r.get::<_, Option<i64>>(12)?.map(|id| RollbackId(id as u64)),
    })
}

/// The columns `rollback_row` reads.
pub const SELECT_ROLLBACK: &str = "SELECT id, project, created_ms, ops, forced, state, redo_of, hunks FROM rollbacks";

/// A rollback row.
pub fn rollback_row(r: &Row<'_>) -> rusqlite::Result<RollbackRecord> {
    let ops: String = r.get(3)?;
    let state: String = r.get(5)?;
    Ok(RollbackRecord {
        id: RollbackId(r.get::<_, i64>(0)? as u64),
        project: r.get(1)?,
        created_ms: r.get::<_, i64>(2)? as u64,
        ops: serde_json::from_str(&ops).map_err(|e| bad(3, e))?,
        forced: r.get(4)?,
        state: state.parse().map_err(|e: String| bad(5, e))?,
        redo_of: r.get::<_, Option<i64>>(6)?.map(|id| RollbackId(id as u64)),
        hunks: match r.get::<_, Option<String>>(7)? {
            Some(text) => serde_json::from_str(&text).map_err(|e| bad(7, e))?,
            None => Vec::new(),
        },
    })
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
