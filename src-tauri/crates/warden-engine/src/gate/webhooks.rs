//! A session's task events delivered to the project's webhook endpoints: every session's event
//! stream passes through [`Publisher::wrap`], which queues the task kinds (task started and
//! completed, checks, the gate's verdict, feedback, task finished) in the durable outbox
//! (`<data>/webhooks.db`) for each configured, trusted endpoint that takes them. The outbox's
//! worker (started by the window and by `warden run`) delivers them in the background.
//!
//! The engine owns this rather than the app: every session's events pass through the engine
//! whichever front end started it (window, `warden run`, tests), the gate that takes sync
//! endpoints' answers lives here too, and one publisher per data folder means one outbox for
//! every project.

use crate::sink::EventSink;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use warden_core::session::*;
use warden_webhooks::{Delivery, DeliveryStatus, Endpoint, Event, EventType, Outbox, Webhooks};

/// The longest `warden run` waits at exit for its deliveries.
pub const DRAIN_CAP: Duration = Duration::from_secs(10);

/// The webhook type of a session event, for the kinds that are published; `None` for the rest.
pub fn event_type(kind: &SessionEventKind) -> Option<EventType> {
    use SessionEventKind as K;
    Some(match kind {
        K::TaskStarted(_) => EventType::TaskStarted,
        K::TaskCompleted(_) => EventType::TaskCompleted,
        K::CheckStarted(_) => EventType::CheckStarted,
        K::CheckFinished(_) => EventType::CheckCompleted,
        K::GateDecided(g) => match g.verdict {
            GateVerdict::Passed => EventType::GatePassed,
            GateVerdict::Blocked => EventType::GateBlocked,
            GateVerdict::Exhausted => EventType::GateExhausted,
        },
        K::FeedbackProposed(_) => EventType::FeedbackProposed,
        K::FeedbackSent(_) => EventType::FeedbackSent,
        K::FeedbackDismissed(_) => EventType::FeedbackDismissed,
        K::TaskFinished(_) => EventType::TaskFinished,
        // Not published in this cut (turns, tools, files and permissions have webhook types in
        // the design, with data of their own still to define). Listed so a new kind is a
        // decision, not an accident.
        K::Started(_)
        | K::Status(_)
        | K::AgentInfo(_)
        | K::UserMessage(_)
        | K::AgentMessageChunk(_)
        | K::AgentThoughtChunk(_)
        | K::ToolCall(_)
        | K::ToolCallUpdate(_)
        | K::Plan(_)
        | K::PermissionRequested(_)
        | K::PermissionResolved(_)
        | K::ModeChanged(_)
        | K::SessionRules(_)
        | K::Notice(_)
        | K::FileChanges(_)
        | K::TurnEnded(_)
        | K::AgentExited(_)
        | K::Unrecognised(_) => return None,
    })
}

/// The `data` of a published event: where it happened, then the event's own fields as the
/// session stream has them (`task`, `round`, `outcome`, `findings`, …).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventData<'a, T: Serialize> {
    /// The project folder.
    pub project: &'a str,
    /// The session.
    pub session: &'a SessionId,
    /// The agent of the session.
    pub agent: AgentKind,
    /// The event's position in the session's stream.
    pub seq: u64,
    /// The event itself.
    #[serde(flatten)]
    pub detail: &'a T,
}

/// Where a session's events come from, for their webhook data.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The project folder (canonical).
    pub project: String,
    /// The session's agent.
    pub agent: AgentKind,
}

/// The webhook event for a session event of a published kind. Its id is derived from the
/// session and the event's position, so queueing the same event twice is harmless (the outbox
/// is idempotent per event and endpoint); its body is fixed here.
pub fn to_event(origin: &Origin, event: &SessionEvent) -> Option<Event> {
    use SessionEventKind as K;
    let kind = event_type(&event.kind)?;
    fn data<T: Serialize>(origin: &Origin, event: &SessionEvent, detail: &T) -> serde_json::Result<serde_json::Value> {
        serde_json::to_value(EventData {
            project: &origin.project,
            session: &event.session_id,
            agent: origin.agent,
            seq: event.seq,
            detail,
        })
    }
    let raw_data = match &event.kind {
        K::TaskStarted(d) => data(origin, event, d),
        K::TaskCompleted(d) => data(origin, event, d),
        K::CheckStarted(d) => data(origin, event, d),
        K::CheckFinished(d) => data(origin, event, d),
        K::GateDecided(d) => data(origin, event, d),
        K::FeedbackProposed(d) => data(origin, event, d),
        K::FeedbackSent(d) => data(origin, event, d),
        K::FeedbackDismissed(d) => data(origin, event, d),
        K::TaskFinished(d) => data(origin, event, d),
        _ => return None,
    };
    let raw_data = raw_data.map_err(|e| tracing::warn!("webhook event data: {e}")).ok()?;
    Some(Event {
        id: format!("evt_{}_{}", event.session_id, event.seq),
        kind,
        timestamp: warden_webhooks::rfc3339_ms(event.at_ms),
        raw_data,
    })
}

/// The delivery service of one data folder and what this process queued through it.
pub struct Publisher {
    data_dir: PathBuf,
    /// Opened at first use, so commands that never publish never open the outbox; `Err` holds
    /// why it could not be (said once, then the events are not published).
    service: OnceLock<Result<Arc<Webhooks>, String>>,
    /// A damaged outbox set aside when it was opened, for the person.
    notice: Mutex<Option<String>>,
    /// Deliveries this process queued, and the longest schedule among their endpoints.
    queued: Mutex<(Vec<i64>, Duration)>,
}

impl std::fmt::Debug for Publisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Publisher").field("data_dir", &self.data_dir).finish_non_exhaustive()
    }
}

impl Publisher {
    /// The publisher over `<data_dir>/webhooks.db` and the projects' configuration (the
    /// personal layers and trust records in `data_dir`).
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            service: OnceLock::new(),
            notice: Mutex::new(None),
            queued: Mutex::new((Vec::new(), Duration::ZERO)),
        }
    }

    /// The delivery service (its worker is started with [`Webhooks::spawn`]), opening the
    /// outbox and the HTTP client the first time.
    pub fn service(&self) -> Result<&Arc<Webhooks>, String> {
        self.service
            .get_or_init(|| {
                let (outbox, notice) = Outbox::open(&self.data_dir).map_err(|e| e.to_string())?;
                if let Some(notice) = notice {
                    tracing::warn!("{notice}");
                    *lock(&self.notice) = Some(notice);
                }
                let endpoints = Arc::new(warden_gate::endpoints::ConfiguredEndpoints::new(&self.data_dir));
                Webhooks::new(Arc::new(outbox), endpoints).map(Arc::new).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// What the person should know about the outbox (a damaged one set aside), once.
    pub fn take_notice(&self) -> Option<String> {
        lock(&self.notice).take()
    }

    /// A sink that hands every event to `inner` and then queues the published kinds for the
    /// endpoints of `origin`'s project.
    pub fn wrap(self: &Arc<Self>, inner: Arc<dyn EventSink>, origin: Origin) -> Arc<dyn EventSink> {
        Arc::new(Publishing { inner, publisher: Arc::clone(self), origin })
    }

    /// Queues `event` (when of a published kind) for every endpoint of the project that takes
    /// it; returns the deliveries queued. Nothing fails the session: a problem is logged.
    pub fn publish(&self, origin: &Origin, event: &SessionEvent) -> Vec<i64> {
        // A project without a checks configuration has no endpoints: nothing more to read.
        if !warden_gate::config::exists(Path::new(&origin.project), &self.data_dir) {
            return Vec::new();
        }
        let Some(event) = to_event(origin, event) else { return Vec::new() };
        let endpoints = match warden_gate::endpoints::endpoints_for(Path::new(&origin.project), &self.data_dir) {
            Ok(endpoints) => endpoints,
            Err(e) => {
                tracing::warn!(project = %origin.project, "webhooks not sent: {e}");
                return Vec::new();
            }
        };
        let takers: Vec<Endpoint> = endpoints.into_iter().filter(|e| e.takes(event.kind)).collect();
        if takers.is_empty() {
            return Vec::new();
        }
        let service = match self.service() {
            Ok(service) => service,
            Err(e) => {
                tracing::warn!("webhooks not sent: the outbox cannot be opened: {e}");
                return Vec::new();
            }
        };
        match service.enqueue(&origin.project, &takers, &event) {
            Ok(queued) => {
                let ids: Vec<i64> = queued.iter().filter(|q| q.status == DeliveryStatus::Pending).map(|q| q.id).collect();
                let mut mine = lock(&self.queued);
                mine.0.extend(&ids);
                for endpoint in &takers {
                    mine.1 = mine.1.max(schedule(endpoint));
                }
                ids
            }
            Err(e) => {
                tracing::warn!("webhooks not queued: {e}");
                Vec::new()
            }
        }
    }

    /// How long [`Publisher::drain`] should wait at most: the longest schedule (retry delays
    /// plus one timeout) among the endpoints this process queued for, capped at [`DRAIN_CAP`].
    pub fn drain_limit(&self) -> Duration {
        lock(&self.queued).1.min(DRAIN_CAP)
    }

    /// Waits (at most `limit`) until every delivery this process queued is no longer pending
    /// (the worker must be running); returns the ones still pending then.
    pub async fn drain(&self, limit: Duration) -> Vec<Delivery> {
        let ids = lock(&self.queued).0.clone();
        let Some(Ok(service)) = self.service.get() else { return Vec::new() };
        let deadline = Instant::now() + limit;
        loop {
            let pending: Vec<Delivery> = ids
                .iter()
                .filter_map(|id| service.outbox().delivery(*id).ok().flatten())
                .filter(|d| d.status == DeliveryStatus::Pending)
                .collect();
            if pending.is_empty() || Instant::now() >= deadline {
                return pending;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The longest one delivery to `endpoint` can take when the receiver answers every attempt
/// only at the timeout (jitter only shortens the delays).
fn schedule(endpoint: &Endpoint) -> Duration {
    let attempts = u32::try_from(endpoint.retry.delays.len() + 1).unwrap_or(u32::MAX);
    endpoint.retry.delays.iter().sum::<Duration>() + endpoint.timeout.saturating_mul(attempts)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The sink of [`Publisher::wrap`].
struct Publishing {
    inner: Arc<dyn EventSink>,
    publisher: Arc<Publisher>,
    origin: Origin,
}

impl EventSink for Publishing {
    fn send(&self, event: &SessionEvent) {
        self.inner.send(event);
        if event_type(&event.kind).is_some() {
            // Reading the configuration and writing the outbox are short file work, done in
            // order on the actor's thread so events are queued in the order they happened.
            crate::session::blocking(|| self.publisher.publish(&self.origin, event));
        }
    }
}

pub(crate) mod sync;

#[cfg(test)]
#[path = "webhooks_tests.rs"]
mod tests;
