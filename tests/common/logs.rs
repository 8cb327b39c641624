//! The library's log lines, collected through the C callback (process-wide: a test binary
//! that collects them runs that one test, or tests that agree on the level).

use super::{aurorax_set_log_callback, aurorax_set_log_level, OK};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Mutex;

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

unsafe extern "C" fn collect(_level: c_int, line: *const c_char, _user: *mut c_void) {
    // SAFETY: the library passes a NUL-terminated line valid for the call.
    let text = unsafe { CStr::from_ptr(line) }
        .to_string_lossy()
        .into_owned();
    LINES.lock().unwrap().push(text);
}

/// From now on, the lines up to `level` (0 error … 3 debug) are kept for `lines`.
pub fn collect_lines(level: c_int) {
    assert_eq!(
        unsafe { aurorax_set_log_callback(Some(collect), std::ptr::null_mut()) },
        OK
    );
    assert_eq!(aurorax_set_log_level(level), OK);
}

/// The lines kept so far.
pub fn lines() -> Vec<String> {
    LINES.lock().unwrap().clone()
}

/// The lines kept so far, forgotten.
pub fn take_lines() -> Vec<String> {
    std::mem::take(&mut *LINES.lock().unwrap())
}
