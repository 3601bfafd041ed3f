//! Claude Code's `rate_limit_event` as Warden's `rateLimits` event: its `utilization` (a
//! fraction) of the window its `rateLimitType` names, and when that resets. An event without a
//! utilization says nothing measurable and gives none.

use super::wire::RateLimitInfo;
use warden_core::usage::{RateLimitWindow, RateLimits};

/// The five-hour window Claude names `five_hour`; the weekly ones start with `seven_day`.
const FIVE_HOURS: u64 = 300;
const WEEK: u64 = 10_080;

/// The limits `info` reports, if it reports a utilization.
pub(super) fn from_info(info: &RateLimitInfo) -> Option<RateLimits> {
    let utilization = info.utilization?;
    let kind = info.rate_limit_type.clone();
    let weekly = kind.as_deref().is_some_and(|k| k.starts_with("seven_day"));
    let window = RateLimitWindow {
        used_percent: utilization * 100.0,
        window_minutes: match kind.as_deref() {
            Some("five_hour") => Some(FIVE_HOURS),
            _ if weekly => Some(WEEK),
            _ => None,
        },
        resets_at_ms: info.resets_at.filter(|s| s.is_finite() && *s >= 0.0).map(|s| (s * 1000.0) as u64),
    };
    let reached = (info.status.as_deref() == Some("rejected")).then(|| "rate_limit_reached".to_owned());
    let (primary, secondary) = if weekly { (None, Some(window)) } else { (Some(window), None) };
    Some(RateLimits { limit_name: kind, primary, secondary, credits: None, plan_type: None, reached })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(line: &str) -> RateLimitInfo {
        serde_json::from_str(line).expect("reads")
    }

    #[test]
    fn a_warning_becomes_the_window_it_names() {
        let five = from_info(&info(r#"{"status":"allowed_warning","resetsAt":1795240000,"rateLimitType":"five_hour","utilization":0.85}"#)).expect("limits");
        let w = five.primary.expect("the five-hour window is the primary one");
        assert!((w.used_percent - 85.0).abs() < 1e-9);
        assert_eq!((w.window_minutes, w.resets_at_ms, five.reached), (Some(300), Some(1_795_240_000_000), None));
        let week = from_info(&info(r#"{"status":"rejected","rateLimitType":"seven_day_opus","utilization":1.0}"#)).expect("limits");
        assert!(week.primary.is_none() && week.secondary.is_some_and(|w| w.window_minutes == Some(10_080)));
        assert_eq!(week.reached.as_deref(), Some("rate_limit_reached"));
        assert!(from_info(&info(r#"{"status":"allowed"}"#)).is_none(), "nothing measured, nothing said");
    }
}
