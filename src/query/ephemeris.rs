//! Ephemeris searches: where data sources were, epoch by epoch.

use super::blocks::{self, BlockShape, EPHEMERIS_SOURCES};
use super::conjunctions::take_response_format;
use super::json::{as_object, as_str, check_keys, parse};
use super::time::{format_timestamp, parse_range};
use super::{Kind, SearchRequest};
use crate::error::{Error, Result};
use chrono::NaiveDateTime;
use serde_json::{json, Value};

/// "Maximum time span returned is 1 month" (the API's OpenAPI document).
pub const MAX_SPAN_DAYS: i64 = 31;

pub fn from_parts(start: &str, end: &str, data_sources_json: Option<&str>) -> Result<SearchRequest> {
    let (start, end) = parse_range(start, end)?;
    check_span(&start, &end)?;
    let sources = data_sources("data_sources_json", &parse("data_sources_json", data_sources_json.unwrap_or("null"))?, &EPHEMERIS_SOURCES)?;
    let body = json!({"data_sources": sources, "start": format_timestamp(&start), "end": format_timestamp(&end)});
    Ok(SearchRequest { kind: Kind::Ephemeris, body: body.to_string(), response_format: None })
}

pub fn from_json(query_json: &str) -> Result<SearchRequest> {
    let (query, response_format) = json_query(query_json, &["start", "end", "data_sources", "request_id", "response_format"], &EPHEMERIS_SOURCES, Some(check_span))?;
    Ok(SearchRequest { kind: Kind::Ephemeris, body: query.to_string(), response_format })
}

fn check_span(start: &NaiveDateTime, end: &NaiveDateTime) -> Result<()> {
    if (*end - *start).num_days() >= MAX_SPAN_DAYS {
        return Err(Error::invalid("end", format!("an ephemeris search spans at most {MAX_SPAN_DAYS} days; split the range")));
    }
    Ok(())
}

/// The `data_sources` object of ephemeris and data-product searches; the API needs at least
/// one selection in it.
pub(super) fn data_sources(argument: &str, v: &Value, shape: &BlockShape) -> Result<Value> {
    if v.is_null() {
        return Err(Error::invalid(argument, "is required: give at least one of programs, platforms, instrument_types or a metadata filter"));
    }
    let block = blocks::normalize(argument, v, shape)?;
    if !blocks::selects_something(&block, shape) {
        return Err(Error::invalid(argument, "selects nothing: give at least one of programs, platforms, instrument_types or a metadata filter"));
    }
    Ok(Value::Object(block))
}

type SpanCheck = fn(&NaiveDateTime, &NaiveDateTime) -> Result<()>;

/// Shared by the ephemeris and data-product `_json` forms: checks the fields common to both
/// and returns the normalized query and the response format set aside.
pub(super) fn json_query(query_json: &str, fields: &[&str], shape: &BlockShape, span: Option<SpanCheck>) -> Result<(Value, Option<String>)> {
    let mut query = parse("query_json", query_json)?;
    let object = as_object("query_json", &query)?;
    check_keys("query_json", object, fields)?;
    let field = |name: &str| object.get(name).ok_or_else(|| Error::invalid("query_json", format!("missing '{name}'")));
    let (start, end) = parse_range(as_str("query_json.start", field("start")?)?, as_str("query_json.end", field("end")?)?)?;
    if let Some(check) = span {
        check(&start, &end)?;
    }
    let sources = data_sources("query_json.data_sources", field("data_sources")?, shape)?;
    let response_format = take_response_format(&mut query)?;
    let object = query.as_object_mut().expect("checked above");
    object.insert("start".into(), Value::String(format_timestamp(&start)));
    object.insert("end".into(), Value::String(format_timestamp(&end)));
    object.insert("data_sources".into(), sources);
    Ok((query, response_format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_matches_the_reference_clients() {
        let r = from_parts("2019-01-01T00:00:00", "2019-01-01T23:59:59",
            Some(r#"{"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}"#)).unwrap();
        let body: Value = serde_json::from_str(&r.body).unwrap();
        // aurorax-api.md §2.3, v0.8.0 body.
        assert_eq!(body, json!({"data_sources": {"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"], "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}}, "start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59"}));
    }

    #[test]
    fn empty_selection_and_long_spans_are_refused() {
        let e = from_parts("2019-01-01T00:00:00", "2019-01-01T23:59:59", Some(r#"{"programs": []}"#)).unwrap_err();
        assert!(e.message.starts_with("data_sources_json: selects nothing"), "{}", e.message);
        let e = from_parts("2019-01-01T00:00:00", "2019-01-01T23:59:59", None).unwrap_err();
        assert!(e.message.starts_with("data_sources_json: is required"), "{}", e.message);
        let e = from_parts("2019-01-01T00:00:00", "2019-03-01T00:00:00", Some(r#"{"programs": ["swarm"]}"#)).unwrap_err();
        assert!(e.message.starts_with("end: an ephemeris search spans at most"), "{}", e.message);
    }
}
