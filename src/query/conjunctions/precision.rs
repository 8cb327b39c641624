//! Epoch precision. The API now takes `subminute_precision` (a boolean; left out, the API
//! searches at its default one-minute precision). Older queries, such as the ones the AuroraX
//! website exports and pyaurorax before 1.12 sent, carry the deprecated
//! `epoch_search_precision` in seconds. pyaurorax 1.27 (`search_from_raw_query` in
//! `search/conjunctions/_conjunctions.py`) accepts an integer 1–60 there, turns it into
//! `subminute_precision = precision < 60` unless the query already has a
//! `subminute_precision` key, and never sends `epoch_search_precision` itself. We do the same,
//! so a query that works with pyaurorax 1.27 works here and reaches the API in the same form.

use crate::error::{Error, Result};
use crate::query::common::json::type_name;
use crate::query::common::QueryObject;
use serde_json::Value;

/// The deprecated field's range, in seconds (pyaurorax 1.27).
const EPOCH_PRECISION_SECONDS: std::ops::RangeInclusive<i64> = 1..=60;

/// Checks both fields and leaves at most `subminute_precision` (a boolean) in the query.
pub(super) fn normalize(query: &mut QueryObject) -> Result<()> {
    let subminute = query.get("subminute_precision").cloned();
    match &subminute {
        None | Some(Value::Bool(_)) => {}
        // pyaurorax 1.27 treats null as "not set": the key is then left out of the body.
        Some(Value::Null) => {
            query.remove("subminute_precision");
        }
        Some(other) => {
            return Err(Error::invalid(
                "query_json.subminute_precision",
                format!("must be true or false, got {}", type_name(other)),
            ))
        }
    }
    match query.remove("epoch_search_precision") {
        None | Some(Value::Null) => {}
        Some(v) => {
            // as_i64 is None for booleans and for numbers written with a fraction or
            // exponent (30.0): pyaurorax 1.27 refuses those too, being no Python int.
            let seconds = v.as_i64().filter(|s| EPOCH_PRECISION_SECONDS.contains(s)).ok_or_else(|| {
                Error::invalid(
                    "query_json.epoch_search_precision",
                    format!("must be a whole number of seconds from 1 to 60, got {v} (deprecated: use subminute_precision)"),
                )
            })?;
            // A subminute_precision key, even null, wins over the deprecated field (1.27's rule).
            if subminute.is_none() {
                query.set("subminute_precision", Value::Bool(seconds < 60));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::query::conjunctions::from_json;
    use serde_json::Value;

    /// The body pyaurorax 1.27.0 builds for `conjunctions.search(2019-01-01, 2019-12-31T23:59:59,
    /// 300, ground=[GroundCriteriaBlock(programs=["themis-asi"], metadata_filters=…("calgary_cloud_ml_v1",
    /// "classified as not cloudy", "="))], space=[SpaceCriteriaBlock(programs=["swarm"],
    /// hemisphere=["northern"])], conjunction_types=["nbtrace"], subminute_precision=True)`:
    /// the `data=` string it hands to `requests.request`, captured with requests patched out.
    const PYAURORAX_1_27_SEARCH_BODY: &str = r#"{"start": "2019-01-01T00:00:00", "end": "2019-12-31T23:59:59", "ground": [{"programs": ["themis-asi"], "platforms": [], "instrument_types": [], "ephemeris_metadata_filters": {"expressions": [{"key": "calgary_cloud_ml_v1", "values": ["classified as not cloudy"], "operator": "="}], "logical_operator": "AND"}}], "space": [{"programs": ["swarm"], "platforms": [], "instrument_types": [], "hemisphere": ["northern"], "ephemeris_metadata_filters": null}], "events": [], "adhoc": [], "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 300}, "subminute_precision": true}"#;

    /// A query in the AuroraX website's export form (`.000Z` timestamps, the deprecated
    /// `epoch_search_precision`), and the body pyaurorax 1.27.0's
    /// `conjunctions.search_from_raw_query` builds from it, captured the same way.
    const WEBSITE_QUERY: &str = r#"{"start": "2020-01-01T00:00:00.000Z", "end": "2020-01-01T23:59:59.000Z", "ground": [{"programs": ["themis-asi"], "platforms": ["gillam"], "instrument_types": [], "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "calgary_cloud_ml_v1", "operator": "=", "values": ["classified as not cloudy"]}]}}], "space": [{"programs": ["swarm"], "platforms": [], "instrument_types": [], "hemisphere": ["northern"]}], "events": [], "adhoc": [{"locations": [{"lat": 51.05, "lon": -114.07}]}], "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 500, "ground1-adhoc1": null, "space1-adhoc1": 1000}, "epoch_search_precision": 30}"#;
    const PYAURORAX_1_27_RAW_QUERY_BODY: &str = r#"{"start": "2020-01-01T00:00:00", "end": "2020-01-01T23:59:59", "ground": [{"programs": ["themis-asi"], "platforms": ["gillam"], "instrument_types": [], "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "calgary_cloud_ml_v1", "operator": "=", "values": ["classified as not cloudy"]}]}}], "space": [{"programs": ["swarm"], "platforms": [], "instrument_types": [], "hemisphere": ["northern"]}], "events": [], "adhoc": [{"locations": [{"lat": 51.05, "lon": -114.07}]}], "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 500, "ground1-adhoc1": null, "space1-adhoc1": 1000}, "subminute_precision": true}"#;

    fn sent(query: &str) -> Value {
        serde_json::from_str(&from_json(query).unwrap().body).unwrap()
    }

    fn query_with(precision: &str) -> String {
        format!(
            r#"{{"start": "2020-01-01T00:00:00", "end": "2020-01-01T23:59:59", "ground": [{{"programs": ["a"]}}], "space": [{{"programs": ["b"]}}]{precision}}}"#
        )
    }

    #[test]
    fn a_body_pyaurorax_1_27_sends_goes_out_unchanged() {
        let mut expected: Value = serde_json::from_str(PYAURORAX_1_27_SEARCH_BODY).unwrap();
        // The one normalisation: a null filter is "no filter", and we leave the key out.
        expected["space"][0]
            .as_object_mut()
            .unwrap()
            .remove("ephemeris_metadata_filters");
        assert_eq!(sent(PYAURORAX_1_27_SEARCH_BODY), expected);
    }

    #[test]
    fn a_website_query_goes_out_as_pyaurorax_1_27_sends_it() {
        let expected: Value = serde_json::from_str(PYAURORAX_1_27_RAW_QUERY_BODY).unwrap();
        assert_eq!(sent(WEBSITE_QUERY), expected);
    }

    #[test]
    fn epoch_search_precision_maps_to_subminute_precision_as_1_27_does() {
        let cases = [
            (r#", "epoch_search_precision": 1"#, Some(true)),
            (r#", "epoch_search_precision": 59"#, Some(true)),
            (r#", "epoch_search_precision": 60"#, Some(false)),
            (r#", "epoch_search_precision": null"#, None),
            ("", None),
            (r#", "subminute_precision": false"#, Some(false)),
            (r#", "subminute_precision": null"#, None),
            // an explicit subminute_precision key wins, even null
            (
                r#", "epoch_search_precision": 30, "subminute_precision": false"#,
                Some(false),
            ),
            (
                r#", "subminute_precision": true, "epoch_search_precision": 60"#,
                Some(true),
            ),
            (
                r#", "subminute_precision": null, "epoch_search_precision": 30"#,
                None,
            ),
        ];
        for (fields, want) in cases {
            let body = sent(&query_with(fields));
            assert!(
                body.get("epoch_search_precision").is_none(),
                "{fields}: {body}"
            );
            assert_eq!(
                body.get("subminute_precision"),
                want.map(Value::Bool).as_ref(),
                "{fields}"
            );
        }
    }

    #[test]
    fn bad_precisions_are_refused_naming_the_field() {
        for bad in ["0", "61", "-5", r#""30""#, "true", "30.0", "[30]"] {
            let e = from_json(&query_with(&format!(
                r#", "epoch_search_precision": {bad}"#
            )))
            .unwrap_err();
            assert!(e.message.starts_with("query_json.epoch_search_precision: must be a whole number of seconds from 1 to 60"), "{bad}: {}", e.message);
        }
        for bad in ["1", r#""true""#, "{}"] {
            let e =
                from_json(&query_with(&format!(r#", "subminute_precision": {bad}"#))).unwrap_err();
            assert!(
                e.message
                    .starts_with("query_json.subminute_precision: must be true or false"),
                "{bad}: {}",
                e.message
            );
        }
        // the deprecated field is checked even when subminute_precision decides (1.27 does too)
        let e = from_json(&query_with(
            r#", "subminute_precision": true, "epoch_search_precision": 0"#,
        ))
        .unwrap_err();
        assert!(
            e.message.starts_with("query_json.epoch_search_precision"),
            "{}",
            e.message
        );
    }
}
