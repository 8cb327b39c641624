//! Columns: the records' values at a JSON Pointer, as C arrays, without a JSON parser.

use super::boundary::boundary;
use super::handles::{aurorax_search_t, with_handle};
use super::strings::required_str;
use crate::client::{Column, ColumnKind, Error, Result, TextCell};
use std::ffi::c_char;

/// How many entries the caller's arrays hold: 0 when it only asks for the count.
fn entries(capacity: i64, buffers_present: bool) -> Result<usize> {
    if capacity < 0 {
        return Err(Error::invalid(
            "capacity",
            format!("must be >= 0, got {capacity}"),
        ));
    }
    if capacity > 0 && !buffers_present {
        return Err(Error::invalid(
            "out",
            "is NULL with a capacity above 0 (pass NULL and 0 to ask for the count)",
        ));
    }
    Ok(usize::try_from(capacity).unwrap_or(usize::MAX))
}

/// Writes the first `room` (pointer, length) pairs into the caller's two arrays.
///
/// # Safety
/// `values` and `lengths` each point to at least `room` writable entries (or `room` is 0).
unsafe fn fill(
    cells: impl Iterator<Item = (*const c_char, i64)>,
    values: *mut *const c_char,
    lengths: *mut i64,
    room: usize,
) {
    for (i, (at, len)) in cells.take(room).enumerate() {
        // SAFETY: i < room, within both arrays (this function's contract).
        unsafe {
            *values.add(i) = at;
            *lengths.add(i) = len;
        }
    }
}

/// The column of `kind` at `path` on `s`, and the result's bytes its slices point into.
fn column_of<T>(
    s: *mut aurorax_search_t,
    path: *const c_char,
    kind: ColumnKind,
    fill: impl FnOnce(&Column, *const u8) -> T,
) -> Result<T> {
    // SAFETY: the caller passes a valid C string or NULL (function contract).
    let path = unsafe { required_str("path", path) }?;
    with_handle(s, |h| {
        let (column, data) = h.search.column(path, kind)?;
        Ok(fill(&column, data.as_ptr()))
    })
}

/// The records' numbers at the JSON Pointer `path` (RFC 6901) inside each record, e.g.
/// "/min_distance" or "/data_sources/0/identifier": true and false as 1 and 0, NaN where
/// the value is null, missing or not a number. With `out` NULL (or `capacity` 0) returns
/// the record count only; otherwise fills min(count, capacity) entries of `out` and returns
/// the count.
///
/// A negative status on failure: AURORAX_ERR_INVALID_ARGUMENT for a path that does not
/// start with '/' (or is NULL or not UTF-8), a NULL `out` with a capacity above 0, a
/// negative capacity, or a NULL or freed handle; AURORAX_ERR_NOT_READY before the data is
/// in (never blocks); a failed search's own status. A path asked once is computed once and
/// kept on the handle. Thread-safe.
///
/// `out` is NULL or points to `capacity` writable doubles; `path` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn aurorax_get_column_f64(
    s: *mut aurorax_search_t,
    path: *const c_char,
    out: *mut f64,
    capacity: i64,
) -> i64 {
    boundary(|| {
        let room = entries(capacity, !out.is_null())?;
        column_of(s, path, ColumnKind::Numbers, |column, _| {
            let Column::Numbers(values) = column else {
                unreachable!("a numbers column holds numbers")
            };
            for (i, v) in values.iter().take(room).enumerate() {
                // SAFETY: i < room <= capacity, and the caller vouches for `capacity`
                // writable doubles at `out` (non-NULL whenever room > 0).
                unsafe { *out.add(i) = *v };
            }
            values.len() as i64
        })
    })
}

/// The records' strings at the JSON Pointer `path`, unescaped UTF-8: `values[i]` points to
/// the text (NOT NUL-terminated) and `lengths[i]` holds its length in bytes; NULL and -1
/// where the value is null, missing or not a string. Counts, capacities and failures as
/// aurorax_get_column_f64 (both arrays must be non-NULL when `capacity` > 0). The texts are
/// owned by the handle and valid until aurorax_free. Thread-safe.
///
/// `values` and `lengths` are NULL or point to `capacity` writable entries each.
#[no_mangle]
pub unsafe extern "C" fn aurorax_get_column_text(
    s: *mut aurorax_search_t,
    path: *const c_char,
    values: *mut *const c_char,
    lengths: *mut i64,
    capacity: i64,
) -> i64 {
    boundary(|| {
        let room = entries(capacity, !values.is_null() && !lengths.is_null())?;
        column_of(s, path, ColumnKind::Texts, |column, base| {
            let Column::Texts(cells) = column else {
                unreachable!("a texts column holds texts")
            };
            let texts = cells.iter().map(|cell| match cell {
                // SAFETY (pointer arithmetic): the slice lies inside the result buffer that
                // `base` starts, which the handle keeps until free.
                Some(TextCell::Slice(start, len)) => {
                    (unsafe { base.add(*start) }.cast(), *len as i64)
                }
                // kept in the column, which the handle keeps until free
                Some(TextCell::Owned(text)) => (text.as_ptr().cast(), text.len() as i64),
                None => (std::ptr::null(), -1),
            });
            // SAFETY: the caller vouches for `room` entries in both arrays.
            unsafe { fill(texts, values, lengths, room) };
            cells.len() as i64
        })
    })
}

/// The records' values at the JSON Pointer `path` as JSON text, each a slice of the record
/// (NOT NUL-terminated; `lengths[i]` bytes at `values[i]`), whatever its type; NULL and -1
/// where the value is missing ("" is the whole record). Counts, capacities and failures as
/// aurorax_get_column_text. The slices are owned by the handle and valid until
/// aurorax_free. Thread-safe.
///
/// `values` and `lengths` are NULL or point to `capacity` writable entries each.
#[no_mangle]
pub unsafe extern "C" fn aurorax_get_column_json(
    s: *mut aurorax_search_t,
    path: *const c_char,
    values: *mut *const c_char,
    lengths: *mut i64,
    capacity: i64,
) -> i64 {
    boundary(|| {
        let room = entries(capacity, !values.is_null() && !lengths.is_null())?;
        column_of(s, path, ColumnKind::Json, |column, base| {
            let Column::Json(cells) = column else {
                unreachable!("a JSON column holds slices")
            };
            let slices = cells.iter().map(|cell| match cell {
                // SAFETY (pointer arithmetic): inside the result buffer, kept until free.
                Some((start, len)) => (unsafe { base.add(*start) }.cast(), *len as i64),
                None => (std::ptr::null(), -1),
            });
            // SAFETY: the caller vouches for `room` entries in both arrays.
            unsafe { fill(slices, values, lengths, room) };
            cells.len() as i64
        })
    })
}
