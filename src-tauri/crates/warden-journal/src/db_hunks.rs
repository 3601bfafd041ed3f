//! The journal database's per-hunk tables: kept hunks (`hunk_keeps`) and the person's comments
//! (`hunk_comments`). Hunk reverts themselves are rollbacks (`rollbacks.hunks`).

use super::db::JournalDb;
use rusqlite::params;
use std::collections::HashSet;
use warden_core::journal::{HunkComment, NewHunkComment};
use warden_core::session::{SessionId, TaskId};

impl JournalDb {
    /// Marks a hunk kept, or removes the mark.
    pub fn set_kept(&self, project: &str, path: &str, fingerprint: &str, session: &SessionId, kept: bool) -> rusqlite::Result<()> {
        let conn = self.conn();
        if kept {
            conn.execute(
                "INSERT OR REPLACE INTO hunk_keeps (project, path, fingerprint, session_id, at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![project, path, fingerprint, session.as_str(), warden_disk::now_ms() as i64],
            )?;
        } else {
            conn.execute(
                "DELETE FROM hunk_keeps WHERE project = ?1 AND path = ?2 AND fingerprint = ?3",
                params![project, path, fingerprint],
            )?;
        }
        Ok(())
    }

    /// The fingerprints of the kept hunks of `path`.
    pub fn kept(&self, project: &str, path: &str) -> rusqlite::Result<HashSet<String>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT fingerprint FROM hunk_keeps WHERE project = ?1 AND path = ?2")?;
        let rows = stmt.query_map(params![project, path], |r| r.get(0))?;
        rows.collect()
    }

    /// Stores a comment and returns it with its id.
    pub fn add_comment(&self, project: &str, c: NewHunkComment) -> rusqlite::Result<HunkComment> {
        let conn = self.conn();
        let created_ms = warden_disk::now_ms();
        conn.execute(
            "INSERT INTO hunk_comments (project, session_id, task, path, start_line, end_line, quote, text, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                project,
                c.session_id.as_str(),
                c.task.map(|t| t.0),
                c.path,
                c.start_line,
                c.end_line,
                c.quote,
                c.text,
                created_ms as i64
            ],
        )?;
        Ok(HunkComment {
            id: conn.last_insert_rowid() as u64,
            session_id: c.session_id,
            task: c.task,
            path: c.path,
            start_line: c.start_line,
            end_line: c.end_line,
            quote: c.quote,
            text: c.text,
            created_ms,
            sent: false,
        })
    }

    /// A session's comments in a project, oldest first (only unsent ones with `unsent`).
    pub fn comments(&self, project: &str, session: &SessionId, unsent: bool) -> rusqlite::Result<Vec<HunkComment>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, session_id, task, path, start_line, end_line, quote, text, created_ms, sent FROM hunk_comments
             WHERE project = ?1 AND session_id = ?2 AND (?3 = 0 OR sent = 0) ORDER BY id",
        )?;
        let rows = stmt.query_map(params![project, session.as_str(), unsent], |r| {
            Ok(HunkComment {
                id: r.get::<_, i64>(0)? as u64,
                session_id: SessionId(r.get(1)?),
                task: r.get::<_, Option<u32>>(2)?.map(TaskId),
                path: r.get(3)?,
                start_line: r.get(4)?,
                end_line: r.get(5)?,
                quote: r.get(6)?,
                text: r.get(7)?,
                created_ms: r.get::<_, i64>(8)? as u64,
                sent: r.get(9)?,
            })
        })?;
        rows.collect()
    }

    /// Removes a comment; whether there was one.
    pub fn delete_comment(&self, project: &str, id: u64) -> rusqlite::Result<bool> {
        let conn = self.conn();
        Ok(conn.execute("DELETE FROM hunk_comments WHERE project = ?1 AND id = ?2", params![project, id as i64])? > 0)
    }

    /// Marks comments sent.
    pub fn mark_comments_sent(&self, project: &str, ids: &[u64]) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached("UPDATE hunk_comments SET sent = 1 WHERE project = ?1 AND id = ?2")?;
            for id in ids {
                stmt.execute(params![project, *id as i64])?;
            }
        }
        tx.commit()
    }
}
