//! A result written to a file, without a JSON parser on the caller's side.

use super::boundary::status_boundary;
use super::handles::{aurorax_search_t, lookup};
use super::strings::required_str;
use crate::client::SaveFormat;
use std::ffi::{c_char, c_int};

/// Writes the result to the file `path`, streamed: `format` 0 writes the JSON array of
/// records (the bytes of aurorax_get_data), 1 writes NDJSON (one record per line, each
/// record's JSON text unchanged). The file is written under a temporary name beside `path`
/// and renamed when complete, so `path` never holds a partial result; an existing file at
/// `path` is replaced. Blocks while the result downloads, as aurorax_get_data does.
///
/// Returns AURORAX_OK; AURORAX_ERR_INVALID_ARGUMENT for a NULL or empty path, a format
/// other than 0 or 1, a NULL or freed handle, or a file that cannot be written (a missing
/// or unwritable directory, a full disk: the message names the file and the system's
/// reason, and nothing is left behind); AURORAX_ERR_NOT_READY before the search completed;
/// a failed search's own status. Thread-safe.
///
/// `path` is a NUL-terminated UTF-8 string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_save_data(
    s: *mut aurorax_search_t,
    path: *const c_char,
    format: c_int,
) -> c_int {
    status_boundary(|| {
        // SAFETY: the caller passes a valid C string or NULL (function contract).
        let path = unsafe { required_str("path", path) }?;
        let format = SaveFormat::from_code(format)?;
        lookup(s)?.search.save(std::path::Path::new(path), format)
    })
}
