//! `GET /api/v1/availability/{ephemeris|data_products}`: per-day counts per data
//! source, filters, formats, defaults and 400s.

mod common;
use common::*;
use reqwest::blocking::Client;
use serde_json::{json, Value};

fn avail(c: &Client, base: &str, kind: &str, query: &str) -> Vec<Value> {
    get_json(c, &format!("{base}/api/v1/availability/{kind}?{query}"))
        .as_array()
        .expect("a JSON array")
        .clone()
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn ids(l: &[Value]) -> Vec<i64> {
    l.iter()
        .map(|a| a["data_source"]["identifier"].as_i64().unwrap())
        .collect()
}

#[test]
fn ephemeris_counts_each_day_of_the_range_per_source() {
    let s = server(0.0);
    let c = client();
    let got = avail(
        &c,
        s.base_url(),
        "ephemeris",
        "start=2020-01-01&end=2020-01-05&program=swarm",
    );
    assert_eq!(ids(&got), [3, 29, 30]);
    let mut full_days = 0;
    for a in &got {
        assert_eq!(keys(a), ["available_ephemeris", "data_source"]);
        assert_eq!(
            keys(&a["data_source"]),
            [
                "display_name",
                "identifier",
                "instrument_type",
                "platform",
                "program",
                "source_type"
            ]
        );
        let days = a["available_ephemeris"].as_object().unwrap();
        assert!(!days.is_empty() && days.len() <= 5);
        for (day, n) in days {
            assert!(
                ("2020-01-01"..="2020-01-05").contains(&day.as_str()),
                "{day}"
            );
            // a satellite has one record a minute
            assert_eq!(n, 1440, "{day}");
            full_days += 1;
        }
    }
    assert!(full_days >= 10, "{full_days} of 15 source-days");
    let swarm_a = &got[0]["data_source"];
    assert_eq!(
        swarm_a,
        &json!({"identifier": 3, "program": "swarm", "platform": "swarma", "instrument_type": "footprint",
            "source_type": "leo", "display_name": "Swarm A"})
    );
}

#[test]
fn imagers_follow_the_seasons_and_satellites_have_no_data_products() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let winter = avail(
        &c,
        b,
        "ephemeris",
        "start=2019-12-15&end=2019-12-25&platform=gillam&instrument_type=panchromatic%20ASI",
    );
    let summer = avail(
        &c,
        b,
        "ephemeris",
        "start=2019-06-15&end=2019-06-25&platform=gillam&instrument_type=panchromatic%20ASI",
    );
    let max = |l: &[Value]| {
        l[0]["available_ephemeris"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .max()
            .unwrap()
    };
    assert_eq!(ids(&winter), [46]);
    assert!(max(&winter) > 1000 && max(&summer) < 400);
    let dp = avail(
        &c,
        b,
        "data_products",
        "start=2020-01-01&end=2020-01-31&source_type=leo",
    );
    assert!(dp.is_empty(), "{dp:?}");
}

#[test]
fn data_products_filter_by_type_and_format() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    let all = avail(
        &c,
        b,
        "data_products",
        "start=2020-01-01&end=2020-01-10&program=trex&instrument_type=RGB%20ASI",
    );
    assert_eq!(ids(&all), [103, 104, 105]);
    for a in &all {
        assert_eq!(keys(a), ["available_data_products", "data_source"]);
    }
    let keograms = avail(
        &c,
        b,
        "data_products",
        "start=2020-01-01&end=2020-01-10&program=trex&instrument_type=RGB%20ASI&data_product_type=keogram&format=identifier_only",
    );
    assert_eq!(ids(&keograms), [103, 104, 105]);
    for (k, a) in keograms.iter().zip(&all) {
        assert_eq!(keys(&k["data_source"]), ["identifier"]);
        let (kd, ad) = (
            k["available_data_products"].as_object().unwrap(),
            a["available_data_products"].as_object().unwrap(),
        );
        assert_eq!(kd.keys().collect::<Vec<_>>(), ad.keys().collect::<Vec<_>>());
        for (day, n) in kd {
            assert_eq!(n, 1, "one daily keogram");
            assert!(ad[day].as_u64().unwrap() > 2, "keogram + montage + movies");
        }
    }
    let none = avail(
        &c,
        b,
        "data_products",
        "start=2020-01-01&end=2020-01-10&data_product_type=summary_plot",
    );
    assert!(none.is_empty());
    // the NIR imager starts in November 2021
    assert!(avail(
        &c,
        b,
        "data_products",
        "start=2020-01-01&end=2020-01-10&instrument_type=NIR%20ASI"
    )
    .is_empty());
}

#[test]
fn defaults_and_bad_parameters() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    // no end: start + 12 months; the catalogue's data ends on 2025-12-31
    let got = avail(&c, b, "ephemeris", "start=2025-06-01&platform=swarma");
    let days: Vec<&String> = got[0]["available_ephemeris"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(days.first().unwrap().as_str(), "2025-06-01");
    assert_eq!(days.last().unwrap().as_str(), "2025-12-31");
    // pyaurorax sends `slow` as Python's str(bool)
    let r = c
        .get(format!(
            "{b}/api/v1/availability/ephemeris?start=2020-01-01&end=2020-01-01&slow=False&format=basic_info"
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    for (kind, q) in [
        ("ephemeris", "start=2020-01-01T00:00:00"),
        ("ephemeris", "start=2020-13-01"),
        ("ephemeris", "start=2020-01-05&end=2020-01-01"),
        ("ephemeris", "start=2000-01-01&end=2020-01-01"),
        ("ephemeris", "source_type=orbit"),
        ("ephemeris", "format=everything"),
        ("ephemeris", "slow=maybe"),
        ("data_products", "data_product_type=photo"),
    ] {
        let r = c
            .get(format!("{b}/api/v1/availability/{kind}?{q}"))
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{q}");
        assert_content_type_json(&r);
        let v: Value = r.json().unwrap();
        assert_eq!(v["error_code"], "AssertionError", "{q}");
        assert!(v["error_message"].is_string());
    }
}

#[test]
fn answers_are_deterministic_across_servers() {
    let c = client();
    let (a, b) = (server(0.0), server(0.0));
    for path in [
        "/api/v1/availability/ephemeris?start=2019-01-01&end=2019-03-31",
        "/api/v1/availability/data_products?start=2021-01-01&end=2021-12-31&format=full_record",
    ] {
        let text = |base: &str| {
            c.get(format!("{base}{path}"))
                .send()
                .unwrap()
                .text()
                .unwrap()
        };
        let (x, y) = (text(a.base_url()), text(b.base_url()));
        assert!(x.len() > 1000, "{path}");
        assert_eq!(x, y, "{path}");
    }
}

#[test]
fn availability_route_takes_faults_and_is_counted() {
    let s = server(0.0);
    let c = client();
    let b = s.base_url();
    s.inject_fault(json!({"route": "availability", "fault": "http429"}));
    let url = format!("{b}/api/v1/availability/data_products?start=2020-01-01&end=2020-01-01");
    let r = c.get(&url).send().unwrap();
    assert_eq!(r.status(), 429);
    assert_content_type_json(&r);
    assert_eq!(c.get(&url).send().unwrap().status(), 200);
    avail(&c, b, "ephemeris", "start=2020-01-01&end=2020-01-01");
    assert_eq!(s.stats()["by_route"]["availability"], 3);
    assert_eq!(s.stats()["by_route"]["sources"], 0);
}
