//! An agent's own rate-limit and credit status, where its protocol reports it (Codex's
//! `account/rateLimits/updated`): stored in the session's stream as a `rateLimits` event and
//! shown by the usage view.

use crate::session::{AgentKind, SessionId};
use serde::{Deserialize, Serialize};
use specta::Type;

/// The agent's rate limits at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct RateLimits {
    /// The limit's name, where the agent names it.
    pub limit_name: Option<String>,
    /// The shorter window (Codex: five hours).
    pub primary: Option<RateLimitWindow>,
    /// The longer window (Codex: a week).
    pub secondary: Option<RateLimitWindow>,
    /// Credits of the account, where it has them.
    pub credits: Option<Credits>,
    /// The account's plan (`plus`, `pro`, `team`, …), as the agent names it.
    pub plan_type: Option<String>,
    /// Which limit was reached, when one was (the agent's own word for it).
    pub reached: Option<String>,
}

/// One rolling window of a rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitWindow {
    /// How much of the window is used, 0–100.
    pub used_percent: f64,
    /// The window's length in minutes.
    pub window_minutes: Option<u64>,
    /// When the window resets, in milliseconds since the Unix epoch.
    pub resets_at_ms: Option<u64>,
}

/// An account's credits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Credits {
    /// Whether any are left.
    pub has_credits: bool,
    /// Whether they are unlimited.
    pub unlimited: bool,
    /// The balance as the agent writes it.
    pub balance: Option<String>,
}

/// The latest rate limits stored for the sessions a usage report covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitsSeen {
    /// The session that reported them.
    pub session_id: SessionId,
    /// Its agent.
    pub agent: AgentKind,
    /// When they were reported, in milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// The limits.
    pub limits: RateLimits,
}

impl RateLimits {
    /// These limits with the values of a sparse update laid over them: Codex sends only what
    /// it knows, and an absent value does not clear one seen before.
    pub fn merged(&self, update: RateLimits) -> RateLimits {
        RateLimits {
            limit_name: update.limit_name.or_else(|| self.limit_name.clone()),
            primary: update.primary.or(self.primary),
            secondary: update.secondary.or(self.secondary),
            credits: update.credits.or_else(|| self.credits.clone()),
            plan_type: update.plan_type.or_else(|| self.plan_type.clone()),
            reached: update.reached.or_else(|| self.reached.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparse_update_keeps_what_it_does_not_say() {
        let window = |p| Some(RateLimitWindow { used_percent: p, window_minutes: Some(300), resets_at_ms: None });
        let before = RateLimits { plan_type: Some("plus".into()), primary: window(10.0), secondary: window(3.0), ..Default::default() };
        let after = before.merged(RateLimits { primary: window(12.5), ..Default::default() });
        assert_eq!(after.primary.map(|w| w.used_percent), Some(12.5));
        assert_eq!(after.secondary.map(|w| w.used_percent), Some(3.0));
        assert_eq!(after.plan_type.as_deref(), Some("plus"));
    }
}
