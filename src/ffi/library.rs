//! Library-wide entry points: version, status names, messages, settings, shutdown.

use super::boundary::{boundary, infallible_boundary, status_boundary};
use super::last_error;
use super::strings::{optional_str, required_str};
use crate::config;
use crate::error::Status;
use std::ffi::{c_char, c_double, c_int, c_void, CStr};

/// Major version of the library this header belongs to.
pub const AURORAX_VERSION_MAJOR: c_int = 0;
/// Minor version of the library this header belongs to.
pub const AURORAX_VERSION_MINOR: c_int = 2;
/// Patch version of the library this header belongs to.
pub const AURORAX_VERSION_PATCH: c_int = 0;

const VERSION_TEXT: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("version contains a NUL"),
    };

/// The library's version, e.g. "0.2.0".
///
/// Returns a static string: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_version() -> *const c_char {
    infallible_boundary(c"".as_ptr(), || VERSION_TEXT.as_ptr())
}

/// The name of a status code, e.g. "AURORAX_ERR_NETWORK" for -2, or
/// "AURORAX_UNKNOWN_STATUS" for a value the library never returns.
///
/// Returns a static string: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_status_name(status: c_int) -> *const c_char {
    let unknown = c"AURORAX_UNKNOWN_STATUS";
    infallible_boundary(unknown.as_ptr(), || {
        Status::from_code(status)
            .map_or(unknown, Status::c_name)
            .as_ptr()
    })
}

/// Why this thread's most recent failing call failed, when that call returned NULL or a
/// status without a search handle to hold the message: "AURORAX_ERR_INVALID_ARGUMENT:
/// start: '2019-13-01' is not a UTC timestamp ...". Empty if no call has failed yet.
///
/// Never NULL. Owned by the library; valid until this thread's next failing aurorax call.
/// Each thread has its own message.
#[no_mangle]
pub extern "C" fn aurorax_last_error() -> *const c_char {
    infallible_boundary(c"".as_ptr(), last_error::current)
}

/// The status that goes with aurorax_last_error(): that of this thread's most recent
/// failing call (AURORAX_OK if none has failed yet). Bindings raise their errors from this
/// number, never from the message text, whose wording may change.
///
/// Thread-safe; each thread has its own.
#[no_mangle]
pub extern "C" fn aurorax_last_status() -> c_int {
    infallible_boundary(
        Status::AURORAX_ERR_INTERNAL.code(),
        last_error::current_status,
    )
}

/// Sets the API's base URL for searches created from now on, e.g.
/// "https://api.aurorax.space" (the default) or "http://127.0.0.1:8080" for a local
/// server. The default may also be set with the environment variable AURORAX_API_URL.
///
/// `base_url` is borrowed for the call. Returns AURORAX_OK, or
/// AURORAX_ERR_INVALID_ARGUMENT (NULL, not UTF-8, not an http(s) URL). Thread-safe.
///
/// `base_url` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_set_api_url(base_url: *const c_char) -> c_int {
    // SAFETY: the caller passes a valid C string or NULL (function contract).
    status_boundary(|| config::set_api_url(unsafe { required_str("base_url", base_url) }?))
}

/// Sets the API key sent (header x-aurorax-api-key) by searches created from now on; NULL
/// or "" clears it. The default comes from the environment variable AURORAX_API_KEY.
/// The key is only ever sent over HTTPS or to a loopback host, is never forwarded on a
/// redirect to another host, and never appears in a message.
///
/// Returns AURORAX_OK or AURORAX_ERR_INVALID_ARGUMENT. Thread-safe.
///
/// `api_key` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_set_api_key(api_key: *const c_char) -> c_int {
    // SAFETY: the caller passes a valid C string or NULL (function contract).
    status_boundary(|| config::set_api_key(unsafe { optional_str("api_key", api_key) }?))
}

/// Trust a PEM bundle of CA certificates on top of the operating system's store, for
/// searches created from now on: an institution's CA, or the one a TLS-inspecting proxy
/// signs with. By default only the system's store is trusted, as curl and browsers use it
/// (on Linux the system bundle; the environment variables SSL_CERT_FILE and SSL_CERT_DIR
/// replace it, as for OpenSSL). NULL removes the bundle. The default may also be set with
/// the environment variable AURORAX_CA_BUNDLE.
///
/// The file is read and checked now: AURORAX_ERR_INVALID_ARGUMENT, before any network I/O,
/// for a missing or unreadable file, or one holding no PEM certificate (a DER file, say).
/// A server whose certificate is still not trusted fails its search with AURORAX_ERR_TLS.
/// Returns AURORAX_OK on success. Thread-safe.
///
/// `pem_path` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_set_ca_bundle(pem_path: *const c_char) -> c_int {
    // SAFETY: the caller passes a valid C string or NULL (function contract).
    status_boundary(|| config::set_ca_bundle(unsafe { optional_str("pem_path", pem_path) }?))
}

/// Sets the upper bound, in seconds, of the adaptive status-poll interval for searches
/// created from now on (default 5). Each pause between status requests is a tenth of the
/// time since the server accepted the search, at least 0.25 s (never more than 4 requests
/// a second) and at most this bound. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT unless
/// 0 < max_seconds <= 86400. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_poll_interval(max_seconds: c_double) -> c_int {
    status_boundary(|| config::set_max_poll_interval(max_seconds))
}

/// Sets the timeout, in seconds, of one HTTP request for searches created from now on
/// (default 30): a status, describe or cancel answer must arrive whole within it (a submit
/// needs only the head of its answer, the 202 and its Location).
/// For result downloads it bounds each wait for more data, and each such window must bring
/// 1 KiB/s on average, not the whole download. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT unless
/// 0 < seconds <= 86400. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_request_timeout(seconds: c_double) -> c_int {
    status_boundary(|| config::set_request_timeout(seconds))
}

/// Sets how many times one request is retried on a transient fault (connection errors,
/// timeouts, HTTP 5xx and 429) for searches created from now on (default 6; 0 disables
/// retries). It rules the submit, a cancel's DELETE, and every request when the outage
/// tolerance is 0; otherwise the requests of a search the server holds are retried for as
/// long as aurorax_set_outage_tolerance allows. Retries back off exponentially (0.2 s doubling, at most 8 s, with jitter) and
/// honour Retry-After up to 60 s. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT
/// unless 0 <= max_retries <= 100. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_max_retries(max_retries: c_int) -> c_int {
    status_boundary(|| config::set_max_retries(max_retries))
}

/// Results larger than `bytes` are written to a temporary file as they arrive and mapped,
/// not held in memory, for searches created from now on (default 256 MiB; `bytes <= 0`:
/// always in memory). The file is in the directory AURORAX_SPOOL_DIR names, else the
/// system's temporary directory, and is unlinked as soon as it is created, so nothing is
/// left behind if the process dies. aurorax_get_data, the records and the columns keep
/// their contracts (the pointers point into the mapping, valid until aurorax_free). A
/// spool file that cannot be created or written (a full disk) fails the download with
/// AURORAX_ERR_PROTOCOL and a message naming the directory. Always returns AURORAX_OK.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_spool_threshold(bytes: i64) -> c_int {
    status_boundary(|| config::set_spool_threshold(bytes))
}

/// Sets how long a search survives an outage, for searches created from now on (default
/// 600 s; the environment variable AURORAX_OUTAGE_TOLERANCE gives the default). While the
/// server holds a search, its failed requests (network errors, timeouts, HTTP 5xx, 429,
/// maintenance) — status polls, the result download (resumed where it stopped when the
/// server offers byte ranges) and data-source and availability look-ups — are retried with
/// backoff, at most the maximum poll interval apart, until no request of that search has
/// succeeded for this long. The search then fails with the last failure's status, within
/// this tolerance plus one request timeout, and its message names the request id: attaching
/// to it later collects the result. The submit is still sent at most once. 0 keeps the v2
/// rule instead (aurorax_set_max_retries retries per request).
///
/// Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT for a negative, NaN or infinite
/// value, or one over a week (604800). Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_outage_tolerance(seconds: c_double) -> c_int {
    status_boundary(|| config::set_outage_tolerance(seconds))
}

/// Stops the engine and joins its threads: call it before unloadlibrary, dlclose or fork.
/// Searches still running end with AURORAX_ERR_CANCELLED; their handles stay valid until
/// aurorax_free. Searches the server is already running are left to it; a search whose
/// submit is still in flight is deleted on the server once its id arrives (within about
/// two seconds), since nobody could collect it. The next search starts the engine again.
/// Blocks up to about four seconds. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_shutdown() {
    boundary(|| {
        crate::client::shutdown();
        Ok(())
    })
}

/// Caps the size of a result (in bytes, as received) for searches created from now on: a
/// larger result fails with AURORAX_ERR_PROTOCOL instead of filling memory — at once when
/// the server announces its size, else as soon as the cap is passed. `bytes <= 0`: no cap
/// (the default; the result then grows in memory as its bytes arrive). Always returns
/// AURORAX_OK. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_max_result_bytes(bytes: i64) -> c_int {
    status_boundary(|| config::set_max_result_bytes(bytes))
}

/// Sets how much the library narrates: -1 off (the default unless the environment variable
/// AURORAX_LOG=error|warn|info|debug says otherwise), 0 errors, 1 warnings (each retry,
/// with its reason and delay), 2 info (each search submitted with its request id, its
/// completion, the download's size and time), 3 debug (every status poll). Lines go to
/// stderr, or to the callback set with aurorax_set_log_callback. No line ever holds the
/// API key. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT outside -1..3. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_log_level(level: c_int) -> c_int {
    status_boundary(|| crate::log::set_level(level))
}

/// A function that receives the library's log lines: `level` 0 error … 3 debug, `line`
/// NUL-terminated and valid only during the call, `user` as given to
/// aurorax_set_log_callback.
#[allow(non_camel_case_types)]
pub type aurorax_log_fn =
    Option<unsafe extern "C" fn(level: c_int, line: *const c_char, user: *mut c_void)>;

/// Hands the library's log lines (see aurorax_set_log_level) to `fn` instead of stderr;
/// NULL restores stderr. `fn` is called on an engine thread or the caller's: it must be
/// thread-safe, must not block, and must not call back into the library. `user` is passed
/// through untouched. Setting a callback does not change the level. Returns AURORAX_OK.
/// Thread-safe. (MATLAB and Julia use AURORAX_LOG or aurorax_set_log_level instead.)
///
/// `fn`, if not NULL, is callable with these arguments from any thread until it is
/// replaced; `user` stays valid as long as `fn` may use it.
#[no_mangle]
pub unsafe extern "C" fn aurorax_set_log_callback(
    r#fn: aurorax_log_fn,
    user: *mut c_void,
) -> c_int {
    status_boundary(|| {
        let sink = r#fn.map(|callback| {
            // Carried as an address: a raw pointer is not Send, and the caller vouches
            // that `user` may be used from any thread.
            let user = user as usize;
            std::sync::Arc::new(move |level: crate::log::Level, line: &str| {
                let line = last_error::to_cstring(line);
                // SAFETY: the caller guarantees `callback` is callable from any thread with
                // a NUL-terminated line (valid for the call) and its own `user` pointer.
                unsafe { callback(level as c_int, line.as_ptr(), user as *mut c_void) }
            }) as crate::log::Sink
        });
        crate::log::set_sink(sink);
        Ok(())
    })
}
