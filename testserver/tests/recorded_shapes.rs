//! The server's status and data documents against the recorded real ones
//! (tests/fixtures, copied from aurorax-api.md §6): the same field names, JSON types
//! and nulls, the same query echo, and the same log lines up to numbers and ids.

mod common;
use common::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Appends every difference in names, types and nulls. A recorded float may be served
/// as an integer (`500.0` prints as `500`), not the other way round. Array elements are
/// compared with the recorded first element; a recorded empty array must stay empty.
fn shape(path: &str, want: &Value, got: &Value, errors: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            let (wk, gk): (Vec<_>, Vec<_>) = (w.keys().collect(), g.keys().collect());
            for k in &wk {
                if !g.contains_key(*k) {
                    errors.push(format!("{path}.{k}: missing"));
                }
            }
            for k in &gk {
                if !w.contains_key(*k) {
                    errors.push(format!("{path}.{k}: not in the recording"));
                }
            }
            for (k, wv) in w {
                if let Some(gv) = g.get(k) {
                    shape(&format!("{path}.{k}"), wv, gv, errors);
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => match w.first() {
            None if !g.is_empty() => errors.push(format!("{path}: recorded empty, got {g:?}")),
            None => {}
            Some(first) => {
                if g.is_empty() {
                    errors.push(format!("{path}: empty"));
                }
                for (i, gv) in g.iter().enumerate() {
                    shape(&format!("{path}[{i}]"), first, gv, errors);
                }
            }
        },
        _ => {
            let (w, g) = (type_name(want), type_name(got));
            if w != g && !(w == "float" && g == "integer") {
                errors.push(format!("{path}: recorded {w}, got {g} ({got})"));
            }
        }
    }
}

fn assert_shape(what: &str, want: &Value, got: &Value) {
    let mut errors = Vec::new();
    shape("", want, got, &mut errors);
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

/// A log line with the request id, the data-source combination list and every
/// number replaced, so that only the wording is left.
fn mask(summary: &str, id: &str) -> String {
    let mut s = summary.replace(id, "<id>");
    if let (Some(a), Some(b)) = (s.find("[["), s.rfind("]]")) {
        s.replace_range(a..b + 2, "[[…]]");
    }
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            while chars
                .peek()
                .is_some_and(|d| d.is_ascii_digit() || *d == '.')
            {
                chars.next();
            }
            out.push('N');
        } else {
            out.push(c);
        }
    }
    out
}

fn summaries(status: &Value) -> Vec<String> {
    let id = status["search_request"]["request_id"].as_str().unwrap();
    status["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| mask(l["summary"].as_str().unwrap(), id))
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SS` with 0–6 fractional digits and no zone: the 2024 format.
fn is_2024_time(t: &str) -> bool {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() >= 19
        && b.len() <= 26
        && digits(0..4)
        && &t[4..5] == "-"
        && &t[10..11] == "T"
        && digits(17..19)
        && (b.len() == 19 || (b[19] == b'.' && b.len() > 20 && digits(20..b.len())))
}

fn compare_status(kind: &str, query: Value, recorded: &str) {
    let want = fixture(recorded);
    let s = server(0.2);
    let c = client();
    let loc = submit(&c, s.base_url(), kind, &query);
    let got = wait_done(&c, &loc);
    assert_shape(recorded, &want, &got);
    assert_eq!(
        got["search_request"]["query"], want["search_request"]["query"],
        "{recorded}: the query echo"
    );
    assert_eq!(
        got["search_request"]["request_type"],
        want["search_request"]["request_type"]
    );
    let id = got["search_request"]["request_id"].as_str().unwrap();
    assert_eq!(
        got["search_result"]["data_uri"],
        format!("/api/v1/{kind}/requests/{id}/data")
    );
    assert_eq!(
        summaries(&got),
        summaries(&want),
        "{recorded}: the log lines"
    );
    let mut times: Vec<&Value> = got["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["timestamp"])
        .collect();
    times.push(&got["search_request"]["requested"]);
    times.push(&got["search_result"]["completed_timestamp"]);
    for t in times {
        assert!(is_2024_time(t.as_str().unwrap()), "{recorded}: time {t}");
    }
}

fn compare_first_record(kind: &str, query: Value, recorded: &str) {
    let s = server(0.0);
    let c = client();
    let loc = submit(&c, s.base_url(), kind, &query);
    wait_done(&c, &loc);
    let data = get_json(&c, &format!("{loc}/data"));
    assert_eq!(data.as_object().unwrap().len(), 1, "only `result`");
    let records = data["result"].as_array().unwrap();
    assert!(!records.is_empty());
    assert_shape(recorded, &fixture(recorded), &records[0]);
}

#[test]
fn conjunction_status_is_shaped_like_f4() {
    compare_status(
        "conjunctions",
        json!({"start": "2020-01-01T00:00:00", "end": "2020-01-01T06:59:59",
            "ground": [{"programs": ["themis-asi"], "platforms": [], "instrument_types": [], "ephemeris_metadata_filters": null}],
            "space": [{"programs": ["swarm"], "platforms": [], "instrument_types": [], "hemisphere": [], "ephemeris_metadata_filters": null}],
            "events": [], "conjunction_types": ["nbtrace"], "max_distances": {"ground1-space1": 500}, "epoch_search_precision": 60}),
        "f4_conjunction_status_2024.json",
    );
}

#[test]
fn ephemeris_status_is_shaped_like_f5() {
    compare_status(
        "ephemeris",
        json!({"data_sources": {"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"], "ephemeris_metadata_filters": {}},
            "start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59"}),
        "f5_ephemeris_status_2024.json",
    );
}

#[test]
fn data_products_status_is_shaped_like_f6() {
    compare_status(
        "data_products",
        json!({"data_sources": {"programs": ["trex"], "platforms": [], "instrument_types": ["RGB ASI"], "data_product_metadata_filters": {}},
            "start": "2020-02-01T00:00:00", "end": "2020-02-05T23:59:59", "data_product_type_filters": []}),
        "f6_data_products_status_2024.json",
    );
}

#[test]
fn conjunction_records_are_shaped_like_f10() {
    compare_first_record(
        "conjunctions",
        conjunction_query(),
        "f10_conjunction_record_assembled.json",
    );
}

#[test]
fn ephemeris_records_are_shaped_like_f7() {
    compare_first_record(
        "ephemeris",
        ephemeris_query(),
        "f7_ephemeris_record_space.json",
    );
    compare_first_record(
        "ephemeris",
        json!({"data_sources": {"programs": ["themis-asi"], "platforms": ["gillam"]},
            "start": "2020-01-01T00:00:00", "end": "2020-01-01T00:59:59"}),
        "f7_ephemeris_record_ground.json",
    );
}

#[test]
fn data_product_records_are_shaped_like_f8() {
    compare_first_record(
        "data_products",
        data_products_query(),
        "f8_data_product_record.json",
    );
}

#[test]
fn failed_and_cancelled_searches_have_null_counts_and_no_user_uuid() {
    let s = server(0.3);
    let c = client();
    s.set_search_outcome(json!({"outcome": "fail"}));
    let failed = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    let running = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    let r = c.delete(&running).send().unwrap();
    assert_eq!(r.status(), 200);
    let cancelled: Value = r.json().unwrap();
    let failed = wait_done(&c, &failed);
    for st in [&failed, &cancelled] {
        let r = &st["search_result"];
        assert_eq!(r["error_condition"], true);
        assert!(
            r["result_count"].is_null() && r["file_size"].is_null(),
            "{r}"
        );
        assert!(r["data_uri"].is_null());
        assert!(r["query_duration"].is_u64());
        assert!(st["search_request"].get("user_uuid").is_none());
    }
}
