//! Following a search: asking, waiting, collecting, cancelling, releasing.

use super::handles::{aurorax_search_t, lookup, remove, Handle};
use super::last_error::{pointer_or_null, status_of};
use crate::error::{Error, Status};
use std::ffi::{c_char, c_double, c_int};
use std::time::Duration;

/// A text getter's common path: an invalid handle is recorded and gives NULL.
fn text_of(s: *mut aurorax_search_t, get: impl FnOnce(&Handle) -> *const c_char) -> *const c_char {
    match lookup(s) {
        Ok(h) => get(&h),
        Err(e) => pointer_or_null(Err(e)),
    }
}

/// 1 when the search's data is in memory (aurorax_get_data will not block), 0 while it is
/// not yet, or a negative status once the search has failed or was cancelled
/// (the reason is in aurorax_search_error).
///
/// Answers from memory: one atomic read, no network I/O, no lock, never blocks. Invalid
/// handle: AURORAX_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_check_for_data(s: *mut aurorax_search_t) -> c_int {
    ffi_entry!(Status::Internal.code(), {
        match lookup(s) {
            Ok(h) => h.search.check_for_data(),
            Err(e) => status_of(Err(e)),
        }
    })
}

/// Blocks the calling thread (sleeping, never spinning) until the search's data is in
/// memory, the search fails or is cancelled, or `timeout_seconds` pass
/// (<= 0 or infinity: no limit).
///
/// Returns AURORAX_OK (data ready), AURORAX_ERR_TIMEOUT (the search goes on; wait again),
/// or the failure's status (e.g. AURORAX_ERR_SEARCH_FAILED at once when the server reports
/// an error condition, AURORAX_ERR_CANCELLED) with the reason in aurorax_search_error.
/// AURORAX_ERR_INVALID_ARGUMENT for an invalid handle or a NaN timeout. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_wait(s: *mut aurorax_search_t, timeout_seconds: c_double) -> c_int {
    ffi_entry!(Status::Internal.code(), {
        status_of((|| {
            let h = lookup(s)?;
            if timeout_seconds.is_nan() {
                return Err(Error::invalid("timeout_seconds", "is NaN"));
            }
            let timeout = (timeout_seconds > 0.0 && timeout_seconds.is_finite()).then(|| Duration::from_secs_f64(timeout_seconds.min(1e9)));
            h.search.wait(timeout)
        })())
    })
}

/// The search's records: the JSON array the API returned (e.g. `[{"conjunction_type":
/// "nbtrace", ...}, ...]`), passed through byte for byte. Blocks while a completed search's
/// result is still downloading.
///
/// Returns NULL on failure (before completion: AURORAX_ERR_NOT_READY; a failed or cancelled
/// search: its status), with the reason in aurorax_last_error() and, for search failures,
/// aurorax_search_error. The string is owned by the handle: do not free it; it stays valid
/// and unchanged until aurorax_free(s). Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_data(s: *mut aurorax_search_t) -> *const c_char {
    ffi_entry!(std::ptr::null(), {
        pointer_or_null((|| {
            let h = lookup(s)?;
            let text = h.search.data()?;
            // The pointer stays valid: the result is never moved or changed once set, and
            // the handle keeps the search alive until aurorax_free.
            Ok(text.as_str_with_nul().as_ptr().cast::<c_char>())
        })())
    })
}

/// The length in bytes of the text aurorax_get_data returns (without the NUL), blocking as
/// aurorax_get_data does; or a negative status on failure. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_data_length(s: *mut aurorax_search_t) -> i64 {
    ffi_entry!(Status::Internal.code() as i64, {
        match lookup(s).and_then(|h| h.search.data().map(|d| d.len() as i64)) {
            Ok(n) => n,
            Err(e) => status_of(Err(e)) as i64,
        }
    })
}

/// Stops the search: local polling ends at once (waiters get AURORAX_ERR_CANCELLED) and,
/// while the server is still running it, the request is cancelled there with a DELETE.
/// A search the server has already finished is only stopped locally, because a DELETE then
/// would delete its result file; a search whose data is already in memory is left as is.
///
/// Blocks for the DELETE (bounded by the request timeout, two retries). Returns AURORAX_OK,
/// or the DELETE's failure status (the search is cancelled locally all the same), or
/// AURORAX_ERR_INVALID_ARGUMENT for an invalid handle. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_cancel(s: *mut aurorax_search_t) -> c_int {
    ffi_entry!(Status::Internal.code(), { status_of(lookup(s).and_then(|h| crate::engine::cancel(&h.search))) })
}

/// The server's request id (a UUID) once the search has been submitted; NULL before (or
/// for an invalid handle). Owned by the handle, valid until aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_request_id(s: *mut aurorax_search_t) -> *const c_char {
    ffi_entry!(std::ptr::null(), {
        text_of(s, Handle::request_id)
    })
}

/// The request's status URL, built from the configured base URL and the request id;
/// NULL before submission. Owned by the handle, valid until aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_request_url(s: *mut aurorax_search_t) -> *const c_char {
    ffi_entry!(std::ptr::null(), {
        text_of(s, Handle::request_url)
    })
}

/// Why the search failed or was cancelled, e.g. "AURORAX_ERR_SEARCH_FAILED: <the server's
/// last error log summary>"; NULL while it has not (and for an invalid handle). Owned by
/// the handle, valid until aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_search_error(s: *mut aurorax_search_t) -> *const c_char {
    ffi_entry!(std::ptr::null(), {
        text_of(s, Handle::error)
    })
}

/// The latest request status document exactly as the API sent it (JSON with
/// `search_request`, `search_result` and `logs`); NULL before the first status arrives.
/// Answered from memory. Owned by the handle; valid until the next aurorax_get_status on s
/// that sees a newer status, or aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_status(s: *mut aurorax_search_t) -> *const c_char {
    ffi_entry!(std::ptr::null(), {
        text_of(s, |h| h.status().unwrap_or_else(|| pointer_or_null(Err(Error::new(Status::NotReady, "no status has been received yet")))))
    })
}

/// The request's log entries as a JSON array of `{"level", "summary", "timestamp"}`
/// (`[]` before the first status arrives). Answered from memory. Owned by the handle; valid
/// until the next aurorax_get_logs on s that sees newer logs, or aurorax_free. NULL only for
/// an invalid handle. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_logs(s: *mut aurorax_search_t) -> *const c_char {
    ffi_entry!(std::ptr::null(), {
        text_of(s, Handle::logs)
    })
}

/// Releases the handle and everything it owns (data, strings); stops local polling but
/// does not cancel the search on the server (use aurorax_cancel first for that).
/// NULL, and a handle already freed, are ignored. Must be the handle's last call: strings
/// it returned die with it.
#[no_mangle]
pub extern "C" fn aurorax_free(s: *mut aurorax_search_t) {
    ffi_entry!((), {
        if let Some(h) = remove(s) {
            h.search.abandon();
        }
    })
}
