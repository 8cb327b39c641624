//! Conjunction searches: ground, space, events and custom-location criteria blocks, and
//! the maximum distance between each pair.

mod distances;
mod precision;

use super::common::blocks::{self, EVENTS, GROUND, SPACE};
use super::common::json::{parse_optional_array, string_list};
use super::common::time::{format_timestamp, parse_range};
use super::common::QueryObject;
use super::{Kind, SearchRequest};
use crate::error::{Error, Result};
use distances::{check_max_distances, default_distances, distance_value};
use serde_json::{json, Value};

/// The API's limit on the total number of criteria blocks of one search.
pub(crate) const MAX_CRITERIA_BLOCKS: usize = 10;
/// The API needs at least two blocks to have something to conjoin.
pub(crate) const MIN_CRITERIA_BLOCKS: usize = 2;
const CONJUNCTION_TYPES: [&str; 3] = ["nbtrace", "sbtrace", "geographic"];
const TOP_LEVEL_FIELDS: [&str; 12] = [
    "start",
    "end",
    "ground",
    "space",
    "events",
    "adhoc",
    "conjunction_types",
    "max_distances",
    "epoch_search_precision",
    "subminute_precision",
    "request_id",
    "response_format",
];

/// The seed's `search_async(start, end, ground, space, default_distance)`.
pub fn from_parts(
    start: &str,
    end: &str,
    ground_json: Option<&str>,
    space_json: Option<&str>,
    default_distance_km: f64,
) -> Result<SearchRequest> {
    let (start, end) = parse_range(start, end)?;
    let ground = blocks::normalize_all(
        "ground_json",
        &parse_optional_array("ground_json", ground_json)?,
        &GROUND,
    )?;
    let space = blocks::normalize_all(
        "space_json",
        &parse_optional_array("space_json", space_json)?,
        &SPACE,
    )?;
    check_block_count("ground_json and space_json", ground.len() + space.len())?;
    if !default_distance_km.is_finite() || default_distance_km <= 0.0 {
        return Err(Error::invalid(
            "default_distance_km",
            format!("must be a finite number of km > 0, got {default_distance_km}"),
        ));
    }
    let max_distances = default_distances(
        ground.len(),
        space.len(),
        distance_value(default_distance_km),
    );
    // The seed's wire body (pyaurorax 0.8, aurorax-api.md §2.2a): nbtrace, precision 60.
    let body = json!({
        "start": format_timestamp(&start),
        "end": format_timestamp(&end),
        "ground": ground,
        "space": space,
        "events": [],
        "adhoc": [],
        "conjunction_types": ["nbtrace"],
        "max_distances": max_distances,
        "epoch_search_precision": 60,
    });
    Ok(SearchRequest {
        kind: Kind::Conjunctions,
        body: body.to_string(),
        response_format: None,
    })
}

/// A full request object, validated and sent as given (filters in the object form,
/// timestamps in wire format, `response_format` kept aside for the data download), except
/// the epoch precision: `subminute_precision` (boolean) is sent, and the deprecated
/// `epoch_search_precision` (1–60 s) becomes `subminute_precision = precision < 60` as
/// pyaurorax 1.27 maps it (see `precision.rs`).
pub fn from_json(query_json: &str) -> Result<SearchRequest> {
    let mut query = QueryObject::parse(query_json, &TOP_LEVEL_FIELDS)?;
    let ground = blocks::normalize_all("query_json.ground", &query.list("ground")?, &GROUND)?;
    let space = blocks::normalize_all("query_json.space", &query.list("space")?, &SPACE)?;
    let events = blocks::normalize_all("query_json.events", &query.list("events")?, &EVENTS)?;
    let adhoc = query
        .list("adhoc")?
        .iter()
        .enumerate()
        .map(|(i, b)| blocks::normalize_adhoc(&format!("query_json.adhoc[{i}]"), b))
        .collect::<Result<Vec<_>>>()?;
    check_block_count(
        "query_json",
        ground.len() + space.len() + events.len() + adhoc.len(),
    )?;
    let counts = [
        ("ground", ground.len()),
        ("space", space.len()),
        ("events", events.len()),
        ("adhoc", adhoc.len()),
    ];
    if let Some(d) = query.get("max_distances") {
        check_max_distances(d, &counts)?;
    }
    if let Some(t) = query.get("conjunction_types") {
        string_list("query_json.conjunction_types", t, Some(&CONJUNCTION_TYPES))?;
    }
    precision::normalize(&mut query)?;
    for (name, blocks) in [
        ("ground", ground),
        ("space", space),
        ("events", events),
        ("adhoc", adhoc),
    ] {
        query.set(name, Value::Array(blocks));
    }
    query.finish(Kind::Conjunctions)
}

fn check_block_count(argument: &str, total: usize) -> Result<()> {
    if total > MAX_CRITERIA_BLOCKS {
        return Err(Error::invalid(
            argument,
            format!(
                "{total} criteria blocks in total; the API allows at most {MAX_CRITERIA_BLOCKS}"
            ),
        ));
    }
    if total < MIN_CRITERIA_BLOCKS {
        return Err(Error::invalid(argument, format!("{total} criteria block(s); a conjunction search needs at least {MIN_CRITERIA_BLOCKS}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GROUND_SEED: &str = r#"[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]"#;
    const SPACE_SEED: &str = r#"[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]"#;

    #[test]
    fn the_seed_search_gives_the_seed_clients_body_with_object_filters() {
        let r = from_parts(
            "2019-01-01T00:00:00",
            "2019-12-31T23:59:59",
            Some(GROUND_SEED),
            Some(SPACE_SEED),
            300.0,
        )
        .unwrap();
        let body: Value = serde_json::from_str(&r.body).unwrap();
        // aurorax-api.md §2.2 (b), plus the empty events/adhoc lists of later clients.
        let expected = json!({"start": "2019-01-01T00:00:00", "end": "2019-12-31T23:59:59",
            "ground": [{"programs": ["themis-asi"], "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}}],
            "space": [{"programs": ["swarm"], "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}}],
            "events": [], "adhoc": [],
            "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 300}, "epoch_search_precision": 60});
        assert_eq!(body, expected);
        assert_eq!(r.kind, Kind::Conjunctions);
    }

    #[test]
    fn block_limits_and_distance_are_checked() {
        let eleven = format!("[{}]", [r#"{"programs":["swarm"]}"#; 10].join(","));
        let e = from_parts(
            "2019-01-01T00:00:00",
            "2019-01-02T00:00:00",
            Some(GROUND_SEED),
            Some(&eleven),
            300.0,
        )
        .unwrap_err();
        assert!(e.message.contains("at most 10"), "{}", e.message);
        let e = from_parts(
            "2019-01-01T00:00:00",
            "2019-01-02T00:00:00",
            Some(GROUND_SEED),
            None,
            300.0,
        )
        .unwrap_err();
        assert!(e.message.contains("at least 2"), "{}", e.message);
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = from_parts(
                "2019-01-01T00:00:00",
                "2019-01-02T00:00:00",
                Some(GROUND_SEED),
                Some(SPACE_SEED),
                bad,
            )
            .unwrap_err();
            assert!(
                e.message.starts_with("default_distance_km"),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn json_form_keeps_advanced_fields_and_sets_response_format_aside() {
        let q = json!({"start": "2020-01-01 00:00:00", "end": "2020-01-01T06:59:59Z",
            "ground": [{"programs": ["themis-asi"]}], "space": [{"programs": ["swarm"], "hemisphere": ["northern"]}],
            "conjunction_types": ["nbtrace", "sbtrace"], "max_distances": {"ground1-space1": 500},
            "epoch_search_precision": 30, "response_format": {"start": true}});
        let r = from_json(&q.to_string()).unwrap();
        let body: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body["start"], "2020-01-01T00:00:00");
        assert_eq!(body["end"], "2020-01-01T06:59:59");
        // pyaurorax 1.27's mapping: 30 s is sub-minute; the deprecated field is not sent.
        assert_eq!(body["subminute_precision"], true);
        assert!(body.get("epoch_search_precision").is_none());
        assert!(body.get("response_format").is_none());
        assert_eq!(r.response_format.as_deref(), Some(r#"{"start":true}"#));
    }

    #[test]
    fn a_response_format_is_a_tree_of_booleans() {
        let with_format = |format: Value| {
            json!({"start": "2020-01-01T00:00:00", "end": "2020-01-01T06:59:59",
                "ground": [{"programs": ["themis-asi"]}], "space": [{"programs": ["swarm"]}],
                "max_distances": {"ground1-space1": 500}, "response_format": format})
            .to_string()
        };
        let nested = json!({"start": true, "data_source": {"program": true, "identifier": false}});
        assert!(from_json(&with_format(nested)).is_ok());
        for (bad, named) in [
            (json!({"start": "yes"}), "response_format.start"),
            (
                json!({"data_source": {"program": [1, 2]}}),
                "response_format.data_source.program",
            ),
        ] {
            let e = from_json(&with_format(bad)).unwrap_err();
            assert!(e.message.contains(named), "{}", e.message);
        }
    }

    #[test]
    fn json_form_errors_name_the_field() {
        let cases = [
            (r#"[]"#, "query_json: must be a JSON object"),
            (
                r#"{"end": "2020-01-01T00:00:00"}"#,
                "query_json: missing 'start'",
            ),
            (
                r#"{"start": "2020-01-01T00:00:00", "end": "2020-01-01T00:00:00", "grund": []}"#,
                "query_json: unknown field 'grund'",
            ),
            (
                r#"{"start": 5, "end": "2020-01-01T00:00:00"}"#,
                "query_json.start: must be a string",
            ),
            (
                r#"{"start": "2020-01-01T00:00:00", "end": "2020-01-01T00:00:00", "ground": [{"programs": ["a"]}], "space": [{"programs": ["b"]}], "max_distances": {"ground1-space9": 5}}"#,
                "query_json.max_distances.ground1-space9",
            ),
            (
                r#"{"start": "2020-01-01T00:00:00", "end": "2020-01-01T00:00:00", "ground": [{"programs": ["a"]}], "space": [{"programs": ["b"]}], "epoch_search_precision": 61}"#,
                "query_json.epoch_search_precision",
            ),
        ];
        for (q, want) in cases {
            let e = from_json(q).unwrap_err();
            assert!(e.message.starts_with(want), "{q}: {}", e.message);
        }
    }
}
