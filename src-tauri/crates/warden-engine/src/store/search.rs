//! Full-text search over the stored sessions (SQLite FTS5).
//!
//! `search_docs` holds the searchable text of each session (see [`super::search_text`]: one
//! row per prompt, message block, tool input, tool output) and `search_fts` indexes it as an
//! external-content FTS5 table that triggers keep in step (schema v5). Appending an event
//! updates its document in the same transaction, so what is stored is searchable.
//!
//! Sessions stored before the index existed are listed in `search_pending` and indexed one
//! session per transaction ([`Store::index_pending`]): by a background thread the engine
//! starts, and before a search for the sessions of its project. An interrupted backfill picks
//! up at the next session; a session's events are never indexed twice.

use super::search_query::{fts_query, QueryError};
use super::search_text::{doc_update, indexable, DocChange, DocUpdate, MARK_CLOSE, MARK_OPEN, MAX_DOC_BYTES};
use super::{read_events_in, Store, StoreError};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::sync::Arc;
use warden_core::search::{OutputMatches, SearchHit, SearchHitKind, SearchTarget, TextRange};
use warden_core::session::{SessionEvent, SessionEventKind, SessionId};

/// The search tables (schema v5). `search_docs.id` is the FTS5 rowid; the triggers keep the
/// index in step with every insert, change and removal of a document, and a session's
/// documents go with it. Every session stored before goes on the waiting list.
pub(super) const SCHEMA_V5: &str = "
    CREATE TABLE IF NOT EXISTS search_docs (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (session_id, key)
    );
    CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        text, content = 'search_docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER IF NOT EXISTS search_docs_added AFTER INSERT ON search_docs BEGIN
        INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER IF NOT EXISTS search_docs_removed AFTER DELETE ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER IF NOT EXISTS search_docs_changed AFTER UPDATE OF text ON search_docs BEGIN
        INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TABLE IF NOT EXISTS search_pending (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO search_pending (session_id) SELECT id FROM sessions;
";

/// Hits one search returns at most.
pub const MAX_HITS: usize = 500;

/// Words of context `snippet()` keeps around the match.
const SNIPPET_TOKENS: i32 = 24;

/// The event types that carry searchable text (see [`doc_update`]); the backfill reads only these.
const INDEXED_TYPES: &str = "'userMessage', 'agentMessageChunk', 'agentThoughtChunk', 'toolCall', 'toolCallUpdate'";

/// A search that could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// What was typed cannot be searched for (the message says why).
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SearchError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Store(e.into())
    }
}

impl Store {
    /// Full-text search over every session of `project` (its worktrees' included): the best
    /// matches first (FTS5's bm25 rank, newer first among equals), at most `limit` (up to
    /// [`MAX_HITS`]). The syntax is [`super::search_query`]'s; a blank query finds nothing.
    /// Sessions of the project not yet indexed are indexed first.
    pub fn search_project(&self, project: &str, query: &str, limit: usize) -> Result<Vec<SearchHit>, SearchError> {
        let Some(fts) = fts_query(query)? else { return Ok(Vec::new()) };
        self.index_pending(Some(project), usize::MAX)?;
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT d.session_id, d.seq, d.kind, d.target, d.at_ms, s.title,
                    snippet(search_fts, 0, ?4, ?5, '…', ?6)
             FROM search_fts
             JOIN search_docs d ON d.id = search_fts.rowid
             JOIN sessions s ON s.id = d.session_id
             WHERE search_fts MATCH ?1 AND (s.project = ?2 OR s.worktree_main = ?2)
             ORDER BY search_fts.rank, d.at_ms DESC
             LIMIT ?3",
        )?;
        let limit = limit.min(MAX_HITS) as i64;
        let rows = stmt.query_map(
            params![fts, project, limit, MARK_OPEN.to_string(), MARK_CLOSE.to_string(), SNIPPET_TOKENS],
            |r| {
                let bad = |i: usize, e: String| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into());
                let kind: SearchHitKind = r.get::<_, String>(2)?.parse().map_err(|e| bad(2, e))?;
                let target: SearchTarget = serde_json::from_str(&r.get::<_, String>(3)?).map_err(|e| bad(3, e.to_string()))?;
                let (snippet, matches) = marked(&r.get::<_, String>(6)?);
                Ok(SearchHit {
                    session_id: SessionId(r.get(0)?),
                    seq: r.get::<_, i64>(1)? as u64,
                    kind,
                    target,
                    snippet,
                    matches,
                    session_title: r.get(5)?,
                    at_ms: r.get::<_, i64>(4)? as u64,
                })
            },
        )?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Indexes sessions stored before the search index existed: those of `project` (every
    /// project's when `None`), at most `max_sessions` of them, one transaction each. Returns how
    /// many sessions still wait (of that project, or in all).
    pub fn index_pending(&self, project: Option<&str>, max_sessions: usize) -> Result<usize, StoreError> {
        for _ in 0..max_sessions {
            let next: Option<String> = self
                .conn()
                .query_row(
                    "SELECT p.session_id FROM search_pending p JOIN sessions s ON s.id = p.session_id
                     WHERE ?1 IS NULL OR s.project = ?1 OR s.worktree_main = ?1 LIMIT 1",
                    [project],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(id) = next else { return Ok(0) };
            let mut conn = self.conn();
            let tx = conn.transaction()?;
            index_session(&tx, &SessionId(id))?;
            tx.commit()?;
        }
        Ok(self.conn().query_row(
            "SELECT count(*) FROM search_pending p JOIN sessions s ON s.id = p.session_id
             WHERE ?1 IS NULL OR s.project = ?1 OR s.worktree_main = ?1",
            [project],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }

    /// How often `needle` occurs (ignoring case) in the stored outputs of the tool call
    /// updates `seqs` of session `id`: for the outputs the window does not hold. Events without
    /// an output and outputs without the text are left out.
    pub fn output_matches(&self, id: &SessionId, seqs: &[u64], needle: &str) -> Result<Vec<OutputMatches>, StoreError> {
        let needle = needle.to_lowercase();
        if needle.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for &seq in seqs {
            let Some(event) = self.event(id, seq)? else { continue };
            let SessionEventKind::ToolCallUpdate(update) = event.kind else { continue };
            let Some(output) = update.output else { continue };
            let count = count_matches(&output.text, &needle);
            if count > 0 {
                found.push(OutputMatches { seq, count });
            }
        }
        Ok(found)
    }
}

/// How often `needle` (already lower case, not empty) occurs in `text` with case ignored, not
/// overlapping: what the window's Ctrl+F counts in the outputs it holds, for the ones it does not.
pub(crate) fn count_matches(text: &str, needle: &str) -> u32 {
    text.to_lowercase().matches(needle).count() as u32
}

/// Indexes the sessions stored before the search index existed on a thread of its own, one
/// session per transaction, so the store stays usable in between (a search indexes its
/// project's first, see [`Store::search_project`]). Nothing starts when none waits.
pub fn backfill_in_background(store: &Arc<Store>) {
    match store.index_pending(None, 0) {
        Ok(0) => return,
        Ok(_) => {}
        Err(e) => {
            tracing::warn!("search index: could not count the sessions to index: {e}");
            return;
        }
    }
    let store = store.clone();
    let spawned = std::thread::Builder::new().name("search-backfill".into()).spawn(move || {
        let started = std::time::Instant::now();
        loop {
            match store.index_pending(None, 1) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    // Tried again at the next start; searches index their project themselves.
                    tracing::warn!("search index: backfill stopped: {e}");
                    return;
                }
            }
        }
        tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "search index: stored sessions indexed");
    });
    if let Err(e) = spawned {
        tracing::warn!("search index: could not start the backfill: {e}");
    }
}

/// Keeps the index in step with one appended event (inside the append's transaction). A
/// session still waiting for the backfill is left to it, which reads every stored event.
pub(super) fn index_event(tx: &Connection, event: &SessionEvent) -> Result<(), StoreError> {
    let Some(update) = doc_update(event.seq, &event.kind) else { return Ok(()) };
    let id = event.session_id.as_str();
    let pending: bool =
        tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_pending WHERE session_id = ?1)")?.query_row([id], |r| r.get(0))?;
    if pending {
        return Ok(());
    }
    let target = serde_json::to_string(&update.target).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let (id, key, seq, at_ms, kind) = (id, update.key.as_str(), event.seq as i64, event.at_ms as i64, update.kind.as_str());
    match update.change {
        // The document keeps its first `seq`: where the window finds its start.
        DocChange::Replace(text) => tx
            .prepare_cached(
                "INSERT INTO search_docs (session_id, key, seq, at_ms, kind, target, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (session_id, key) DO UPDATE SET text = excluded.text",
            )?
            .execute(params![id, key, seq, at_ms, kind, target, indexable(&text, MAX_DOC_BYTES)])?,
        // A full document takes no more (and is not rewritten for nothing).
        DocChange::Append(text) => tx
            .prepare_cached(
                "INSERT INTO search_docs (session_id, key, seq, at_ms, kind, target, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (session_id, key) DO UPDATE SET text = search_docs.text || excluded.text
                 WHERE length(CAST(search_docs.text AS BLOB)) < ?8",
            )?
            .execute(params![id, key, seq, at_ms, kind, target, indexable(&text, MAX_DOC_BYTES), MAX_DOC_BYTES as i64])?,
    };
    Ok(())
}

/// One document being built by the backfill.
struct Doc {
    key: String,
    seq: u64,
    at_ms: u64,
    kind: SearchHitKind,
    target: SearchTarget,
    text: String,
}

/// Indexes every stored event of session `id` from scratch and takes it off the waiting list.
/// The documents are built in memory first: a message streamed in a thousand pieces is written
/// once, not a thousand times.
fn index_session(tx: &Connection, id: &SessionId) -> Result<(), StoreError> {
    let still_pending: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM search_pending WHERE session_id = ?1)", [id.as_str()], |r| r.get(0))?;
    if !still_pending {
        return Ok(());
    }
    // An older Warden may have run on this store meanwhile (and appended unindexed events).
    tx.execute("DELETE FROM search_docs WHERE session_id = ?1", [id.as_str()])?;
    let events = read_events_in(tx, id, &format!("seq > ?2 AND type IN ({INDEXED_TYPES}) ORDER BY seq"), 0)?;
    let mut docs: Vec<Doc> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for event in &events {
        let Some(DocUpdate { key, kind, target, change }) = doc_update(event.seq, &event.kind) else { continue };
        let (text, append) = match change {
            DocChange::Replace(text) => (text, false),
            DocChange::Append(text) => (text, true),
        };
        match by_key.get(&key) {
            Some(&at) => {
                let doc = &mut docs[at];
                if !append {
                    doc.text = indexable(&text, MAX_DOC_BYTES);
                } else if doc.text.len() < MAX_DOC_BYTES {
                    let room = MAX_DOC_BYTES - doc.text.len();
                    doc.text.push_str(&indexable(&text, room));
                }
            }
            None => {
                by_key.insert(key.clone(), docs.len());
                let text = indexable(&text, MAX_DOC_BYTES);
                docs.push(Doc { key, seq: event.seq, at_ms: event.at_ms, kind, target, text });
            }
        }
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO search_docs (session_id, key, seq, at_ms, kind, target, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for doc in docs {
        let target = serde_json::to_string(&doc.target).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        insert.execute(params![id.as_str(), doc.key, doc.seq as i64, doc.at_ms as i64, doc.kind.as_str(), target, doc.text])?;
    }
    tx.execute("DELETE FROM search_pending WHERE session_id = ?1", [id.as_str()])?;
    Ok(())
}

/// A snippet with its markers taken out, and where they were, in UTF-16 code units.
fn marked(raw: &str) -> (String, Vec<TextRange>) {
    let mut text = String::with_capacity(raw.len());
    let mut ranges = Vec::new();
    let mut at = 0u32;
    let mut open = None;
    for c in raw.chars() {
        match c {
            MARK_OPEN => open = Some(at),
            MARK_CLOSE => {
                if let Some(start) = open.take() {
                    if start < at {
                        ranges.push(TextRange { start, end: at });
                    }
                }
            }
            c => {
                text.push(c);
                at += c.len_utf16() as u32;
            }
        }
    }
    (text, ranges)
}

#[cfg(test)]
mod tests {
    use super::marked;
    use warden_core::search::TextRange;

    #[test]
    fn markers_become_ranges_counted_as_the_window_counts() {
        let (text, ranges) = marked("…the \u{E000}tests\u{E001} of 😀 \u{E000}cargo\u{E001}");
        assert_eq!(text, "…the tests of 😀 cargo");
        assert_eq!(ranges, vec![TextRange { start: 5, end: 10 }, TextRange { start: 17, end: 22 }]);
        assert_eq!(&text.encode_utf16().collect::<Vec<_>>()[17..22], &"cargo".encode_utf16().collect::<Vec<_>>()[..]);
    }
}
