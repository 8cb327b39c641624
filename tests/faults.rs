//! Transient faults are retried with backoff; persistent ones end the search with a clear
//! status and message, in bounded time.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn seed_search_with_retries(server: &ServerGuard, retries: i32) -> *mut aurorax_search_t {
    with_server(
        server,
        || assert_eq!(aurorax_set_max_retries(retries), 0),
        start_seed,
    )
}

#[test]
fn a_burst_of_status_faults_is_survived() {
    for fault in [
        "http500",
        "http502",
        "http503",
        "reset",
        "truncate",
        "malformed",
        "wrong_types",
    ] {
        let server = server(0.2);
        server.inject_fault(
            json!({"route": "status", "fault": fault, "count": 2, "retry_after_seconds": 0}),
        );
        let s = seed_search_with_retries(&server, 4);
        assert_eq!(
            aurorax_wait(s, UNTIL_IT_ENDS),
            OK,
            "{fault}: {:?}",
            search_error(s)
        );
        assert_eq!(
            data(s).unwrap(),
            expected_records("conjunctions", &seed_body()),
            "{fault}"
        );
        assert!(
            route_count(&server, "status") >= 3,
            "{fault}: faults were not retried"
        );
        aurorax_free(s);
    }
}

#[test]
fn a_burst_of_data_faults_is_survived() {
    for fault in ["http500", "reset", "truncate", "malformed"] {
        let server = server(0.1);
        server.inject_fault(json!({"route": "data", "fault": fault, "count": 2}));
        let s = seed_search_with_retries(&server, 4);
        assert_eq!(
            aurorax_wait(s, UNTIL_IT_ENDS),
            OK,
            "{fault}: {:?}",
            search_error(s)
        );
        assert_eq!(
            data(s).unwrap(),
            expected_records("conjunctions", &seed_body()),
            "{fault}"
        );
        assert_eq!(route_count(&server, "data"), 3, "{fault}");
        aurorax_free(s);
    }
}

#[test]
fn too_many_requests_is_retried_after_the_servers_pause() {
    let server = server(0.1);
    server.inject_fault(
        json!({"route": "status", "fault": "http429", "count": 1, "retry_after_seconds": 1}),
    );
    let s = seed_search_with_retries(&server, 2);
    let started = Instant::now();
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was not honoured"
    );
    aurorax_free(s);
}

#[test]
fn a_persistent_fault_is_reported_with_its_status_after_the_retry_budget() {
    let cases = [
        ("http500", API, "HTTP 500"),
        ("http503", MAINTENANCE, "maintenance mode"),
        ("reset", NETWORK, "after 2 retries"),
    ];
    for (fault, status, words) in cases {
        let server = server(0.1);
        server.inject_fault(
            json!({"route": "status", "fault": fault, "count": 1000, "retry_after_seconds": 0}),
        );
        let s = seed_search_with_retries(&server, 2);
        assert_eq!(
            aurorax_wait(s, UNTIL_IT_ENDS),
            status,
            "{fault}: {:?}",
            search_error(s)
        );
        let message = search_error(s).unwrap();
        assert!(
            message.contains(words) && message.contains("checking the search status"),
            "{fault}: {message}"
        );
        let id = request_id(s).unwrap();
        assert_eq!(
            stats(&server)["by_request"][&id]["status"],
            3,
            "{fault}: one try and two retries"
        );
        aurorax_free(s);
    }
}

#[test]
fn a_submit_that_may_have_reached_the_server_is_not_resent() {
    let server = server(0.1);
    server.inject_fault(json!({"route": "submit", "fault": "http500", "count": 1}));
    let s = seed_search_with_retries(&server, 4);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), API);
    assert!(
        search_error(s)
            .unwrap()
            .contains("submitting the search failed: HTTP 500"),
        "{:?}",
        search_error(s)
    );
    assert_eq!(route_count(&server, "submit"), 1);
    aurorax_free(s);
}

#[test]
fn a_submit_refused_at_the_door_is_resent() {
    let server = server(0.1);
    server.inject_fault(
        json!({"route": "submit", "fault": "http503", "count": 2, "retry_after_seconds": 0}),
    );
    let s = seed_search_with_retries(&server, 4);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    assert_eq!(route_count(&server, "submit"), 3);
    aurorax_free(s);
}

#[test]
fn a_slow_server_is_a_timeout_not_a_hang() {
    let server = server(0.1);
    server.inject_fault(
        json!({"route": "status", "fault": "delay", "delay_ms": 3000, "count": 1000}),
    );
    let s = with_server(
        &server,
        || {
            assert_eq!(aurorax_set_request_timeout(0.3), 0);
            assert_eq!(aurorax_set_max_retries(1), 0);
        },
        start_seed,
    );
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        NETWORK,
        "{:?}",
        search_error(s)
    );
    assert!(
        search_error(s).unwrap().contains("timed out"),
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}

#[test]
fn an_unreachable_server_is_a_network_error() {
    // A port nobody listens on: bind, learn the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _turn = ();
    let server = server(0.1); // only for the settings helper
    let s = with_server(
        &server,
        || {
            assert_eq!(
                unsafe { aurorax_set_api_url(c(&format!("http://127.0.0.1:{port}")).as_ptr()) },
                0
            );
            assert_eq!(aurorax_set_max_retries(1), 0);
        },
        start_seed,
    );
    assert_eq!(
        aurorax_wait(s, UNTIL_IT_ENDS),
        NETWORK,
        "{:?}",
        search_error(s)
    );
    assert!(
        search_error(s)
            .unwrap()
            .contains("submitting the search failed (after 1 retries)"),
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}
