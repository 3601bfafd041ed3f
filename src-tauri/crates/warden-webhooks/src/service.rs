//! [`Webhooks`]: queues events for the endpoints that take them, runs the background delivery
//! worker over the outbox (resuming whatever was pending when Warden stopped), delivers sync
//! endpoints while the caller waits, and sends redeliveries and test events.

use crate::endpoint::{Endpoint, Mode};
use crate::event::Event;
use crate::outbox::{
    self, Attempt, AttemptUpdate, Delivery, DeliveryStatus, Enabled, Enqueued, Outbox,
};
use crate::retry::{self, Clock, Random, SystemClock, Verdict, XorShift};
use crate::review::{self, Review};
use crate::send::{Exchange, Outgoing, Sender, LOGGED_BODY};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How many due deliveries one pass of the worker sends at once.
const BATCH: u32 = 32;
/// The longest the worker sleeps without looking at the outbox (another process — the CLI,
/// the window — may have queued something).
const IDLE_POLL: Duration = Duration::from_secs(30);
/// How much longer than the endpoint's timeout a claimed delivery stays leased: recording the
/// attempt must fit in it. A worker that crashed mid-attempt delays that delivery by the
/// endpoint's timeout plus this at most.
const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// Where the worker finds an endpoint's current configuration (and resolved secret) when it
/// is time to deliver: the secret is never stored in the outbox.
pub trait EndpointSource: Send + Sync + 'static {
    /// The endpoint `id` as `project`'s configuration has it now, if it still exists.
    fn endpoint(&self, project: &str, id: &str) -> Option<Endpoint>;
}

/// A fixed set of endpoints per project (tests, the CLI).
#[derive(Debug, Default, Clone)]
pub struct StaticEndpoints(HashMap<(String, String), Endpoint>);

impl StaticEndpoints {
    /// Adds (or replaces) `endpoint` for `project`.
    pub fn insert(&mut self, project: &str, endpoint: Endpoint) {
        self.0
            .insert((project.to_string(), endpoint.id.clone()), endpoint);
    }
}

impl EndpointSource for StaticEndpoints {
    fn endpoint(&self, project: &str, id: &str) -> Option<Endpoint> {
        self.0.get(&(project.to_string(), id.to_string())).cloned()
    }
}

/// Why a webhook operation failed (delivery failures are not errors: they are recorded).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The outbox failed.
    #[error("webhook outbox: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The HTTP client could not be set up (no TLS backend).
    #[error("HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    /// No delivery has this id.
    #[error("no webhook delivery {0}")]
    NoDelivery(i64),
    /// The project's configuration has no such endpoint (any more).
    #[error("no webhook endpoint {endpoint:?} in {project}")]
    UnknownEndpoint {
        /// The project.
        project: String,
        /// The endpoint id.
        endpoint: String,
    },
}

/// What a sync delivery came to.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncOutcome {
    /// A 2xx with a review in it.
    Review {
        /// The delivery.
        delivery: i64,
        /// The server's review.
        review: Review,
    },
    /// A 2xx whose body is not a review (the error is recorded on the attempt).
    InvalidAnswer {
        /// The delivery.
        delivery: i64,
        /// Why it could not be read.
        error: String,
    },
    /// Every attempt of the schedule failed (network, timeout, 408/429/5xx): the gate runs
    /// its fallback checks.
    Unreachable {
        /// The delivery.
        delivery: i64,
        /// The last attempt's error.
        error: String,
    },
    /// Refused for good: a 4xx, or the endpoint is disabled (410, now or before).
    Refused {
        /// The delivery.
        delivery: i64,
        /// Why.
        error: String,
    },
}

/// The running background worker.
#[derive(Debug)]
pub struct Worker {
    handle: tokio::task::JoinHandle<()>,
    outbox: Arc<Outbox>,
    id: String,
}

impl Worker {
    /// Stops the worker. An attempt in flight is abandoned unrecorded; its lease is released,
    /// so its delivery is due again at once for whichever worker runs next (at least once,
    /// same `webhook-id`).
    pub async fn stop(self) {
        self.handle.abort();
        let _ = self.handle.await;
        if let Err(e) = self.outbox.release(&self.id) {
            tracing::warn!("webhook worker: leases not released ({e}); they expire on their own");
        }
    }
}

/// Webhook delivery over one outbox.
pub struct Webhooks {
    outbox: Arc<Outbox>,
    /// The HTTP clients, made at the first attempt: making one loads the system's certificate
    /// store, which a process that delivers nothing (most `warden run`s) should not pay for.
    sender: tokio::sync::OnceCell<Sender>,
    endpoints: Arc<dyn EndpointSource>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    wake: Notify,
    /// Who holds this service's leases: unique per service (process id and a random part), so
    /// two services in one process are two workers as well.
    worker_id: String,
}

impl std::fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhooks").finish_non_exhaustive()
    }
}

/// One attempt's consequences.
struct Tried {
    attempt: Attempt,
    verdict: Verdict,
    status: DeliveryStatus,
    next_attempt_at: u64,
    review: Option<Result<Review, String>>,
}

impl Webhooks {
    /// Delivery over `outbox`, finding endpoints in `endpoints`, with the system clock and a
    /// clock-seeded jitter source.
    pub fn new(outbox: Arc<Outbox>, endpoints: Arc<dyn EndpointSource>) -> Result<Self, Error> {
        Ok(Self {
            outbox,
            sender: tokio::sync::OnceCell::new(),
            endpoints,
            clock: Arc::new(SystemClock),
            random: Arc::new(XorShift::from_time()),
            wake: Notify::new(),
            worker_id: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
        })
    }

    /// Replaces the clock (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the jitter source (tests: a seeded one).
    pub fn with_random(mut self, random: Arc<dyn Random>) -> Self {
        self.random = random;
        self
    }

    /// The outbox (the delivery log is read from it).
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Enables `endpoint` of `project` again after a 410 (the person fixed the receiver): the
    /// deliveries it held are queued again, due now, and the worker is woken to send them;
    /// events skipped while it was disabled stay skipped (Redeliver sends one by hand). Where
    /// no worker runs in this process (the CLI), the next worker to run — the window's, or
    /// `warden run`'s — sends them.
    pub fn enable(&self, project: &str, endpoint: &str) -> Result<Enabled, Error> {
        let enabled = self
            .outbox
            .enable_endpoint(project, endpoint, self.clock.now_ms())?;
        self.wake.notify_one();
        Ok(enabled)
    }

    /// Queues `event` for every async endpoint of `endpoints` that takes its type, and wakes
    /// the worker. The body is frozen now. Sync endpoints are delivered by
    /// [`Webhooks::deliver_sync`] instead.
    pub fn enqueue(
        &self,
        project: &str,
        endpoints: &[Endpoint],
        event: &Event,
    ) -> Result<Vec<Enqueued>, Error> {
        let body = event.body();
        let now = self.clock.now_ms();
        let mut queued = Vec::new();
        for endpoint in endpoints
            .iter()
            .filter(|e| e.mode == Mode::Async && e.takes(event.kind))
        {
            queued.push(self.outbox.enqueue(
                project,
                endpoint,
                Mode::Async.as_str(),
                &event.id,
                event.kind.as_str(),
                &body,
                now,
            )?);
        }
        self.wake.notify_one();
        Ok(queued)
    }

    /// Starts the background worker: it first sends what was pending (a restart resumes the
    /// outbox), then sleeps until the next delivery is due or something is queued. Sync
    /// deliveries left pending by a previous process are ended as failed: the gate that
    /// waited for them is gone.
    pub fn spawn(self: &Arc<Self>) -> Worker {
        if let Err(e) = self.outbox.abandon_sync_pending(self.clock.now_ms()) {
            tracing::warn!("webhook worker: {e}");
        }
        let this = Arc::clone(self);
        Worker {
            outbox: Arc::clone(&self.outbox),
            id: self.worker_id.clone(),
            handle: tokio::spawn(async move {
                loop {
                    if let Err(e) = this.run_due().await {
                        tracing::warn!("webhook worker: {e}");
                    }
                    let now = this.clock.now_ms();
                    let wait = match this.outbox.next_due() {
                        Ok(Some(at)) => {
                            Duration::from_millis(at.saturating_sub(now)).min(IDLE_POLL)
                        }
                        Ok(None) => IDLE_POLL,
                        Err(_) => IDLE_POLL,
                    };
                    if wait.is_zero() {
                        continue;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = this.wake.notified() => {}
                    }
                }
            }),
        }
    }

    /// Sends every async delivery due now, at most [`BATCH`] at once; returns how many. The
    /// deliveries of one endpoint go one after the other, in the order they were queued (a
    /// receiver sees `task.started` before `task.finished`); different endpoints in parallel,
    /// so a slow one holds up only its own. A delivery waiting for a retry does not hold back
    /// the ones queued after it.
    pub async fn run_due(self: &Arc<Self>) -> Result<usize, Error> {
        let due = self.outbox.due(self.clock.now_ms(), BATCH)?;
        let count = due.len();
        let mut lanes: Vec<Vec<Delivery>> = Vec::new();
        for delivery in due {
            match lanes.iter_mut().find(|lane| {
                lane[0].project == delivery.project && lane[0].endpoint == delivery.endpoint
            }) {
                Some(lane) => lane.push(delivery),
                None => lanes.push(vec![delivery]),
            }
        }
        let mut set = tokio::task::JoinSet::new();
        for lane in lanes {
            let this = Arc::clone(self);
            set.spawn(async move {
                for delivery in lane {
                    match this.deliver_due(&delivery).await {
                        Ok(true) => {}
                        // Another worker holds this one: it sends the rest of the lane after
                        // it, in order; sending them here could overtake it.
                        Ok(false) => break,
                        Err(e) => tracing::warn!("webhook delivery: {e}"),
                    }
                }
            });
        }
        while let Some(joined) = set.join_next().await {
            if let Err(e) = joined {
                if e.is_panic() {
                    tracing::error!("webhook delivery panicked: {e}");
                }
            }
        }
        Ok(count)
    }

    /// One scheduled attempt of a due delivery, to its endpoint as configured now, once this
    /// worker holds its lease (another process's worker may have claimed it first: then it is
    /// left alone: `false`).
    async fn deliver_due(&self, delivery: &Delivery) -> Result<bool, Error> {
        let endpoint = self
            .endpoints
            .endpoint(&delivery.project, &delivery.endpoint);
        let lease = endpoint.as_ref().map_or(Duration::ZERO, |e| e.timeout) + LEASE_MARGIN;
        let now = self.clock.now_ms();
        let until = now + u64::try_from(lease.as_millis()).unwrap_or(u64::MAX / 4);
        if !self
            .outbox
            .claim(delivery.id, &self.worker_id, now, until)?
        {
            return Ok(false);
        }
        // Read again under the lease: another worker may have made an attempt since the list
        // was read (the attempt count decides the next retry delay).
        let Some(delivery) = self.outbox.delivery(delivery.id)? else {
            return Ok(false);
        };
        let delivery = &delivery;
        let Some(endpoint) = endpoint else {
            return self
                .abandon(
                    delivery,
                    "the endpoint is not usable now (removed, switched off, not trusted, or its secret is not set)",
                )
                .map(|()| true);
        };
        if self
            .outbox
            .is_disabled(&delivery.project, &delivery.endpoint)?
        {
            return self
                .abandon(delivery, "the endpoint is disabled")
                .map(|()| true);
        }
        self.attempt(delivery, &endpoint, false, false)
            .await
            .map(|_| true)
    }

    /// Ends a delivery that cannot be sent, without an attempt.
    fn abandon(&self, delivery: &Delivery, why: &str) -> Result<(), Error> {
        let status = if why.contains("disabled") {
            DeliveryStatus::Disabled
        } else {
            DeliveryStatus::Failed
        };
        let now = self.clock.now_ms();
        let attempt = Attempt {
            id: 0,
            delivery: delivery.id,
            number: 0,
            redelivery: false,
            started_at: now,
            duration_ms: 0,
            url: String::new(),
            request_headers: Vec::new(),
            response_status: None,
            response_headers: Vec::new(),
            response_body: Vec::new(),
            error: Some(why.to_string()),
            outcome: status.as_str().to_string(),
        };
        self.outbox.record(
            &attempt,
            &AttemptUpdate {
                status,
                next_attempt_at: 0,
                last_error: Some(why.to_string()),
            },
        )?;
        Ok(())
    }

    /// One attempt of `delivery` to `endpoint`, recorded with its consequence. `manual`
    /// (Redeliver, test events) never schedules a retry; `sync` reads the answer as a review.
    async fn attempt(
        &self,
        delivery: &Delivery,
        endpoint: &Endpoint,
        manual: bool,
        sync: bool,
    ) -> Result<Tried, Error> {
        let started = self.clock.now_ms();
        let out = Outgoing {
            event_id: &delivery.event_id,
            event_type: &delivery.event_type,
            body: &delivery.body,
            timestamp: started / 1000,
        };
        let sender = self.sender.get_or_try_init(|| async { Sender::new() }).await?;
        let exchange = sender.send(endpoint, &out, started).await;
        let abort = exchange
            .header("webhook-delivery")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("abort-message"));
        let verdict = retry::classify(exchange.status, exchange.header("retry-after"), abort);
        let made = delivery.attempts + 1;
        let now = self.clock.now_ms();
        let (status, next_attempt_at, outcome) = match verdict {
            Verdict::Delivered => (DeliveryStatus::Delivered, 0, "delivered"),
            Verdict::Disable => (DeliveryStatus::Disabled, 0, "disabled"),
            Verdict::Permanent => (DeliveryStatus::Failed, 0, "failed"),
            Verdict::Retry { .. } if manual && delivery.status == DeliveryStatus::Pending => {
                (DeliveryStatus::Pending, delivery.next_attempt_at, "failed")
            }
            Verdict::Retry { .. } if manual => (DeliveryStatus::Failed, 0, "failed"),
            Verdict::Retry { after } => {
                match retry::next_delay(&endpoint.retry, made, after, self.random.as_ref()) {
                    Some(delay) => (
                        DeliveryStatus::Pending,
                        now + u64::try_from(delay.as_millis()).unwrap_or(u64::MAX / 2),
                        "retry",
                    ),
                    None => (DeliveryStatus::Failed, 0, "failed"),
                }
            }
        };
        let review =
            (sync && verdict == Verdict::Delivered).then(|| review::parse(&exchange.response_body));
        let mut error = exchange.error.clone();
        if let Some(Err(e)) = &review {
            error = Some(e.clone());
        }
        let last_error = match (&error, exchange.status) {
            (Some(e), _) => Some(e.clone()),
            (None, Some(s)) if verdict != Verdict::Delivered => Some(format!("HTTP {s}")),
            _ => None,
        };
        let attempt = to_attempt(delivery.id, manual, exchange, error, outcome);
        let number = self.outbox.record(
            &attempt,
            &AttemptUpdate {
                status,
                next_attempt_at,
                last_error,
            },
        )?;
        if verdict == Verdict::Disable {
            self.outbox.disable_endpoint(
                &delivery.project,
                &delivery.endpoint,
                "the endpoint answered 410 Gone",
                now,
            )?;
        }
        Ok(Tried {
            attempt: Attempt { number, ..attempt },
            verdict,
            status,
            next_attempt_at,
            review,
        })
    }

    /// Delivers `event` to a sync endpoint while the caller waits (every attempt of the
    /// schedule, bounded by its timeouts and delays), and reads the answer as a review.
    pub async fn deliver_sync(
        &self,
        project: &str,
        endpoint: &Endpoint,
        event: &Event,
    ) -> Result<SyncOutcome, Error> {
        let queued = self.outbox.enqueue(
            project,
            endpoint,
            Mode::Sync.as_str(),
            &event.id,
            event.kind.as_str(),
            &event.body(),
            self.clock.now_ms(),
        )?;
        let delivery = queued.id;
        // The whole schedule, answered at every timeout, and a margin: how long this caller
        // may wait for it.
        let attempts = u32::try_from(endpoint.retry.delays.len() + 1).unwrap_or(u32::MAX);
        let schedule = endpoint.retry.delays.iter().sum::<Duration>()
            + endpoint.timeout.saturating_mul(attempts)
            + LEASE_MARGIN;
        let until =
            self.clock.now_ms() + u64::try_from(schedule.as_millis()).unwrap_or(u64::MAX / 4);
        self.outbox.hold_sync(delivery, &self.worker_id, until)?;
        loop {
            let current = self
                .outbox
                .delivery(delivery)?
                .ok_or(Error::NoDelivery(delivery))?;
            if current.status != DeliveryStatus::Pending {
                let error = current
                    .last_error
                    .unwrap_or_else(|| format!("the delivery is {}", current.status.as_str()));
                return Ok(SyncOutcome::Refused { delivery, error });
            }
            let tried = self.attempt(&current, endpoint, false, true).await?;
            let error = || {
                tried
                    .attempt
                    .error
                    .clone()
                    .or(tried.attempt.response_status.map(|s| format!("HTTP {s}")))
                    .unwrap_or_default()
            };
            match tried.status {
                DeliveryStatus::Delivered => {
                    return Ok(match tried.review {
                        Some(Ok(review)) => SyncOutcome::Review { delivery, review },
                        Some(Err(error)) => SyncOutcome::InvalidAnswer { delivery, error },
                        None => SyncOutcome::InvalidAnswer {
                            delivery,
                            error: "no answer".into(),
                        },
                    });
                }
                DeliveryStatus::Pending => {
                    let wait = tried.next_attempt_at.saturating_sub(self.clock.now_ms());
                    tokio::time::sleep(Duration::from_millis(wait)).await;
                }
                DeliveryStatus::Failed if matches!(tried.verdict, Verdict::Retry { .. }) => {
                    return Ok(SyncOutcome::Unreachable {
                        delivery,
                        error: error(),
                    });
                }
                _ => {
                    return Ok(SyncOutcome::Refused {
                        delivery,
                        error: error(),
                    })
                }
            }
        }
    }

    /// Sends a delivery again now: the frozen body, the same `webhook-id`, a fresh timestamp
    /// and signature. One attempt, no retries; returns it.
    pub async fn redeliver(&self, delivery: i64) -> Result<Attempt, Error> {
        let current = self
            .outbox
            .delivery(delivery)?
            .ok_or(Error::NoDelivery(delivery))?;
        let endpoint = self
            .endpoints
            .endpoint(&current.project, &current.endpoint)
            .ok_or_else(|| Error::UnknownEndpoint {
                project: current.project.clone(),
                endpoint: current.endpoint.clone(),
            })?;
        Ok(self
            .attempt(&current, &endpoint, true, false)
            .await?
            .attempt)
    }

    /// [`Webhooks::redeliver`] to an endpoint the caller looked up itself (the CLI, which
    /// explains why an endpoint cannot be used). Its id must be the delivery's.
    pub async fn redeliver_to(&self, delivery: i64, endpoint: &Endpoint) -> Result<Attempt, Error> {
        let current = self
            .outbox
            .delivery(delivery)?
            .ok_or(Error::NoDelivery(delivery))?;
        if current.endpoint != endpoint.id {
            return Err(Error::UnknownEndpoint {
                project: current.project,
                endpoint: endpoint.id.clone(),
            });
        }
        Ok(self.attempt(&current, endpoint, true, false).await?.attempt)
    }

    /// Sends a test event (`{"type":"ping",…}`) to `endpoint` now, once; returns the delivery
    /// and its attempt (also in the delivery log).
    pub async fn send_test(
        &self,
        project: &str,
        endpoint: &Endpoint,
    ) -> Result<(i64, Attempt), Error> {
        let event = Event::ping(&endpoint.id);
        let queued = self.outbox.enqueue(
            project,
            endpoint,
            outbox::MANUAL,
            &event.id,
            event.kind.as_str(),
            &event.body(),
            self.clock.now_ms(),
        )?;
        let current = self
            .outbox
            .delivery(queued.id)?
            .ok_or(Error::NoDelivery(queued.id))?;
        let tried = self
            .attempt(
                &Delivery {
                    status: DeliveryStatus::Failed,
                    ..current
                },
                endpoint,
                true,
                false,
            )
            .await?;
        Ok((queued.id, tried.attempt))
    }
}

fn to_attempt(
    delivery: i64,
    manual: bool,
    exchange: Exchange,
    error: Option<String>,
    outcome: &str,
) -> Attempt {
    let mut body = exchange.response_body;
    body.truncate(LOGGED_BODY);
    Attempt {
        id: 0,
        delivery,
        number: 0,
        redelivery: manual,
        started_at: exchange.started_at,
        duration_ms: u64::try_from(exchange.duration.as_millis()).unwrap_or(u64::MAX),
        url: exchange.url,
        request_headers: exchange.request_headers,
        response_status: exchange.status,
        response_headers: exchange.response_headers,
        response_body: body,
        error,
        outcome: outcome.to_string(),
    }
}
