//! The one boundary every entry point goes through: `catch_unwind`, and the conversion of
//! a core `Result` into what C receives, the failure value coming from the return type.

use super::last_error::record;
use crate::error::{panic_text, Error, Status};
use std::ffi::c_int;

/// What a C function returns when it fails: a status for `int` and `int64_t`, NULL for
/// pointers, nothing for `void`.
pub trait FailureValue {
    fn on_failure(error: &Error) -> Self;
}

impl FailureValue for c_int {
    fn on_failure(error: &Error) -> c_int {
        error.status.code()
    }
}

impl FailureValue for i64 {
    fn on_failure(error: &Error) -> i64 {
        i64::from(error.status.code())
    }
}

impl<T> FailureValue for *const T {
    fn on_failure(_: &Error) -> *const T {
        std::ptr::null()
    }
}

impl<T> FailureValue for *mut T {
    fn on_failure(_: &Error) -> *mut T {
        std::ptr::null_mut()
    }
}

impl FailureValue for () {
    fn on_failure(_: &Error) {}
}

/// Runs an entry point's body: a panic becomes `AURORAX_ERR_INTERNAL` instead of unwinding
/// into C (or aborting a MATLAB session); an error is recorded for `aurorax_last_error`
/// and turned into the return type's failure value.
pub fn boundary<T: FailureValue>(body: impl FnOnce() -> Result<T, Error>) -> T {
    let error = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(Ok(value)) => return value,
        Ok(Err(error)) => error,
        Err(payload) => contained(payload.as_ref()),
    };
    record(&error);
    T::on_failure(&error)
}

fn contained(payload: &(dyn std::any::Any + Send)) -> Error {
    Error::new(
        Status::AURORAX_ERR_INTERNAL,
        format!("a bug in libaurorax was contained: {}", panic_text(payload)),
    )
}

/// For functions that return a status: `Ok(())` is `AURORAX_OK`.
pub fn status_boundary(body: impl FnOnce() -> Result<(), Error>) -> c_int {
    boundary(|| body().map(|()| Status::AURORAX_OK.code()))
}

/// For the calls that cannot fail (version, status names, the last error): a panic still
/// stops here, is recorded, and the call returns `fallback`, which keeps its contract
/// (never NULL).
pub fn infallible_boundary<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(payload) => {
            record(&contained(payload.as_ref()));
            fallback
        }
    }
}
