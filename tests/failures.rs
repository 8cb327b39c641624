//! Failed, cancelled and timed-out searches, and every kind of bad input.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

#[test]
fn a_failed_search_ends_the_wait_at_once_with_the_servers_message() {
    // The server fails the search when its 0.5 s run ends; pyaurorax would poll forever.
    let server = server(0.5);
    server.set_search_outcome(json!({"outcome": "fail", "count": 1, "message": "Search failed: the ephemeris database timed out"}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED);
    // At once: the poll that saw the failure was the last. Polls are at least 0.25 s
    // apart however busy the machine (engine/schedule.rs), the first 0.25 s after the
    // server accepted, so the second already comes after the 0.5 s run has ended (one
    // more allowed for an answer computed just before the run's end was recorded).
    let id = request_id(s).unwrap();
    let polls = stats(&server)["by_request"][&id]["status"]
        .as_u64()
        .unwrap();
    assert!((1..=3).contains(&polls), "{polls} status polls");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        stats(&server)["by_request"][&id]["status"]
            .as_u64()
            .unwrap(),
        polls,
        "polled again after the failure"
    );
    let message = search_error(s).unwrap();
    assert!(
        message.contains("Search failed: the ephemeris database timed out"),
        "{message}"
    );
    assert_eq!(aurorax_check_for_data(s), SEARCH_FAILED);
    assert!(data(s).is_none());
    assert!(
        last_error().contains("the ephemeris database timed out"),
        "{}",
        last_error()
    );
    // The handle stays usable after the error.
    assert_eq!(aurorax_wait(s, 1.0), SEARCH_FAILED);
    assert!(request_id(s).is_some());
    aurorax_free(s);
}

#[test]
fn wait_with_a_timeout_returns_timeout_and_the_search_goes_on() {
    // the search ends 3 s after its submit, long after the 0.2 s wait even on a machine
    // that stalls the test for seconds
    let server = server(3.0);
    let s = seed_search(&server);
    let started = Instant::now();
    assert_eq!(aurorax_wait(s, 0.2), TIMEOUT);
    let waited = started.elapsed();
    // no early return; how soon after its timeout a wait returns is lag, which bench/
    // measures
    assert!(waited >= Duration::from_millis(200), "{waited:?}");
    // the timeout did not end the search (it may have finished meanwhile on a slow machine)
    assert!(aurorax_check_for_data(s) >= 0);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    aurorax_free(s);
}

#[test]
fn a_never_finishing_search_cannot_hold_wait_past_its_timeout() {
    let server = server(0.1);
    server.set_search_outcome(json!({"outcome": "never_finish", "count": 1}));
    let s = seed_search(&server);
    let started = Instant::now();
    assert_eq!(aurorax_wait(s, 1.0), TIMEOUT);
    // it returned (the search never would), and not a thousand times later (seconds
    // read as milliseconds)
    assert!(started.elapsed() < UNTIL_IT_HAPPENS);
    assert_eq!(aurorax_cancel(s), OK);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
    aurorax_free(s);
}

#[test]
fn cancel_stops_polling_and_deletes_the_running_request_on_the_server() {
    let server = server(30.0);
    let s = seed_search(&server);
    let id = wait_for_request_id(s);
    assert_eq!(aurorax_cancel(s), OK, "{}", last_error());
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
    assert_eq!(aurorax_check_for_data(s), CANCELLED);
    assert!(search_error(s).unwrap().contains("cancelled"));
    // The engine sends the DELETE in the background; the caller was not held for it.
    eventually(UNTIL_IT_HAPPENS, "the DELETE reaches the server", || {
        stats(&server)["by_request"][&id]["cancel"] == 1
    });
    let polls = stats(&server)["by_request"][&id]["status"].clone();
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(
        stats(&server)["by_request"][&id]["status"],
        polls,
        "still polling after cancel"
    );
    assert_eq!(aurorax_cancel(s), OK, "a second cancel is harmless");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(stats(&server)["by_request"][&id]["cancel"], 1);
    aurorax_free(s);
}

#[test]
fn cancel_after_the_server_finished_never_deletes_the_result() {
    let server = server(0.1);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    assert_eq!(aurorax_cancel(s), OK);
    assert_eq!(
        route_count(&server, "cancel"),
        0,
        "a DELETE now would delete the result file"
    );
    assert_eq!(aurorax_check_for_data(s), 1);
    assert!(data(s).is_some());
    aurorax_free(s);
}

#[test]
fn cancel_during_submit_deletes_the_request_once_its_id_is_known() {
    let server = server(30.0);
    server.inject_fault(json!({"route": "submit", "fault": "delay", "delay_ms": 2000}));
    let s = seed_search(&server);
    // during the submit: the server has it (counted on arrival) and holds its answer
    eventually(UNTIL_IT_HAPPENS, "the submit reaches the server", || {
        route_count(&server, "submit") == 1
    });
    assert_eq!(aurorax_cancel(s), OK);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), CANCELLED);
    eventually(UNTIL_IT_HAPPENS, "the DELETE reaches the server", || {
        route_count(&server, "cancel") >= 1
    });
    // once the id is known, exactly one DELETE
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(route_count(&server, "cancel"), 1);
    aurorax_free(s);
}

fn refused(create: impl FnOnce() -> *mut aurorax_search_t, argument: &str) {
    let s = create();
    assert!(s.is_null(), "accepted bad {argument}");
    let message = last_error();
    assert!(
        message.starts_with(&format!("AURORAX_ERR_INVALID_ARGUMENT: {argument}")),
        "{argument}: {message}"
    );
}

#[test]
fn bad_input_is_refused_by_name_before_anything_is_sent() {
    let server = server(0.1);
    let conj = |start: Option<&str>,
                end: Option<&str>,
                ground: Option<&[u8]>,
                space: Option<&str>,
                d: f64| {
        let (start, end, space) = (start.map(c), end.map(c), space.map(c));
        let ground = ground.map(|g| std::ffi::CString::new(g).unwrap());
        let p = |x: &Option<std::ffi::CString>| x.as_ref().map_or(std::ptr::null(), |v| v.as_ptr());
        with_server(
            &server,
            || {},
            || unsafe {
                aurorax_conjunctions_search_async(p(&start), p(&end), p(&ground), p(&space), d)
            },
        )
    };
    let day = Some("2019-01-01T00:00:00");
    let later = Some("2019-01-02T00:00:00");
    let g = Some(SEED_GROUND.as_bytes());
    let sp = Some(SEED_SPACE);
    refused(|| conj(None, later, g, sp, 300.0), "start: is NULL");
    refused(|| conj(day, None, g, sp, 300.0), "end: is NULL");
    refused(
        || conj(Some("2019-13-01T00:00:00"), later, g, sp, 300.0),
        "start",
    );
    refused(|| conj(later, day, g, sp, 300.0), "end");
    refused(
        || conj(day, later, Some(b"[{\"programs\": "), sp, 300.0),
        "ground_json: is not valid JSON",
    );
    refused(
        || conj(day, later, Some(b"{\"programs\": []}"), sp, 300.0),
        "ground_json: must be a JSON array",
    );
    refused(
        || conj(day, later, Some(b"[{\"programs\": \"themis\"}]"), sp, 300.0),
        "ground_json[0].programs",
    );
    refused(
        || conj(day, later, Some(b"[\"\xff\xfe\"]"), sp, 300.0),
        "ground_json: is not valid UTF-8",
    );
    refused(
        || conj(day, later, g, None, 300.0),
        "ground_json and space_json",
    );
    let eleven = format!("[{}]", [r#"{"programs": ["swarm"]}"#; 10].join(","));
    refused(
        || conj(day, later, g, Some(&eleven), 300.0),
        "ground_json and space_json",
    );
    for d in [0.0, -5.0, f64::NAN, f64::INFINITY] {
        refused(|| conj(day, later, g, sp, d), "default_distance_km");
    }
    refused(
        || {
            with_server(
                &server,
                || {},
                || unsafe { aurorax_conjunctions_search_async_json(std::ptr::null()) },
            )
        },
        "query_json: is NULL",
    );
    refused(
        || {
            with_server(
                &server,
                || {},
                || unsafe { aurorax_conjunctions_search_async_json(c("[1, 2]").as_ptr()) },
            )
        },
        "query_json",
    );
    refused(
        || {
            with_server(
                &server,
                || {},
                || unsafe {
                    aurorax_ephemeris_search_async(
                        c("2019-01-01T00:00:00").as_ptr(),
                        c("2019-03-01T00:00:00").as_ptr(),
                        c(r#"{"programs": ["swarm"]}"#).as_ptr(),
                    )
                },
            )
        },
        "end",
    );
    refused(
        || {
            with_server(
                &server,
                || {},
                || unsafe {
                    aurorax_ephemeris_search_async(
                        c("2019-01-01T00:00:00").as_ptr(),
                        c("2019-01-01T01:00:00").as_ptr(),
                        std::ptr::null(),
                    )
                },
            )
        },
        "data_sources_json",
    );
    refused(
        || {
            with_server(
                &server,
                || {},
                || unsafe {
                    aurorax_data_products_search_async(
                        c("2019-01-01T00:00:00").as_ptr(),
                        c("2019-01-01T01:00:00").as_ptr(),
                        c(r#"{"programs": ["trex"]}"#).as_ptr(),
                        c(r#"["gif"]"#).as_ptr(),
                    )
                },
            )
        },
        "data_product_types_json[0]",
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(total_requests(&server), 0, "bad input reached the server");
}

#[test]
fn invalid_handles_get_an_error_not_a_crash() {
    let server = server(0.1);
    let forged = 0x1234usize as *mut aurorax_search_t;
    for h in [std::ptr::null_mut(), forged] {
        assert_eq!(aurorax_check_for_data(h), INVALID_ARGUMENT);
        assert_eq!(aurorax_wait(h, 0.1), INVALID_ARGUMENT);
        assert_eq!(aurorax_cancel(h), INVALID_ARGUMENT);
        assert!(aurorax_get_data(h).is_null());
        assert_eq!(aurorax_get_data_length(h), INVALID_ARGUMENT as i64);
        assert!(aurorax_request_id(h).is_null());
        assert!(aurorax_get_logs(h).is_null());
        aurorax_free(h);
    }
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    aurorax_free(s);
    assert_eq!(
        aurorax_check_for_data(s),
        INVALID_ARGUMENT,
        "use after free"
    );
    assert!(
        last_error().contains("not a live search handle"),
        "{}",
        last_error()
    );
    aurorax_free(s);
    assert_eq!(aurorax_wait(s, f64::NAN), INVALID_ARGUMENT);
}

#[test]
fn status_names_cover_every_code() {
    let names: Vec<String> = (-13..=1)
        .map(|code| text(aurorax_status_name(code)).unwrap())
        .collect();
    assert_eq!(names[13], "AURORAX_OK");
    assert_eq!(names[13 - 6], "AURORAX_ERR_SEARCH_FAILED");
    assert_eq!(names[1], "AURORAX_ERR_TLS");
    assert_eq!(names[0], "AURORAX_UNKNOWN_STATUS");
    assert_eq!(names[14], "AURORAX_UNKNOWN_STATUS");
    assert_eq!(text(aurorax_version()).unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn settings_reject_nonsense() {
    assert_eq!(aurorax_set_poll_interval(0.0), INVALID_ARGUMENT);
    assert_eq!(aurorax_set_poll_interval(f64::NAN), INVALID_ARGUMENT);
    assert_eq!(aurorax_set_request_timeout(-1.0), INVALID_ARGUMENT);
    assert_eq!(aurorax_set_max_retries(-1), INVALID_ARGUMENT);
    assert_eq!(
        unsafe { aurorax_set_api_url(std::ptr::null()) },
        INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe { aurorax_set_api_url(c("ftp://example.org").as_ptr()) },
        INVALID_ARGUMENT
    );
    assert!(last_error().contains("base_url"), "{}", last_error());
}
