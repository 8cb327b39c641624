//! Every fault the local server can inject, on each route a search uses: the outcome is
//! either survival with the right data or a clear failure with the right status, within
//! bounded time. (tests/faults.rs covers retry budgets and Retry-After in detail.)

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

/// What a search must come to with the fault injected twice on the route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Survives,
    FailsWith(i32),
}
use Outcome::*;

fn run(route: &str, fault: &str) -> (Outcome, String, u64) {
    let server = server(0.1);
    server.inject_fault(json!({"route": route, "fault": fault, "count": 2, "retry_after_seconds": 0, "delay_ms": 1500}));
    let s = with_server(
        &server,
        || {
            assert_eq!(aurorax_set_max_retries(3), 0);
            assert_eq!(aurorax_set_request_timeout(0.5), 0);
        },
        start_seed,
    );
    let started = Instant::now();
    let rc = aurorax_wait(s, 30.0);
    assert_ne!(rc, TIMEOUT, "{route}/{fault}: still running after 30 s");
    assert!(started.elapsed() < Duration::from_secs(31));
    let outcome = if rc == OK {
        assert_eq!(
            data(s).unwrap(),
            expected_records("conjunctions", &seed_body()),
            "{route}/{fault}: wrong data"
        );
        Survives
    } else {
        FailsWith(rc)
    };
    let message = search_error(s).unwrap_or_default();
    let submits = route_count(&server, "submit");
    aurorax_free(s);
    (outcome, message, submits)
}

#[test]
fn faults_while_polling_and_downloading_are_survived() {
    for route in ["status", "data"] {
        for fault in [
            "http500",
            "http502",
            "http503",
            "http429",
            "reset",
            "delay",
            "truncate",
            "malformed",
            "wrong_types",
        ] {
            let (outcome, message, _) = run(route, fault);
            assert_eq!(outcome, Survives, "{route}/{fault}: {message}");
        }
    }
}

#[test]
fn faults_on_submit_are_resent_only_when_nothing_was_created() {
    // 429 and 503 are refusals at the door: resent. Anything else may have created the
    // search on the server, so it ends with a clear error instead of a duplicate search.
    let cases = [
        ("http429", Survives, "", 3),
        ("http503", Survives, "", 3),
        ("http500", FailsWith(API), "HTTP 500", 1),
        ("http502", FailsWith(API), "HTTP 502: bad gateway", 1),
        (
            "reset",
            FailsWith(NETWORK),
            "submitting the search failed",
            1,
        ),
        ("delay", FailsWith(NETWORK), "timed out", 1),
        ("malformed", FailsWith(PROTOCOL), "instead of 202", 1),
        ("wrong_types", FailsWith(PROTOCOL), "instead of 202", 1),
    ];
    for (fault, expected, words, submits) in cases {
        let (outcome, message, seen) = run("submit", fault);
        assert_eq!(outcome, expected, "submit/{fault}: {message}");
        assert!(message.contains(words), "submit/{fault}: {message}");
        assert_eq!(seen, submits, "submit/{fault}: submits the server saw");
    }
}

#[test]
fn a_truncated_submit_answer_still_yields_a_search_or_a_clear_error() {
    // The 202 has no body to truncate: what arrives may still be a usable answer.
    let (outcome, message, seen) = run("submit", "truncate");
    assert!(
        outcome == Survives || (outcome == FailsWith(NETWORK) && message.contains("submitting")),
        "{outcome:?}: {message}"
    );
    assert_eq!(seen, 1);
}

#[test]
fn faults_on_cancel_never_hold_the_caller_and_the_search_still_ends_cancelled() {
    for fault in ["http500", "reset", "http503"] {
        let server = server(30.0);
        // Each refusal asks for a 3 s pause: the engine's DELETE with its two retries takes
        // over 6 s, none of which the caller may spend in aurorax_cancel.
        server.inject_fault(
            json!({"route": "cancel", "fault": fault, "count": 10, "retry_after_seconds": 3}),
        );
        let s = with_server(
            &server,
            || assert_eq!(aurorax_set_request_timeout(1.0), 0),
            start_seed,
        );
        wait_for_request_id(s);
        let started = Instant::now();
        assert_eq!(aurorax_cancel(s), OK, "cancel/{fault}");
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "cancel/{fault} held the caller {:?}",
            started.elapsed()
        );
        assert_eq!(aurorax_wait(s, 60.0), CANCELLED);
        eventually(
            Duration::from_secs(15),
            "the DELETE is tried with its retries",
            || route_count(&server, "cancel") >= 2,
        );
        aurorax_free(s);
    }
}
