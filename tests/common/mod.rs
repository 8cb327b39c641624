//! Shared by the integration tests: a local server per test, and calls through the C ABI
//! exactly as a C program makes them.
#![allow(dead_code)]

pub mod logs;
pub mod raw_server;
pub mod tls;

pub use aurorax::ffi::*;
pub use aurorax_testserver::{start, Config, ServerGuard};
use serde_json::Value;
use std::ffi::{CStr, CString};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SEED_GROUND: &str = r#"[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}]"#;
pub const SEED_SPACE: &str = r#"[{"programs": ["swarm"], "ephemeris_metadata_filters": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}]"#;

/// A local server whose searches take `search_seconds`.
pub fn server(search_seconds: f64) -> ServerGuard {
    start(Config {
        search_seconds,
        ..Config::default()
    })
    .expect("local server starts")
}

pub fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// Settings are process-wide and captured when a search is created; tests running in
/// parallel take turns configuring and creating.
static SETTINGS_TURN: Mutex<()> = Mutex::new(());

/// Runs `create` with the library pointed at `server` (and any extra settings applied in
/// `configure`), restoring defaults for the next test.
pub fn with_server<T>(
    server: &ServerGuard,
    configure: impl FnOnce(),
    create: impl FnOnce() -> T,
) -> T {
    with_api_url(server.base_url(), configure, create)
}

/// The same for any server at `url` (a hand-written one, a TLS one, another process).
pub fn with_api_url<T>(url: &str, configure: impl FnOnce(), create: impl FnOnce() -> T) -> T {
    let _turn = SETTINGS_TURN.lock().unwrap_or_else(|e| e.into_inner());
    unsafe {
        assert_eq!(aurorax_set_api_url(c(url).as_ptr()), 0);
        assert_eq!(aurorax_set_api_key(std::ptr::null()), 0);
        assert_eq!(aurorax_set_ca_bundle(std::ptr::null()), 0);
    }
    assert_eq!(aurorax_set_poll_interval(0.5), 0);
    assert_eq!(aurorax_set_request_timeout(5.0), 0);
    assert_eq!(aurorax_set_max_retries(6), 0);
    // the v2 rule (6 retries per request) unless a test asks for an outage tolerance
    assert_eq!(aurorax_set_outage_tolerance(0.0), 0);
    assert_eq!(aurorax_set_spool_threshold(256 << 20), 0);
    assert_eq!(aurorax_set_max_result_bytes(0), 0);
    configure();
    create()
}

/// Attaches to the seed search `request_id` on `server` and checks that it delivers the
/// seed's records (the result survived whatever the test did before).
pub fn attach_and_collect_the_seed(server: &ServerGuard, request_id: &str) {
    let id = CString::new(request_id).unwrap();
    let attached = with_server(
        server,
        || {},
        || unsafe { aurorax_conjunctions_search_attach(id.as_ptr()) },
    );
    assert_eq!(
        aurorax_wait(attached, 120.0),
        OK,
        "{:?}",
        search_error(attached)
    );
    assert_eq!(
        data(attached).unwrap(),
        expected_records("conjunctions", &seed_body())
    );
    aurorax_free(attached);
}

pub fn seed_search(server: &ServerGuard) -> *mut aurorax_search_t {
    with_server(server, || {}, start_seed)
}

/// The seed search with whatever settings are current (call inside `with_server`).
pub fn start_seed() -> *mut aurorax_search_t {
    unsafe {
        aurorax_conjunctions_search_async(
            c("2019-01-01T00:00:00").as_ptr(),
            c("2019-12-31T23:59:59").as_ptr(),
            c(SEED_GROUND).as_ptr(),
            c(SEED_SPACE).as_ptr(),
            300.0,
        )
    }
}

pub fn text(p: *const std::ffi::c_char) -> Option<String> {
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_string())
}

pub fn last_error() -> String {
    text(aurorax_last_error()).unwrap()
}

pub fn search_error(s: *mut aurorax_search_t) -> Option<String> {
    text(aurorax_search_error(s))
}

pub fn data(s: *mut aurorax_search_t) -> Option<String> {
    text(aurorax_get_data(s))
}

pub fn request_id(s: *mut aurorax_search_t) -> Option<String> {
    text(aurorax_request_id(s))
}

/// Polls until the library has learnt the request id (bounded).
pub fn wait_for_request_id(s: *mut aurorax_search_t) -> String {
    let deadline = Instant::now() + UNTIL_IT_HAPPENS;
    loop {
        if let Some(id) = request_id(s) {
            return id;
        }
        assert!(
            Instant::now() < deadline,
            "no request id after {UNTIL_IT_HAPPENS:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Polls `condition` until it holds, failing the test after `limit` (for effects the
/// engine produces in the background, such as a cancel's DELETE).
pub fn eventually(limit: Duration, what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !condition() {
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn stats(server: &ServerGuard) -> Value {
    server.stats()
}

pub fn route_count(server: &ServerGuard, route: &str) -> u64 {
    server.stats()["by_route"][route].as_u64().unwrap_or(0)
}

pub fn total_requests(server: &ServerGuard) -> u64 {
    server.stats()["total"].as_u64().unwrap()
}

/// The body the library sent for a search, rebuilt the same way, to ask the server what it
/// serves for it.
pub fn expected_records(kind: &str, body: &str) -> String {
    aurorax_testserver::expected_result_json(kind, &serde_json::from_str(body).unwrap())
}

pub fn seed_body() -> String {
    seed_body_between("2019-01-01T00:00:00", "2019-12-31T23:59:59")
}

/// The seed search's body for another time range.
pub fn seed_body_between(start: &str, end: &str) -> String {
    aurorax::internals::conjunctions::from_parts(
        start,
        end,
        Some(SEED_GROUND),
        Some(SEED_SPACE),
        300.0,
    )
    .unwrap()
    .body
}

/// The bound of a wait whose end the test expects from the search itself (done, failed,
/// cancelled, a budget spent): it only stops a wait that would otherwise hang, so a busy
/// machine or a sanitized build cannot break it. Tests of a wait's own timeout use theirs.
pub const UNTIL_IT_ENDS: f64 = 300.0;

/// The same bound for what the engine does in the background (a request arriving, a
/// DELETE sent): `eventually` polls until it happens and fails only after this long.
pub const UNTIL_IT_HAPPENS: Duration = Duration::from_secs(300);

// The header's constants, as C code writes them.
pub const OK: i32 = aurorax_status_t::AURORAX_OK as i32;
pub const INVALID_ARGUMENT: i32 = aurorax_status_t::AURORAX_ERR_INVALID_ARGUMENT as i32;
pub const NETWORK: i32 = aurorax_status_t::AURORAX_ERR_NETWORK as i32;
pub const API: i32 = aurorax_status_t::AURORAX_ERR_API as i32;
pub const UNAUTHORIZED: i32 = aurorax_status_t::AURORAX_ERR_UNAUTHORIZED as i32;
pub const MAINTENANCE: i32 = aurorax_status_t::AURORAX_ERR_MAINTENANCE as i32;
pub const SEARCH_FAILED: i32 = aurorax_status_t::AURORAX_ERR_SEARCH_FAILED as i32;
pub const CANCELLED: i32 = aurorax_status_t::AURORAX_ERR_CANCELLED as i32;
pub const TIMEOUT: i32 = aurorax_status_t::AURORAX_ERR_TIMEOUT as i32;
pub const NOT_READY: i32 = aurorax_status_t::AURORAX_ERR_NOT_READY as i32;
pub const PROTOCOL: i32 = aurorax_status_t::AURORAX_ERR_PROTOCOL as i32;
pub const INTERNAL: i32 = aurorax_status_t::AURORAX_ERR_INTERNAL as i32;
pub const TLS: i32 = aurorax_status_t::AURORAX_ERR_TLS as i32;
