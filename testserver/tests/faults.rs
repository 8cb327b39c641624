//! Every programmable fault, seen from the client side.

mod common;
use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn ready_ephemeris(s: &aurorax_testserver::ServerGuard) -> String {
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    loc
}

#[test]
fn http500_is_a_json_error_and_count_is_honoured() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    s.inject_fault(json!({"route": "status", "fault": "http500", "count": 2}));
    let c = client();
    for _ in 0..2 {
        let r = c.get(&loc).send().unwrap();
        assert_eq!(r.status(), 500);
        assert_content_type_json(&r);
        assert!(r.json::<Value>().unwrap()["error_message"].is_string());
    }
    assert_eq!(c.get(&loc).send().unwrap().status(), 200);
}

#[test]
fn http502_is_an_html_page() {
    let s = server(0.0);
    s.inject_fault(json!({"route": "submit", "fault": "http502"}));
    let r = client()
        .post(format!("{}/api/v1/ephemeris/search", s.base_url()))
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert_eq!(r.status(), 502);
    assert_eq!(r.headers()["content-type"], "text/html");
    assert!(r.text().unwrap().contains("502 Bad Gateway"));
}

#[test]
fn http503_is_maintenance_mode_with_retry_after() {
    let s = server(0.0);
    s.inject_fault(json!({"route": "submit", "fault": "http503", "retry_after_seconds": 7}));
    s.inject_fault(json!({"route": "submit", "fault": "http503"}));
    let c = client();
    for ra in ["7", "1"] {
        let r = c
            .post(format!("{}/api/v1/ephemeris/search", s.base_url()))
            .json(&ephemeris_query())
            .send()
            .unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], ra);
        assert_content_type_json(&r);
        let v: Value = r.json().unwrap();
        assert_eq!(v["error_code"], "Unavailable");
        assert!(v["error_message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("maintenance mode"));
    }
    assert_eq!(
        c.post(format!("{}/api/v1/ephemeris/search", s.base_url()))
            .json(&ephemeris_query())
            .send()
            .unwrap()
            .status(),
        202
    );
}

#[test]
fn http429_is_too_many_requests_with_retry_after() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    s.inject_fault(json!({"route": "data", "fault": "http429", "retry_after_seconds": 3}));
    let r = client().get(format!("{loc}/data")).send().unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "3");
    assert_eq!(r.json::<Value>().unwrap()["error_code"], "ToManyRequests");
}

#[test]
fn reset_closes_the_connection_without_any_response() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    let path = loc.trim_start_matches(s.base_url());
    s.inject_fault(json!({"route": "status", "fault": "reset"}));
    let (got, err) = raw_request(
        s.base_url(),
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            host(s.base_url())
        ),
    );
    assert!(
        got.is_empty(),
        "no HTTP response at all, got {:?}",
        String::from_utf8_lossy(&got)
    );
    assert_eq!(
        err.map(|e| e.kind()),
        Some(std::io::ErrorKind::ConnectionReset),
        "a real RST"
    );
    // reqwest sees a transport error, and the next request is served
    s.inject_fault(json!({"route": "any", "fault": "reset"}));
    assert!(client().get(&loc).send().is_err());
    assert_eq!(client().get(&loc).send().unwrap().status(), 200);
}

#[test]
fn delay_answers_normally_after_the_delay() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    s.inject_fault(json!({"route": "status", "fault": "delay", "delay_ms": 400}));
    let t = Instant::now();
    let r = client().get(&loc).send().unwrap();
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().unwrap()["search_result"]["error_condition"],
        false
    );
}

#[test]
fn truncate_declares_the_full_length_but_sends_half() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    let path = format!("{}/data", loc.trim_start_matches(s.base_url()));
    s.inject_fault(json!({"route": "data", "fault": "truncate"}));
    let (got, _) = raw_request(
        s.base_url(),
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            host(s.base_url())
        ),
    );
    let text = String::from_utf8_lossy(&got);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers arrive");
    assert!(head.starts_with("HTTP/1.1 200"));
    let declared: usize = head
        .lines()
        .find_map(|l| {
            l.to_lowercase()
                .strip_prefix("content-length: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap();
    assert!(
        body.len() < declared && body.len() >= declared / 2 - 1,
        "{} of {declared}",
        body.len()
    );
    // the client library reports an error instead of a short body
    s.inject_fault(json!({"route": "status", "fault": "truncate"}));
    let r = client().get(&loc).send();
    assert!(r.is_err() || r.unwrap().text().is_err());
}

#[test]
fn malformed_is_invalid_json_labelled_as_json() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    s.inject_fault(json!({"route": "status", "fault": "malformed"}));
    let r = client().get(&loc).send().unwrap();
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    assert!(serde_json::from_str::<Value>(&r.text().unwrap()).is_err());
}

#[test]
fn wrong_types_is_valid_json_of_the_wrong_shape() {
    let s = server(0.0);
    let loc = ready_ephemeris(&s);
    s.inject_fault(json!([{"route": "status", "fault": "wrong_types"}, {"route": "data", "fault": "wrong_types"}]));
    let v: Value = client().get(&loc).send().unwrap().json().unwrap();
    assert!(v["search_result"].is_string());
    let v: Value = client()
        .get(format!("{loc}/data"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(v["result"].is_object());
}

#[test]
fn faults_via_http_match_routes_and_can_be_cleared() {
    let s = server(0.0);
    let c = client();
    let base = s.base_url();
    let loc = ready_ephemeris(&s);
    let r = c
        .post(format!("{base}/_testserver/faults"))
        .json(&json!({"route": "cancel", "fault": "http500", "count": 5}))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        c.get(&loc).send().unwrap().status(),
        200,
        "other routes are untouched"
    );
    assert_eq!(c.delete(&loc).send().unwrap().status(), 500);
    assert_eq!(
        c.delete(format!("{base}/_testserver/faults"))
            .send()
            .unwrap()
            .status(),
        200
    );
    assert_eq!(c.delete(&loc).send().unwrap().status(), 204);
    c.post(format!("{base}/_testserver/faults"))
        .json(&json!({"fault": "http500"}))
        .send()
        .unwrap();
    let r = c
        .post(format!("{base}/api/v1/utils/describe/query/ephemeris"))
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert_eq!(r.status(), 500, "route defaults to any");
    let bad = c
        .post(format!("{base}/_testserver/faults"))
        .json(&json!({"route": "submit", "fault": "gremlins"}))
        .send()
        .unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(s.stats()["by_route"]["cancel"], 2, "faulted requests count");
}
