//! Transport options of `POST /_testserver/config`: chunked data, gzip, idle
//! keep-alive close, Retry-After as an HTTP date.

mod common;
use common::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn ready(s: &aurorax_testserver::ServerGuard) -> String {
    let c = client();
    let loc = submit(&c, s.base_url(), "ephemeris", &ephemeris_query());
    wait_done(&c, &loc);
    loc
}

fn expected_body() -> String {
    format!(
        "{{\"result\":{}}}",
        aurorax_testserver::expected_result_json("ephemeris", &ephemeris_query())
    )
}

fn head_of(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.split_once("\r\n\r\n")
        .expect("a head")
        .0
        .to_lowercase()
}

#[test]
fn chunked_data_has_no_content_length() {
    let s = server(0.0);
    let loc = ready(&s);
    let path = format!("{}/data", loc.trim_start_matches(s.base_url()));
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        host(s.base_url())
    );
    let head = head_of(&raw_request(s.base_url(), &req).0);
    assert!(head.contains("content-length:"), "by default: {head}");
    s.configure(json!({"chunked_data": true}));
    let head = head_of(&raw_request(s.base_url(), &req).0);
    assert!(head.contains("transfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length:"), "{head}");
    let body = client()
        .get(format!("{loc}/data"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(body, expected_body());
    s.configure(json!({"chunked_data": null}));
    assert!(head_of(&raw_request(s.base_url(), &req).0).contains("content-length:"));
}

fn gunzip(b: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::GzDecoder::new(b)
        .read_to_string(&mut out)
        .expect("valid gzip");
    out
}

#[test]
fn gzip_only_when_enabled_and_accepted() {
    let s = server(0.0);
    let loc = ready(&s);
    let c = client();
    let get = |url: &str, accept: Option<&str>| {
        let mut r = c.get(url);
        if let Some(a) = accept {
            r = r.header("accept-encoding", a);
        }
        r.send().unwrap()
    };
    let r = get(&format!("{loc}/data"), Some("gzip"));
    assert!(
        r.headers().get("content-encoding").is_none(),
        "off by default"
    );
    s.configure(json!({"gzip": true}));
    for accept in ["gzip", "deflate, gzip;q=0.8", "*"] {
        let r = get(&format!("{loc}/data"), Some(accept));
        assert_eq!(r.headers()["content-encoding"], "gzip", "{accept}");
        assert_content_type_json(&r);
        let raw = r.bytes().unwrap();
        assert!(raw.len() < expected_body().len() / 2, "compressed");
        assert_eq!(gunzip(&raw), expected_body());
    }
    assert_eq!(s.stats()["transport"]["gzip"], 3);
    let r = get(&loc, Some("gzip"));
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let v: Value = serde_json::from_str(&gunzip(&r.bytes().unwrap())).unwrap();
    assert!(v["search_result"]["data_uri"].is_string(), "status too");
    for accept in [None, Some("identity"), Some("gzip;q=0")] {
        let r = get(&format!("{loc}/data"), accept);
        assert!(r.headers().get("content-encoding").is_none(), "{accept:?}");
        assert_eq!(r.text().unwrap(), expected_body());
    }
}

/// Sends one request on `conn` and reads its whole answer (the test's answers carry a
/// Content-Length).
fn one_exchange(conn: &mut TcpStream, req: &str) {
    conn.write_all(req.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = conn.read(&mut buf).expect("an answer");
        assert!(n > 0, "closed before the answer");
        got.extend_from_slice(&buf[..n]);
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let len: usize = head_of(&got)
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length: ")
                        .map(|v| v.parse().unwrap())
                })
                .unwrap();
            if got.len() >= i + 4 + len {
                return;
            }
        }
    }
}

#[test]
fn idle_keep_alive_connections_are_closed_after_the_timeout() {
    let s = server(0.0);
    let loc = ready(&s);
    let path = loc.trim_start_matches(s.base_url());
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
        host(s.base_url())
    );
    let open = |timeout: f64| {
        let mut conn = TcpStream::connect(host(s.base_url())).unwrap();
        conn.set_read_timeout(Some(Duration::from_secs_f64(timeout)))
            .unwrap();
        one_exchange(&mut conn, &req);
        conn
    };
    // without the option the connection stays open
    let mut conn = open(1.5);
    let err = conn
        .read(&mut [0u8; 16])
        .expect_err("still open after 1.5 s");
    assert!(matches!(
        err.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ));
    drop(conn);
    s.configure(json!({"idle_timeout_seconds": 0.5}));
    let mut conn = open(10.0);
    let t = Instant::now();
    assert_eq!(
        conn.read(&mut [0u8; 16]).unwrap(),
        0,
        "closed by the server"
    );
    let waited = t.elapsed();
    assert_eq!(s.stats()["transport"]["idle_closed"], 1);
    // not before the idle timeout; after it, closed by the server (a read of 0, counted
    // as an idle close) before the client's own 10 s read timeout: an order, not a speed
    assert!(waited >= Duration::from_millis(400), "{waited:?}");
    // a download in progress is not idle, even when it stalls longer than the timeout
    s.inject_fault(
        json!({"route": "data", "fault": "stall", "stall_after_bytes": 100, "stall_ms": 1500}),
    );
    let mut conn = TcpStream::connect(host(s.base_url())).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    one_exchange(
        &mut conn,
        &format!(
            "GET {path}/data HTTP/1.1\r\nHost: {}\r\n\r\n",
            host(s.base_url())
        ),
    );
}

#[test]
fn retry_after_can_be_an_http_date() {
    let s = server(0.0);
    s.configure(json!({"retry_after_format": "http_date"}));
    s.inject_fault(json!({"route": "submit", "fault": "http503", "retry_after_seconds": 30}));
    let r = client()
        .post(format!("{}/api/v1/ephemeris/search", s.base_url()))
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert_eq!(r.status(), 503);
    let text = r.headers()["retry-after"].to_str().unwrap().to_string();
    assert!(text.ends_with(" GMT"), "{text}");
    let at = chrono::DateTime::parse_from_rfc2822(&text).expect("an HTTP date");
    let ahead = at.timestamp() - chrono::Utc::now().timestamp();
    assert!((25..=31).contains(&ahead), "{ahead} s ahead");
    s.configure(json!({"retry_after_format": "seconds"}));
    s.inject_fault(json!({"route": "submit", "fault": "http429", "retry_after_seconds": 30}));
    let r = client()
        .post(format!("{}/api/v1/ephemeris/search", s.base_url()))
        .json(&ephemeris_query())
        .send()
        .unwrap();
    assert_eq!(r.headers()["retry-after"], "30");
}

#[test]
fn bad_transport_options_are_refused() {
    let s = server(0.0);
    for spec in [
        json!({"gzip": "yes"}),
        json!({"chunked_data": 1}),
        json!({"idle_timeout_seconds": 0}),
        json!({"idle_timeout_seconds": "soon"}),
        json!({"retry_after_format": "minutes"}),
    ] {
        let r = client()
            .post(format!("{}/_testserver/config", s.base_url()))
            .json(&spec)
            .send()
            .unwrap();
        assert_eq!(r.status(), 400, "{spec}");
    }
}
