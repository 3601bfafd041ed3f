//! What Warden needs to know about one webhook endpoint to deliver to it: where, which events,
//! how to sign, how long to wait and how often to retry. The configuration crate builds it from
//! a `[[webhook]]` entry (secrets already resolved from the environment or the keychain); this
//! crate never reads a configuration file.

use crate::event::EventType;
use base64::Engine as _;
use std::time::Duration;

/// One webhook endpoint, as configured.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The entry's id in the configuration (unique within a project).
    pub id: String,
    /// Where events are POSTed (http or https).
    pub url: String,
    /// The event types this endpoint takes; others are never queued for it.
    pub events: Vec<EventType>,
    /// The signing key, already resolved by the caller; `None` sends unsigned requests.
    pub secret: Option<Secret>,
    /// Which signature headers are added.
    pub signature: SignatureStyle,
    /// How long one attempt may take, connection to last response byte.
    pub timeout: Duration,
    /// The delays before each retry (so `schedule.len() + 1` attempts at most).
    pub retry: RetrySchedule,
    /// `Sync`: the caller waits for the answer (a review server taking part in the gate);
    /// `Async`: the outbox's worker delivers it in the background.
    pub mode: Mode,
    /// Loopback, private and link-local addresses are refused unless this is set, so a project
    /// file cannot point Warden at services on the person's machine or network by accident.
    pub allow_private: bool,
    /// Extra request headers (e.g. `Authorization`); those marked secret are redacted in the log.
    pub headers: Vec<ExtraHeader>,
    /// Names of URL query parameters whose values are redacted in the log (e.g. a token in a
    /// chat service's URL).
    pub secret_query_params: Vec<String>,
}

impl Endpoint {
    /// An endpoint with the defaults of the issue (Standard Webhooks signature, 30 s timeout,
    /// retries after 1 s, 2 s and 4 s with full jitter, async, public addresses only).
    pub fn new(id: impl Into<String>, url: impl Into<String>, events: Vec<EventType>) -> Self {
        Self {
            id: id.into(),
            url: url.into(),
            events,
            secret: None,
            signature: SignatureStyle::StandardWebhooks,
            timeout: Duration::from_secs(30),
            retry: RetrySchedule::default(),
            mode: Mode::Async,
            allow_private: false,
            headers: Vec::new(),
            secret_query_params: Vec::new(),
        }
    }

    /// Whether events of this type are sent here.
    pub fn takes(&self, kind: EventType) -> bool {
        kind == EventType::Ping || self.events.contains(&kind)
    }
}

/// A signing key. Its bytes never appear in `Debug` output, logs or the delivery log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// The key's bytes as they are.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// A secret as a person writes it: `whsec_<base64>` (the Standard Webhooks form) is
    /// base64-decoded; anything else is taken as the bytes of the string (GitHub's form).
    pub fn parse(text: &str) -> Result<Self, SecretError> {
        match text.strip_prefix("whsec_") {
            Some(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map(Self)
                .map_err(|_| SecretError::NotBase64),
            None if text.is_empty() => Err(SecretError::Empty),
            None => Ok(Self(text.as_bytes().to_vec())),
        }
    }

    /// The key's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Why a secret could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    /// `whsec_` followed by something that is not base64.
    #[error("a whsec_ secret must be followed by base64")]
    NotBase64,
    /// An empty secret would sign with an empty key: refused.
    #[error("the secret is empty")]
    Empty,
}

/// Which signature headers a request carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureStyle {
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` (standardwebhooks.com).
    StandardWebhooks,
    /// `X-Hub-Signature-256: sha256=<hex>` over the raw body, as GitHub sends it.
    Github,
    /// No signature (the id and timestamp headers are still sent).
    None,
}

/// Whether the caller waits for the delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Part of the gate: the caller waits for the answer, which may carry findings.
    Sync,
    /// Delivered in the background by the outbox's worker.
    Async,
}

impl Mode {
    /// The name stored in the outbox.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
        }
    }
}

/// How retries are spaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetrySchedule {
    /// The delay before each retry, in order; empty means a single attempt.
    pub delays: Vec<Duration>,
    /// Whether each delay is drawn at random below its value (full jitter).
    pub jitter: Jitter,
}

impl Default for RetrySchedule {
    /// Seed 003's schedule: 3 retries, 1 s / 2 s / 4 s, full jitter.
    fn default() -> Self {
        Self {
            delays: [1, 2, 4].map(Duration::from_secs).to_vec(),
            jitter: Jitter::Full,
        }
    }
}

/// Jitter applied to retry delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Jitter {
    /// `sleep = random(0, delay)`: retries of many deliveries failing together spread out
    /// instead of hitting a recovering server at the same instant.
    Full,
    /// The delays as written.
    None,
}

/// A request header added to every delivery of an endpoint.
#[derive(Clone, PartialEq, Eq)]
pub struct ExtraHeader {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
    /// Redacted in the delivery log (`Authorization` always is).
    pub secret: bool,
}

impl std::fmt::Debug for ExtraHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.secret || self.name.eq_ignore_ascii_case("authorization") {
            "<redacted>"
        } else {
            &self.value
        };
        f.debug_struct("ExtraHeader")
            .field("name", &self.name)
            .field("value", &value)
            .field("secret", &self.secret)
            .finish()
    }
}
