//! The durable outbox, `<data>/webhooks.db`: a row per (event, endpoint) holding the body bytes
//! frozen when the event was queued, its status and when to try next; every attempt with its
//! request and response (the delivery log); and the endpoints disabled by a 410.
//!
//! Several processes may share the file (the window, `warden run`, a second window): a worker
//! sends a due delivery only after claiming it ([`Outbox::claim`]), a lease in the row that
//! one `UPDATE` takes when nobody holds it, so two workers never send one attempt twice. A
//! holder that crashed leaves a lease that simply expires.

use crate::endpoint::{Endpoint, Mode};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use warden_disk::occupancy::Occupancy;
use warden_disk::sqlite::set_aside;

/// The database's file name in the data folder.
pub const FILE_NAME: &str = "webhooks.db";

/// The stored mode of a test event: sent once, by the caller, never by the worker.
pub const MANUAL: &str = "manual";

/// Current schema version (`PRAGMA user_version`). 2 added the delivery lease.
const VERSION: i32 = 2;

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// A 2xx arrived.
    Delivered,
    /// Permanently failed, or the schedule ran out (dead letter).
    Failed,
    /// Its endpoint answered 410 (on this or another delivery) before it was delivered.
    Disabled,
    /// Not sent: its endpoint was already disabled when the event was queued.
    Skipped,
}

impl DeliveryStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Disabled => "disabled",
            Self::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "delivered" => Self::Delivered,
            "disabled" => Self::Disabled,
            "skipped" => Self::Skipped,
            _ => Self::Failed,
        }
    }
}

/// One event queued for one endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// The delivery's id (what `warden webhooks redeliver` takes).
    pub id: i64,
    /// The project folder whose configuration names the endpoint.
    pub project: String,
    /// The endpoint's id in that configuration.
    pub endpoint: String,
    /// The event's id: the `webhook-id` of every attempt.
    pub event_id: String,
    /// The event's type (`X-Warden-Event`).
    pub event_type: String,
    /// `sync` or `async`.
    pub mode: String,
    /// The body, frozen when queued (UTF-8 JSON).
    #[serde(serialize_with = "as_text")]
    pub body: Vec<u8>,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made, redeliveries included.
    pub attempts: u32,
    /// When the next attempt is due (ms since the epoch; meaningful while pending).
    pub next_attempt_at: u64,
    /// When it was queued.
    pub created_at: u64,
    /// The last attempt's error or status, for the list.
    pub last_error: Option<String>,
}

/// One attempt of a delivery, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// The attempt's id.
    pub id: i64,
    /// Its delivery.
    pub delivery: i64,
    /// 1 for the first attempt of the delivery.
    pub number: u32,
    /// Sent by Redeliver rather than the schedule.
    pub redelivery: bool,
    /// When it started (ms since the epoch).
    pub started_at: u64,
    /// How long it took.
    pub duration_ms: u64,
    /// The URL, with secret query parameters redacted.
    pub url: String,
    /// Request headers, secret ones redacted (signatures are kept: they are not secrets).
    pub request_headers: Vec<(String, String)>,
    /// The response status, if one arrived.
    pub response_status: Option<u16>,
    /// Response headers.
    pub response_headers: Vec<(String, String)>,
    /// The first 64 KiB of the response body.
    #[serde(serialize_with = "as_text")]
    pub response_body: Vec<u8>,
    /// A network error, a timeout, or why the answer was refused.
    pub error: Option<String>,
    /// What the attempt decided: `delivered`, `retry`, `failed`, `disabled`.
    pub outcome: String,
}

fn as_text<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from_utf8_lossy(bytes))
}

/// The result of queueing an event for an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enqueued {
    /// The delivery's id.
    pub id: i64,
    /// `Pending`, or `Skipped` for a disabled endpoint (or the status of the row already queued
    /// for this event and endpoint: queueing is idempotent).
    pub status: DeliveryStatus,
}

/// Why an endpoint is disabled, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DisabledEndpoint {
    /// When it was disabled (ms since the epoch).
    pub disabled_at: u64,
    /// Why (`the endpoint answered 410 Gone`).
    pub reason: String,
}

/// What enabling an endpoint again did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Enabled {
    /// Whether it was disabled at all.
    pub was_disabled: bool,
    /// The held deliveries (pending when the 410 came) queued again, due now.
    pub requeued: usize,
    /// The events recorded as skipped while it was disabled: they stay skipped (each can be
    /// sent by hand with Redeliver).
    pub skipped: usize,
}

/// Why the outbox could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// SQLite failed.
    #[error("webhook outbox: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The file or the damaged file's move failed.
    #[error("webhook outbox {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
}

/// The outbox database.
pub struct Outbox {
    conn: Mutex<Connection>,    /// Declared after the connection: dropped after it is closed, so the last process to leave
    /// marks the file clean as SQLite left it.
    occupancy: warden_disk::occupancy::Occupancy,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").finish_non_exhaustive()
    }
}

const SELECT_DELIVERY: &str =
    "SELECT id, project, endpoint, event_id, event_type, mode, body, status, attempts, \
     next_attempt_at, created_at, last_error FROM deliveries";

fn delivery_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        id: r.get(0)?,
        project: r.get(1)?,
        endpoint: r.get(2)?,
        event_id: r.get(3)?,
        event_type: r.get(4)?,
        mode: r.get(5)?,
        body: r.get(6)?,
        status: DeliveryStatus::parse(&r.get::<_, String>(7)?),
        attempts: r.get(8)?,
        next_attempt_at: r.get::<_, i64>(9)? as u64,
        created_at: r.get::<_, i64>(10)? as u64,
        last_error: r.get(11)?,
    })
}

fn headers_json(h: &[(String, String)]) -> String {
    serde_json::to_string(h).unwrap_or_else(|_| "[]".into())
}

fn headers_from(text: Option<String>) -> Vec<(String, String)> {
    text.and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn ms(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// What an attempt changes on its delivery.
#[derive(Debug, Clone)]
pub struct AttemptUpdate {
    /// The new status.
    pub status: DeliveryStatus,
    /// When to try next (pending only).
    pub next_attempt_at: u64,
    /// The summary shown in the list.
    pub last_error: Option<String>,
}

impl Outbox {
    /// Opens (or creates, owner-only) `<data_dir>/webhooks.db`. A damaged file is set aside
    /// and a new one started; the notice says so.
    pub fn open(data_dir: &Path) -> Result<(Outbox, Option<String>), OpenError> {
        let path = data_dir.join(FILE_NAME);
        let io = |source| OpenError::Io {
            path: path.clone(),
            source,
        };
        warden_disk::private::create_dir(data_dir).map_err(io)?;
        // Private before SQLite creates it (its -wal and -shm files take its mode).
        warden_disk::private::ensure_file(&path, b"").map_err(io)?;
        // Checked only when its last use did not end cleanly (warden_disk::occupancy).
        let mut occupancy = Occupancy::arrive(&path);
        let (conn, notice) = match Self::open_healthy(&path, occupancy.needs_check()) {
            Ok(conn) => (conn, None),
            Err(e) => {
                tracing::error!(path = %path.display(), "webhook outbox unreadable ({e}); moving it aside");
                let aside = set_aside(&path).map_err(io)?;
                warden_disk::private::ensure_file(&path, b"").map_err(io)?;
                let conn = Self::open_healthy(&path, true)?;
                let notice = format!(
                    "The webhook outbox at {} was damaged ({e}). It was kept as {} and a new one was started: \
                     queued deliveries and the delivery log before it are not shown.",
                    path.display(),
                    aside.display()
                );
                (conn, Some(notice))
            }
        };
        occupancy.settled().map_err(io)?;
        Ok((
            Outbox {
                conn: Mutex::new(conn),
                occupancy,
            },
            notice,
        ))
    }

    fn open_healthy(path: &Path, check: bool) -> rusqlite::Result<Connection> {
        let conn = warden_disk::sqlite::open(path, check)?;
        migrate(&conn)?;
        Ok(conn)
    }

    /// Whether this open checked the file (`PRAGMA quick_check`): only after an unclean end of
    /// its last use, and only in the first process to open it.
    pub fn checked_at_open(&self) -> bool {
        self.occupancy.needs_check()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `body` (the event's frozen bytes) for `endpoint`, due at `now`. Idempotent per
    /// (project, endpoint, event id); a disabled endpoint's row is recorded as skipped. `mode`
    /// is [`Mode::as_str`], or [`MANUAL`] for a test event (which the worker leaves alone).
    #[allow(clippy::too_many_arguments)]
    pub fn enqueue(
        &self,
        project: &str,
        endpoint: &Endpoint,
        mode: &str,
        event_id: &str,
        event_type: &str,
        body: &[u8],
        now: u64,
    ) -> rusqlite::Result<Enqueued> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let existing = tx
            .query_row("SELECT id, status FROM deliveries WHERE project = ?1 AND endpoint = ?2 AND event_id = ?3", params![project, endpoint.id, event_id], |r| {
                Ok(Enqueued { id: r.get(0)?, status: DeliveryStatus::parse(&r.get::<_, String>(1)?) })
            })
            .optional()?;
        if let Some(found) = existing {
            return Ok(found);
        }
        let disabled = is_disabled_in(&tx, project, &endpoint.id)?;
        let status = if disabled {
            DeliveryStatus::Skipped
        } else {
            DeliveryStatus::Pending
        };
        let note = disabled.then_some("endpoint disabled (410 Gone)");
        tx.execute(
            "INSERT INTO deliveries (project, endpoint, event_id, event_type, mode, body, status, attempts, next_attempt_at, created_at, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?8, ?9)",
            params![project, endpoint.id, event_id, event_type, mode, body, status.as_str(), ms(now), note],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Enqueued { id, status })
    }

    /// Pending async deliveries due at `now`, oldest due first.
    pub fn due(&self, now: u64, limit: u32) -> rusqlite::Result<Vec<Delivery>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{SELECT_DELIVERY} WHERE status = 'pending' AND mode = '{}' AND next_attempt_at <= ?1 \
             AND (lease_until IS NULL OR lease_until < ?1) ORDER BY next_attempt_at, id LIMIT ?2",
            Mode::Async.as_str()
        ))?;
        let rows = stmt.query_map(params![ms(now), limit], delivery_row)?;
        rows.collect()
    }

    /// When the earliest pending async delivery is due: a delivery leased by another worker
    /// counts from its lease's end (waking before would find nothing to claim).
    pub fn next_due(&self) -> rusqlite::Result<Option<u64>> {
        let conn = self.conn();
        let at: Option<i64> = conn.query_row(
            &format!(
                "SELECT MIN(MAX(next_attempt_at, COALESCE(lease_until + 1, 0))) FROM deliveries WHERE status = 'pending' AND mode = '{}'",
                Mode::Async.as_str()
            ),
            [],
            |r| r.get(0),
        )?;
        Ok(at.map(|a| a.max(0) as u64))
    }

    /// Claims pending delivery `id`, due at `now`, for `worker` until `until`: true when this
    /// worker got it (nobody else holds an unexpired lease, it is still pending and due). One
    /// `UPDATE`, so two processes racing for it cannot both win. The lease ends when the
    /// attempt is recorded, when the worker stops ([`Outbox::release`]) or at `until`.
    pub fn claim(&self, id: i64, worker: &str, now: u64, until: u64) -> rusqlite::Result<bool> {
        let changed = self.conn().execute(
            "UPDATE deliveries SET lease_until = ?3, leased_by = ?2
             WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?4 AND (lease_until IS NULL OR lease_until < ?4)",
            params![id, worker, ms(until), ms(now)],
        )?;
        Ok(changed == 1)
    }

    /// Ends every lease `worker` holds (it stopped with attempts unrecorded: they are due again
    /// at once, for whichever worker runs next).
    pub fn release(&self, worker: &str) -> rusqlite::Result<usize> {
        self.conn().execute(
            "UPDATE deliveries SET lease_until = NULL, leased_by = NULL WHERE leased_by = ?1",
            [worker],
        )
    }

    /// One delivery.
    pub fn delivery(&self, id: i64) -> rusqlite::Result<Option<Delivery>> {
        self.conn()
            .query_row(
                &format!("{SELECT_DELIVERY} WHERE id = ?1"),
                [id],
                delivery_row,
            )
            .optional()
    }

    /// Deliveries, newest first, of one endpoint or all.
    pub fn deliveries(
        &self,
        endpoint: Option<&str>,
        limit: u32,
    ) -> rusqlite::Result<Vec<Delivery>> {
        self.deliveries_in(None, endpoint, limit)
    }

    /// Deliveries, newest first, of one project or all, one endpoint or all. The project is
    /// filtered in the query so `limit` counts only its deliveries.
    pub fn deliveries_in(
        &self,
        project: Option<&str>,
        endpoint: Option<&str>,
        limit: u32,
    ) -> rusqlite::Result<Vec<Delivery>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{SELECT_DELIVERY} WHERE (?1 IS NULL OR endpoint = ?1) AND (?3 IS NULL OR project = ?3) ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![endpoint, limit, project], delivery_row)?;
        rows.collect()
    }

    /// Every attempt of a delivery, in order.
    pub fn attempts(&self, delivery: i64) -> rusqlite::Result<Vec<Attempt>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, delivery, number, redelivery, started_at, duration_ms, url, request_headers, response_status,
                    response_headers, response_body, error, outcome FROM attempts WHERE delivery = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([delivery], |r| {
            Ok(Attempt {
                id: r.get(0)?,
                delivery: r.get(1)?,
                number: r.get(2)?,
                redelivery: r.get(3)?,
                started_at: r.get::<_, i64>(4)? as u64,
                duration_ms: r.get::<_, i64>(5)? as u64,
                url: r.get(6)?,
                request_headers: headers_from(r.get(7)?),
                response_status: r.get(8)?,
                response_headers: headers_from(r.get(9)?),
                response_body: r.get::<_, Option<Vec<u8>>>(10)?.unwrap_or_default(),
                error: r.get(11)?,
                outcome: r.get(12)?,
            })
        })?;
        rows.collect()
    }

    /// Records an attempt and applies its consequence to the delivery, in one transaction;
    /// returns the attempt's number.
    pub fn record(&self, attempt: &Attempt, update: &AttemptUpdate) -> rusqlite::Result<u32> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let number: u32 = tx.query_row(
            "SELECT attempts + 1 FROM deliveries WHERE id = ?1",
            [attempt.delivery],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO attempts (delivery, number, redelivery, started_at, duration_ms, url, request_headers, response_status,
                                   response_headers, response_body, error, outcome)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                attempt.delivery,
                number,
                attempt.redelivery,
                ms(attempt.started_at),
                ms(attempt.duration_ms),
                attempt.url,
                headers_json(&attempt.request_headers),
                attempt.response_status,
                headers_json(&attempt.response_headers),
                attempt.response_body,
                attempt.error,
                attempt.outcome,
            ],
        )?;
        tx.execute(
            "UPDATE deliveries SET attempts = ?2, status = ?3, next_attempt_at = ?4, last_error = ?5, updated_at = ?6,
                                   lease_until = NULL, leased_by = NULL WHERE id = ?1",
            params![attempt.delivery, number, update.status.as_str(), ms(update.next_attempt_at), update.last_error, ms(attempt.started_at + attempt.duration_ms)],
        )?;
        tx.commit()?;
        Ok(number)
    }

    /// Disables an endpoint (after a 410): its pending deliveries become `disabled`, and events
    /// queued for it later are recorded as skipped.
    pub fn disable_endpoint(
        &self,
        project: &str,
        endpoint: &str,
        reason: &str,
        now: u64,
    ) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        tx.execute(
            "INSERT INTO disabled_endpoints (project, endpoint, disabled_at, reason) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (project, endpoint) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason",
            params![project, endpoint, ms(now), reason],
        )?;
        tx.execute(
            "UPDATE deliveries SET status = 'disabled', last_error = ?3, updated_at = ?4 WHERE project = ?1 AND endpoint = ?2 AND status = 'pending'",
            params![project, endpoint, reason, ms(now)],
        )?;
        tx.commit()
    }

    /// Marks sync delivery `id` as being waited for by `worker` until `until` (its whole
    /// schedule), so a worker starting in another process meanwhile does not end it.
    pub fn hold_sync(&self, id: i64, worker: &str, until: u64) -> rusqlite::Result<()> {
        self.conn().execute(
            "UPDATE deliveries SET lease_until = ?3, leased_by = ?2 WHERE id = ?1",
            params![id, worker, ms(until)],
        )?;
        Ok(())
    }

    /// Ends the sync deliveries left pending by a process that stopped while its gate waited
    /// (nobody waits for them any more: no live hold); returns how many.
    pub fn abandon_sync_pending(&self, now: u64) -> rusqlite::Result<usize> {
        self.conn().execute(
            &format!(
                "UPDATE deliveries SET status = 'failed', last_error = 'Warden stopped while waiting for this sync delivery', updated_at = ?1
                 WHERE status = 'pending' AND mode = '{}' AND (lease_until IS NULL OR lease_until < ?1)",
                Mode::Sync.as_str()
            ),
            [ms(now)],
        )
    }

    /// Enables a disabled endpoint again (the person fixed it), in one transaction: the async
    /// deliveries held by the 410 (pending when it came, the one answered 410 included) are
    /// pending again, due at `now`; events skipped while it was disabled stay skipped (they
    /// were never queued, and a flood of stale events is worse than a gap the log shows).
    pub fn enable_endpoint(
        &self,
        project: &str,
        endpoint: &str,
        now: u64,
    ) -> rusqlite::Result<Enabled> {
        let mut conn = self.conn();
        let tx = write(&mut conn)?;
        let was_disabled = tx.execute(
            "DELETE FROM disabled_endpoints WHERE project = ?1 AND endpoint = ?2",
            params![project, endpoint],
        )? > 0;
        let requeued = tx.execute(
            &format!(
                "UPDATE deliveries SET status = 'pending', next_attempt_at = ?3, last_error = 'held while the endpoint was disabled; queued again', \
                 updated_at = ?3, lease_until = NULL, leased_by = NULL
                 WHERE project = ?1 AND endpoint = ?2 AND status = 'disabled' AND mode = '{}'",
                Mode::Async.as_str()
            ),
            params![project, endpoint, ms(now)],
        )?;
        let skipped: i64 = tx.query_row(
            "SELECT COUNT(*) FROM deliveries WHERE project = ?1 AND endpoint = ?2 AND status = 'skipped'",
            params![project, endpoint],
            |r| r.get(0),
        )?;
        tx.commit()?;
        Ok(Enabled {
            was_disabled,
            requeued,
            skipped: usize::try_from(skipped).unwrap_or(0),
        })
    }

    /// Why and since when an endpoint is disabled by a 410; `None` when it is not.
    pub fn disabled(
        &self,
        project: &str,
        endpoint: &str,
    ) -> rusqlite::Result<Option<DisabledEndpoint>> {
        self.conn()
            .query_row(
                "SELECT disabled_at, reason FROM disabled_endpoints WHERE project = ?1 AND endpoint = ?2",
                params![project, endpoint],
                |r| Ok(DisabledEndpoint { disabled_at: r.get::<_, i64>(0)?.max(0) as u64, reason: r.get(1)? }),
            )
            .optional()
    }

    /// Whether an endpoint was disabled by a 410.
    pub fn is_disabled(&self, project: &str, endpoint: &str) -> rusqlite::Result<bool> {
        is_disabled_in(&self.conn(), project, endpoint)
    }
}

/// A write transaction that takes the write lock at its start: a deferred one that reads
/// first fails at once with "database is locked" when another process wrote in between (WAL
/// cannot upgrade its stale snapshot), where this one waits for the busy timeout.
fn write(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

fn is_disabled_in(conn: &Connection, project: &str, endpoint: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM disabled_endpoints WHERE project = ?1 AND endpoint = ?2",
        params![project, endpoint],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
}

/// Creates or upgrades the schema.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    warden_disk::sqlite::configure(conn)?;
    // The version is read and raised inside one write transaction: two processes opening an
    // old file at once must not both apply a step (the second would fail on the new column).
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match migrate_in(conn) {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn migrate_in(conn: &Connection) -> rusqlite::Result<()> {
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > VERSION {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_MISMATCH),
            Some(format!(
                "webhook outbox schema {version} is newer than this Warden ({VERSION})"
            )),
        ));
    }
    if version < 1 {
        conn.execute_batch(
            "CREATE TABLE deliveries (
                 id INTEGER PRIMARY KEY,
                 project TEXT NOT NULL,
                 endpoint TEXT NOT NULL,
                 event_id TEXT NOT NULL,
                 event_type TEXT NOT NULL,
                 mode TEXT NOT NULL,
                 body BLOB NOT NULL,
                 status TEXT NOT NULL,
                 attempts INTEGER NOT NULL DEFAULT 0,
                 next_attempt_at INTEGER NOT NULL,
                 created_at INTEGER NOT NULL,
                 updated_at INTEGER,
                 last_error TEXT,
                 UNIQUE (project, endpoint, event_id)
             );
             CREATE INDEX deliveries_due ON deliveries (status, mode, next_attempt_at);
             CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint, id);
             CREATE TABLE attempts (
                 id INTEGER PRIMARY KEY,
                 delivery INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
                 number INTEGER NOT NULL,
                 redelivery INTEGER NOT NULL,
                 started_at INTEGER NOT NULL,
                 duration_ms INTEGER NOT NULL,
                 url TEXT NOT NULL,
                 request_headers TEXT NOT NULL,
                 response_status INTEGER,
                 response_headers TEXT,
                 response_body BLOB,
                 error TEXT,
                 outcome TEXT NOT NULL
             );
             CREATE INDEX attempts_by_delivery ON attempts (delivery, id);
             CREATE TABLE disabled_endpoints (
                 project TEXT NOT NULL,
                 endpoint TEXT NOT NULL,
                 disabled_at INTEGER NOT NULL,
                 reason TEXT NOT NULL,
                 PRIMARY KEY (project, endpoint)
             );
             PRAGMA user_version = 1;",
        )?;
    }
    if version < 2 {
        // The lease: until when (ms since the epoch) and by which worker a pending delivery is
        // being sent. NULL: nobody holds it.
        conn.execute_batch(
            "ALTER TABLE deliveries ADD COLUMN lease_until INTEGER;
             ALTER TABLE deliveries ADD COLUMN leased_by TEXT;
             PRAGMA user_version = 2;",
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EventType;

    #[test]
    fn the_outbox_file_is_owner_only_and_queueing_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let (outbox, notice) = Outbox::open(dir.path()).unwrap();
        assert!(notice.is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        let ep = Endpoint::new("e", "http://x", vec![EventType::TaskCompleted]);
        let a = outbox
            .enqueue("/p", &ep, "async", "evt_1", "task.completed", b"{}", 5)
            .unwrap();
        let b = outbox
            .enqueue(
                "/p",
                &ep,
                "async",
                "evt_1",
                "task.completed",
                b"{\"other\":1}",
                6,
            )
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(outbox.delivery(a.id).unwrap().unwrap().body, b"{}");
        assert_eq!(outbox.due(5, 10).unwrap().len(), 1);
        assert_eq!(outbox.due(4, 10).unwrap().len(), 0);
        assert_eq!(outbox.next_due().unwrap(), Some(5));
        outbox.disable_endpoint("/p", "e", "gone", 7).unwrap();
        assert_eq!(
            outbox.delivery(a.id).unwrap().unwrap().status,
            DeliveryStatus::Disabled
        );
        let c = outbox
            .enqueue("/p", &ep, "async", "evt_2", "task.completed", b"{}", 8)
            .unwrap();
        assert_eq!(c.status, DeliveryStatus::Skipped);
        assert_eq!(outbox.next_due().unwrap(), None);
        drop(outbox);
        let (again, _) = Outbox::open(dir.path()).unwrap();
        assert!(
            again.is_disabled("/p", "e").unwrap(),
            "disabling is persisted"
        );
    }

    #[test]
    fn sync_deliveries_left_pending_by_a_stopped_process_are_ended() {
        let dir = tempfile::tempdir().unwrap();
        let (outbox, _) = Outbox::open(dir.path()).unwrap();
        let ep = Endpoint::new("r", "http://x", vec![EventType::TaskCompleted]);
        let sync = outbox
            .enqueue("/p", &ep, "sync", "evt_s", "task.completed", b"{}", 1)
            .unwrap();
        let asynchronous = outbox
            .enqueue("/p", &ep, "async", "evt_a", "task.completed", b"{}", 1)
            .unwrap();
        assert_eq!(outbox.abandon_sync_pending(2).unwrap(), 1);
        assert_eq!(
            outbox.delivery(sync.id).unwrap().unwrap().status,
            DeliveryStatus::Failed
        );
        assert_eq!(
            outbox.delivery(asynchronous.id).unwrap().unwrap().status,
            DeliveryStatus::Pending
        );
    }

    #[test]
    fn a_damaged_outbox_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            b"not a database, not at all, definitely not",
        )
        .unwrap();
        let (outbox, notice) = Outbox::open(dir.path()).unwrap();
        assert!(notice.unwrap().contains("damaged"));
        assert!(outbox.deliveries(None, 10).unwrap().is_empty());
    }

    /// The whole-file check runs only when the last use did not end cleanly (warden-disk's
    /// tests kill a process holding a database; here the state is set to what it leaves).
    #[test]
    fn the_outbox_is_checked_only_after_an_unclean_end() {
        let dir = tempfile::tempdir().unwrap();
        let (first, _) = Outbox::open(dir.path()).unwrap();
        assert!(first.checked_at_open(), "new: no state yet");
        drop(first);
        let (a, _) = Outbox::open(dir.path()).unwrap();
        let (b, _) = Outbox::open(dir.path()).unwrap();
        assert!(!a.checked_at_open() && !b.checked_at_open(), "closed cleanly, then two at once: no check");
        drop((a, b));
        std::fs::write(dir.path().join(format!("{FILE_NAME}.state")), "in use\n").unwrap();
        let (after_kill, notice) = Outbox::open(dir.path()).unwrap();
        assert!(after_kill.checked_at_open() && notice.is_none());
    }
}

#[cfg(test)]
mod lease_tests {
    use super::*;
    use crate::EventType;

    #[test]
    fn a_lease_is_taken_once_expires_and_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = Outbox::open(dir.path()).unwrap();
        let (b, _) = Outbox::open(dir.path()).unwrap();
        let ep = Endpoint::new("e", "http://x", vec![EventType::TaskCompleted]);
        let d = a
            .enqueue("/p", &ep, "async", "evt_1", "task.completed", b"{}", 10)
            .unwrap()
            .id;
        assert!(!a.claim(d, "A", 9, 100).unwrap(), "not due yet");
        assert!(a.claim(d, "A", 10, 100).unwrap());
        assert!(!b.claim(d, "B", 50, 150).unwrap(), "held by A");
        assert!(
            b.due(50, 10).unwrap().is_empty(),
            "a leased delivery is not listed as due"
        );
        assert_eq!(
            b.next_due().unwrap(),
            Some(101),
            "due again when the lease ends"
        );
        assert!(
            b.claim(d, "B", 101, 200).unwrap(),
            "A's lease expired (A crashed)"
        );
        assert_eq!(b.release("B").unwrap(), 1);
        assert!(a.claim(d, "A", 102, 300).unwrap(), "released at once");
        let attempt = Attempt {
            id: 0,
            delivery: d,
            number: 0,
            redelivery: false,
            started_at: 103,
            duration_ms: 1,
            url: String::new(),
            request_headers: Vec::new(),
            response_status: Some(200),
            response_headers: Vec::new(),
            response_body: Vec::new(),
            error: None,
            outcome: "delivered".into(),
        };
        a.record(
            &attempt,
            &AttemptUpdate {
                status: DeliveryStatus::Delivered,
                next_attempt_at: 0,
                last_error: None,
            },
        )
        .unwrap();
        assert!(
            !b.claim(d, "B", 400, 500).unwrap(),
            "delivered: nothing to claim"
        );
    }

    #[test]
    fn a_sync_delivery_another_process_waits_for_is_not_abandoned() {
        let dir = tempfile::tempdir().unwrap();
        let (outbox, _) = Outbox::open(dir.path()).unwrap();
        let ep = Endpoint::new("r", "http://x", vec![EventType::TaskCompleted]);
        let waited = outbox
            .enqueue("/p", &ep, "sync", "evt_w", "task.completed", b"{}", 1)
            .unwrap()
            .id;
        let left = outbox
            .enqueue("/p", &ep, "sync", "evt_l", "task.completed", b"{}", 1)
            .unwrap()
            .id;
        outbox.hold_sync(waited, "A", 100).unwrap();
        assert_eq!(
            outbox.abandon_sync_pending(50).unwrap(),
            1,
            "only the one nobody waits for"
        );
        assert_eq!(
            outbox.delivery(waited).unwrap().unwrap().status,
            DeliveryStatus::Pending
        );
        assert_eq!(
            outbox.delivery(left).unwrap().unwrap().status,
            DeliveryStatus::Failed
        );
        assert_eq!(
            outbox.abandon_sync_pending(101).unwrap(),
            1,
            "its waiter's hold ran out"
        );
    }

    #[test]
    fn an_outbox_of_schema_1_gains_the_lease_and_keeps_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let id = {
            let (outbox, _) = Outbox::open(dir.path()).unwrap();
            let ep = Endpoint::new("e", "http://x", vec![EventType::TaskCompleted]);
            let id = outbox
                .enqueue("/p", &ep, "async", "evt_1", "task.completed", b"{}", 10)
                .unwrap()
                .id;
            // Back to what a Warden before the lease wrote.
            outbox
                .conn()
                .execute_batch(
                    "ALTER TABLE deliveries DROP COLUMN lease_until; ALTER TABLE deliveries DROP COLUMN leased_by; PRAGMA user_version = 1;",
                )
                .unwrap();
            id
        };
        let (outbox, notice) = Outbox::open(dir.path()).unwrap();
        assert!(notice.is_none(), "upgraded, not set aside: {notice:?}");
        let version: i32 = outbox
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, VERSION);
        assert_eq!(
            outbox.due(10, 10).unwrap().len(),
            1,
            "the pending row is still there"
        );
        assert!(outbox.claim(id, "A", 10, 20).unwrap());
        // Opening again (a second process) finds it current and changes nothing.
        let (again, _) = Outbox::open(dir.path()).unwrap();
        assert!(!again.claim(id, "B", 11, 20).unwrap());
    }
}
