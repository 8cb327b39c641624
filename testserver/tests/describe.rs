//! `POST /api/v1/utils/describe/query/{conjunction|ephemeris|data_products}`:
//! a JSON string for each kind, the real path spellings, and 400s for bad bodies.

mod common;
use common::*;
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};

fn post(c: &Client, base: &str, kind: &str, body: &str) -> Response {
    c.post(format!("{base}/api/v1/utils/describe/query/{kind}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .unwrap()
}

fn describe(c: &Client, base: &str, kind: &str, q: &Value) -> String {
    let r = post(c, base, kind, &q.to_string());
    assert_eq!(r.status(), 200, "{kind}");
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    v.as_str()
        .unwrap_or_else(|| panic!("{kind}: not a JSON string: {v}"))
        .to_string()
}

#[test]
fn each_kind_is_described_in_one_sentence() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let conj = describe(&c, b, "conjunction", &conjunction_query());
    assert!(
        conj.starts_with("Find conjunctions of type (nbtrace) with epoch precision of 60 seconds"),
        "{conj}"
    );
    assert!(conj.contains("ground1=(program in (themis-asi)"), "{conj}");
    assert!(conj.contains("space1=(program in (swarm)"), "{conj}");
    assert!(
        conj.contains("2020-01-01T00:00:00 AND 2020-01-03T06:59:59"),
        "{conj}"
    );
    assert!(conj.contains("ground1-space1=500 km"), "{conj}");
    let eph = describe(&c, b, "ephemeris", &ephemeris_query());
    assert!(
        eph.starts_with("Find ephemeris for (program in (swarm) AND platform in (swarma)"),
        "{eph}"
    );
    assert!(eph.ends_with("AND epoch between 2019-01-01T00:00:00 and 2019-01-01T23:59:59 UTC"));
    let dp = describe(&c, b, "data_products", &data_products_query());
    assert!(
        dp.starts_with("Find data products for (program in (trex)"),
        "{dp}"
    );
    assert!(dp.contains("keogram_type = (daily)"), "{dp}");
    assert!(dp.contains("data_product_type in (keogram)"), "{dp}");
}

#[test]
fn the_sentence_depends_only_on_the_query() {
    let c = client();
    let (a, b) = (server(0.0), server(0.0));
    for (kind, q) in [
        ("conjunction", conjunction_query()),
        ("ephemeris", ephemeris_query()),
        ("data_products", data_products_query()),
    ] {
        assert_eq!(
            describe(&c, a.base_url(), kind, &q),
            describe(&c, b.base_url(), kind, &q)
        );
    }
    // the same query written in the web UI's time format gives the same sentence
    let mut q = ephemeris_query();
    q["start"] = json!("2019-01-01T00:00:00.000Z");
    assert_eq!(
        describe(&c, a.base_url(), "ephemeris", &q),
        describe(&c, a.base_url(), "ephemeris", &ephemeris_query())
    );
}

#[test]
fn paths_are_spelled_as_the_real_api_spells_them() {
    let s = server(0.0);
    let c = client();
    let body = conjunction_query().to_string();
    for wrong in ["conjunctions", "data_product", "ephemeri"] {
        let r = post(&c, s.base_url(), wrong, &body);
        assert_eq!(r.status(), 404, "{wrong}");
        assert_content_type_json(&r);
    }
}

#[test]
fn bad_bodies_get_400_with_an_error_document() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let mut no_blocks = conjunction_query();
    no_blocks["space"] = json!([]);
    let mut bad_type = data_products_query();
    bad_type["data_product_type_filters"] = json!(["photo"]);
    let cases: Vec<(&str, String)> = vec![
        ("conjunction", "{not json".into()),
        ("conjunction", "[]".into()),
        ("conjunction", no_blocks.to_string()),
        ("ephemeris", "".into()),
        (
            "ephemeris",
            json!({"start": "2019-01-01T00:00:00"}).to_string(),
        ),
        (
            "ephemeris",
            json!({"data_sources": {"programs": ["swarm"]}, "start": "2019-01-02T00:00:00", "end": "2019-01-01T00:00:00"})
                .to_string(),
        ),
        ("data_products", "\"a string\"".into()),
        ("data_products", bad_type.to_string()),
    ];
    for (kind, body) in cases {
        let r = post(&c, b, kind, &body);
        assert_eq!(r.status(), 400, "{kind} {body}");
        assert_content_type_json(&r);
        let v: Value = r.json().unwrap();
        assert_eq!(v["error_code"], "AssertionError", "{kind} {body}");
        assert!(
            v["error_message"].as_str().is_some_and(|m| !m.is_empty()),
            "{v}"
        );
    }
}
