//! Usage read from the store: every `turnEnded` of a project's sessions (or of all) in a time
//! range with the model in use at the time, summed by `warden_core::usage`, and the latest
//! rate limits an agent reported.
//!
//! One query reads only the events that matter (turn ends and the few that name the model),
//! through an index on the event type, so a report over 1,000 sessions never reads their tool
//! outputs (see `benches/usage.rs` for the time).

use super::{Store, StoreError};
use rusqlite::{params, OptionalExtension};
use serde::Deserialize;
use warden_core::session::{AgentKind, SessionId, TurnEnded};
use warden_core::usage::{csv, PriceTable, RateLimits, RateLimitsSeen, TurnUsage, UsageBuilder, UsageReport};

/// What a usage report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageQuery {
    /// A project folder (its worktree sessions count too), or `None` for every project.
    pub project: Option<String>,
    /// Turns ended at or after this, milliseconds since the Unix epoch.
    pub from_ms: u64,
    /// Turns ended before this.
    pub to_ms: u64,
    /// The person's time zone, minutes east of UTC: where days begin.
    pub utc_offset_minutes: i32,
}

impl UsageQuery {
    /// The query a window or a remote window asks for: `project` named as its sessions store
    /// it (the canonical folder, resolved here), the offset kept within the time zones there are
    /// (±14 hours; anything else is a caller's mistake).
    pub fn new(project: Option<&str>, from_ms: u64, to_ms: u64, utc_offset_minutes: i32) -> Result<Self, warden_core::ProjectError> {
        let project = project.map(|p| crate::resolve_project_dir(p).map(|d| d.to_string_lossy().into_owned())).transpose()?;
        Ok(UsageQuery { project, from_ms, to_ms, utc_offset_minutes: utc_offset_minutes.clamp(-14 * 60, 14 * 60) })
    }
}

/// The stored events a usage report reads. `controls` is the event that says which model a
/// session switched to (issue 19); events that do not name a model read as naming none.
const MODEL_EVENTS: &str = "'started', 'agentInfo', 'controls'";

/// The `data` of an event that may name the model in use.
#[derive(Deserialize)]
struct ModelNamed {
    data: Option<ModelField>,
}

#[derive(Deserialize)]
struct ModelField {
    #[serde(default)]
    model: Option<String>,
}

#[derive(Deserialize)]
struct TurnEndedBody {
    data: TurnEnded,
}

#[derive(Deserialize)]
struct RateLimitsBody {
    data: RateLimits,
}

impl Store {
    /// The usage report for `query`, costs an agent did not report estimated with `prices`.
    pub fn usage_report(&self, query: &UsageQuery, prices: &PriceTable) -> Result<UsageReport, StoreError> {
        let builder = self.usage_builder(query, prices)?;
        let rate_limits = self.latest_rate_limits(query.project.as_deref())?;
        Ok(builder.report(query.project.clone(), query.from_ms, query.to_ms, rate_limits))
    }

    /// The same usage as CSV: one row per day, agent and model.
    pub fn usage_csv(&self, query: &UsageQuery, prices: &PriceTable) -> Result<String, StoreError> {
        Ok(csv::to_csv(&self.usage_builder(query, prices)?.rows()))
    }

    fn usage_builder<'p>(&self, query: &UsageQuery, prices: &'p PriceTable) -> Result<UsageBuilder<'p>, StoreError> {
        let mut builder = UsageBuilder::new(prices, query.utc_offset_minutes);
        for turn in self.usage_turns(query)? {
            builder.add(&turn);
        }
        Ok(builder)
    }

    /// Every turn ended in the range, with the model in use when it ended: the session's model
    /// as asked for, replaced by what the agent reported and by later switches.
    pub fn usage_turns(&self, query: &UsageQuery) -> Result<Vec<TurnUsage>, StoreError> {
        let conn = self.conn();
        ensure_type_index(&conn)?;
        let sql = format!(
            "SELECT e.session_id, e.at_ms, e.type, e.body, s.agent, s.agent_name, s.model
             FROM events e JOIN sessions s ON s.id = e.session_id
             WHERE (?1 IS NULL OR s.project = ?1 OR s.worktree_main = ?1)
               AND (e.type IN ({MODEL_EVENTS}) OR (e.type = 'turnEnded' AND e.at_ms >= ?2 AND e.at_ms < ?3))
             ORDER BY e.session_id, e.seq"
        );
        let mut stmt = conn.prepare(&sql)?;
        let to = i64::try_from(query.to_ms).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![query.project, query.from_ms as i64, to])?;
        let mut turns = Vec::new();
        let mut current: Option<(String, Option<String>)> = None;
        while let Some(row) = rows.next()? {
            let session: String = row.get(0)?;
            let kind: String = row.get(2)?;
            let body: String = row.get(3)?;
            if current.as_ref().map(|(id, _)| id) != Some(&session) {
                current = Some((session.clone(), row.get(6)?));
            }
            let Some((_, model)) = current.as_mut() else { continue };
            if kind != "turnEnded" {
                // A started event without a model (the agent's default) leaves the last known one.
                if let Some(named) = serde_json::from_str::<ModelNamed>(&body).ok().and_then(|m| m.data).and_then(|d| d.model) {
                    *model = Some(named);
                }
                continue;
            }
            let Ok(TurnEndedBody { data: ended }) = serde_json::from_str(&body) else {
                tracing::warn!(session = %session, "a stored turnEnded could not be read; left out of usage");
                continue;
            };
            let agent: AgentKind = row.get::<_, String>(4)?.parse().unwrap_or(AgentKind::Custom);
            turns.push(TurnUsage {
                session: SessionId(session),
                agent,
                agent_name: row.get(5)?,
                model: model.clone(),
                at_ms: row.get::<_, i64>(1)? as u64,
                stop_reason: ended.stop_reason,
                usage: ended.usage,
                cost_usd: ended.cost_usd,
            });
        }
        Ok(turns)
    }

    /// The latest rate limits stored for the sessions of `project` (of all when `None`), with
    /// the sparse updates before it laid under it.
    pub fn latest_rate_limits(&self, project: Option<&str>) -> Result<Option<RateLimitsSeen>, StoreError> {
        let conn = self.conn();
        ensure_type_index(&conn)?;
        let latest: Option<(String, i64, String)> = conn
            .query_row(
                "SELECT e.session_id, e.at_ms, s.agent FROM events e JOIN sessions s ON s.id = e.session_id
                 WHERE e.type = 'rateLimits' AND (?1 IS NULL OR s.project = ?1 OR s.worktree_main = ?1)
                 ORDER BY e.at_ms DESC, e.seq DESC LIMIT 1",
                [project],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((session, at_ms, agent)) = latest else { return Ok(None) };
        // That session's updates in order, merged: a sparse update does not clear what an
        // earlier one said.
        let mut stmt = conn.prepare("SELECT body FROM events WHERE session_id = ?1 AND type = 'rateLimits' ORDER BY seq")?;
        let mut limits = RateLimits::default();
        for body in stmt.query_map([&session], |r| r.get::<_, String>(0))? {
            if let Ok(RateLimitsBody { data }) = serde_json::from_str(&body?) {
                limits = limits.merged(data);
            }
        }
        Ok(Some(RateLimitsSeen {
            session_id: SessionId(session),
            agent: agent.parse().unwrap_or(AgentKind::Custom),
            at_ms: at_ms as u64,
            limits,
        }))
    }
}

/// The index that lets usage read a few event types without scanning every stored event. Made
/// on first use rather than by a schema version: it changes no data, and a store without it
/// (an older Warden wrote it) is only slower.
fn ensure_type_index(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    conn.execute_batch("CREATE INDEX IF NOT EXISTS events_by_type ON events (type, session_id, seq)")?;
    Ok(())
}
