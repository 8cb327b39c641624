//! Messages for calls that have no handle to hold them (errno-style, per thread).

use crate::error::Error;
use std::cell::RefCell;
use std::ffi::{c_char, CString};

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// A C string of any Rust text; interior NULs (possible in server text) become '?'.
pub fn to_cstring(text: &str) -> CString {
    CString::new(text.replace('\0', "?")).unwrap_or_default()
}

pub fn record(error: &Error) {
    let text = to_cstring(&error.to_string());
    LAST_ERROR.with(|slot| *slot.borrow_mut() = text);
}

/// The pointer stays valid until this thread's next failing aurorax call.
pub fn current() -> *const c_char {
    LAST_ERROR.with(|slot| slot.borrow().as_ptr())
}
