//! Library-wide entry points: version, status names, messages, settings, shutdown.

use super::last_error::{self, status_of};
use super::strings::{optional_str, required_str};
use crate::config;
use crate::error::Status;
use std::ffi::{c_char, c_double, c_int, CStr};

/// Major version of the library this header belongs to.
pub const AURORAX_VERSION_MAJOR: c_int = 0;
/// Minor version of the library this header belongs to.
pub const AURORAX_VERSION_MINOR: c_int = 2;
/// Patch version of the library this header belongs to.
pub const AURORAX_VERSION_PATCH: c_int = 0;

const VERSION_TEXT: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => panic!("version contains a NUL"),
};

/// The library's version, e.g. "0.1.0".
///
/// Returns a static string: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_version() -> *const c_char {
    VERSION_TEXT.as_ptr()
}

/// The name of a status code, e.g. "AURORAX_ERR_NETWORK" for -2, or
/// "AURORAX_UNKNOWN_STATUS" for a value the library never returns.
///
/// Returns a static string: never NULL, never freed. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_status_name(status: c_int) -> *const c_char {
    const NAMES: [&CStr; 12] = [
        c"AURORAX_OK",
        c"AURORAX_ERR_INVALID_ARGUMENT",
        c"AURORAX_ERR_NETWORK",
        c"AURORAX_ERR_API",
        c"AURORAX_ERR_UNAUTHORIZED",
        c"AURORAX_ERR_MAINTENANCE",
        c"AURORAX_ERR_SEARCH_FAILED",
        c"AURORAX_ERR_CANCELLED",
        c"AURORAX_ERR_TIMEOUT",
        c"AURORAX_ERR_NOT_READY",
        c"AURORAX_ERR_PROTOCOL",
        c"AURORAX_ERR_INTERNAL",
    ];
    ffi_entry!(c"AURORAX_UNKNOWN_STATUS".as_ptr(), {
        match Status::from_code(status) {
            Some(s) => NAMES[(-s.code()) as usize].as_ptr(),
            None => c"AURORAX_UNKNOWN_STATUS".as_ptr(),
        }
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
    ffi_entry!(c"".as_ptr(), { last_error::current() })
}

/// Sets the API's base URL for searches created from now on, e.g.
/// "https://api.aurorax.space" (the default) or "http://127.0.0.1:8080" for a local
/// server. The default may also be set with the environment variable AURORAX_API_URL.
///
/// `base_url` is borrowed for the call. Returns AURORAX_OK, or
/// AURORAX_ERR_INVALID_ARGUMENT (NULL, not UTF-8, not an http(s) URL). Thread-safe.
///
/// # Safety
/// `base_url` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_set_api_url(base_url: *const c_char) -> c_int {
    ffi_entry!(Status::Internal.code(), {
        // SAFETY: the caller passes a valid C string or NULL (function contract).
        status_of(unsafe { required_str("base_url", base_url) }.and_then(config::set_api_url))
    })
}

/// Sets the API key sent (header x-aurorax-api-key) by searches created from now on; NULL
/// or "" clears it. The default comes from the environment variable AURORAX_API_KEY.
/// The key is only ever sent over HTTPS or to a loopback host, is never forwarded on a
/// redirect to another host, and never appears in a message.
///
/// Returns AURORAX_OK or AURORAX_ERR_INVALID_ARGUMENT. Thread-safe.
///
/// # Safety
/// `api_key` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_set_api_key(api_key: *const c_char) -> c_int {
    ffi_entry!(Status::Internal.code(), {
        // SAFETY: the caller passes a valid C string or NULL (function contract).
        status_of(unsafe { optional_str("api_key", api_key) }.and_then(config::set_api_key))
    })
}

/// Sets the upper bound, in seconds, of the adaptive status-poll interval for searches
/// created from now on (default 5). Polling starts at 0.1 s and grows 1.5x per poll up to
/// this bound. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT unless
/// 0 < max_seconds <= 86400. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_poll_interval(max_seconds: c_double) -> c_int {
    ffi_entry!(Status::Internal.code(), { status_of(config::set_max_poll_interval(max_seconds)) })
}

/// Sets the timeout, in seconds, of one HTTP request for searches created from now on
/// (default 30). For result downloads it bounds each wait for more data, not the whole
/// download. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT unless
/// 0 < seconds <= 86400. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_request_timeout(seconds: c_double) -> c_int {
    ffi_entry!(Status::Internal.code(), { status_of(config::set_request_timeout(seconds)) })
}

/// Sets how many times one request is retried on a transient fault (connection errors,
/// timeouts, HTTP 5xx and 429) for searches created from now on (default 6; 0 disables
/// retries). Retries back off exponentially (0.2 s doubling, at most 8 s, with jitter) and
/// honour Retry-After up to 60 s. Returns AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT
/// unless 0 <= max_retries <= 100. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_set_max_retries(max_retries: c_int) -> c_int {
    ffi_entry!(Status::Internal.code(), { status_of(config::set_max_retries(max_retries)) })
}

/// Stops the engine and joins its threads: call it before unloadlibrary, dlclose or fork.
/// Searches still running end with AURORAX_ERR_CANCELLED; their handles stay valid until
/// aurorax_free. Searches the server is already running are left to it; a search whose
/// submit is still in flight is deleted on the server once its id arrives (within about
/// two seconds), since nobody could collect it. The next search starts the engine again.
/// Blocks up to about four seconds. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_shutdown() {
    ffi_entry!((), { crate::engine::shutdown() })
}
