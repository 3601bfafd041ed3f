//! Warden's webhooks: the events Warden tells the outside world about, delivered reliably.
//!
//! * [`Endpoint`] — one configured receiver (built by the configuration crate);
//! * [`Event`] — the envelope every body carries (`id`, `type`, `timestamp`, `data`);
//! * [`sign`] — Standard Webhooks and GitHub-style signatures;
//! * [`Outbox`] — the durable queue and delivery log in `<data>/webhooks.db`;
//! * [`Webhooks`] — enqueueing, the background delivery worker, sync deliveries (a review
//!   server's answer, [`review`]), redelivery and test events;
//! * [`retry`] — what an answer means and when to try again; [`address`] — which hosts may be
//!   reached.
//!
//! The outbox is its own SQLite file rather than tables in the session store: deliveries are
//! written by a background worker at their own pace (retries, long timeouts) and must not
//! contend with the session store's writers, the crate stays independent of the engine (the
//! gate and the CLI open it without opening sessions), and a corrupt outbox can be set aside
//! without touching session history.
#![deny(missing_docs)]

pub mod address;
mod endpoint;
mod event;
pub mod outbox;
pub mod retry;
pub mod review;
mod send;
mod service;
pub mod sign;

pub use endpoint::{
    Endpoint, ExtraHeader, Jitter, Mode, RetrySchedule, Secret, SecretError, SignatureStyle,
};
pub use event::{rfc3339_ms, Event, EventType, UnknownEventType};
pub use outbox::{Attempt, Delivery, DeliveryStatus, DisabledEndpoint, Enabled, Outbox};
pub use send::REDACTED;
pub use service::{EndpointSource, Error, StaticEndpoints, SyncOutcome, Webhooks, Worker};
