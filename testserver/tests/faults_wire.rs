//! The faults the library's reliability tests need, asserted on the wire.

mod common;
use common::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn ready(s: &aurorax_testserver::ServerGuard, kind: &str, q: &Value) -> String {
    let c = client();
    let loc = submit(&c, s.base_url(), kind, q);
    wait_done(&c, &loc);
    loc
}

fn id_of(loc: &str) -> String {
    loc.rsplit('/').next().unwrap().to_string()
}

fn submit_raw(s: &aurorax_testserver::ServerGuard) -> reqwest::blocking::Response {
    client()
        .post(format!("{}/api/v1/ephemeris/search", s.base_url()))
        .json(&ephemeris_query())
        .send()
        .unwrap()
}

#[test]
fn any_header_value_can_be_sent_on_any_fault_or_normal_answer() {
    let s = server(0.0);
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    for ra in ["1e300", "-5", date, "garbage"] {
        s.inject_fault(
            json!({"route": "submit", "fault": "http503", "headers": {"Retry-After": ra}}),
        );
        let r = submit_raw(&s);
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], ra);
        assert_eq!(
            r.headers().get_all("retry-after").iter().count(),
            1,
            "replaced, not added"
        );
    }
    // "headers" alone: the normal answer plus the header
    let loc = ready(&s, "ephemeris", &ephemeris_query());
    s.inject_fault(json!({"route": "status", "fault": "headers", "headers": {"Retry-After": "-5", "X-Extra": "1"}}));
    let r = client().get(&loc).send().unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["retry-after"], "-5");
    assert_eq!(r.headers()["x-extra"], "1");
    assert_eq!(
        r.json::<Value>().unwrap()["search_result"]["error_condition"],
        false
    );
    let r = client().get(&loc).send().unwrap();
    assert!(
        r.headers().get("retry-after").is_none(),
        "count 1 by default"
    );
}

#[test]
fn a_content_length_larger_than_the_body_closes_the_connection_early() {
    let s = server(0.0);
    let loc = ready(&s, "ephemeris", &ephemeris_query());
    let path = loc.trim_start_matches(s.base_url());
    s.inject_fault(
        json!({"route": "status", "fault": "headers", "headers": {"Content-Length": "100000"}}),
    );
    let (got, _) = raw_request(
        s.base_url(),
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            host(s.base_url())
        ),
    );
    let text = String::from_utf8_lossy(&got);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers arrive");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_lowercase().contains("content-length: 100000"),
        "{head}"
    );
    assert!(
        body.len() < 100_000 && body.contains("\"logs\""),
        "{} bytes",
        body.len()
    );
    let r = client().get(&loc).send();
    assert!(
        r.is_ok_and(|r| r.status() == 200),
        "the next request is normal"
    );
}

#[test]
fn a_content_length_smaller_than_the_body_sends_only_that_many_bytes() {
    let s = server(0.0);
    let loc = ready(&s, "ephemeris", &ephemeris_query());
    let path = loc.trim_start_matches(s.base_url());
    s.inject_fault(
        json!({"route": "status", "fault": "headers", "headers": {"Content-Length": "10"}}),
    );
    let (got, _) = raw_request(
        s.base_url(),
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            host(s.base_url())
        ),
    );
    let text = String::from_utf8_lossy(&got);
    let (head, body) = text.split_once("\r\n\r\n").expect("headers arrive");
    assert!(head.to_lowercase().contains("content-length: 10"), "{head}");
    assert_eq!(body, "{\"logs\":[{");
}

#[test]
fn a_bad_headers_spec_is_refused() {
    let s = server(0.0);
    let c = client();
    for spec in [
        json!({"fault": "headers"}),
        json!({"fault": "headers", "headers": {"Retry-After": 5}}),
        json!({"fault": "headers", "headers": {"bad name": "x"}}),
        json!({"fault": "http503", "headers": "Retry-After: 5"}),
        json!({"fault": "http404", "request_id": 7}),
    ] {
        let r = c
            .post(format!("{}/_testserver/faults", s.base_url()))
            .json(&spec)
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{spec}");
    }
}

/// Reads one response's head and body from `s`; returns the body and, for each read,
/// the time it ended and the body bytes held by then.
fn read_timed(s: &mut TcpStream) -> (Vec<u8>, Vec<(Instant, usize)>) {
    let mut got = Vec::new();
    let mut marks = Vec::new();
    let mut buf = [0u8; 65536];
    let mut head_len = None;
    let mut declared = usize::MAX;
    loop {
        let n = s.read(&mut buf).expect("read within the timeout");
        assert!(n > 0, "closed before the body was complete");
        got.extend_from_slice(&buf[..n]);
        if head_len.is_none() {
            if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                head_len = Some(i + 4);
                let head = String::from_utf8_lossy(&got[..i]).to_lowercase();
                declared = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("content-length: ")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .expect("a Content-Length");
            }
        }
        if let Some(h) = head_len {
            marks.push((Instant::now(), got.len() - h));
            if got.len() - h >= declared {
                return (got[h..].to_vec(), marks);
            }
        }
    }
}

#[test]
fn stall_sends_part_of_the_data_then_holds_the_connection_silent() {
    let s = server(0.0);
    let loc = ready(&s, "ephemeris", &ephemeris_query());
    s.inject_fault(
        json!({"route": "data", "fault": "stall", "stall_after_bytes": 1000, "stall_ms": 4000}),
    );
    let path = format!("{}/data", loc.trim_start_matches(s.base_url()));
    let mut conn = TcpStream::connect(host(s.base_url())).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let t0 = Instant::now();
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
        host(s.base_url())
    )
    .unwrap();
    let (body, marks) = read_timed(&mut conn);
    let (first_at, first_len) = marks.iter().find(|(_, n)| *n > 0).copied().unwrap();
    assert!(
        first_len <= 1000,
        "no more than the first 1000 bytes before the stall: {first_len}"
    );
    // Times are taken from the first part's arrival, which the stall follows: nothing more
    // comes for most of the server's 4 s pause (a reader held up by a busy machine sees the
    // first part late, so the window leaves 2 s of room), and the whole body takes longer.
    let (_, before) = marks
        .iter()
        .rev()
        .find(|(at, _)| *at - first_at < Duration::from_millis(2000))
        .copied()
        .unwrap();
    assert!(before <= 1000, "nothing more during the stall: {before}");
    assert!(t0.elapsed() >= Duration::from_millis(4000));
    let want = aurorax_testserver::expected_result_json("ephemeris", &ephemeris_query());
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!("{{\"result\":{want}}}"),
        "the whole body after the stall"
    );
}

#[test]
fn no_location_answers_202_without_location() {
    let s = server(0.0);
    s.inject_fault(json!({"route": "submit", "fault": "no_location"}));
    let r = submit_raw(&s);
    assert_eq!(r.status(), 202);
    assert!(r.headers().get("location").is_none());
    assert!(
        submit_raw(&s).headers().get("location").is_some(),
        "only once"
    );
}

#[test]
fn http404_and_http401_can_hit_the_nth_status_request_of_one_search() {
    let s = server(0.0);
    let a = ready(&s, "ephemeris", &ephemeris_query());
    let b = ready(&s, "ephemeris", &ephemeris_query());
    let c = client();
    s.inject_fault(json!([
        {"route": "status", "request_id": id_of(&a), "fault": "http404", "skip": 3},
        {"route": "status", "request_id": id_of(&a), "fault": "http401", "skip": 4},
    ]));
    for i in 1..=3 {
        assert_eq!(c.get(&a).send().unwrap().status(), 200, "poll {i}");
        assert_eq!(
            c.get(&b).send().unwrap().status(),
            200,
            "another search is untouched"
        );
    }
    let r = c.get(&a).send().unwrap();
    assert_eq!(r.status(), 404, "the 4th poll");
    assert_eq!(r.json::<Value>().unwrap()["error_code"], "NotFound");
    let r = c.get(&a).send().unwrap();
    assert_eq!(r.status(), 401, "the 5th poll");
    assert_content_type_json(&r);
    assert_eq!(r.json::<Value>().unwrap()["error_code"], "NotAuthenticated");
    assert_eq!(c.get(&a).send().unwrap().status(), 200);
}

#[test]
fn data_error_is_the_error_envelope_with_200() {
    let s = server(0.0);
    let loc = ready(&s, "ephemeris", &ephemeris_query());
    s.inject_fault(json!([
        {"route": "data", "fault": "data_error"},
        {"route": "data", "fault": "data_error", "error_code": "Other", "error_message": "purged"},
    ]));
    let r = client().get(format!("{loc}/data")).send().unwrap();
    assert_eq!(r.status(), 200);
    assert_content_type_json(&r);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error"]["error_code"], "NotFound");
    assert!(v["error"]["error_message"].as_str().unwrap().len() > 10);
    assert!(v.get("result").is_none());
    let v: Value = client()
        .post(format!("{loc}/data"))
        .body("")
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        v,
        json!({"error": {"error_code": "Other", "error_message": "purged"}})
    );
    assert!(get_json(&client(), &format!("{loc}/data"))["result"].is_array());
}

#[test]
fn a_fault_scoped_to_a_request_id_spares_the_others() {
    let s = server(0.0);
    let a = ready(&s, "ephemeris", &ephemeris_query());
    let b = ready(&s, "data_products", &data_products_query());
    s.inject_fault(
        json!({"route": "any", "request_id": id_of(&b), "fault": "http500", "count": 2}),
    );
    let c = client();
    assert_eq!(c.get(&a).send().unwrap().status(), 200);
    assert_eq!(c.get(format!("{a}/data")).send().unwrap().status(), 200);
    assert_eq!(submit_raw(&s).status(), 202, "a submit has no id");
    assert_eq!(c.get(format!("{b}/data")).send().unwrap().status(), 500);
    assert_eq!(c.get(&b).send().unwrap().status(), 500);
    assert_eq!(c.get(&b).send().unwrap().status(), 200);
}
