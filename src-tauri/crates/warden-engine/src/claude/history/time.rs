//! The RFC 3339 times transcripts carry (`2026-11-21T07:48:13.331Z`).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Milliseconds since the Unix epoch of an RFC 3339 time; `None` for anything else or a time
/// before 1970.
pub(super) fn parse_ms(text: &str) -> Option<u64> {
    let at = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    u64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
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
