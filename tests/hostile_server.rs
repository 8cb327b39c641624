//! Nothing the server sends can crash or wedge the host: every server-controlled number
//! (Retry-After in any form, Content-Length, body sizes), stalls, missing headers and
//! mid-search refusals end in data or a clear status, within bounded time.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn seed_with_timeout(server: &ServerGuard, request_timeout: f64) -> *mut aurorax_search_t {
    with_server(
        server,
        || assert_eq!(aurorax_set_request_timeout(request_timeout), OK),
        start_seed,
    )
}

fn ends_with_the_seed_data(s: *mut aurorax_search_t) {
    assert_eq!(aurorax_wait(s, 60.0), OK, "{:?}", search_error(s));
    assert_eq!(
        data(s).unwrap(),
        expected_records("conjunctions", &seed_body())
    );
    aurorax_free(s);
}

#[test]
fn retry_after_beyond_any_duration_neither_panics_nor_wedges() {
    // 1e300 s cannot be a Duration (the old engine panicked and hung); it is clamped, and a
    // cancel during that pause still ends the search at once.
    for value in [
        "1e300",
        "inf",
        "99999999999999999999999999",
        "Fri, 01 Jan 9999 00:00:00 GMT",
    ] {
        let server = server(0.1);
        server.inject_fault(
            json!({"route": "status", "fault": "http503", "headers": {"Retry-After": value}}),
        );
        let s = seed_search(&server);
        // the 503 has been answered: the search is in its (clamped) pause
        eventually(Duration::from_secs(20), "the first status poll", || {
            route_count(&server, "status") >= 1
        });
        assert_eq!(
            aurorax_check_for_data(s),
            0,
            "{value}: still waiting out the (clamped) pause"
        );
        assert_eq!(aurorax_cancel(s), OK);
        // the cancel ends the search within the pause: well before its 60 s clamp
        assert_eq!(aurorax_wait(s, 30.0), CANCELLED, "{value}");
        aurorax_free(s);
    }
}

#[test]
fn retry_after_that_is_negative_or_garbage_falls_back_to_backoff() {
    for value in [
        "-5",
        "garbage",
        "",
        "NaN",
        "Sun, 99 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT",
    ] {
        let server = server(0.1);
        server.inject_fault(json!({"route": "status", "fault": "http503", "count": 2, "headers": {"Retry-After": value}}));
        let started = Instant::now();
        ends_with_the_seed_data(seed_search(&server));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{value}: {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_content_length_larger_than_the_body_is_neither_trusted_nor_fatal() {
    // Announcing 8 GiB must not reserve 8 GiB (tests/c_program.rs runs this under a
    // virtual-memory limit); the short body is an error, retried.
    for route in ["data", "status"] {
        let server = server(0.1);
        server.inject_fault(json!({"route": route, "fault": "headers", "headers": {"Content-Length": "8589934592"}}));
        ends_with_the_seed_data(seed_with_timeout(&server, 2.0));
    }
}

#[test]
fn a_stall_in_the_middle_of_a_download_is_bounded_by_the_request_timeout() {
    let server = server(0.1);
    server.configure(json!({"result_count": 500}));
    server.inject_fault(
        json!({"route": "data", "fault": "stall", "stall_after_bytes": 1000, "stall_ms": 30000}),
    );
    let started = Instant::now();
    let s = seed_with_timeout(&server, 1.0);
    assert_eq!(aurorax_wait(s, 60.0), OK, "{:?}", search_error(s));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let id = request_id(s).unwrap();
    assert_eq!(
        stats(&server)["by_request"][&id]["data"],
        2,
        "the stalled download was abandoned and fetched again"
    );
    aurorax_free(s);
}

#[test]
fn a_202_without_location_is_a_protocol_error() {
    let server = server(0.1);
    server.inject_fault(json!({"route": "submit", "fault": "no_location"}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, 20.0), PROTOCOL);
    assert!(
        search_error(s).unwrap().contains("without a Location"),
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}

#[test]
fn refusals_in_the_middle_of_polling_end_the_search_with_their_status() {
    for (fault, status, words) in [
        ("http401", UNAUTHORIZED, "401"),
        ("http404", API, "not found"),
    ] {
        let server = server(5.0);
        let s = seed_search(&server);
        let id = wait_for_request_id(s);
        // a Retry-After nobody should obey on a final refusal
        server.inject_fault(json!({"route": "status", "request_id": id, "skip": 1, "fault": fault, "headers": {"Retry-After": "1e300"}}));
        // within 20 s: the Retry-After (clamped to 60 s) was not obeyed
        assert_eq!(
            aurorax_wait(s, 20.0),
            status,
            "{fault}: {:?}",
            search_error(s)
        );
        assert!(
            search_error(s).unwrap().contains(words),
            "{:?}",
            search_error(s)
        );
        aurorax_free(s);
    }
}

#[test]
fn the_data_error_envelope_ends_the_search_with_the_apis_words() {
    let server = server(0.1);
    server.inject_fault(json!({"route": "data", "fault": "data_error", "count": 10}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, 20.0), API);
    let message = search_error(s).unwrap();
    assert!(message.contains("could not return the result"), "{message}");
    let id = request_id(s).unwrap();
    assert_eq!(
        stats(&server)["by_request"][&id]["data"],
        1,
        "the API's own refusal is not retried"
    );
    aurorax_free(s);
}

#[test]
fn an_expired_result_is_reported_as_the_api_says() {
    let server = server(0.1);
    server.configure(json!({"result_lifetime_seconds": 0.0}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, 20.0), API);
    assert!(
        search_error(s).unwrap().contains("expired"),
        "{:?}",
        search_error(s)
    );
    aurorax_free(s);
}

#[test]
fn garbled_and_wrongly_shaped_answers_are_retried_then_protocol_errors() {
    for route in ["status", "data"] {
        for fault in ["malformed", "wrong_types"] {
            let once = server(0.1);
            once.inject_fault(json!({"route": route, "fault": fault, "count": 1}));
            ends_with_the_seed_data(seed_search(&once));
            let always = server(0.1);
            always.inject_fault(json!({"route": route, "fault": fault, "count": 100}));
            let s = with_server(
                &always,
                || assert_eq!(aurorax_set_max_retries(1), OK),
                start_seed,
            );
            assert_eq!(
                aurorax_wait(s, 20.0),
                PROTOCOL,
                "{route}/{fault}: {:?}",
                search_error(s)
            );
            aurorax_free(s);
        }
    }
}
