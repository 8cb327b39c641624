//! Nothing the server sends can crash or wedge the host: every server-controlled number
//! (Retry-After in any form, Content-Length, body sizes), stalls, missing headers and
//! mid-search refusals end in data or a clear status, within bounded time.

mod common;
use aurorax::internals::MAX_RETRY_AFTER;
use common::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn seed_with_timeout(server: &ServerGuard, request_timeout: f64) -> *mut aurorax_search_t {
    with_server(
        server,
        || assert_eq!(aurorax_set_request_timeout(request_timeout), OK),
        start_seed,
    )
}

fn ends_with_the_seed_data(s: *mut aurorax_search_t) {
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
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
        eventually(UNTIL_IT_HAPPENS, "the first status poll", || {
            route_count(&server, "status") >= 1
        });
        assert_eq!(
            aurorax_check_for_data(s),
            0,
            "{value}: still waiting out the (clamped) pause"
        );
        let cancelled = Instant::now();
        assert_eq!(aurorax_cancel(s), OK);
        assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED, "{value}");
        // the cancel ended the search inside the pause: one that waited it out would take
        // the clamp, whatever the machine's speed
        assert!(
            cancelled.elapsed() < MAX_RETRY_AFTER,
            "{value}: {:?}",
            cancelled.elapsed()
        );
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
        // a value misread as a pause is clamped to MAX_RETRY_AFTER: the search ended before
        // a single such pause could have, whatever the machine's speed
        assert!(
            started.elapsed() < MAX_RETRY_AFTER,
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
    let s = seed_with_timeout(&server, 1.0);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    // two downloads: the stalled one was given up (a client that sat out the 30 s stall
    // would have finished it, with one)
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
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), PROTOCOL);
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
        // the refusal ends the search: a client that obeyed the Retry-After and asked
        // again would find the fault spent and the search finishing (OK)
        assert_eq!(
            aurorax_wait(s, UNTIL_IT_ENDS),
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
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), API);
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
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), API);
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
                aurorax_wait(s, UNTIL_IT_ENDS),
                PROTOCOL,
                "{route}/{fault}: {:?}",
                search_error(s)
            );
            aurorax_free(s);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The hostile-server sweep: the hand-run probe of 26 Nov 2026 (a server written byte by
// byte, answering status and data with every wrong shape and size and broken framing, or
// not at all) as a test. Each scenario has its own server on loopback; the searches run at
// once. Whatever a scenario sends, the search ends (no TIMEOUT within UNTIL_IT_ENDS), never with
// AURORAX_ERR_INTERNAL (a panic caught at the boundary); data is a JSON array whose records
// are its elements; a failure has a message of bounded size without control characters.

use common::raw_server::{self, Route, DONE_STATUS, ID};
use std::io::Write;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// How a scenario's server answers one request of the route under test.
#[derive(Clone)]
enum Answer {
    /// These bytes, whole (head and body), then the connection closes.
    Raw(Vec<u8>),
    /// A 200 with this body and an exact Content-Length.
    Body(Vec<u8>),
    /// Nothing: the connection is held open for 60 s.
    Silence,
}

struct Scenario {
    name: String,
    route: Route,
    answer: Answer,
    /// The statuses the search may end with (the sweep asserts one of them).
    allowed: &'static [i32],
}

/// Serves one scenario: submits are accepted, the route under test answers as told, the
/// other routes as a healthy server would. Counts the requests of the route under test.
fn scenario_server(route_under_test: Route, answer: Answer) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (answer, counted) = (answer.clone(), counted.clone());
            std::thread::spawn(move || {
                let mut stream = stream;
                // a request line that never came is answered as an unknown route
                let route = raw_server::read_request(&stream).unwrap_or(Route::Other);
                if route == route_under_test {
                    counted.fetch_add(1, Ordering::SeqCst);
                    match answer {
                        Answer::Raw(bytes) => {
                            let _ = stream.write_all(&bytes);
                        }
                        Answer::Body(body) => {
                            let _ = stream.write_all(&ok_with(&body));
                        }
                        Answer::Silence => std::thread::sleep(Duration::from_secs(60)),
                    }
                    return;
                }
                let _ = match route {
                    Route::Submit => stream.write_all(format!("HTTP/1.1 202 Accepted\r\nlocation: http://127.0.0.1:{port}/api/v1/conjunctions/requests/{ID}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes()),
                    Route::Status => stream.write_all(&ok_with(DONE_STATUS.as_bytes())),
                    Route::Data => stream.write_all(&ok_with(br#"{"result": [{"n": 1}]}"#)),
                    Route::Other => stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"),
                };
            });
        }
    });
    (port, hits)
}

fn ok_with(body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn raw(head: &str, body: &[u8]) -> Answer {
    let mut bytes = head.replace('\n', "\r\n").into_bytes();
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes.extend_from_slice(body);
    Answer::Raw(bytes)
}

fn scenarios() -> Vec<Scenario> {
    const ANY_FAILURE: &[i32] = &[PROTOCOL, NETWORK, API];
    const OK_OR_FAILURE: &[i32] = &[OK, PROTOCOL, NETWORK, API];
    const OK_ONLY: &[i32] = &[OK];
    let huge_text = format!("\u{202e}{}\u{0007}\u{001b}[31m", "x".repeat(10 << 20));
    let failed_with = |summary: &str| {
        json!({"logs": [{"level": "error", "summary": summary, "timestamp": "2026-01-01T00:00:00"}],
               "search_request": {}, "search_result": {"data_uri": null, "error_condition": true}})
        .to_string()
    };
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let mut list = Vec::new();
    let mut add = |name: &str, route: Route, answer: Answer, allowed: &'static [i32]| {
        list.push(Scenario {
            name: name.to_string(),
            route,
            answer,
            allowed,
        })
    };
    use Route::{Data, Status};
    // status bodies of every wrong shape and size
    for (name, body) in [
        ("empty", String::new()),
        ("null", "null".into()),
        ("an array", "[]".into()),
        ("an empty object", "{}".into()),
        ("a string", "\"done\"".into()),
        ("search_result null", r#"{"search_result": null}"#.into()),
        ("search_result an array", r#"{"search_result": []}"#.into()),
        ("error_condition a string", r#"{"search_result": {"error_condition": "yes"}}"#.into()),
        ("logs a number", r#"{"logs": 7, "search_result": {}}"#.into()),
        ("nesting 100,000 deep", deep(100_000)),
        ("an unclosed object", r#"{"search_result": {"data_uri": "/x""#.into()),
        ("trailing garbage", format!("{DONE_STATUS} trailing")),
        ("two documents", format!("{DONE_STATUS}{DONE_STATUS}")),
        ("numbers beyond f64", r#"{"search_result": {"data_uri": "/x", "result_count": 1e999, "file_size": 18446744073709551616}}"#.into()),
    ] {
        add(&format!("status: {name}"), Status, Answer::Body(body.into_bytes()), ANY_FAILURE);
    }
    add(
        "status: invalid UTF-8",
        Status,
        Answer::Body(b"{\"search_result\": {\"data_uri\": \"\xff\xfe\"}}".to_vec()),
        ANY_FAILURE,
    );
    add(
        "status: negative sizes",
        Status,
        Answer::Body(
            br#"{"search_result": {"data_uri": "/x", "result_count": -5, "file_size": -1e30}}"#
                .to_vec(),
        ),
        OK_ONLY,
    );
    add(
        "status: failed, a 10 MB summary with control and bidi characters",
        Status,
        Answer::Body(failed_with(&huge_text).into_bytes()),
        &[SEARCH_FAILED],
    );
    add(
        "status: failed, no logs",
        Status,
        Answer::Body(br#"{"search_result": {"error_condition": true}}"#.to_vec()),
        &[SEARCH_FAILED],
    );
    // data bodies of every wrong shape and size
    let many = format!(
        "{{\"result\": [{}]}}",
        vec!["{\"n\": 1}"; 200_000].join(",")
    );
    let big_string = format!("{{\"result\": [\"{}\"]}}", "y".repeat(5 << 20));
    for (name, body, allowed) in [
        ("empty", String::new(), ANY_FAILURE),
        ("null", "null".into(), ANY_FAILURE),
        ("an empty object", "{}".into(), ANY_FAILURE),
        ("result an object", r#"{"result": {}}"#.into(), ANY_FAILURE),
        ("result a number", r#"{"result": 5}"#.into(), ANY_FAILURE),
        (
            "an unclosed array",
            r#"{"result": [1, 2"#.into(),
            ANY_FAILURE,
        ),
        (
            "trailing garbage",
            r#"{"result": [1]} garbage"#.into(),
            ANY_FAILURE,
        ),
        (
            "two envelopes",
            r#"{"result": [1]}{"result": [2]}"#.into(),
            ANY_FAILURE,
        ),
        (
            "two result members",
            r#"{"result": [1], "result": [2, 3]}"#.into(),
            ANY_FAILURE,
        ),
        (
            "a record nested 100,000 deep",
            format!("{{\"result\": [{}]}}", deep(100_000)),
            OK_OR_FAILURE,
        ),
        (
            "a number beyond f64",
            r#"{"result": [1e999, 57E5555555555555555555]}"#.into(),
            OK_ONLY,
        ),
        (
            "an unpaired surrogate",
            r#"{"result": ["\ud800"]}"#.into(),
            OK_OR_FAILURE,
        ),
        (
            "an error member that is a number",
            r#"{"error": 5}"#.into(),
            ANY_FAILURE,
        ),
        (
            "an error message of 10 MB",
            json!({"error": {"error_code": "NotFound", "error_message": huge_text}}).to_string(),
            &[API],
        ),
        ("200,000 records", many, OK_ONLY),
        ("one 5 MB string", big_string, OK_ONLY),
        ("a bare array", "[1, 2]".into(), OK_OR_FAILURE),
    ] {
        add(
            &format!("data: {name}"),
            Data,
            Answer::Body(body.into_bytes()),
            allowed,
        );
    }
    add(
        "data: invalid UTF-8 in a string",
        Data,
        Answer::Body(b"{\"result\": [\"\xff\xfe\"]}".to_vec()),
        ANY_FAILURE,
    );
    add(
        "data: a NUL byte in a string",
        Data,
        Answer::Body(b"{\"result\": [\"a\x00b\"]}".to_vec()),
        ANY_FAILURE,
    );
    // broken framing, on both routes
    let data = br#"{"result": [{"n": 1}]}"#.as_slice();
    for (route, body) in [(Status, DONE_STATUS.as_bytes()), (Data, data)] {
        let r = if route == Status { "status" } else { "data" };
        let len = body.len();
        let framing: Vec<(&str, Answer, &'static [i32])> = vec![
            ("Content-Length larger than the body", raw(&format!("HTTP/1.1 200 OK\ncontent-length: {}\nconnection: close", len + 100), body), ANY_FAILURE),
            ("Content-Length smaller than the body", raw(&format!("HTTP/1.1 200 OK\ncontent-length: {}\nconnection: close", len / 2), body), ANY_FAILURE),
            ("Content-Length -5", raw("HTTP/1.1 200 OK\ncontent-length: -5\nconnection: close", body), ANY_FAILURE),
            ("Content-Length abc", raw("HTTP/1.1 200 OK\ncontent-length: abc\nconnection: close", body), ANY_FAILURE),
            ("Content-Length 2^64", raw("HTTP/1.1 200 OK\ncontent-length: 18446744073709551616\nconnection: close", body), ANY_FAILURE),
            ("two different Content-Lengths", raw(&format!("HTTP/1.1 200 OK\ncontent-length: {len}\ncontent-length: {}\nconnection: close", len + 1), body), ANY_FAILURE),
            ("a chunk size that is not hex", raw("HTTP/1.1 200 OK\ntransfer-encoding: chunked\nconnection: close", b"zz\r\nabc\r\n0\r\n\r\n"), ANY_FAILURE),
            ("a chunk size of 2^64 - 1", raw("HTTP/1.1 200 OK\ntransfer-encoding: chunked\nconnection: close", b"ffffffffffffffff\r\nabc"), ANY_FAILURE),
            ("chunks without the last one", raw("HTTP/1.1 200 OK\ntransfer-encoding: chunked\nconnection: close", &[format!("{len:x}\r\n").as_bytes(), body, b"\r\n"].concat()), ANY_FAILURE),
            ("chunked and a Content-Length", raw(&format!("HTTP/1.1 200 OK\ntransfer-encoding: chunked\ncontent-length: {len}\nconnection: close"), &[format!("{len:x}\r\n").as_bytes(), body, b"\r\n0\r\n\r\n"].concat()), OK_OR_FAILURE),
            ("no length, closed at the end", raw("HTTP/1.1 200 OK\nconnection: close", body), OK_ONLY),
            ("HTTP/1.0, closed at the end", raw("HTTP/1.0 200 OK", body), OK_ONLY),
            ("not HTTP at all", Answer::Raw(b"HELLO WORLD\r\n\r\n".to_vec()), ANY_FAILURE),
            ("status 999", raw(&format!("HTTP/1.1 999 Weird\ncontent-length: {len}\nconnection: close"), body), ANY_FAILURE),
            ("HTTX/1.1 200", raw(&format!("HTTX/1.1 200 OK\ncontent-length: {len}"), body), ANY_FAILURE),
            ("only 100 Continue", Answer::Raw(b"HTTP/1.1 100 Continue\r\n\r\n".to_vec()), ANY_FAILURE),
            ("nothing, closed at once", Answer::Raw(Vec::new()), ANY_FAILURE),
            ("a 200 KB header line", raw(&format!("HTTP/1.1 200 OK\nx-long: {}\ncontent-length: {len}\nconnection: close", "z".repeat(200_000)), body), OK_OR_FAILURE),
            ("5,000 headers", raw(&format!("HTTP/1.1 200 OK\n{}content-length: {len}\nconnection: close", "x-h: 1\n".repeat(5_000)), body), OK_OR_FAILURE),
            ("a NUL in a header", raw(&format!("HTTP/1.1 200 OK\nx-nul: a\0b\ncontent-length: {len}\nconnection: close"), body), OK_OR_FAILURE),
            ("204 No Content", raw("HTTP/1.1 204 No Content\nconnection: close", b""), ANY_FAILURE),
            ("304 without Location", raw("HTTP/1.1 304 Not Modified\nconnection: close", b""), ANY_FAILURE),
            ("a redirect to another host", raw("HTTP/1.1 302 Found\nlocation: http://192.0.2.1/api/v1/conjunctions/requests/x\ncontent-length: 0\nconnection: close", b""), ANY_FAILURE),
            ("gzip declared, not gzip", raw(&format!("HTTP/1.1 200 OK\ncontent-encoding: gzip\ncontent-length: {len}\nconnection: close"), body), ANY_FAILURE),
            ("an unknown content encoding", raw(&format!("HTTP/1.1 200 OK\ncontent-encoding: br\ncontent-length: {len}\nconnection: close"), body), OK_OR_FAILURE),
            ("no answer at all", Answer::Silence, &[NETWORK]),
        ];
        for (name, answer, allowed) in framing {
            add(&format!("{r}: {name}"), route, answer, allowed);
        }
    }
    list
}

/// The message of a failed search may quote the server, but boundedly and harmlessly.
fn assert_message_is_sane(name: &str, message: &str) {
    assert!(!message.is_empty(), "{name}: an empty message");
    assert!(
        message.len() < 4_200,
        "{name}: a message of {} bytes",
        message.len()
    );
    assert!(
        !message
            .chars()
            .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{name}: control characters in {message:?}"
    );
}

#[test]
fn a_sweep_of_hostile_answers_never_crashes_or_wedges_a_search() {
    let scenarios = scenarios();
    let searches: Vec<_> = scenarios
        .iter()
        .map(|scenario| {
            let (port, hits) = scenario_server(scenario.route, scenario.answer.clone());
            let s = raw_server::search_at(port, || {
                assert_eq!(aurorax_set_request_timeout(2.0), OK);
                assert_eq!(aurorax_set_max_retries(1), OK);
                assert_eq!(aurorax_set_max_result_bytes(64 << 20), OK);
            });
            assert!(!s.is_null(), "{}: {}", scenario.name, last_error());
            (s as usize, hits)
        })
        .collect();
    let mut outcomes = BTreeMap::new();
    for (scenario, (key, hits)) in scenarios.iter().zip(searches) {
        let s = key as *mut aurorax_search_t;
        let name = &scenario.name;
        let rc = aurorax_wait(s, UNTIL_IT_ENDS);
        assert_ne!(rc, TIMEOUT, "{name}: still running after {UNTIL_IT_ENDS} s");
        assert!(
            hits.load(Ordering::SeqCst) >= 1,
            "{name}: the hostile answer was never asked for"
        );
        assert!(
            scenario.allowed.contains(&rc),
            "{name}: ended {} ({:?})",
            text(aurorax_status_name(rc)).unwrap(),
            search_error(s)
        );
        assert_eq!(
            aurorax_check_for_data(s),
            if rc == OK { 1 } else { rc },
            "{name}"
        );
        if rc == OK {
            let data = data(s).unwrap_or_else(|| panic!("{name}: no data after OK"));
            let values: Vec<&serde_json::value::RawValue> = serde_json::from_str(&data)
                .unwrap_or_else(|e| panic!("{name}: the data is not a JSON array: {e}"));
            assert_eq!(aurorax_get_record_count(s), values.len() as i64, "{name}");
        } else {
            assert!(
                aurorax_get_data(s).is_null(),
                "{name}: data after a failure"
            );
            assert_message_is_sane(name, &search_error(s).unwrap());
        }
        *outcomes
            .entry(text(aurorax_status_name(rc)).unwrap())
            .or_insert(0) += 1;
        aurorax_free(s);
    }
    eprintln!("hostile sweep: {} scenarios: {outcomes:?}", scenarios.len());
}

#[test]
fn cancel_and_free_reach_a_search_stuck_on_a_silent_server() {
    // The server accepts the status request and never answers: the search is stuck in a
    // request (request timeout 30 s). A cancel ends it, and a free wakes its waiter.
    for free in [false, true] {
        let (port, hits) = scenario_server(Route::Status, Answer::Silence);
        let s = raw_server::search_at(port, || {
            assert_eq!(aurorax_set_request_timeout(30.0), OK);
        });
        eventually(UNTIL_IT_HAPPENS, "the status request arrives", || {
            hits.load(Ordering::SeqCst) >= 1
        });
        let key = s as usize;
        let waiter = std::thread::spawn(move || aurorax_wait(key as *mut aurorax_search_t, 0.0));
        if free {
            eventually(UNTIL_IT_HAPPENS, "the waiter ends", || {
                aurorax_free(key as *mut aurorax_search_t);
                waiter.is_finished()
            });
            let rc = waiter.join().unwrap();
            assert!(rc == CANCELLED || rc == INVALID_ARGUMENT, "{rc}");
        } else {
            // The cancel must end the search before the stuck request's own 30 s timeout
            // would have: an order of events (the server never answers).
            let cancelled = Instant::now();
            assert_eq!(aurorax_cancel(s), OK);
            assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
            while !waiter.is_finished() {
                assert!(
                    cancelled.elapsed() < Duration::from_secs(30),
                    "the waiter was not woken before the stuck request's own timeout"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            assert!(cancelled.elapsed() < Duration::from_secs(30));
            assert_eq!(waiter.join().unwrap(), CANCELLED);
            aurorax_free(s);
        }
    }
}
