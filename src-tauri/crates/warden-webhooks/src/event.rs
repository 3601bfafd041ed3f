//! The envelope every webhook body carries, and the event types an endpoint can subscribe to.
//! The body is serialised once, when the event is queued, and those bytes are what is signed
//! and sent on every attempt and redelivery.

use serde::{Deserialize, Serialize};

macro_rules! event_types {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// The type of an event (the envelope's `type`, the `X-Warden-Event` header).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum EventType {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl EventType {
            /// Every type, in the order of the design's table.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)*];

            /// The wire name (`task.completed`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)*
                }
            }
        }
    };
}

event_types! {
    /// An agent process started.
    SessionStarted => "session.started",
    /// An agent process is gone.
    SessionEnded => "session.ended",
    /// The person's prompt started a task.
    TaskStarted => "task.started",
    /// A turn started (feedback rounds included).
    TurnStarted => "turn.started",
    /// A turn ended.
    TurnCompleted => "turn.completed",
    /// A tool call ended.
    ToolCompleted => "tool.completed",
    /// The file journal recorded changes.
    FilesChanged => "files.changed",
    /// A permission question was asked.
    PermissionRequested => "permission.requested",
    /// A permission question was answered.
    PermissionResolved => "permission.resolved",
    /// The agent ended a turn voluntarily: a candidate for done.
    TaskCompleted => "task.completed",
    /// A check started.
    CheckStarted => "check.started",
    /// A check finished.
    CheckCompleted => "check.completed",
    /// A reviewer started.
    ReviewStarted => "review.started",
    /// A reviewer finished.
    ReviewCompleted => "review.completed",
    /// The gate passed.
    GatePassed => "gate.passed",
    /// The gate blocked.
    GateBlocked => "gate.blocked",
    /// The feedback rounds ran out.
    GateExhausted => "gate.exhausted",
    /// Feedback was proposed to the person.
    FeedbackProposed => "feedback.proposed",
    /// Feedback was sent to the agent.
    FeedbackSent => "feedback.sent",
    /// Feedback was dismissed.
    FeedbackDismissed => "feedback.dismissed",
    /// The task is over.
    TaskFinished => "task.finished",
    /// A person's own native hook ran.
    HookObserved => "hook.observed",
    /// A test event ("Send test event"); every endpoint takes it.
    Ping => "ping",
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EventType {
    type Err = UnknownEventType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventType::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownEventType(s.to_string()))
    }
}

/// A name that is not one of [`EventType::ALL`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown event type {0:?}")]
pub struct UnknownEventType(pub String);

/// One event as a webhook body: `{"id","type","timestamp","data"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id; also the `webhook-id` header and the receivers' idempotency key.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When it happened, RFC 3339 in UTC with milliseconds.
    pub timestamp: String,
    /// The type's data. Typed per event kind by the gate, which owns those types; here it is
    /// only carried into the body, never across IPC.
    #[serde(rename = "data")]
    pub raw_data: serde_json::Value,
}

impl Event {
    /// An event happening now with a fresh id (`evt_<uuid>`).
    pub fn now(kind: EventType, raw_data: serde_json::Value) -> Self {
        Self {
            id: format!("evt_{}", uuid::Uuid::new_v4().simple()),
            kind,
            timestamp: rfc3339_ms(warden_disk::now_ms()),
            raw_data,
        }
    }

    /// The test event of "Send test event".
    pub fn ping(endpoint_id: &str) -> Self {
        Self::now(
            EventType::Ping,
            serde_json::json!({ "endpoint": endpoint_id, "message": "Test event from Warden" }),
        )
    }

    /// The body bytes, frozen when queued.
    pub fn body(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|_| b"{}".to_vec())
    }
}

/// `ms` since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn rfc3339_ms(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_ms(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(rfc3339_ms(1_796_641_203_412), "2026-12-07T11:00:03.412Z");
    }

    #[test]
    fn the_envelope_has_the_documented_fields() {
        let e = Event {
            id: "evt_1".into(),
            kind: EventType::TaskCompleted,
            timestamp: "t".into(),
            raw_data: serde_json::json!({"round": 1}),
        };
        let v: serde_json::Value = serde_json::from_slice(&e.body()).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"id": "evt_1", "type": "task.completed", "timestamp": "t", "data": {"round": 1}})
        );
        assert_eq!(
            "gate.exhausted".parse::<EventType>(),
            Ok(EventType::GateExhausted)
        );
        assert!("nope".parse::<EventType>().is_err());
    }
}
