//! `/api/v1/data_sources`: list, search, get; formats, filters, 404s, and the
//! same identifiers as the sources inside search records.

mod common;
use common::*;
use reqwest::blocking::Client;
use serde_json::{json, Value};

const BASIC_INFO: [&str; 6] = [
    "identifier",
    "program",
    "platform",
    "instrument_type",
    "source_type",
    "display_name",
];

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    k.sort();
    k
}

fn list(c: &Client, base: &str, query: &str) -> Vec<Value> {
    get_json(c, &format!("{base}/api/v1/data_sources{query}"))
        .as_array()
        .expect("a JSON array")
        .clone()
}

fn ids(l: &[Value]) -> Vec<i64> {
    l.iter()
        .map(|s| s["identifier"].as_i64().unwrap())
        .collect()
}

fn error_of(r: reqwest::blocking::Response, status: u16) -> Value {
    assert_eq!(r.status(), status);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(keys(&v), sorted(&["error_code", "error_message"]), "{v}");
    v
}

#[test]
fn list_defaults_to_basic_info_in_identifier_order() {
    let s = server(0.0);
    let c = client();
    let all = list(&c, s.base_url(), "");
    assert!(all.len() >= 15, "{}", all.len());
    let got = ids(&all);
    let mut want = got.clone();
    want.sort();
    want.dedup();
    assert_eq!(got, want, "unique and ascending");
    for src in &all {
        assert_eq!(keys(src), sorted(&BASIC_INFO), "{src}");
        assert!(src["identifier"].is_i64());
        for k in &BASIC_INFO[1..] {
            assert!(
                src[k].as_str().is_some_and(|v| !v.is_empty()),
                "{k} in {src}"
            );
        }
    }
    let swarm_a = all.iter().find(|v| v["identifier"] == 3).unwrap();
    assert_eq!(
        swarm_a,
        &json!({"identifier": 3, "program": "swarm", "platform": "swarma", "instrument_type": "footprint",
            "source_type": "leo", "display_name": "Swarm A"})
    );
}

#[test]
fn each_format_has_its_fields_and_types() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    for src in list(&c, b, "?format=identifier_only") {
        assert_eq!(keys(&src), ["identifier"]);
    }
    for src in list(&c, b, "?format=with_metadata") {
        let mut want = BASIC_INFO.to_vec();
        want.push("metadata");
        assert_eq!(keys(&src), sorted(&want));
        assert!(src["metadata"].is_object());
    }
    let full = list(&c, b, "?format=full_record");
    for src in &full {
        let mut want = BASIC_INFO.to_vec();
        want.extend([
            "metadata",
            "owner",
            "maintainers",
            "ephemeris_metadata_schema",
            "data_product_metadata_schema",
        ]);
        assert_eq!(keys(src), sorted(&want), "{src}");
        assert!(src["owner"].is_string() && src["maintainers"].is_array());
        for schema in ["ephemeris_metadata_schema", "data_product_metadata_schema"] {
            for item in src[schema].as_array().unwrap() {
                assert_eq!(
                    keys(item),
                    sorted(&[
                        "field_name",
                        "description",
                        "data_type",
                        "allowed_values",
                        "searchable"
                    ]),
                    "{item}"
                );
                assert!(item["allowed_values"].is_array() && item["searchable"].is_boolean());
            }
        }
    }
    let r = c
        .get(format!("{b}/api/v1/data_sources?format=everything"))
        .send()
        .unwrap();
    assert!(error_of(r, 400)["error_message"]
        .as_str()
        .unwrap()
        .starts_with("format:"));
}

/// The metadata keys that search records carry are the ones the schemas list,
/// so a client can build filters from a schema.
#[test]
fn schemas_name_the_metadata_filter_keys() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let field_names = |src: &Value, schema: &str| -> Vec<String> {
        src[schema]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["field_name"].as_str().unwrap().to_string())
            .collect()
    };
    let swarm = get_json(&c, &format!("{b}/api/v1/data_sources/3?format=full_record"));
    let eph = field_names(&swarm, "ephemeris_metadata_schema");
    assert!(eph.contains(&"nbtrace_region".to_string()), "{eph:?}");
    assert!(field_names(&swarm, "data_product_metadata_schema").is_empty());
    let trex = get_json(
        &c,
        &format!("{b}/api/v1/data_sources/103?format=full_record"),
    );
    assert!(field_names(&trex, "ephemeris_metadata_schema")
        .contains(&"calgary_cloud_ml_v1".to_string()));
    assert!(
        field_names(&trex, "data_product_metadata_schema").contains(&"keogram_type".to_string())
    );
}

#[test]
fn list_filters_each_narrow_the_catalogue() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let all = list(&c, b, "");
    for (param, field, value) in [
        ("program", "program", "trex"),
        ("platform", "platform", "gillam"),
        ("instrument_type", "instrument_type", "RGB%20ASI"),
        ("source_type", "source_type", "leo"),
    ] {
        let got = list(&c, b, &format!("?{param}={value}"));
        let plain = value.replace("%20", " ");
        let want: Vec<&Value> = all.iter().filter(|v| v[field] == plain).collect();
        assert!(!got.is_empty() && got.len() < all.len(), "{param}");
        assert_eq!(got.iter().collect::<Vec<_>>(), want, "{param}");
    }
    let one = list(
        &c,
        b,
        "?program=trex&platform=gillam&instrument_type=NIR%20ASI",
    );
    assert_eq!(ids(&one), [120]);
    assert!(list(&c, b, "?program=TREX").is_empty(), "matching is exact");
    assert!(list(&c, b, "?program=nope").is_empty());
    let owner = list(&c, b, "?format=full_record")[0]["owner"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(list(&c, b, &format!("?owner={owner}")).len(), all.len());
    assert!(list(&c, b, "?owner=someone@else").is_empty());
    // pyaurorax sends Python's str(bool)
    assert_eq!(list(&c, b, "?include_stats=False").len(), all.len());
    let r = c
        .get(format!("{b}/api/v1/data_sources?source_type=orbit"))
        .send()
        .unwrap();
    error_of(r, 400);
}

#[test]
fn search_filters_by_lists() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let post = |q: &str, body: Value| {
        c.post(format!("{b}/api/v1/data_sources/search{q}"))
            .json(&body)
            .send()
            .unwrap()
    };
    let r = post(
        "",
        json!({"programs": ["swarm", "trex"], "platforms": ["swarma", "gillam"], "instrument_types": []}),
    );
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(ids(v.as_array().unwrap()), [3, 103, 120]);
    let r = post(
        "?format=identifier_only",
        json!({"programs": null, "platforms": null, "instrument_types": ["redline ASI"]}),
    );
    let v: Value = r.json().unwrap();
    assert_eq!(
        v,
        json!([{"identifier": 80}, {"identifier": 81}, {"identifier": 82}])
    );
    let everything: Value = post("", json!({})).json().unwrap();
    assert_eq!(everything.as_array().unwrap().len(), list(&c, b, "").len());
    error_of(post("", json!({"programs": "swarm"})), 400);
    error_of(post("", json!(["swarm"])), 400);
    // not a search submission: no Location, not counted as one
    assert_eq!(s.stats()["by_route"]["submit"], 0);
}

#[test]
fn get_by_identifier_with_formats_stats_and_404() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let v = get_json(&c, &format!("{b}/api/v1/data_sources/46"));
    assert_eq!(
        v,
        json!({"identifier": 46, "program": "themis-asi", "platform": "gillam", "instrument_type": "panchromatic ASI",
            "source_type": "ground", "display_name": "THEMIS-ASI GILL"})
    );
    let v = get_json(
        &c,
        &format!("{b}/api/v1/data_sources/46?format=identifier_only"),
    );
    assert_eq!(v, json!({"identifier": 46}));
    let v = get_json(
        &c,
        &format!("{b}/api/v1/data_sources/3?format=full_record&include_stats=true"),
    );
    let st = &v["stats"];
    assert_eq!(
        keys(st),
        sorted(&[
            "data_source",
            "earliest_ephemeris_loaded",
            "latest_ephemeris_loaded",
            "ephemeris_count",
            "earliest_data_product_loaded",
            "latest_data_product_loaded",
            "data_product_count"
        ])
    );
    assert_eq!(st["earliest_ephemeris_loaded"], "2013-11-26T00:00:00");
    assert!(st["ephemeris_count"].as_u64().unwrap() > 1000 * 1440);
    assert_eq!(st["data_product_count"], 0);
    assert!(st["earliest_data_product_loaded"].is_null());
    assert_eq!(st["data_source"]["identifier"], 3);
    let r = c
        .get(format!("{b}/api/v1/data_sources/99999"))
        .send()
        .unwrap();
    let e = error_of(r, 404);
    assert_eq!(e["error_code"], "NotFound");
    assert!(e["error_message"].as_str().unwrap().contains("99999"));
    let r = c
        .get(format!("{b}/api/v1/data_sources/swarma"))
        .send()
        .unwrap();
    error_of(r, 400);
}

#[test]
fn answers_are_deterministic_across_servers() {
    let c = client();
    let (a, b) = (server(0.0), server(0.0));
    let text = |base: &str, path: &str| {
        c.get(format!("{base}{path}"))
            .send()
            .unwrap()
            .text()
            .unwrap()
    };
    for path in [
        "/api/v1/data_sources?format=full_record&include_stats=true",
        "/api/v1/data_sources/104?format=with_metadata",
    ] {
        assert_eq!(text(a.base_url(), path), text(b.base_url(), path), "{path}");
    }
}

/// A source found in a search record is the catalogue's source, field for field.
#[test]
fn search_records_use_catalogue_sources() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let q = json!({"data_sources": {"programs": ["trex"], "platforms": ["gillam"], "instrument_types": ["NIR ASI"]},
        "start": "2022-01-01T00:00:00", "end": "2022-01-01T23:59:59"});
    let loc = submit(&c, b, "data_products", &q);
    wait_done(&c, &loc);
    let data = get_json(&c, &format!("{loc}/data"));
    let src = &data["result"][0]["data_source"];
    assert_eq!(src["identifier"], 120);
    assert_eq!(src, &get_json(&c, &format!("{b}/api/v1/data_sources/120")));
    let loc = submit(&c, b, "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    let data = get_json(&c, &format!("{loc}/data"));
    assert_eq!(
        data["result"][0]["data_source"],
        get_json(&c, &format!("{b}/api/v1/data_sources/3"))
    );
}

#[test]
fn sources_route_takes_faults_and_is_counted() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    s.inject_fault(json!({"route": "sources", "fault": "http503", "count": 2}));
    let r = c.get(format!("{b}/api/v1/data_sources")).send().unwrap();
    assert!(error_of(r, 503)["error_message"]
        .as_str()
        .unwrap()
        .contains("maintenance mode"));
    let r = c
        .post(format!("{b}/api/v1/data_sources/search"))
        .json(&json!({}))
        .send()
        .unwrap();
    error_of(r, 503);
    assert_eq!(list(&c, b, "?program=swarm").len(), 3, "two faults only");
    get_json(&c, &format!("{b}/api/v1/data_sources/3"));
    let st = s.stats();
    assert_eq!(st["by_route"]["sources"], 4);
    assert_eq!(st["by_route"]["submit"], 0);
    assert_eq!(st["by_route"]["availability"], 0);
}

#[test]
fn undecodable_input_is_a_json_400_not_a_plain_text_rejection() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    for path in [
        "/api/v1/data_sources/%FF",
        "/api/v1/data_sources/3?format=%FF",
        "/api/v1/availability/ephemeris?start=%FF",
    ] {
        let r = c.get(format!("{b}{path}")).send().unwrap();
        assert_eq!(error_of(r, 400)["error_code"], "AssertionError", "{path}");
    }
}
