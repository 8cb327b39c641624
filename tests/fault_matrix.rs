//! Every fault the local server can inject, on each route a search uses: the outcome is
//! either survival with the right data or a clear failure with the right status, within
//! bounded time. (tests/faults.rs covers retry budgets and Retry-After in detail.)

mod common;
mod evidence;
use common::*;
use serde_json::json;

/// What a search must come to with the fault injected twice on the route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Survives,
    FailsWith(i32),
}
use Outcome::*;

/// The search's outcome, its message, the submits the server saw, and whether both injected
/// faults fired (the server took them; tests/evidence/mod.rs).
fn run(route: &str, fault: &str) -> (Outcome, String, u64, bool) {
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
    let rc = aurorax_wait(s, UNTIL_IT_ENDS);
    assert_ne!(
        rc, TIMEOUT,
        "{route}/{fault}: still running after {UNTIL_IT_ENDS} s"
    );
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
    let fired = evidence::faults_all_fired(server.base_url(), route);
    (outcome, message, submits, fired)
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
            let (outcome, message, _, fired) = run(route, fault);
            assert_eq!(outcome, Survives, "{route}/{fault}: {message}");
            assert!(fired, "{route}/{fault}: the faults never hit a request");
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
        let (outcome, message, seen, fired) = run("submit", fault);
        assert_eq!(outcome, expected, "submit/{fault}: {message}");
        // a search that failed after one submit took one of the two faults only
        if submits > 1 {
            assert!(fired, "submit/{fault}: the faults never hit a request");
        }
        assert!(message.contains(words), "submit/{fault}: {message}");
        assert_eq!(seen, submits, "submit/{fault}: submits the server saw");
    }
}

#[test]
fn a_truncated_submit_answer_still_yields_a_search_or_a_clear_error() {
    // The 202 has no body to truncate: what arrives may still be a usable answer.
    let (outcome, message, seen, _) = run("submit", "truncate");
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
        assert_eq!(aurorax_cancel(s), OK, "cancel/{fault}");
        // not held for the DELETE: back before the engine's first retry of it, which the
        // server's 3 s pause holds back (a cancel that waited for the DELETE and its
        // retries would return with two or three of them counted)
        assert!(
            route_count(&server, "cancel") <= 1,
            "cancel/{fault} returned after the DELETE's retries"
        );
        assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
        eventually(
            UNTIL_IT_HAPPENS,
            "the DELETE is tried with its retries",
            || route_count(&server, "cancel") >= 2,
        );
        aurorax_free(s);
    }
}

#[test]
fn the_probe_tells_a_fault_that_fired_from_one_that_did_not() {
    // The evidence the rows above rely on (tests/evidence/mod.rs), checked both ways: a
    // fault on a route no request took is found still queued; one a request took is not.
    let server = server(0.1);
    server.inject_fault(json!({"route": "cancel", "fault": "http500"}));
    server.inject_fault(json!({"route": "status", "fault": "http500"}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    aurorax_free(s);
    assert!(
        !evidence::faults_all_fired(server.base_url(), "cancel"),
        "nothing was cancelled"
    );
    assert!(evidence::faults_all_fired(server.base_url(), "status"));
    // the probe empties the queue: the cancel fault is gone now
    assert!(evidence::faults_all_fired(server.base_url(), "cancel"));
}
