//! The v2 workflow through the C ABI: attach by request id, wait on many, records without a
//! parser, describe, and progress.

mod common;
use common::*;
use serde_json::{json, Value};
use std::ffi::c_char;
use std::time::{Duration, Instant};

fn attach(kind: &str, id: &str) -> *mut aurorax_search_t {
    let id = c(id);
    unsafe {
        match kind {
            "conjunctions" => aurorax_conjunctions_search_attach(id.as_ptr()),
            "ephemeris" => aurorax_ephemeris_search_attach(id.as_ptr()),
            _ => aurorax_data_products_search_attach(id.as_ptr()),
        }
    }
}

fn record(s: *mut aurorax_search_t, index: i64) -> (Option<String>, i64) {
    let mut length = 99;
    let p = unsafe { aurorax_get_record(s, index, &mut length) };
    if p.is_null() {
        return (None, length);
    }
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), length as usize) };
    (Some(String::from_utf8(bytes.to_vec()).unwrap()), length)
}

#[test]
fn attach_follows_a_request_submitted_elsewhere_to_the_same_records() {
    let server = server(0.5);
    let original = seed_search(&server);
    let id = wait_for_request_id(original);
    let attached = with_server(
        &server,
        || {},
        || attach("conjunctions", &id.to_uppercase()),
    );
    assert!(!attached.is_null(), "{}", last_error());
    assert_eq!(
        request_id(attached).as_deref(),
        Some(id.as_str()),
        "the id is known at once, normalised"
    );
    assert_eq!(
        aurorax_wait(attached, UNTIL_IT_ENDS),
        OK,
        "{:?}",
        search_error(attached)
    );
    assert_eq!(aurorax_wait(original, UNTIL_IT_ENDS), OK);
    assert_eq!(data(attached), data(original));
    assert_eq!(
        route_count(&server, "submit"),
        1,
        "attaching submits nothing"
    );
    aurorax_free(attached);
    aurorax_free(original);
}

#[test]
fn attach_to_an_unknown_request_ends_with_the_apis_not_found() {
    let server = server(0.1);
    let s = with_server(
        &server,
        || {},
        || attach("ephemeris", "0848d9bb-5308-41a5-93ba-4453bad7ec38"),
    );
    assert!(!s.is_null());
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), API);
    assert!(
        search_error(s).unwrap().contains("404"),
        "{:?}",
        search_error(s)
    );
    // its query will never be known: describe says why, rather than "wait a moment"
    assert!(aurorax_describe(s).is_null());
    let why = last_error();
    assert!(
        why.starts_with("AURORAX_ERR_API") && why.contains("ended before its query was known"),
        "{why}"
    );
    aurorax_free(s);
}

#[test]
fn attach_refuses_malformed_ids_before_any_request() {
    let server = server(0.1);
    for bad in [
        "",
        "not-a-uuid",
        "0848d9bb-5308-41a5-93ba-4453bad7ec3",
        "../../etc/passwd",
        "0848d9bb53084 1a593ba4453bad7ec38",
    ] {
        let s = with_server(&server, || {}, || attach("data_products", bad));
        assert!(s.is_null(), "{bad:?} accepted");
        assert!(
            last_error().starts_with("AURORAX_ERR_INVALID_ARGUMENT: request_id"),
            "{}",
            last_error()
        );
    }
    assert!(unsafe { aurorax_conjunctions_search_attach(std::ptr::null()) }.is_null());
    assert!(
        last_error().contains("request_id: is NULL"),
        "{}",
        last_error()
    );
    assert_eq!(total_requests(&server), 0);
}

#[test]
fn wait_any_returns_the_lowest_ended_index_across_outcomes() {
    let server = server(0.3);
    // one never finishes, one fails at once, one succeeds
    server.set_search_outcome(json!({"outcome": "never_finish", "count": 1}));
    let endless = seed_search(&server);
    wait_for_request_id(endless);
    server.set_search_outcome(
        json!({"outcome": "fail", "count": 1, "message": "Search failed: database timeout"}),
    );
    let failing = seed_search(&server);
    wait_for_request_id(failing);
    let fine = seed_search(&server);
    let all = [endless, failing, fine];
    let first = unsafe { aurorax_wait_any(all.as_ptr(), 3, UNTIL_IT_ENDS) };
    assert!(first == 1 || first == 2, "{first}");
    assert_eq!(aurorax_wait(fine, UNTIL_IT_ENDS), OK);
    assert_eq!(aurorax_wait(failing, UNTIL_IT_ENDS), SEARCH_FAILED);
    assert_eq!(
        unsafe { aurorax_wait_any(all.as_ptr(), 3, UNTIL_IT_ENDS) },
        1,
        "the lowest ended index"
    );
    assert_eq!(
        unsafe { aurorax_wait_any(all.as_ptr(), 1, 0.3) },
        TIMEOUT,
        "the endless one alone times out"
    );
    // cancelling from another thread ends a wait on it
    let endless_key = endless as usize;
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        aurorax_cancel(endless_key as *mut aurorax_search_t)
    });
    assert_eq!(
        unsafe { aurorax_wait_any(all.as_ptr(), 1, UNTIL_IT_ENDS) },
        0
    );
    assert_eq!(canceller.join().unwrap(), OK);
    for s in all {
        aurorax_free(s);
    }
}

#[test]
fn wait_any_refuses_bad_arguments() {
    let server = server(0.1);
    let s = seed_search(&server);
    let freed = seed_search(&server);
    aurorax_free(freed);
    unsafe {
        assert_eq!(aurorax_wait_any(std::ptr::null(), 1, 1.0), INVALID_ARGUMENT);
        assert_eq!(aurorax_wait_any([s].as_ptr(), 0, 1.0), INVALID_ARGUMENT);
        assert_eq!(aurorax_wait_any([s].as_ptr(), -3, 1.0), INVALID_ARGUMENT);
        assert_eq!(
            aurorax_wait_any([s, std::ptr::null_mut()].as_ptr(), 2, 1.0),
            INVALID_ARGUMENT
        );
        assert!(last_error().contains("searches[1]"), "{}", last_error());
        assert_eq!(
            aurorax_wait_any([s, freed].as_ptr(), 2, 1.0),
            INVALID_ARGUMENT
        );
        assert_eq!(
            aurorax_wait_any([0x1234 as *mut aurorax_search_t].as_ptr(), 1, 1.0),
            INVALID_ARGUMENT
        );
        assert_eq!(
            aurorax_wait_any([s].as_ptr(), 1, f64::NAN),
            INVALID_ARGUMENT
        );
    }
    aurorax_free(s);
}

#[test]
fn records_are_slices_of_the_data_without_a_parser() {
    let server = server(0.2);
    // Before the data is in: a search that never finishes is not ready whenever it is
    // asked (a quick one might already be done on a busy machine).
    server.set_search_outcome(json!({"outcome": "never_finish", "count": 1}));
    let endless = seed_search(&server);
    wait_for_request_id(endless);
    assert_eq!(aurorax_get_record_count(endless), NOT_READY as i64);
    assert_eq!(record(endless, 0), (None, -1));
    aurorax_free(endless);
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    let whole: Vec<Value> = serde_json::from_str(&data(s).unwrap()).unwrap();
    let count = aurorax_get_record_count(s);
    assert_eq!(count, whole.len() as i64);
    assert!(count > 0);
    let data_start = aurorax_get_data(s) as usize;
    let data_end = data_start + aurorax_get_data_length(s) as usize;
    for i in 0..count {
        let (text, length) = record(s, i);
        let text = text.unwrap();
        assert_eq!(length, text.len() as i64);
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            whole[i as usize]
        );
        let mut n = 0;
        let at = unsafe { aurorax_get_record(s, i, &mut n) } as usize;
        assert!(
            at >= data_start && at + n as usize <= data_end,
            "record {i} is not a slice of the data"
        );
    }
    for bad in [-1, count, i64::MAX, i64::MIN] {
        assert_eq!(record(s, bad), (None, -1), "index {bad}");
        assert!(last_error().contains("index"), "{}", last_error());
    }
    assert!(unsafe { aurorax_get_record(s, 0, std::ptr::null_mut()) }.is_null());
    aurorax_free(s);
    assert_eq!(record(s, 0), (None, -1), "a freed handle");
    assert_eq!(aurorax_get_record_count(s), INVALID_ARGUMENT as i64);
    assert_eq!(
        aurorax_get_record_count(0x4155_0003 as *mut aurorax_search_t),
        INVALID_ARGUMENT as i64,
        "a forged handle"
    );
}

#[test]
fn records_of_a_failed_search_give_its_status() {
    let server = server(0.1);
    server.set_search_outcome(json!({"outcome": "fail", "count": 1}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED);
    assert_eq!(aurorax_get_record_count(s), SEARCH_FAILED as i64);
    assert_eq!(record(s, 0), (None, -1));
    aurorax_free(s);
}

fn describe(s: *mut aurorax_search_t) -> Option<String> {
    text(aurorax_describe(s))
}

#[test]
fn describe_asks_the_api_once_for_each_kind() {
    let server = server(0.2);
    let conjunction = seed_search(&server);
    let description = describe(conjunction).unwrap_or_else(|| panic!("{}", last_error()));
    assert!(
        description.to_lowercase().contains("conjunction"),
        "{description}"
    );
    let again = aurorax_describe(conjunction);
    assert_eq!(text(again).as_deref(), Some(description.as_str()));
    assert_eq!(
        route_count(&server, "describe"),
        1,
        "cached after the first call"
    );
    let ephemeris = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_ephemeris_search_async(
                c("2019-01-01T00:00:00").as_ptr(),
                c("2019-01-01T23:59:59").as_ptr(),
                c(r#"{"programs": ["swarm"]}"#).as_ptr(),
            )
        },
    );
    assert!(describe(ephemeris).is_some(), "{}", last_error());
    let products = with_server(
        &server,
        || {},
        || unsafe {
            aurorax_data_products_search_async(
                c("2020-01-01T00:00:00").as_ptr(),
                c("2020-01-02T23:59:59").as_ptr(),
                c(r#"{"programs": ["trex"]}"#).as_ptr(),
                std::ptr::null(),
            )
        },
    );
    assert!(describe(products).is_some(), "{}", last_error());
    assert_eq!(route_count(&server, "describe"), 3);
    let id = wait_for_request_id(conjunction);
    assert_eq!(aurorax_wait(conjunction, UNTIL_IT_ENDS), OK);
    let attached = with_server(&server, || {}, || attach("conjunctions", &id));
    assert_eq!(aurorax_wait(attached, UNTIL_IT_ENDS), OK);
    assert_eq!(
        describe(attached).as_deref(),
        Some(description.as_str()),
        "an attached search describes the server's copy of the query"
    );
    assert!(aurorax_describe(std::ptr::null_mut()).is_null());
    for s in [conjunction, ephemeris, products, attached] {
        aurorax_free(s);
    }
}

#[test]
fn progress_moves_through_the_phases_and_counts_every_byte() {
    let server = server(0.6);
    server.configure(json!({"result_count": 5000}));
    let s = seed_search(&server);
    // The phases seen, in the order seen. On a busy machine the first ones may be over
    // before the first read (the submit to loopback can be done at once): the test checks
    // their order, never that each was seen.
    let mut phases = vec![aurorax_get_phase(s)];
    let mut received = vec![];
    let mut expected_seen = vec![];
    // 39 MB, also under AddressSanitizer on a busy machine: a bound on a wait, not a speed
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    while aurorax_check_for_data(s) == 0 {
        let phase = aurorax_get_phase(s);
        if phases.last() != Some(&phase) {
            phases.push(phase);
        }
        received.push(aurorax_get_bytes_received(s));
        expected_seen.push(aurorax_get_bytes_expected(s));
        std::thread::sleep(Duration::from_millis(2));
        assert!(Instant::now() < deadline, "never finished: {phases:?}");
    }
    phases.push(aurorax_get_phase(s));
    phases.dedup();
    assert_eq!(aurorax_check_for_data(s), 1);
    assert!(
        phases.windows(2).all(|w| w[0] < w[1]),
        "phases out of order: {phases:?}"
    );
    assert!(
        phases.iter().all(|p| (0..=3).contains(p)),
        "only phases, no failure: {phases:?}"
    );
    assert_eq!(phases.last(), Some(&3), "{phases:?}");
    assert!(
        received.windows(2).all(|w| w[0] <= w[1]),
        "bytes went backwards"
    );
    let total = aurorax_get_bytes_received(s);
    assert_eq!(
        aurorax_get_bytes_expected(s),
        total,
        "the expected size was known and met"
    );
    assert!(total >= aurorax_get_data_length(s));
    assert!(
        expected_seen.iter().all(|e| *e == -1 || *e == total),
        "{:?}",
        expected_seen
            .iter()
            .filter(|e| **e != -1)
            .collect::<Vec<_>>()
    );
    aurorax_free(s);
    assert_eq!(aurorax_get_phase(s), INVALID_ARGUMENT);
    assert_eq!(aurorax_get_bytes_received(s), INVALID_ARGUMENT as i64);
    assert_eq!(
        aurorax_get_bytes_expected(std::ptr::null_mut()),
        INVALID_ARGUMENT as i64
    );
}

#[test]
fn a_failed_search_reports_its_status_as_its_phase() {
    let server = server(0.1);
    server.set_search_outcome(json!({"outcome": "fail", "count": 1}));
    let s = seed_search(&server);
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED);
    assert_eq!(aurorax_get_phase(s), SEARCH_FAILED);
    aurorax_free(s);
}

/// Reads a C string borrowed from the library.
fn text_at(p: *const c_char) -> String {
    text(p).unwrap()
}

#[test]
fn status_and_logs_stay_valid_while_other_threads_ask_again() {
    let server = server(1.5);
    let s = seed_search(&server);
    let key = s as usize;
    let readers: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let s = key as *mut aurorax_search_t;
                let mut seen: Vec<(usize, usize)> = Vec::new();
                // While the search runs and for at least 20 reads: how many fall before
                // the end depends on the machine's speed, not on the library.
                while aurorax_check_for_data(s) == 0 || seen.len() < 20 {
                    let status = aurorax_get_status(s);
                    let logs = aurorax_get_logs(s);
                    seen.push((status as usize, logs as usize));
                    std::thread::sleep(Duration::from_millis(3));
                }
                // Every pointer handed out is still readable now (ASan in the C stress
                // test sees the same from C).
                for (status, logs) in &seen {
                    if *status != 0 {
                        assert!(text_at(*status as *const c_char).contains("search_result"));
                    }
                    assert!(text_at(*logs as *const c_char).starts_with('['));
                }
                seen.len()
            })
        })
        .collect();
    for r in readers {
        assert!(r.join().unwrap() >= 20);
    }
    aurorax_free(s);
}

#[test]
fn every_v2_handle_function_refuses_null_freed_and_forged_handles() {
    let server = server(0.1);
    let freed = seed_search(&server);
    aurorax_free(freed);
    let forged = 0x4155_0008 as *mut aurorax_search_t;
    for (name, bad) in [
        ("NULL", std::ptr::null_mut()),
        ("freed", freed),
        ("forged", forged),
    ] {
        assert_eq!(aurorax_get_phase(bad), INVALID_ARGUMENT, "{name}");
        assert_eq!(
            aurorax_get_bytes_received(bad),
            INVALID_ARGUMENT as i64,
            "{name}"
        );
        assert_eq!(
            aurorax_get_bytes_expected(bad),
            INVALID_ARGUMENT as i64,
            "{name}"
        );
        assert_eq!(
            aurorax_get_record_count(bad),
            INVALID_ARGUMENT as i64,
            "{name}"
        );
        assert_eq!(record(bad, 0), (None, -1), "{name}");
        assert!(aurorax_describe(bad).is_null(), "{name}");
        assert!(
            last_error().starts_with("AURORAX_ERR_INVALID_ARGUMENT: s:"),
            "{name}: {}",
            last_error()
        );
        assert_eq!(
            unsafe { aurorax_wait_any([bad].as_ptr(), 1, 0.1) },
            INVALID_ARGUMENT,
            "{name}"
        );
        assert_eq!(aurorax_cancel(bad), INVALID_ARGUMENT, "{name}");
        aurorax_free(bad); // ignored
    }
    assert!(
        total_requests(&server) <= 1,
        "at most the freed search's submit"
    );
}
