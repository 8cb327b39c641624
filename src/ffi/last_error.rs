//! Messages for calls that have no handle to hold them (errno-style, per thread).

use crate::error::{Error, Status};
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, c_int, CString};

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    static LAST_STATUS: Cell<c_int> = const { Cell::new(Status::AURORAX_OK as c_int) };
}

/// A C string of any Rust text; interior NULs (possible in server text) become '?'.
pub fn to_cstring(text: &str) -> CString {
    CString::new(text.replace('\0', "?")).unwrap_or_default()
}

pub fn record(error: &Error) {
    let text = to_cstring(&error.to_string());
    LAST_ERROR.with(|slot| *slot.borrow_mut() = text);
    LAST_STATUS.with(|slot| slot.set(error.status.code()));
}

/// The status of this thread's most recent failing call.
pub fn current_status() -> c_int {
    LAST_STATUS.with(Cell::get)
}

/// The pointer stays valid until this thread's next failing aurorax call.
pub fn current() -> *const c_char {
    LAST_ERROR.with(|slot| slot.borrow().as_ptr())
}
