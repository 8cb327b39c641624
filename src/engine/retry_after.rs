//! `Retry-After`, read defensively: seconds (RFC 9110 says a non-negative integer; some
//! servers send decimals), or an HTTP date. Whatever the server sends, the pause is
//! clamped to [0, MAX_RETRY_AFTER]; text that is neither form is ignored.

use std::time::{Duration, SystemTime};

/// A server asking for a longer pause than this is treated as down for our purposes.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || value.len() > 64 {
        return None;
    }
    if let Ok(seconds) = value.parse::<f64>() {
        if seconds.is_nan() {
            return None;
        }
        // Clamp before converting: Duration::from_secs_f64 panics beyond its range.
        let clamped = seconds.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64());
        return Some(Duration::from_secs_f64(clamped));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let when = SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_secs(u64::try_from(when.timestamp()).ok()?))?;
    Some(
        when.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(unix: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(unix)
    }

    #[test]
    fn seconds_in_any_spelling_are_clamped() {
        let now = at(0);
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after(" 1.5 ", now),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("-5", now), Some(Duration::ZERO));
        for huge in ["1e300", "inf", "99999999999999999999999", "1.8e19"] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(MAX_RETRY_AFTER),
                "{huge}"
            );
        }
        assert_eq!(parse_retry_after("-inf", now), Some(Duration::ZERO));
    }

    #[test]
    fn http_dates_count_from_now_and_are_clamped() {
        // Sun, 06 Nov 1994 08:49:37 GMT = 784111777
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        assert_eq!(
            parse_retry_after(date, at(784_111_770)),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after(date, at(784_111_800)),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(date, at(0)), Some(MAX_RETRY_AFTER));
    }

    #[test]
    fn garbage_is_ignored() {
        for junk in [
            "",
            "NaN",
            "soon",
            "Sun, 99 Nov 1994 08:49:37 GMT",
            &"9".repeat(100),
            "\u{7f}",
        ] {
            assert_eq!(parse_retry_after(junk, at(0)), None, "{junk:?}");
        }
    }
}
