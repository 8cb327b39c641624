//! The library against the server's transport options (testserver README, "Transport
//! options"): chunked data, gzip, connections the server closes when idle, and
//! Retry-After given as an HTTP date. Each search must end with exactly the served data.

mod common;
mod evidence;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn finishes_with_the_seed_data(server: &ServerGuard) {
    let s = seed_search(server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(
        data(s).unwrap(),
        expected_records("conjunctions", &seed_body())
    );
    aurorax_free(s);
}

#[test]
fn chunked_data_is_read_whole() {
    let server = server(0.1);
    server.configure(json!({"chunked_data": true}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(
        data(s).unwrap(),
        expected_records("conjunctions", &seed_body())
    );
    let id = request_id(s).unwrap();
    aurorax_free(s);
    assert_eq!(
        stats(&server)["by_request"][&id]["data"],
        1,
        "read in one go"
    );
    // the same download, by hand: the answer really was chunked, with no size announced
    let (code, head, _) = evidence::raw_request(
        server.base_url(),
        "GET",
        &format!("/api/v1/conjunctions/requests/{id}/data"),
        "",
    )
    .expect("an answer");
    assert_eq!(code, 200);
    assert!(head.contains("\r\ntransfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
}

#[test]
fn gzip_answers_are_decoded() {
    let server = server(0.1);
    server.configure(json!({"gzip": true}));
    finishes_with_the_seed_data(&server);
    assert!(
        stats(&server)["transport"]["gzip"].as_u64().unwrap() >= 2,
        "the library asked for gzip and got it on status and data: {}",
        stats(&server)["transport"]
    );
}

#[test]
fn connections_closed_by_the_server_when_idle_are_replaced() {
    // polls at least 0.25 s apart (engine/schedule.rs) against a 0.1 s idle timeout: the
    // server closes each pooled connection before the library reuses it
    let server = server(3.0);
    server.configure(json!({"idle_timeout_seconds": 0.1}));
    finishes_with_the_seed_data(&server);
    let t = &stats(&server)["transport"];
    assert!(t["idle_closed"].as_u64().unwrap() >= 1, "{t}");
    assert!(t["connections"].as_u64().unwrap() >= 2, "{t}");
}

#[test]
fn retry_after_as_an_http_date_is_honoured() {
    let server = server(0.1);
    server.configure(json!({"retry_after_format": "http_date"}));
    // an HTTP date has whole seconds, so "3 s from now" is a wait of 2 to 3 s
    server.inject_fault(json!({"route": "status", "fault": "http503", "retry_after_seconds": 3}));
    let started = Instant::now();
    finishes_with_the_seed_data(&server);
    assert!(
        started.elapsed() >= Duration::from_millis(1900),
        "the date in Retry-After was not waited for: {:?}",
        started.elapsed()
    );
}

#[test]
fn progress_ends_equal_under_gzip_where_no_size_is_announced() {
    let server = server(0.1);
    server.configure(json!({"gzip": true, "chunked_data": true}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let received = aurorax_get_bytes_received(s);
    assert!(received >= aurorax_get_data_length(s), "{received}");
    assert_eq!(aurorax_get_bytes_expected(s), received);
    aurorax_free(s);
}
