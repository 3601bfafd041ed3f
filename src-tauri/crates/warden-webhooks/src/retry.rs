//! When to try again: what an answer means for the delivery (delivered, retry, give up,
//! disable the endpoint) and how long to wait before the next attempt (the endpoint's schedule
//! with full jitter, or the server's `Retry-After`). Pure functions over an injectable clock and
//! random source, so tests can pin both.

use crate::endpoint::{Jitter, RetrySchedule};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The longest `Retry-After` honoured: a server asking for more is retried after an hour.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Where the current time comes from (milliseconds since the Unix epoch).
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now_ms(&self) -> u64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        warden_disk::now_ms()
    }
}

/// Where jitter comes from.
pub trait Random: Send + Sync + 'static {
    /// A number in `0..=max`, roughly uniform.
    fn up_to(&self, max: u64) -> u64;
}

/// A small xorshift generator seeded from the clock: jitter only has to spread retries, not
/// resist prediction, so no cryptographic source is needed.
#[derive(Debug)]
pub struct XorShift(AtomicU64);

impl XorShift {
    /// Seeded with `seed` (0 is replaced, as xorshift would stay at 0).
    pub fn new(seed: u64) -> Self {
        Self(AtomicU64::new(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        }))
    }

    /// Seeded from the clock.
    pub fn from_time() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Self::new(nanos ^ u64::from(std::process::id()).rotate_left(32))
    }
}

impl Random for XorShift {
    fn up_to(&self, max: u64) -> u64 {
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        if max == u64::MAX {
            x
        } else {
            x % (max + 1)
        }
    }
}

/// What an attempt's outcome means for the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A 2xx within the timeout.
    Delivered,
    /// 408, 429, 5xx, a network error or a timeout: try again per the schedule; `after` is the
    /// server's `Retry-After` on a 429.
    Retry {
        /// The wait the server asked for.
        after: Option<Duration>,
    },
    /// Any other answer (4xx, 3xx — redirects are not followed, so they would fail again —
    /// or `webhook-delivery: abort-message`): no more attempts.
    Permanent,
    /// 410 Gone: the endpoint is disabled, nothing more is sent to it.
    Disable,
}

/// Classifies an answer: `status` is `None` for a network error or timeout.
pub fn classify(status: Option<u16>, retry_after: Option<&str>, abort: bool) -> Verdict {
    match status {
        None => Verdict::Retry { after: None },
        Some(200..=299) => Verdict::Delivered,
        Some(410) => Verdict::Disable,
        Some(_) if abort => Verdict::Permanent,
        Some(429) => Verdict::Retry {
            after: retry_after.and_then(parse_retry_after),
        },
        Some(408) | Some(500..=599) => Verdict::Retry { after: None },
        Some(_) => Verdict::Permanent,
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not honoured: the schedule applies).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER))
}

/// The wait before the next attempt, after `attempts_made` attempts (1 after the first), or
/// `None` when the schedule is spent. A server's `Retry-After` replaces the drawn delay.
pub fn next_delay(
    schedule: &RetrySchedule,
    attempts_made: u32,
    retry_after: Option<Duration>,
    random: &dyn Random,
) -> Option<Duration> {
    let index = usize::try_from(attempts_made).ok()?.checked_sub(1)?;
    let base = *schedule.delays.get(index)?;
    if let Some(after) = retry_after {
        return Some(after);
    }
    Some(match schedule.jitter {
        Jitter::None => base,
        Jitter::Full => {
            Duration::from_millis(random.up_to(u64::try_from(base.as_millis()).unwrap_or(u64::MAX)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Max;
    impl Random for Max {
        fn up_to(&self, max: u64) -> u64 {
            max
        }
    }

    fn schedule(ms: &[u64], jitter: Jitter) -> RetrySchedule {
        RetrySchedule {
            delays: ms.iter().map(|m| Duration::from_millis(*m)).collect(),
            jitter,
        }
    }

    #[test]
    fn answers_are_classified_like_the_design_says() {
        assert_eq!(classify(Some(200), None, false), Verdict::Delivered);
        assert_eq!(classify(Some(204), None, false), Verdict::Delivered);
        assert_eq!(classify(None, None, false), Verdict::Retry { after: None });
        assert_eq!(
            classify(Some(408), None, false),
            Verdict::Retry { after: None }
        );
        assert_eq!(
            classify(Some(503), None, false),
            Verdict::Retry { after: None }
        );
        assert_eq!(
            classify(Some(429), Some("1"), false),
            Verdict::Retry {
                after: Some(Duration::from_secs(1))
            }
        );
        assert_eq!(
            classify(Some(429), Some("Wed, 21 Oct 2015 07:28:00 GMT"), false),
            Verdict::Retry { after: None }
        );
        assert_eq!(
            classify(Some(429), Some("99999"), false),
            Verdict::Retry {
                after: Some(MAX_RETRY_AFTER)
            }
        );
        assert_eq!(classify(Some(404), None, false), Verdict::Permanent);
        assert_eq!(classify(Some(301), None, false), Verdict::Permanent);
        assert_eq!(classify(Some(500), None, true), Verdict::Permanent);
        assert_eq!(classify(Some(410), None, false), Verdict::Disable);
    }

    #[test]
    fn the_schedule_ends_after_its_last_delay() {
        let s = schedule(&[10, 20, 40], Jitter::None);
        let r = XorShift::new(7);
        let delays: Vec<_> = (1..=4).map(|n| next_delay(&s, n, None, &r)).collect();
        assert_eq!(
            delays,
            vec![
                Some(Duration::from_millis(10)),
                Some(Duration::from_millis(20)),
                Some(Duration::from_millis(40)),
                None
            ]
        );
        assert_eq!(next_delay(&s, 0, None, &r), None);
        assert_eq!(
            next_delay(&s, 2, Some(Duration::from_secs(1)), &r),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            next_delay(&s, 3, Some(Duration::from_secs(1)), &r),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            next_delay(&s, 4, Some(Duration::from_secs(1)), &r),
            None,
            "Retry-After does not extend the schedule"
        );
    }

    #[test]
    fn full_jitter_stays_below_the_delay_and_spreads() {
        let s = schedule(&[1000, 2000, 4000], Jitter::Full);
        assert_eq!(
            next_delay(&s, 3, None, &Max),
            Some(Duration::from_millis(4000))
        );
        let r = XorShift::new(42);
        let draws: Vec<u128> = (0..200)
            .map(|_| next_delay(&s, 1, None, &r).unwrap().as_millis())
            .collect();
        assert!(draws.iter().all(|d| *d <= 1000));
        assert!(
            draws.iter().any(|d| *d < 250) && draws.iter().any(|d| *d > 750),
            "{draws:?}"
        );
        // Seeded: the same seed gives the same delays.
        let again = XorShift::new(42);
        assert_eq!(
            next_delay(&s, 1, None, &again).unwrap().as_millis(),
            draws[0]
        );
    }
}
