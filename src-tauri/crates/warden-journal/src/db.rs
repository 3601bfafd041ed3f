//! The journal database, `journal.db`: recorded ops, and every rollback with its intent (one
//! step per path), in SQLite (WAL). A damaged file is set aside and a new one started.

use super::schema::{self, image_text, op_row, rollback_row, SELECT_OP, SELECT_ROLLBACK};
use warden_disk::occupancy::Occupancy;
use warden_disk::sqlite::set_aside;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use warden_core::journal::{FileImage, FileOp, OpId, RollbackId, RollbackRecord, RollbackState};
use warden_core::session::{SessionId, ToolCallId, TurnId};

/// Which ops to read. Every query returns ops oldest first.
#[derive(Debug, Clone, Copy)]
pub enum OpQuery<'a> {
    /// These ops (unknown ids are left out).
    Ids(&'a [OpId]),
    /// Every op of a session, rollbacks' included.
    Session(&'a SessionId),
    /// Every op of one turn of a session.
    Turn(&'a SessionId, TurnId),
    /// The ops tied to one tool call.
    ToolCall(&'a ToolCallId),
    /// The ops a rollback (or redo) made.
    MadeBy(RollbackId),
    /// The log of a project folder, of one session or all.
    Log {
        /// The project folder, as given to the recorder.
        project: &'a str,
        /// Only this session's ops.
        session: Option<&'a SessionId>,
    },
}

/// One path of a rollback's intent, written before any file moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Its place in the rollback; also names its staged file.
    pub seq: u32,
    /// The path, project-relative.
    pub path: String,
    /// What must be there after (`None`: removed).
    pub target: Option<FileImage>,
    /// What was there before (`None`: nothing); its content is in the blob store, so the step
    /// can be undone.
    pub backup: Option<FileImage>,
    /// The session the rollback's op on this path is attributed to.
    pub session_id: SessionId,
    /// And its turn.
    pub turn: TurnId,
}

/// The journal database.
pub struct JournalDb {
    conn: Mutex<Connection>,    /// Declared after the connection: dropped after it is closed, so the last process to leave
    /// marks the file clean as SQLite left it.
    occupancy: warden_disk::occupancy::Occupancy,
}

impl std::fmt::Debug for JournalDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalDb").finish_non_exhaustive()
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// SQLite failed.
    #[error("file journal database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The damaged file could not be moved aside.
    #[error("file journal database {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

impl JournalDb {
    /// Opens (or creates) the database at `path`. A damaged file is renamed to
    /// `journal.db.corrupt-<unix time>` and a fresh one started; the notice says so.
    pub fn open(path: &Path) -> Result<(JournalDb, Option<String>), OpenError> {
        // Private before SQLite creates it (its -wal and -shm files take its mode).
        let private = || warden_disk::private::ensure_file(path, b"").map_err(|source| OpenError::Io { path: path.into(), source });
        private()?;
        let io = |source| OpenError::Io { path: path.into(), source };
        // Checked only when its last use did not end cleanly (warden_disk::occupancy).
        let mut occupancy = Occupancy::arrive(path);
        let (conn, notice) = match Self::open_healthy(path, occupancy.needs_check()) {
            Ok(conn) => (conn, None),
            Err(e) if path.exists() => {
                tracing::error!(path = %path.display(), "file journal unreadable ({e}); moving it aside");
                let aside = set_aside(path).map_err(io)?;
                private()?;
                let conn = Self::open_healthy(path, true)?;
                let notice = format!(
                    "The file journal at {} was damaged ({e}). It was kept as {} and a new journal was \
                     started: changes recorded before can no longer be rolled back from Warden.",
                    path.display(),
                    aside.display()
                );
                (conn, Some(notice))
            }
            Err(e) => return Err(e.into()),
        };
        occupancy.settled().map_err(io)?;
        Ok((JournalDb { conn: Mutex::new(conn), occupancy }, notice))
    }

    fn open_healthy(path: &Path, check: bool) -> rusqlite::Result<Connection> {
        let conn = warden_disk::sqlite::open(path, check)?;
        schema::migrate(&conn)?;
        Ok(conn)
    }

    /// Whether this open checked the file (`PRAGMA quick_check`): only after an unclean end of
    /// its last use, and only in the first process to open it.
    pub fn checked_at_open(&self) -> bool {
        self.occupancy.needs_check()
    }

    pub(super) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends `ops` of `project` in one transaction and returns them with their new ids (the
    /// ids passed in are ignored).
    pub fn append(&self, project: &str, ops: Vec<FileOp>) -> rusqlite::Result<Vec<FileOp>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let ops = append_in(&tx, project, ops)?;
        tx.commit()?;
        Ok(ops)
    }

    /// Ops matching `query`, oldest first.
    pub fn ops(&self, query: OpQuery<'_>) -> rusqlite::Result<Vec<FileOp>> {
        let conn = self.conn();
        match query {
            OpQuery::Ids(ids) => {
                let mut stmt = conn.prepare_cached(&format!("{SELECT_OP} WHERE id = ?1"))?;
                let mut ops = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Some(op) = stmt.query_row([id.0 as i64], op_row).optional()? {
                        ops.push(op);
                    }
                }
                ops.sort_by_key(|op| op.id);
                ops.dedup_by_key(|op| op.id);
                Ok(ops)
            }
            OpQuery::Session(s) => select_ops(&conn, "session_id = ?1", params![s.as_str()]),
            OpQuery::Turn(s, t) => select_ops(&conn, "session_id = ?1 AND turn = ?2", params![s.as_str(), t.0]),
            OpQuery::ToolCall(c) => select_ops(&conn, "tool_call_id = ?1", params![c.as_str()]),
            OpQuery::MadeBy(r) => select_ops(&conn, "rollback_id = ?1", params![r.0 as i64]),
            OpQuery::Log { project, session } => select_ops(
                &conn,
                "project = ?1 AND (?2 IS NULL OR session_id = ?2)",
                params![project, session.map(|s| s.as_str())],
            ),
        }
    }

    /// The projects of these ops (normally one).
    pub fn projects_of(&self, ids: &[OpId]) -> rusqlite::Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT project FROM ops WHERE id = ?1")?;
        let mut projects: Vec<String> = Vec::new();
        for id in ids {
            if let Some(p) = stmt.query_row([id.0 as i64], |r| r.get::<_, String>(0)).optional()? {
                if !projects.contains(&p) {
                    projects.push(p);
                }
            }
        }
        Ok(projects)
    }

    /// Writes a rollback's intent — the row, pending, and its steps — in one transaction. A hunk
    /// revert names the `hunks` it puts back (empty for a rollback of whole ops).
    pub fn begin_rollback(
        &self,
        project: &str,
        ops: &[OpId],
        forced: bool,
        redo_of: Option<RollbackId>,
        hunks: &[String],
        steps: &[Step],
    ) -> rusqlite::Result<RollbackId> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO rollbacks (project, created_ms, ops, forced, state, redo_of, hunks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                project,
                warden_disk::now_ms() as i64,
                serde_json::to_string(ops).expect("ids always serialise"),
                forced,
                RollbackState::Pending.as_str(),
                redo_of.map(|r| r.0 as i64),
                (!hunks.is_empty()).then(|| serde_json::to_string(hunks).expect("fingerprints always serialise")),
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO rollback_steps (rollback_id, seq, path, target, backup, session_id, turn)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for s in steps {
                insert.execute(params![
                    id,
                    s.seq,
                    s.path,
                    image_text(&s.target),
                    image_text(&s.backup),
                    s.session_id.as_str(),
                    s.turn.0
                ])?;
            }
        }
        tx.commit()?;
        Ok(RollbackId(id as u64))
    }

    /// A rollback's steps, in order.
    pub fn steps(&self, id: RollbackId) -> rusqlite::Result<Vec<Step>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT seq, path, target, backup, session_id, turn FROM rollback_steps WHERE rollback_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([id.0 as i64], |r| {
            Ok(Step {
                seq: r.get(0)?,
                path: r.get(1)?,
                target: schema::image_at(r, 2)?,
                backup: schema::image_at(r, 3)?,
                session_id: SessionId(r.get(4)?),
                turn: TurnId(r.get(5)?),
            })
        })?;
        rows.collect()
    }

    /// Marks a rollback done and appends the ops it made, in one transaction, recording it as
    /// what undid its ops; a redo also marks the rollback it undid as undone there, whose ops
    /// stand again. Every session the made ops are attributed to gets
    /// a note its agent has not been told yet.
    pub fn finish_rollback(&self, record: &RollbackRecord, made: Vec<FileOp>) -> rusqlite::Result<Vec<FileOp>> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let made = append_in(&tx, &record.project, made)?;
        {
            let mut note =
                tx.prepare_cached("INSERT OR IGNORE INTO rollback_notes (rollback_id, session_id) VALUES (?1, ?2)")?;
            for op in &made {
                note.execute(params![record.id.0 as i64, op.session_id.as_str()])?;
            }
        }
        set_state_in(&tx, record.id, RollbackState::Done)?;
        // A hunk revert undid part of its ops only: they stand (see `RECOMPUTE_UNDONE_BY`).
        if record.hunks.is_empty() {
            // The newest done rollback, so it is what undid its ops.
            let mut undo = tx.prepare_cached("UPDATE ops SET undone_by = ?1 WHERE id = ?2")?;
            for op in &record.ops {
                undo.execute(params![record.id.0 as i64, op.0 as i64])?;
            }
        }
        if let Some(undone) = record.redo_of {
            set_state_in(&tx, undone, RollbackState::Undone)?;
            // What the redone rollback had undone stands again (unless an older rollback that
            // still stands undid it too).
            tx.execute(&schema::RECOMPUTE_UNDONE_BY.replace("{which}", "undone_by = ?1"), [undone.0 as i64])?;
        }
        tx.commit()?;
        Ok(made)
    }

    /// Sets a rollback's state.
    pub fn set_state(&self, id: RollbackId, state: RollbackState) -> rusqlite::Result<()> {
        set_state_in(&self.conn(), id, state)
    }

    /// One rollback.
    pub fn rollback(&self, id: RollbackId) -> rusqlite::Result<Option<RollbackRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!("{SELECT_ROLLBACK} WHERE id = ?1"))?;
        stmt.query_row([id.0 as i64], rollback_row).optional()
    }

    /// Rollbacks of a project (all projects when `None`) in a state (any when `None`), oldest
    /// first.
    pub fn rollbacks(&self, project: Option<&str>, state: Option<RollbackState>) -> rusqlite::Result<Vec<RollbackRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "{SELECT_ROLLBACK} WHERE (?1 IS NULL OR project = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![project, state.map(|s| s.as_str())], rollback_row)?;
        rows.collect()
    }

    /// Rollbacks (redos included) that `session`'s agent has not been told about, oldest first,
    /// each with the ops it made on that session's behalf.
    pub fn untold(&self, session: &SessionId) -> rusqlite::Result<Vec<(RollbackRecord, Vec<FileOp>)>> {
        let ids: Vec<i64> = {
            let conn = self.conn();
            let mut stmt = conn.prepare_cached(
                "SELECT rollback_id FROM rollback_notes WHERE session_id = ?1 AND told = 0 ORDER BY rollback_id",
            )?;
            let rows = stmt.query_map([session.as_str()], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut untold = Vec::with_capacity(ids.len());
        for id in ids {
            let id = RollbackId(id as u64);
            if let Some(record) = self.rollback(id)? {
                let made = self.ops(OpQuery::MadeBy(id))?.into_iter().filter(|op| &op.session_id == session).collect();
                untold.push((record, made));
            }
        }
        Ok(untold)
    }

    /// Records that `session`'s agent has been told about these rollbacks.
    pub fn mark_told(&self, session: &SessionId, ids: &[RollbackId]) -> rusqlite::Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("UPDATE rollback_notes SET told = 1 WHERE rollback_id = ?1 AND session_id = ?2")?;
        for id in ids {
            stmt.execute(params![id.0 as i64, session.as_str()])?;
        }
        Ok(())
    }
}

impl JournalDb {
    /// Every path whose content was ever kept in `project`.
    pub fn kept_paths(&self, project: &str) -> rusqlite::Result<Vec<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT path FROM kept_paths WHERE project = ?1")?;
        let rows = stmt.query_map([project], |r| r.get(0))?;
        rows.collect()
    }

    /// Adds paths whose content is now kept in `project`, in one transaction.
    pub fn add_kept_paths(&self, project: &str, paths: &[&str]) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO kept_paths (project, path) VALUES (?1, ?2)")?;
            for path in paths {
                insert.execute(params![project, path])?;
            }
        }
        tx.commit()
    }
}

fn select_ops(conn: &Connection, condition: &str, args: &[&dyn rusqlite::ToSql]) -> rusqlite::Result<Vec<FileOp>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT_OP} WHERE {condition} ORDER BY id"))?;
    let rows = stmt.query_map(args, op_row)?;
    rows.collect()
}

fn append_in(tx: &Transaction<'_>, project: &str, ops: Vec<FileOp>) -> rusqlite::Result<Vec<FileOp>> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO ops (project, session_id, turn, tool_call_id, path, kind, from_path, before, after, at_ms,
            ignored, rollback_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut stored = Vec::with_capacity(ops.len());
    for mut op in ops {
        let from = match &op.kind {
            warden_core::journal::OpKind::Rename { from } => Some(from.as_str()),
            _ => None,
        };
        insert.execute(params![
            project,
            op.session_id.as_str(),
            op.turn.0,
            op.tool_call_id.as_ref().map(|c| c.as_str()),
            op.path,
            op.kind.as_str(),
            from,
            image_text(&op.before),
            image_text(&op.after),
            op.at_ms as i64,
            op.ignored,
            op.rollback_id.map(|r| r.0 as i64),
        ])?;
        op.id = OpId(tx.last_insert_rowid() as u64);
        stored.push(op);
    }
    Ok(stored)
}

fn set_state_in(conn: &Connection, id: RollbackId, state: RollbackState) -> rusqlite::Result<()> {
    conn.execute("UPDATE rollbacks SET state = ?2 WHERE id = ?1", params![id.0 as i64, state.as_str()])?;
    Ok(())
}
