//! Timestamp parsing and the two output formats the API uses.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Accepts what clients send: `YYYY-MM-DDTHH:MM:SS` (pyaurorax, IDL), optionally
/// with a fraction and/or a trailing `Z` (the web UI's "2019-01-01T00:00:00.000Z").
pub fn parse_query_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.strip_suffix('Z').unwrap_or(s);
    if s.len() < 19 || s.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok()
}

/// Record timestamps: exactly `YYYY-MM-DDTHH:MM:SS`; pyaurorax parses them with strptime.
pub fn record_time(t: &NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Status/log timestamps in the 2024 style: microseconds, no zone (F4–F6).
pub fn status_time(t: &DateTime<Utc>) -> String {
    t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}
