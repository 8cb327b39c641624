//! Following a search: asking, waiting, collecting, cancelling, releasing.

use super::boundary::{boundary, status_boundary};
use super::handles::{aurorax_search_t, lookup, remove, with_handle, Handle};
use crate::client::{wait_any, Error, Phase, Result, Search, Status};
use crate::status::aurorax_phase_t;
use std::ffi::{c_char, c_double, c_int};
use std::time::Duration;

fn to_i64(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// A text getter's common path: NULL while the text does not exist yet.
fn text_of(s: *mut aurorax_search_t, get: impl FnOnce(&Handle) -> *const c_char) -> *const c_char {
    boundary(|| with_handle(s, |h| Ok(get(h))))
}

/// `<= 0` or infinity: no limit; NaN is refused.
fn timeout_from(timeout_seconds: c_double) -> Result<Option<Duration>> {
    if timeout_seconds.is_nan() {
        return Err(Error::invalid("timeout_seconds", "is NaN"));
    }
    Ok((timeout_seconds > 0.0 && timeout_seconds.is_finite())
        .then(|| Duration::from_secs_f64(timeout_seconds.min(1e9))))
}

/// 1 when the search's data is in memory (aurorax_get_data will not block), 0 while it is
/// not yet, or a negative status once the search has failed or was cancelled
/// (the reason is in aurorax_search_error).
///
/// Answers from memory: a few atomic reads, no network I/O, no lock, never blocks.
/// Invalid handle: AURORAX_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_check_for_data(s: *mut aurorax_search_t) -> c_int {
    boundary(|| with_handle(s, |h| Ok(h.search.data_flag())))
}

/// The search's phase: AURORAX_PHASE_SUBMITTING (the POST is in flight),
/// AURORAX_PHASE_RUNNING (the server is searching), AURORAX_PHASE_DOWNLOADING (the result
/// is arriving), AURORAX_PHASE_READY (the data is in memory), or the failure's negative
/// status once it failed or was cancelled. An attached search starts RUNNING; a data-source
/// or availability request goes from SUBMITTING to DOWNLOADING.
///
/// An atomic read: no I/O, no lock, never blocks. Invalid handle:
/// AURORAX_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_phase(s: *mut aurorax_search_t) -> c_int {
    boundary(|| {
        with_handle(s, |h| {
            Ok(match h.search.phase() {
                Phase::Submitting => aurorax_phase_t::AURORAX_PHASE_SUBMITTING as c_int,
                Phase::Running => aurorax_phase_t::AURORAX_PHASE_RUNNING as c_int,
                Phase::Downloading => aurorax_phase_t::AURORAX_PHASE_DOWNLOADING as c_int,
                Phase::Ready => aurorax_phase_t::AURORAX_PHASE_READY as c_int,
                Phase::Ended(status) => status.code(),
            })
        })
    })
}

/// Result bytes received so far (0 before the download starts; the whole size once
/// ready), updated as the body streams in. An atomic read. Invalid handle:
/// AURORAX_ERR_INVALID_ARGUMENT (negative). Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_bytes_received(s: *mut aurorax_search_t) -> i64 {
    boundary(|| with_handle(s, |h| Ok(to_i64(h.search.bytes_received()))))
}

/// The result's expected size in bytes, from the download's Content-Length or else the
/// status's `file_size`, and the exact size once the whole body is in (so it equals
/// aurorax_get_bytes_received at the end); -1 while unknown (before the server has
/// finished, or when neither says). An atomic read. Invalid handle: AURORAX_ERR_INVALID_ARGUMENT. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_bytes_expected(s: *mut aurorax_search_t) -> i64 {
    boundary(|| with_handle(s, |h| Ok(h.search.bytes_expected().map_or(-1, to_i64))))
}

/// Blocks the calling thread (sleeping, never spinning) until the search's data is in
/// memory, the search fails or is cancelled, or `timeout_seconds` pass
/// (<= 0 or infinity: no limit).
///
/// Returns AURORAX_OK (data ready), AURORAX_ERR_TIMEOUT (the search goes on; wait again),
/// or the failure's status (e.g. AURORAX_ERR_SEARCH_FAILED at once when the server reports
/// an error condition; AURORAX_ERR_CANCELLED at once when another thread cancels or frees
/// the handle) with the reason in aurorax_search_error. AURORAX_ERR_INVALID_ARGUMENT for an
/// invalid handle or a NaN timeout. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_wait(s: *mut aurorax_search_t, timeout_seconds: c_double) -> c_int {
    status_boundary(|| {
        let h = lookup(s)?;
        h.search.wait(timeout_from(timeout_seconds)?)
    })
}

/// Waits for the first of many searches to end: returns the index (0..n-1) of a search
/// that has ended — data ready, failed or cancelled; the lowest such index — as soon as
/// one has, AURORAX_ERR_TIMEOUT when none ended within `timeout_seconds` (<= 0 or
/// infinity: no limit), or AURORAX_ERR_INVALID_ARGUMENT for a NULL array, n <= 0, a NaN
/// timeout, or a NULL or freed entry (nothing is waited for then). Sleeps, never spins.
/// A search freed by another thread during the wait counts as ended (cancelled).
///
/// `searches` is borrowed for the call. Thread-safe.
///
/// `searches` is NULL or points to `n` readable handle pointers.
#[no_mangle]
pub unsafe extern "C" fn aurorax_wait_any(
    searches: *const *mut aurorax_search_t,
    n: c_int,
    timeout_seconds: c_double,
) -> c_int {
    boundary(|| {
        if searches.is_null() {
            return Err(Error::invalid("searches", "is NULL"));
        }
        let count = usize::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| Error::invalid("n", format!("must be > 0, got {n}")))?;
        // SAFETY: non-NULL, and the caller guarantees `n` readable elements (contract).
        let entries = unsafe { std::slice::from_raw_parts(searches, count) };
        let handles = entries
            .iter()
            .enumerate()
            .map(|(i, s)| {
                lookup(*s).map_err(|e| {
                    Error::invalid(
                        &format!("searches[{i}]"),
                        e.message.trim_start_matches("s: "),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let timeout = timeout_from(timeout_seconds)?;
        let searches: Vec<&Search> = handles.iter().map(|h| &h.search).collect();
        // n fits a c_int, so the index does too
        wait_any(&searches, timeout).map(|i| i as c_int)
    })
}

/// The search's records: the JSON array the API returned (e.g. `[{"conjunction_type":
/// "nbtrace", ...}, ...]`), passed through byte for byte. Blocks while a completed search's
/// result is still downloading, and no longer than the download can last: it ends as the
/// search's other requests do, so a server that keeps answering 503 or 429 with
/// Retry-After, or no longer answers at all, ends it within the outage tolerance plus one
/// request timeout after the last byte or answer that arrived (with the tolerance at 0:
/// aurorax_set_max_retries retries, each at most 60 s apart). Use aurorax_wait with a
/// timeout first to bound the wait yourself.
///
/// Returns NULL on failure (before completion: AURORAX_ERR_NOT_READY; a failed or cancelled
/// search: its status), with the reason in aurorax_last_error() and, for search failures,
/// aurorax_search_error. The string is owned by the handle: do not free it; it stays valid
/// and unchanged until aurorax_free(s). Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_data(s: *mut aurorax_search_t) -> *const c_char {
    boundary(|| {
        let h = lookup(s)?;
        let text = h.search.data_with_nul()?;
        // The pointer stays valid: the result is never moved or changed once set, and the
        // registry (or a blocked caller's reference) keeps the search alive until
        // aurorax_free.
        Ok(text.as_ptr().cast::<c_char>())
    })
}

/// The length in bytes of the text aurorax_get_data returns (without the NUL), blocking as
/// aurorax_get_data does; or a negative status on failure. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_data_length(s: *mut aurorax_search_t) -> i64 {
    boundary(|| Ok(lookup(s)?.search.data()?.len() as i64))
}

/// The number of records in the result, without parsing it: >= 0 once the data is in
/// memory; AURORAX_ERR_NOT_READY before (never blocks), the failure's status after a
/// failure or cancel, AURORAX_ERR_INVALID_ARGUMENT for an invalid handle. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_record_count(s: *mut aurorax_search_t) -> i64 {
    boundary(|| with_handle(s, |h| Ok(h.search.record_count()? as i64)))
}

/// The `index`-th record (0-based) as JSON text: a slice of aurorax_get_data's buffer,
/// NOT NUL-terminated; its length in bytes is stored in `*length`. Valid until
/// aurorax_free(s). Never blocks.
///
/// Returns NULL and sets `*length` to -1 for a bad index, a search without data (not
/// ready, failed, cancelled) or an invalid handle, with the reason in
/// aurorax_last_error(). A NULL `length` is AURORAX_ERR_INVALID_ARGUMENT (NULL returned).
/// Thread-safe.
///
/// `length` is NULL or points to a writable int64_t.
#[no_mangle]
pub unsafe extern "C" fn aurorax_get_record(
    s: *mut aurorax_search_t,
    index: i64,
    length: *mut i64,
) -> *const c_char {
    let found: *const c_char = boundary(|| {
        if length.is_null() {
            return Err(Error::invalid("length", "is NULL"));
        }
        with_handle(s, |h| {
            let count = h.search.record_count()?;
            let record = match usize::try_from(index) {
                Ok(i) => h.search.record(i)?,
                Err(_) => None,
            }
            .ok_or_else(|| {
                Error::invalid("index", format!("must be in 0..{count}, got {index}"))
            })?;
            // SAFETY: checked non-NULL above; the caller guarantees it is writable.
            unsafe { *length = record.len() as i64 };
            Ok(record.as_ptr().cast::<c_char>())
        })
    });
    if found.is_null() && !length.is_null() {
        // SAFETY: as above.
        unsafe { *length = -1 };
    }
    found
}

/// The server's request id (a UUID) once the search has been submitted; NULL before (or
/// for an invalid handle). Owned by the handle, valid until aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_request_id(s: *mut aurorax_search_t) -> *const c_char {
    text_of(s, Handle::request_id)
}

/// The request's status URL, built from the configured base URL and the request id;
/// NULL before submission. Owned by the handle, valid until aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_request_url(s: *mut aurorax_search_t) -> *const c_char {
    text_of(s, Handle::request_url)
}

/// Why the search failed or was cancelled, e.g. "AURORAX_ERR_SEARCH_FAILED: <the server's
/// last error log summary>"; NULL while it has not (and for an invalid handle). Owned by
/// the handle, valid until aurorax_free. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_search_error(s: *mut aurorax_search_t) -> *const c_char {
    text_of(s, Handle::error)
}

/// The latest request status document as the API sent it (JSON with `search_request`,
/// `search_result` and `logs`), but for an API key of this process's that the server
/// echoed, replaced by `<api key>`; NULL before the first status arrives.
/// Answered from memory. Owned by the handle: every pointer it returned stays valid until
/// aurorax_free(s), whatever other threads call meanwhile. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_status(s: *mut aurorax_search_t) -> *const c_char {
    boundary(|| {
        with_handle(s, |h| {
            h.status().ok_or_else(|| {
                Error::new(
                    Status::AURORAX_ERR_NOT_READY,
                    "no status has been received yet",
                )
            })
        })
    })
}

/// The request's log entries as a JSON array of `{"level", "summary", "timestamp"}`
/// (`[]` before the first status arrives; an echoed API key replaced by `<api key>`). Answered from memory. Owned by the handle:
/// every pointer it returned stays valid until aurorax_free(s). NULL only for an invalid
/// handle. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_get_logs(s: *mut aurorax_search_t) -> *const c_char {
    text_of(s, Handle::logs)
}

/// The server's plain-language description of the search's query (the API's describe
/// endpoint, e.g. "Find conjunctions of type (nbtrace) ..."). The first call blocks for at
/// most about the request timeout; the text is then cached. Owned by the handle, valid
/// until aurorax_free.
///
/// Returns NULL on failure, with the reason in aurorax_last_error(): the API's refusal
/// (AURORAX_ERR_API ...), a network failure, AURORAX_ERR_NOT_READY for an attached search
/// whose query is not known yet (it is after the first status), AURORAX_ERR_INVALID_ARGUMENT
/// for a data-source or availability handle or an invalid handle. Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_describe(s: *mut aurorax_search_t) -> *const c_char {
    boundary(|| {
        let h = lookup(s)?;
        if let Some(text) = h.describe.get() {
            return Ok(text.as_ptr());
        }
        let text = h.search.describe()?;
        Ok(h.describe
            .get_or_init(|| super::last_error::to_cstring(&text))
            .as_ptr())
    })
}

/// Stops the search: waiters return AURORAX_ERR_CANCELLED at once, and the engine — never
/// the caller's thread — DELETEs the request on the server while the server is still
/// running it (bounded to about 10 s, in the background). A search the server has already
/// finished is only stopped locally, because a DELETE then would delete its result file; a
/// search whose data is already in memory is left as is.
///
/// Returns at once: AURORAX_OK, or AURORAX_ERR_INVALID_ARGUMENT for an invalid handle.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn aurorax_cancel(s: *mut aurorax_search_t) -> c_int {
    status_boundary(|| {
        with_handle(s, |h| {
            h.search
                .cancel_because("the search was cancelled by aurorax_cancel", true);
            Ok(())
        })
    })
}

/// Releases the handle and everything it owns (data, strings); stops local polling but
/// does not cancel the search on the server (use aurorax_cancel first for that). Threads
/// blocked in aurorax_wait or aurorax_wait_any on it return AURORAX_ERR_CANCELLED at once.
/// NULL, and a handle already freed, are ignored. Must be the handle's last call: strings
/// it returned die with it.
#[no_mangle]
pub extern "C" fn aurorax_free(s: *mut aurorax_search_t) {
    boundary(|| {
        if let Some(h) = remove(s) {
            h.search
                .cancel_because("the search handle was freed by aurorax_free", false);
        }
        Ok(())
    })
}
