//! What the store keeps for reviews beyond the events themselves: the link from a reviewer's
//! session to the session it reviews, an event appended to a session no actor drives (a review
//! reported into a stopped session's stream), and the findings the person marked as false
//! positives, per task.

use super::{append_in, Store, StoreError};
use rusqlite::params;
use warden_core::review::{finding_key, FalsePositive};
use warden_core::session::{SessionEvent, SessionEventKind, SessionId, TaskId};

impl Store {
    /// Records that `reviewer` is the session reviewing `reviewed`.
    pub fn set_reviews(&self, reviewer: &SessionId, reviewed: &SessionId) -> Result<(), StoreError> {
        self.conn().execute("UPDATE sessions SET reviews = ?2 WHERE id = ?1", params![reviewer.as_str(), reviewed.as_str()])?;
        Ok(())
    }

    /// Appends `kind` after the session's last stored event, its `seq` taken in the same
    /// transaction. Only for a session no actor drives: an actor numbers its own events, and
    /// one that resumed meanwhile would find its next `seq` taken (the caller checks first).
    pub fn append_next(&self, session: &SessionId, at_ms: u64, kind: SessionEventKind) -> Result<SessionEvent, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let last: i64 = tx.query_row("SELECT last_seq FROM sessions WHERE id = ?1", [session.as_str()], |r| r.get(0))?;
        let event = SessionEvent { session_id: session.clone(), seq: last as u64 + 1, at_ms, kind };
        append_in(&tx, &event)?;
        tx.commit()?;
        Ok(event)
    }

    /// The findings marked as false positives in `task` of `session`, oldest first.
    pub fn false_positives(&self, session: &SessionId, task: TaskId) -> Result<Vec<FalsePositive>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT key, file, title FROM review_false_positives WHERE session_id = ?1 AND task = ?2 ORDER BY marked_ms, key",
        )?;
        let rows = stmt.query_map(params![session.as_str(), task.0], |r| Ok(FalsePositive { key: r.get(0)?, file: r.get(1)?, title: r.get(2)? }))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Marks a finding of `task` as a false positive (`marked`), or takes the mark back.
    pub fn mark_false_positive(
        &self,
        session: &SessionId,
        task: TaskId,
        file: Option<&str>,
        title: &str,
        marked: bool,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        let key = finding_key(file, title);
        let conn = self.conn();
        if marked {
            conn.execute(
                "INSERT OR REPLACE INTO review_false_positives (session_id, task, key, file, title, marked_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![session.as_str(), task.0, key, file, title, now_ms as i64],
            )?;
        } else {
            conn.execute(
                "DELETE FROM review_false_positives WHERE session_id = ?1 AND task = ?2 AND key = ?3",
                params![session.as_str(), task.0, key],
            )?;
        }
        Ok(())
    }
}
