//! The session store: sessions and their events in SQLite (WAL), shared by the window and the
//! headless command, which may run at the same time.
//!
//! Events are appended with their `seq` checked against the session's last one in the same
//! transaction, so the stored stream can never have a gap or a duplicate.

mod forget;
mod reviews;
mod schema;
mod search;
mod search_query;
mod search_text;
#[cfg(test)]
mod search_tests;
mod usage;
#[cfg(test)]
mod usage_tests;

pub use usage::UsageQuery;
pub use search::{backfill_in_background as backfill_search_index, SearchError, MAX_HITS as MAX_SEARCH_HITS};
pub(crate) use search::count_matches;
pub use search_query::QueryError;

/// Owner-only files and folders, now in `warden-disk`; re-exported so
/// `warden_engine::store::private` keeps naming them for the engine and the app glue.
pub use warden_disk::private;

/// Direct edits of a store file that only tests need (simulating other versions and processes).
#[doc(hidden)]
pub mod testing {
    use rusqlite::{params, Connection};
    use std::path::Path;

    /// Overwrites the stored body of one event.
    pub fn set_body(path: &Path, session: &str, seq: u64, body: &str) -> rusqlite::Result<()> {
        let conn = Connection::open(path)?;
        conn.execute("UPDATE events SET body = ?3 WHERE session_id = ?1 AND seq = ?2", params![session, seq as i64, body])?;
        Ok(())
    }

    /// Pretends another process drives a session.
    pub fn set_owner(path: &Path, session: &str, pid: u32) -> rusqlite::Result<()> {
        let conn = Connection::open(path)?;
        conn.execute("UPDATE sessions SET owner_pid = ?2 WHERE id = ?1", params![session, pid])?;
        Ok(())
    }
}

use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use warden_core::session::*;
use warden_disk::occupancy::Occupancy;
use warden_disk::sqlite::set_aside;

/// Store failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("session store error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// An event arrived out of order.
    #[error("event {got} of session {session} does not follow {last}")]
    Gap {
        /// The session.
        session: SessionId,
        /// The last stored seq.
        last: u64,
        /// The seq that arrived.
        got: u64,
    },
    /// The file could not be moved aside or created.
    #[error("session store at {path}: {source}")]
    Io {
        /// The database file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// The SQLite session store.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Declared after the connection: dropped after it is closed, so the last process to leave
    /// marks the file clean as SQLite left it.
    occupancy: Occupancy,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// A store that was opened, and what the person should be told about it.
#[derive(Debug)]
pub struct Opened {
    /// The store.
    pub store: Store,
    /// Set when a damaged file was set aside and a new one started.
    pub notice: Option<String>,
}

impl Store {
    /// Opens (or creates) the store at `path`. A file that is not a healthy SQLite database is
    /// renamed to `<name>.corrupt-<unix time>` — kept, never deleted — and a fresh store is
    /// started; the returned notice says so.
    pub fn open(path: &Path) -> Result<Opened, StoreError> {
        let io = |source| StoreError::Io { path: path.into(), source };
        if let Some(dir) = path.parent() {
            private::create_dir(dir).map_err(io)?;
        }
        // Every prompt and output is in here: private before SQLite creates it (its -wal and
        // -shm files take the database file's mode).
        private::ensure_file(path, b"").map_err(io)?;
        // Checked only when its last use did not end cleanly (warden_disk::occupancy).
        let mut occupancy = Occupancy::arrive(path);
        let (conn, notice) = match Self::open_healthy(path, occupancy.needs_check()) {
            Ok(conn) => (conn, None),
            Err(e) if path.exists() => {
                tracing::error!(path = %path.display(), "session store unreadable ({e}); moving it aside");
                let aside = set_aside(path).map_err(|source| StoreError::Io { path: path.into(), source })?;
                private::ensure_file(path, b"").map_err(io)?;
                let conn = Self::open_healthy(path, true)?;
                let notice = format!(
                    "The session history at {} was damaged ({e}). It was kept as {} and a new history was started.",
                    path.display(),
                    aside.display()
                );
                (conn, Some(notice))
            }
            Err(e) => return Err(e),
        };
        occupancy.settled().map_err(io)?;
        Ok(Opened { store: Store { conn: Mutex::new(conn), path: path.to_owned(), occupancy }, notice })
    }

    fn open_healthy(path: &Path, check: bool) -> Result<Connection, StoreError> {
        let conn = warden_disk::sqlite::open(path, check)?;
        schema::migrate(&conn)?;
        Ok(conn)
    }

    /// Whether this open checked the file (`PRAGMA quick_check`): only after an unclean end of
    /// its last use, and only in the first process to open it.
    pub fn checked_at_open(&self) -> bool {
        self.occupancy.needs_check()
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a new session.
    pub fn create_session(&self, record: &SessionRecord) -> Result<(), StoreError> {
        insert_session(&self.conn(), record)
    }

    /// Adds a session together with its whole transcript (numbered 1, 2, 3, …) in one
    /// transaction: a session read from elsewhere is stored completely or not at all, and
    /// thousands of events cost one commit, not thousands.
    pub fn import_session(&self, record: &SessionRecord, events: &[SessionEvent]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        insert_session(&tx, record)?;
        for event in events {
            append_in(&tx, event)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks this process as the one driving `session` (when it is resumed).
    pub fn claim(&self, session: &SessionId) -> Result<(), StoreError> {
        self.conn()
            .execute("UPDATE sessions SET owner_pid = ?2 WHERE id = ?1", params![session.as_str(), std::process::id()])?;
        Ok(())
    }

    /// Records the model the person switched `session` to, so a resumed session starts in it.
    pub fn set_model(&self, session: &SessionId, model: &str) -> Result<(), StoreError> {
        self.conn().execute("UPDATE sessions SET model = ?2 WHERE id = ?1", params![session.as_str(), model])?;
        Ok(())
    }

    /// Appends an event and updates the session's record from it, atomically.
    pub fn append(&self, event: &SessionEvent) -> Result<(), StoreError> {
        self.append_all(std::slice::from_ref(event))
    }

    /// Appends events in order, all or none, in one transaction: a burst of a session's events
    /// costs one commit (and each page they share is written once) instead of one per event.
    pub fn append_all(&self, events: &[SessionEvent]) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for event in events {
            append_in(&tx, event)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// One session, with its status corrected when the process that drove it is gone.
    pub fn session(&self, id: &SessionId) -> Result<Option<SessionRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("{} WHERE id = ?1", schema::SELECT_SESSION))?;
        Ok(stmt.query_row([id.as_str()], schema::session_row).optional()?)
    }

    /// Sessions of a project (all projects when `None`), newest first; a project's sessions
    /// include those in its worktrees.
    pub fn sessions(&self, project: Option<&str>) -> Result<Vec<SessionRecord>, StoreError> {
        let conn = self.conn();
        // `?1 IS NULL` makes one statement serve both "one project" and "all".
        let sql = format!(
            "{} WHERE ?1 IS NULL OR project = ?1 OR worktree_main = ?1 ORDER BY created_ms DESC, rowid DESC",
            schema::SELECT_SESSION
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([project], schema::session_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The sessions of a best-of-N group, oldest first.
    pub fn group(&self, group: &str) -> Result<Vec<SessionRecord>, StoreError> {
        let conn = self.conn();
        let sql = format!("{} WHERE group_id = ?1 ORDER BY created_ms, rowid", schema::SELECT_SESSION);
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([group], schema::session_row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// A session's events after `after_seq`, in order. A stored event this version cannot read
    /// comes back as an `unrecognised` entry holding the stored text, never dropped.
    pub fn events(&self, id: &SessionId, after_seq: u64) -> Result<Vec<SessionEvent>, StoreError> {
        self.read_events(id, "seq > ?2 ORDER BY seq", after_seq)
    }

    /// The one stored event with this `seq`, e.g. a tool's output the window let go of.
    pub fn event(&self, id: &SessionId, seq: u64) -> Result<Option<SessionEvent>, StoreError> {
        Ok(self.read_events(id, "seq = ?2", seq)?.pop())
    }

    /// The permission questions and decisions of a session (`Some`) or of every session of a
    /// project, each session's in order, sessions oldest first.
    pub fn permission_events(&self, project: &str, session: Option<&SessionId>) -> Result<Vec<SessionEvent>, StoreError> {
        let ids: Vec<SessionId> = match session {
            Some(id) => vec![id.clone()],
            None => self.sessions(Some(project))?.into_iter().rev().map(|s| s.id).collect(),
        };
        let mut events = Vec::new();
        for id in ids {
            events.extend(self.read_events(&id, "seq > ?2 AND type IN ('permissionRequested', 'permissionResolved') ORDER BY seq", 0)?);
        }
        Ok(events)
    }

    /// The last event of a kind in a session (e.g. its latest `sessionRules`).
    pub fn last_event_of_type(&self, id: &SessionId, type_name: &str) -> Result<Option<SessionEvent>, StoreError> {
        let conn = self.conn();
        let row: Option<i64> = conn
            .query_row(
                "SELECT max(seq) FROM events WHERE session_id = ?1 AND type = ?2",
                params![id.as_str(), type_name],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        drop(conn);
        match row {
            Some(seq) => self.event(id, seq as u64),
            None => Ok(None),
        }
    }

    fn read_events(&self, id: &SessionId, condition: &str, seq: u64) -> Result<Vec<SessionEvent>, StoreError> {
        read_events_in(&self.conn(), id, condition, seq)
    }
}

/// A session's stored events matching `condition` (`?2` is `seq`), read on `conn`.
fn read_events_in(conn: &Connection, id: &SessionId, condition: &str, seq: u64) -> Result<Vec<SessionEvent>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT seq, at_ms, body FROM events WHERE session_id = ?1 AND {condition}"))?;
    let rows = stmt.query_map(params![id.as_str(), seq as i64], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64, r.get::<_, String>(2)?))
    })?;
    let mut events = Vec::new();
    for row in rows {
        let (seq, at_ms, body) = row?;
        let kind = serde_json::from_str(&body).unwrap_or_else(|e| {
            SessionEventKind::Unrecognised(RawOutput {
                reason: format!("stored event could not be read: {e}"),
                bytes: body.len() as u64,
                text: body,
            })
        });
        events.push(SessionEvent { session_id: id.clone(), seq, at_ms, kind });
    }
    // Tool call updates stored before inputs were typed get theirs from their raw input.
    warden_core::session::type_stored_updates(&mut events);
    Ok(events)
}

fn insert_session(conn: &Connection, record: &SessionRecord) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sessions (id, project, agent, agent_session_id, title, model, permission_mode,
            created_ms, updated_ms, status, turns, last_seq, cost_usd, owner_pid, agent_name, sandbox,
            worktree, worktree_main, group_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        params![
            record.id.as_str(),
            record.project,
            record.agent.as_str(),
            record.agent_session_id,
            record.title,
            record.model,
            record.permission_mode.as_str(),
            record.created_ms as i64,
            record.updated_ms as i64,
            record.status.as_str(),
            record.turns,
            record.last_seq as i64,
            record.cost_usd,
            std::process::id(),
            record.agent_name,
            record.sandbox.map(|s| s.as_str()),
            record.worktree.as_ref().map(serde_json::to_string).transpose().map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            record.worktree.as_ref().map(|w| w.main.as_str()),
            record.group,
        ],
    )?;
    Ok(())
}

/// Appends an event inside the caller's transaction, checking it follows the last one.
fn append_in(tx: &Connection, event: &SessionEvent) -> Result<(), StoreError> {
    let id = event.session_id.as_str();
    // Cached statements: this runs for every event a session ever has.
    let last: i64 = tx.prepare_cached("SELECT last_seq FROM sessions WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
    if event.seq != last as u64 + 1 {
        return Err(StoreError::Gap { session: event.session_id.clone(), last: last as u64, got: event.seq });
    }
    let body = serde_json::to_string(&event.kind).expect("events always serialise");
    tx.prepare_cached("INSERT INTO events (session_id, seq, at_ms, type, body) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id, event.seq as i64, event.at_ms as i64, event.kind.type_name(), body])?;
    tx.prepare_cached("UPDATE sessions SET last_seq = ?2, updated_ms = ?3 WHERE id = ?1")?
        .execute(params![id, event.seq as i64, event.at_ms as i64])?;
    search::index_event(tx, event)?;
    match &event.kind {
        SessionEventKind::AgentInfo(info) => {
            tx.execute("UPDATE sessions SET agent_session_id = ?2 WHERE id = ?1", params![id, info.agent_session_id])?;
        }
        SessionEventKind::UserMessage(m) => {
            tx.execute(
                "UPDATE sessions SET turns = max(turns, ?2),
                    title = CASE WHEN title = '' THEN ?3 ELSE title END WHERE id = ?1",
                params![id, m.turn.0, title_from(&m.text)],
            )?;
        }
        SessionEventKind::Status(status) => {
            tx.execute("UPDATE sessions SET status = ?2 WHERE id = ?1", params![id, status.as_str()])?;
        }
        SessionEventKind::ModeChanged(mode) => {
            tx.execute("UPDATE sessions SET permission_mode = ?2 WHERE id = ?1", params![id, mode.as_str()])?;
        }
        SessionEventKind::TurnEnded(t) => {
            tx.execute("UPDATE sessions SET cost_usd = ?2 WHERE id = ?1", params![id, t.session_cost_usd])?;
        }
        _ => {}
    }
    Ok(())
}

/// The first line of a prompt, shortened, as a session title.
fn title_from(prompt: &str) -> String {
    let line = prompt.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let mut title: String = line.chars().take(80).collect();
    if title.len() < line.len() {
        title.push('…');
    }
    title
}
