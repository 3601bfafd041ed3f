//! How far a ratio of medians can be trusted: a 90 % interval from resampling each side's runs
//! (the bootstrap). On a busy two-core machine neighbouring runs of the same program differ by
//! several percent, so a ratio of 1.04 from 11 runs may well be 1.07 in the next; the interval
//! says how much of that the run itself shows.

use crate::report::median;
use std::time::Duration;

/// How many resamples an interval is made from.
const RESAMPLES: usize = 2000;

/// The 5th and 95th percentiles of `median(top) / median(bottom)` over resamples of both sides
/// (each drawn with replacement, independently). `None` when a side has no runs or a median of
/// zero. The resampling is seeded from the runs themselves, so the same runs give the same
/// interval.
pub fn ratio_interval(top: &[Duration], bottom: &[Duration]) -> Option<(f64, f64)> {
    if top.is_empty() || bottom.is_empty() {
        return None;
    }
    let seed = top.iter().chain(bottom).fold(0x9e37_79b9_7f4a_7c15_u64, |h, d| (h ^ d.as_nanos() as u64).wrapping_mul(0x100_0000_01b3));
    let mut random = Random(seed | 1);
    let mut ratios = Vec::with_capacity(RESAMPLES);
    let (mut a, mut b) = (top.to_vec(), bottom.to_vec());
    for _ in 0..RESAMPLES {
        a.iter_mut().for_each(|x| *x = top[random.below(top.len())]);
        b.iter_mut().for_each(|x| *x = bottom[random.below(bottom.len())]);
        let below = median(&b);
        if below.is_zero() {
            return None;
        }
        ratios.push(median(&a).as_secs_f64() / below.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    Some((ratios[RESAMPLES / 20], ratios[RESAMPLES - 1 - RESAMPLES / 20]))
}

/// xorshift64*: enough to draw resamples, and the same for the same seed.
struct Random(u64);

impl Random {
    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|v| Duration::from_millis(*v)).collect()
    }

    #[test]
    fn runs_that_never_vary_give_the_ratio_itself() {
        let (low, high) = ratio_interval(&ms(&[105; 7]), &ms(&[100; 7])).unwrap();
        assert!((low - 1.05).abs() < 1e-9 && (high - 1.05).abs() < 1e-9, "{low} {high}");
    }

    #[test]
    fn noisy_runs_give_an_interval_around_the_ratio_and_the_same_one_again() {
        let top = ms(&[520, 540, 610, 530, 525, 700, 545, 515, 535, 560, 528]);
        let bottom = ms(&[500, 505, 590, 498, 510, 515, 650, 502, 508, 512, 499]);
        let (low, high) = ratio_interval(&top, &bottom).unwrap();
        let point = 535.0 / 505.0;
        assert!(low < point && point < high, "{low} {point} {high}");
        assert!(high - low > 0.01 && high - low < 0.2, "{low} {high}");
        assert_eq!(ratio_interval(&top, &bottom), Some((low, high)), "the same runs, the same interval");
    }

    #[test]
    fn no_runs_or_a_zero_median_give_no_interval() {
        assert_eq!(ratio_interval(&[], &ms(&[1])), None);
        assert_eq!(ratio_interval(&ms(&[1]), &ms(&[0, 0, 0])), None);
    }
}
