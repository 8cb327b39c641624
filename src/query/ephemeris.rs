//! Ephemeris searches: where data sources were, epoch by epoch.

use super::common::blocks::{data_sources, EPHEMERIS_SOURCES};
use super::common::json::parse;
use super::common::time::{format_timestamp, parse_range};
use super::common::QueryObject;
use super::{Kind, SearchRequest};
use crate::error::{Error, Result};
use chrono::{Duration, NaiveDateTime};
use serde_json::json;

/// "Maximum time span returned is 1 month" (the API's OpenAPI document): the longest month,
/// 31 days, is allowed exactly; one second more is refused (as the local test server does).
pub(crate) const MAX_SPAN_DAYS: i64 = 31;

pub fn from_parts(
    start: &str,
    end: &str,
    data_sources_json: Option<&str>,
) -> Result<SearchRequest> {
    let (start, end) = parse_range(start, end)?;
    check_span(&start, &end)?;
    let sources = data_sources(
        "data_sources_json",
        &parse("data_sources_json", data_sources_json.unwrap_or("null"))?,
        &EPHEMERIS_SOURCES,
    )?;
    let body = json!({"data_sources": sources, "start": format_timestamp(&start), "end": format_timestamp(&end)});
    Ok(SearchRequest {
        kind: Kind::Ephemeris,
        body: body.to_string(),
        response_format: None,
    })
}

pub fn from_json(query_json: &str) -> Result<SearchRequest> {
    let mut query = QueryObject::parse(
        query_json,
        &[
            "start",
            "end",
            "data_sources",
            "request_id",
            "response_format",
        ],
    )?;
    check_span(&query.start, &query.end)?;
    let sources = data_sources(
        "query_json.data_sources",
        query.required("data_sources")?,
        &EPHEMERIS_SOURCES,
    )?;
    query.set("data_sources", sources);
    query.finish(Kind::Ephemeris)
}

fn check_span(start: &NaiveDateTime, end: &NaiveDateTime) -> Result<()> {
    if *end - *start > Duration::days(MAX_SPAN_DAYS) {
        return Err(Error::invalid(
            "end",
            format!("an ephemeris search spans at most {MAX_SPAN_DAYS} days; split the range"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn body_matches_the_reference_clients() {
        let r = from_parts("2019-01-01T00:00:00", "2019-01-01T23:59:59",
            Some(r#"{"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}"#)).unwrap();
        let body: Value = serde_json::from_str(&r.body).unwrap();
        // aurorax-api.md §2.3, v0.8.0 body.
        assert_eq!(
            body,
            json!({"data_sources": {"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"], "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}}, "start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59"})
        );
    }

    #[test]
    fn empty_selection_and_long_spans_are_refused() {
        let e = from_parts(
            "2019-01-01T00:00:00",
            "2019-01-01T23:59:59",
            Some(r#"{"programs": []}"#),
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("data_sources_json: selects nothing"),
            "{}",
            e.message
        );
        let e = from_parts("2019-01-01T00:00:00", "2019-01-01T23:59:59", None).unwrap_err();
        assert!(
            e.message.starts_with("data_sources_json: is required"),
            "{}",
            e.message
        );
        let e = from_parts(
            "2019-01-01T00:00:00",
            "2019-03-01T00:00:00",
            Some(r#"{"programs": ["swarm"]}"#),
        )
        .unwrap_err();
        assert!(
            e.message
                .starts_with("end: an ephemeris search spans at most"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_span_of_exactly_31_days_is_allowed_one_second_more_is_not() {
        let sources = Some(r#"{"programs": ["swarm"]}"#);
        assert!(from_parts("2019-01-01T00:00:00", "2019-02-01T00:00:00", sources).is_ok());
        let e = from_parts("2019-01-01T00:00:00", "2019-02-01T00:00:01", sources).unwrap_err();
        assert!(
            e.message
                .starts_with("end: an ephemeris search spans at most 31 days"),
            "{}",
            e.message
        );
        let q = r#"{"start": "2019-01-01T00:00:00", "end": "2019-02-01T00:00:00", "data_sources": {"programs": ["swarm"]}}"#;
        assert!(from_json(q).is_ok());
    }
}
