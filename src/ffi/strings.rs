//! Borrowing C input strings for the length of one call.

use crate::error::{Error, Result};
use std::ffi::{c_char, CStr};

/// NULL → `None`; otherwise the text, which must be UTF-8.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unmodified for
/// the duration of the current call (the C API's contract for every input string).
pub unsafe fn optional_str<'a>(argument: &str, ptr: *const c_char) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per this function's contract; we only read.
    let bytes = unsafe { CStr::from_ptr(ptr) }.to_bytes();
    std::str::from_utf8(bytes).map(Some).map_err(|e| {
        Error::invalid(
            argument,
            format!(
                "is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Like [`optional_str`], but NULL is an error naming the argument.
///
/// # Safety
/// As for [`optional_str`].
pub unsafe fn required_str<'a>(argument: &str, ptr: *const c_char) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    unsafe { optional_str(argument, ptr) }?.ok_or_else(|| Error::invalid(argument, "is NULL"))
}
