//! The RFC 3339 times transcripts carry (`2026-11-21T07:48:13.331Z`), without a date crate.

/// Milliseconds since the Unix epoch of an RFC 3339 time (`Z` or a `±hh:mm` offset, any number
/// of fraction digits); `None` for anything else or a time before 1970.
pub(super) fn parse_ms(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept: String = fraction[..digits].chars().chain("000".chars()).take(3).collect();
        millis = kept.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] if [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()) => {
            let minutes = i64::from((h1 - b'0') * 10 + (h2 - b'0')) * 60 + i64::from((m1 - b'0') * 10 + (m2 - b'0'));
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    u64::try_from(seconds * 1000 + millis).ok()
}

/// Days since 1970-01-01 of a date in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_ms;

    #[test]
    fn transcript_times_become_epoch_milliseconds() {
        assert_eq!(parse_ms("1970-01-01T00:00:00.000Z"), Some(0));
        // `date -u -d 2026-11-21T07:48:13.331Z +%s%3N`
        assert_eq!(parse_ms("2026-11-21T07:48:13.331Z"), Some(1_795_247_293_331));
        assert_eq!(parse_ms("2024-02-29T23:59:59Z"), Some(1_709_251_199_000), "leap day, no fraction");
        assert_eq!(parse_ms("2026-11-21T09:48:13.331+02:00"), parse_ms("2026-11-21T07:48:13.331Z"), "offsets are applied");
        assert_eq!(parse_ms("2026-11-21T07:48:13.3319Z"), Some(1_795_247_293_331), "extra digits are cut, not rounded");
        for bad in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-21T07:48:13", "1969-12-31T23:59:59Z", "2026-11-21T07:48:13.Z"] {
            assert_eq!(parse_ms(bad), None, "{bad:?}");
        }
    }
}
