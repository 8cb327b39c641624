//! Messages for calls that have no handle to hold them (errno-style, per thread), and the
//! conversions from core results to C return values.

use crate::error::{Error, Status};
use std::cell::RefCell;
use std::ffi::{c_char, c_int, CString};

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

pub fn record_panic(payload: Box<dyn std::any::Any + Send>) {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    record(&Error::new(Status::Internal, format!("a bug in libaurorax was contained: {what}")));
}

/// The pointer stays valid until this thread's next failing aurorax call.
pub fn current() -> *const c_char {
    LAST_ERROR.with(|slot| slot.borrow().as_ptr())
}

/// `Ok` → `AURORAX_OK`; an error is recorded and its status returned.
pub fn status_of(result: Result<(), Error>) -> c_int {
    match result {
        Ok(()) => Status::Ok.code(),
        Err(e) => {
            record(&e);
            e.status.code()
        }
    }
}

pub fn pointer_or_null<T>(result: Result<*const T, Error>) -> *const T {
    result.unwrap_or_else(|e| {
        record(&e);
        std::ptr::null()
    })
}
