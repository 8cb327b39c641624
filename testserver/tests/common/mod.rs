//! Helpers shared by the integration tests.
#![allow(dead_code)]

use aurorax_testserver::{start, Config, ServerGuard};
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// How long a test waits for something the server will do by itself (a search finishing,
/// a port coming back, a count moving) before it calls it a hang: long enough for any
/// machine, however busy, so no test depends on its speed.
pub const UNTIL_IT_HAPPENS: Duration = Duration::from_secs(300);

pub fn server(search_seconds: f64) -> ServerGuard {
    start(Config {
        search_seconds,
        ..Config::default()
    })
    .expect("server starts")
}

pub fn client() -> Client {
    // The workspace build enables reqwest's gzip (the library wants it), which would make
    // this client decode answers itself and hide the Content-Encoding under test.
    Client::builder()
        .no_gzip()
        .timeout(UNTIL_IT_HAPPENS)
        .build()
        .unwrap()
}

pub fn conjunction_query() -> Value {
    json!({"start": "2020-01-01T00:00:00", "end": "2020-01-03T06:59:59",
        "ground": [{"programs": ["themis-asi"], "platforms": [], "instrument_types": [],
            "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "calgary_cloud_ml_v1", "operator": "=", "values": ["classified as not cloudy"]}]}}],
        "space": [{"programs": ["swarm"], "hemisphere": ["northern"]}],
        "events": [], "adhoc": [], "conjunction_types": ["nbtrace"],
        "max_distances": {"ground1-space1": 500}, "epoch_search_precision": 60})
}

pub fn ephemeris_query() -> Value {
    json!({"data_sources": {"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"], "ephemeris_metadata_filters": {}},
        "start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59"})
}

pub fn data_products_query() -> Value {
    json!({"data_sources": {"programs": ["trex"], "platforms": [], "instrument_types": ["RGB ASI"],
            "data_product_metadata_filters": {"expressions": [{"key": "keogram_type", "values": ["daily"], "operator": "="}], "logical_operator": "AND"}},
        "start": "2020-02-01T00:00:00", "end": "2020-02-05T23:59:59", "data_product_type_filters": ["keogram"]})
}

/// Submits and returns the Location.
pub fn submit(c: &Client, base: &str, kind: &str, q: &Value) -> String {
    let r = c
        .post(format!("{base}/api/v1/{kind}/search"))
        .json(q)
        .send()
        .unwrap();
    assert_eq!(r.status(), 202, "submit: {}", r.text().unwrap_or_default());
    r.headers()["location"].to_str().unwrap().to_string()
}

pub fn get_json(c: &Client, url: &str) -> Value {
    let r = c.get(url).send().unwrap();
    assert_eq!(r.status(), 200, "GET {url}");
    assert_content_type_json(&r);
    r.json().unwrap()
}

pub fn assert_content_type_json(r: &Response) {
    assert_eq!(
        r.headers()["content-type"],
        "application/json",
        "exact Content-Type"
    );
}

/// Polls until data_uri or completed_timestamp is set.
pub fn wait_done(c: &Client, location: &str) -> Value {
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    loop {
        let s = get_json(c, location);
        if !s["search_result"]["completed_timestamp"].is_null() {
            return s;
        }
        assert!(Instant::now() < deadline, "search did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends one raw HTTP/1.1 request and reads until the server closes; returns
/// what arrived and whether the read ended with an error (e.g. a reset).
pub fn raw_request(base: &str, request: &str) -> (Vec<u8>, Option<std::io::Error>) {
    let addr = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(UNTIL_IT_HAPPENS)).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (out, None),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) => return (out, Some(e)),
        }
    }
}

pub fn host(base: &str) -> &str {
    base.trim_start_matches("http://")
}
