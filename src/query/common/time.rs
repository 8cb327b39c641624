//! Timestamps: the API takes `YYYY-MM-DDTHH:MM:SS` in UTC with no zone and no fraction.

use crate::error::{Error, Result};
use chrono::{NaiveDateTime, Timelike};

const WIRE_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// Accepts `T` or a space between date and time, an optional fraction (dropped: the API
/// works in whole seconds) and an optional trailing `Z`.
pub fn parse_timestamp(argument: &str, raw: &str) -> Result<NaiveDateTime> {
    let trimmed = raw.trim();
    let text = trimmed.strip_suffix(['Z', 'z']).unwrap_or(trimmed);
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .filter(|_| text.len() >= 19 && text.as_bytes()[4] == b'-')
        // chrono reads second 60 of any minute as a leap second; the API has none
        .filter(|t| t.nanosecond() < 1_000_000_000)
        .map(|t| t.with_nanosecond_zero())
        .ok_or_else(|| {
            Error::invalid(
                argument,
                format!("'{raw}' is not a UTC timestamp of the form YYYY-MM-DDTHH:MM:SS"),
            )
        })
}

pub fn format_timestamp(t: &NaiveDateTime) -> String {
    t.format(WIRE_FORMAT).to_string()
}

/// Parses both ends and checks their order; returns them in wire format.
pub fn parse_range(start: &str, end: &str) -> Result<(NaiveDateTime, NaiveDateTime)> {
    let s = parse_timestamp("start", start)?;
    let e = parse_timestamp("end", end)?;
    if s > e {
        return Err(Error::invalid(
            "end",
            format!(
                "'{}' is before start '{}'",
                format_timestamp(&e),
                format_timestamp(&s)
            ),
        ));
    }
    Ok((s, e))
}

trait DropFraction {
    fn with_nanosecond_zero(self) -> Self;
}

impl DropFraction for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        self.with_nanosecond(0).unwrap_or(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(raw: &str) -> String {
        format_timestamp(&parse_timestamp("start", raw).unwrap())
    }

    #[test]
    fn accepted_forms_all_give_the_wire_format() {
        assert_eq!(wire("2019-01-01T00:00:00"), "2019-01-01T00:00:00");
        assert_eq!(wire("2019-01-01 00:00:00"), "2019-01-01T00:00:00");
        assert_eq!(wire("2019-12-31T23:59:59Z"), "2019-12-31T23:59:59");
        assert_eq!(wire("2019-01-01T00:00:00.000Z"), "2019-01-01T00:00:00");
    }

    #[test]
    fn malformed_and_impossible_dates_are_refused_naming_the_argument() {
        for bad in [
            "2019-01-01",
            "2019-02-30T00:00:00",
            "yesterday",
            "",
            "2019-01-01T25:00:00",
            "19-01-01T00:00:00",
            "2019-01-01T12:34:60",
            "2016-12-31T23:59:60",
        ] {
            let e = parse_timestamp("end", bad).unwrap_err();
            assert!(e.message.starts_with("end:"), "{bad}: {}", e.message);
        }
    }

    #[test]
    fn start_after_end_is_refused() {
        let e = parse_range("2020-01-02T00:00:00", "2020-01-01T00:00:00").unwrap_err();
        assert!(e.message.contains("before start"), "{}", e.message);
    }
}
