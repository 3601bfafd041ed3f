//! A session's task events delivered to the project's webhook endpoints: every session's event
//! stream passes through [`Publisher::wrap`], which queues the task kinds (task started and
//! completed, checks, the gate's verdict, feedback, task finished) in the durable outbox
//! (`<data>/webhooks.db`) for each configured, trusted endpoint that takes them. The outbox's
//! worker (started by the window and by `warden run`) delivers them in the background.
//!
//! The engine owns this rather than the app: every session's events pass through the engine
//! whichever front end started it (window, `warden run`, tests), the gate that takes sync
//! endpoints' answers lives here too, and one publisher per data folder means one outbox for
//! every project. The delivery service (outbox and HTTP client) is one per data folder and
//! process ([`shared_service`]): the publisher and the gate's sync endpoints use the same.
//!
//! A project's endpoints are read again only when one of its files changed: the project file,
//! the personal layer or the trust record (path, modification time, length).

use crate::sink::EventSink;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant, SystemTime};
use warden_core::session::*;
use warden_gate::config::{self, EndpointError, GateConfig};
use warden_gate::endpoints::{configured_in, Configured, EndpointsError, Unusable};
use warden_gate::secrets::Secrets;
use warden_gate::trust::TrustStore;
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
        K::ReviewStarted(_) => EventType::ReviewStarted,
        K::ReviewFinished(_) => EventType::ReviewCompleted,
        // Not published in this cut (turns, tools, files and permissions have webhook types in
        // the design, with data of their own still to define). Listed so a new kind is a
        // decision, not an accident.
        K::Started(_)
        | K::Status(_)
        | K::AgentInfo(_)
        | K::AgentCommands(_)
        | K::UserMessage(_)
        | K::PromptAccepts(_)
        | K::Controls(_)
        | K::RateLimits(_)
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
    /// Whose personal layer and trust apply (the main folder of a worktree; see
    /// [`super::select::RoundInput::home`]).
    pub home: String,
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

/// The delivery services of this process, one per data folder, held weakly: the publisher
/// keeps its own alive for the engine's life; without one (tests, a gate without a
/// publisher) a sync round opens one that lives as long as the round.
fn services() -> &'static Mutex<HashMap<PathBuf, Weak<Webhooks>>> {
    static SERVICES: OnceLock<Mutex<HashMap<PathBuf, Weak<Webhooks>>>> = OnceLock::new();
    SERVICES.get_or_init(Default::default)
}

/// The delivery service over `<data_dir>/webhooks.db` of this process, opening the outbox and
/// the HTTP client when none is open: one outbox connection and one connection pool per data
/// folder, whoever delivers (the publisher's worker, a gate's sync endpoints, Redeliver). The
/// notice tells of a damaged outbox set aside when it was opened here.
pub fn shared_service(data_dir: &Path) -> Result<(Arc<Webhooks>, Option<String>), String> {
    let mut open = lock(services());
    open.retain(|_, service| service.strong_count() > 0);
    if let Some(service) = open.get(data_dir).and_then(Weak::upgrade) {
        return Ok((service, None));
    }
    let (outbox, notice) = Outbox::open(data_dir).map_err(|e| e.to_string())?;
    let endpoints = Arc::new(warden_gate::endpoints::ConfiguredEndpoints::new(data_dir));
    let service = Webhooks::new(Arc::new(outbox), endpoints).map(Arc::new).map_err(|e| e.to_string())?;
    open.insert(data_dir.to_path_buf(), Arc::downgrade(&service));
    Ok((service, notice))
}

/// What identifies the files a project's endpoints are read from: each one's path, and its
/// modification time and length (`None`: absent).
type Stamp = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

fn stamp(project: &Path, home: &Path, data_dir: &Path) -> Stamp {
    [config::project_file(project), config::personal_file(data_dir, home), TrustStore::new(data_dir, home).path().to_path_buf()]
        .into_iter()
        .map(|path| {
            let seen = std::fs::metadata(&path).ok().map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
            (path, seen)
        })
        .collect()
}

/// A project's endpoints as last read, with the stamp of the files they were read from.
struct Cached {
    stamp: Stamp,
    /// The configuration and every webhook entry with its endpoint or why not; `Err`: the
    /// configuration or the trust record could not be read (said once per change).
    read: Result<(GateConfig, Vec<Configured>), String>,
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
    /// Each project's endpoints, read again when one of its files changes.
    endpoints: Mutex<HashMap<PathBuf, Cached>>,
    /// Where secrets are read (the environment and the OS keychain).
    secrets: Secrets,
    /// How many times a configuration was read (tests).
    reads: std::sync::atomic::AtomicUsize,
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
            endpoints: Mutex::new(HashMap::new()),
            secrets: Secrets::system(),
            reads: Default::default(),
        }
    }

    /// The delivery service (its worker is started with [`Webhooks::spawn`]), opening the
    /// outbox and the HTTP client the first time.
    pub fn service(&self) -> Result<&Arc<Webhooks>, String> {
        self.service
            .get_or_init(|| {
                let (service, notice) = shared_service(&self.data_dir)?;
                if let Some(notice) = notice {
                    tracing::warn!("{notice}");
                    *lock(&self.notice) = Some(notice);
                }
                Ok(service)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The endpoints of `project` that may be delivered to now. The configuration and trust
    /// are read again only when one of their files changed; an entry whose secret was missing
    /// is looked up again each time (a secret stored in the keychain changes no file). The
    /// secrets of the others are not: queueing needs none, and the worker reads each
    /// endpoint's current secret when it delivers.
    fn usable_endpoints(&self, project: &Path, home: &Path) -> Result<Vec<Endpoint>, String> {
        let now = stamp(project, home, &self.data_dir);
        let mut cache = lock(&self.endpoints);
        if cache.get(project).is_none_or(|c| c.stamp != now) {
            self.reads.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let read = config::load_in(project, home, &self.data_dir)
                .map_err(EndpointsError::Config)
                .and_then(|config| Ok((configured_in(&config, home, &self.data_dir, &self.secrets)?, config)))
                .map(|(configured, config)| (config, configured))
                .map_err(|e| e.to_string());
            if let Err(e) = &read {
                tracing::warn!(project = %project.display(), "webhooks not sent until the configuration changes: {e}");
            }
            cache.insert(project.to_path_buf(), Cached { stamp: now, read });
        }
        let Some(Cached { read: Ok((config, configured)), .. }) = cache.get(project) else {
            return Err("the checks configuration cannot be read".to_owned());
        };
        Ok(configured
            .iter()
            .filter_map(|c| match &c.endpoint {
                Ok(endpoint) => Some(endpoint.clone()),
                Err(Unusable::Endpoint(EndpointError::Secret(_))) => {
                    let entry = config.webhooks.iter().find(|w| w.id == c.id)?;
                    config::to_endpoint(&entry.spec, &self.secrets).ok()
                }
                Err(why) => {
                    tracing::debug!(project = %project.display(), "webhook not used: {why}");
                    None
                }
            })
            .collect())
    }

    /// How many times a configuration was read (tests of the cache).
    #[cfg(test)]
    pub(crate) fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
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
        if !warden_gate::config::exists_in(Path::new(&origin.project), Path::new(&origin.home), &self.data_dir) {
            return Vec::new();
        }
        let Some(event) = to_event(origin, event) else { return Vec::new() };
        let Ok(endpoints) = self.usable_endpoints(Path::new(&origin.project), Path::new(&origin.home)) else { return Vec::new() };
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
