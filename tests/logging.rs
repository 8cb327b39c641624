//! Diagnostics: one line per step through the C callback, at the level asked for, never
//! the API key. (Its own binary: the level and the callback are process-wide.)

mod common;
use common::*;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Mutex;

static LINES: Mutex<Vec<(i32, String)>> = Mutex::new(Vec::new());
const KEY: &str = "log-test-key-8d41";

unsafe extern "C" fn collect(level: c_int, line: *const c_char, user: *mut c_void) {
    assert_eq!(user as usize, 0xA0, "user pointer passed through");
    let text = unsafe { CStr::from_ptr(line) }
        .to_string_lossy()
        .into_owned();
    LINES.lock().unwrap().push((level, text));
}

fn lines() -> Vec<(i32, String)> {
    std::mem::take(&mut *LINES.lock().unwrap())
}

#[test]
fn each_step_is_narrated_at_its_level_and_never_with_the_key() {
    assert_eq!(
        unsafe { aurorax_set_log_callback(Some(collect), 0xA0 as *mut c_void) },
        OK
    );
    assert_eq!(aurorax_set_log_level(4), INVALID_ARGUMENT);
    assert_eq!(aurorax_set_log_level(-2), INVALID_ARGUMENT);

    // info: submitted with its id, completion, download
    assert_eq!(aurorax_set_log_level(2), OK);
    let server = start(Config {
        api_key: Some(KEY.into()),
        search_seconds: 0.6,
        ..Config::default()
    })
    .unwrap();
    server.inject_fault(serde_json::json!({"route": "status", "fault": "http503", "count": 1, "retry_after_seconds": 0}));
    let s = with_server(
        &server,
        || unsafe { assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK) },
        start_seed,
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK, "{:?}", search_error(s));
    let id = request_id(s).unwrap();
    aurorax_free(s);
    let info = lines();
    let text: Vec<&str> = info.iter().map(|(_, l)| l.as_str()).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("submitted") && l.contains(&id)),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|l| l.contains("retry 1 of") && l.contains("503")),
        "a retry with its reason: {text:#?}"
    );
    assert!(
        text.iter()
            .any(|l| l.contains("downloaded") && l.contains("bytes")),
        "{text:#?}"
    );
    assert!(
        !text.iter().any(|l| l.contains("still running")),
        "status polls are debug-level: {text:#?}"
    );
    assert!(info.iter().all(|(level, _)| (0..=2).contains(level)));

    // debug: every poll; a failure at error level
    assert_eq!(aurorax_set_log_level(3), OK);
    server.set_search_outcome(
        serde_json::json!({"outcome": "fail", "count": 1, "message": "Search failed: disk full"}),
    );
    let s = with_server(
        &server,
        || unsafe { assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK) },
        start_seed,
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), SEARCH_FAILED);
    aurorax_free(s);
    let debug = lines();
    assert!(
        debug
            .iter()
            .any(|(level, l)| *level == 3 && l.contains("still running")),
        "{debug:#?}"
    );
    assert!(
        debug
            .iter()
            .any(|(level, l)| *level == 0 && l.contains("disk full")),
        "{debug:#?}"
    );
    for (_, line) in info.iter().chain(&debug) {
        assert!(!line.contains(KEY), "the key in a log line: {line}");
    }

    // off: nothing; NULL callback restores stderr
    assert_eq!(aurorax_set_log_level(-1), OK);
    let s = with_server(
        &server,
        || unsafe { assert_eq!(aurorax_set_api_key(c(KEY).as_ptr()), OK) },
        start_seed,
    );
    assert_eq!(aurorax_wait(s, UNTIL_IT_ENDS), OK);
    aurorax_free(s);
    assert!(lines().is_empty());
    assert_eq!(
        unsafe { aurorax_set_log_callback(None, std::ptr::null_mut()) },
        OK
    );
}
