//! Codex's `account/rateLimits/updated` (0.169: `{rateLimits: RateLimitSnapshot}`, sparse: a
//! value it does not know is null and does not clear one seen before), as a `rateLimits`
//! session event when something changed.

use super::adapter::CodexAdapter;
use crate::adapter::Output;
use serde::Deserialize;
use warden_core::session::SessionEventKind;
use warden_core::usage::{Credits, RateLimitWindow, RateLimits};

/// The notification's params.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RateLimitsUpdated {
    rate_limits: Snapshot,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    #[serde(default)]
    limit_id: Option<String>,
    #[serde(default)]
    limit_name: Option<String>,
    #[serde(default)]
    primary: Option<Window>,
    #[serde(default)]
    secondary: Option<Window>,
    #[serde(default)]
    credits: Option<CreditsSnapshot>,
    #[serde(default)]
    plan_type: Option<String>,
    #[serde(default)]
    rate_limit_reached_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Window {
    used_percent: f64,
    #[serde(default)]
    window_duration_mins: Option<u64>,
    /// Unix seconds.
    #[serde(default)]
    resets_at: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreditsSnapshot {
    has_credits: bool,
    unlimited: bool,
    #[serde(default)]
    balance: Option<String>,
}

impl From<Window> for RateLimitWindow {
    fn from(w: Window) -> Self {
        RateLimitWindow {
            used_percent: w.used_percent,
            window_minutes: w.window_duration_mins,
            resets_at_ms: w.resets_at.map(|s| s.saturating_mul(1000)),
        }
    }
}

impl From<Snapshot> for RateLimits {
    fn from(s: Snapshot) -> Self {
        RateLimits {
            limit_name: s.limit_name.or(s.limit_id),
            primary: s.primary.map(Into::into),
            secondary: s.secondary.map(Into::into),
            credits: s.credits.map(|c| Credits { has_credits: c.has_credits, unlimited: c.unlimited, balance: c.balance }),
            plan_type: s.plan_type,
            reached: s.rate_limit_reached_type,
        }
    }
}

impl CodexAdapter {
    /// Emits the limits merged with what was known when they differ from it.
    pub(super) fn rate_limits_updated(&mut self, update: RateLimitsUpdated, out: &mut Vec<Output>) {
        let known = self.rate_limits.clone().unwrap_or_default();
        let merged = known.merged(update.rate_limits.into());
        if self.rate_limits.as_ref() != Some(&merged) {
            self.rate_limits = Some(merged.clone());
            out.push(Output::Event(SessionEventKind::RateLimits(merged)));
        }
    }
}
