//! The status codes: this enum is the one table they are written in. The header's
//! `aurorax_status_t` is generated from it, `aurorax_status_name` reads its names, the
//! bindings ask `aurorax_status_name` for their error identifiers, and the reference docs
//! are its comments. Values are stable ABI: never renumbered or reused.

use once_cell::sync::Lazy;
use std::ffi::{CStr, CString};
use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};

/// Status codes returned (as `int`) by the library's functions. Negative values are
/// failures, so `if (rc < 0)` tests for any of them.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, IntoStaticStr)]
pub enum aurorax_status_t {
    /// Success.
    AURORAX_OK = 0,
    /// Bad input (NULL, invalid UTF-8, bad JSON, bad timestamp, ...); nothing was sent.
    AURORAX_ERR_INVALID_ARGUMENT = -1,
    /// The API could not be reached: connection refused, DNS, timeouts (after retries).
    AURORAX_ERR_NETWORK = -2,
    /// The API rejected the request (4xx, or 5xx after retries); the message has its words.
    AURORAX_ERR_API = -3,
    /// HTTP 401/403: a wrong API key.
    AURORAX_ERR_UNAUTHORIZED = -4,
    /// HTTP 503 "maintenance mode", after retries.
    AURORAX_ERR_MAINTENANCE = -5,
    /// The server ran the search and reported an error (`error_condition`).
    AURORAX_ERR_SEARCH_FAILED = -6,
    /// The search was cancelled (`aurorax_cancel`, `aurorax_free` while waiting, or
    /// `aurorax_shutdown`).
    AURORAX_ERR_CANCELLED = -7,
    /// A wait's timeout passed; the search goes on.
    AURORAX_ERR_TIMEOUT = -8,
    /// The data was asked for before the search completed.
    AURORAX_ERR_NOT_READY = -9,
    /// The server's answer was not what the protocol says (or larger than
    /// `aurorax_set_max_result_bytes` allows).
    AURORAX_ERR_PROTOCOL = -10,
    /// A bug in the library, contained (a panic caught at the boundary or in the engine).
    AURORAX_ERR_INTERNAL = -11,
    /// The server's certificate was not trusted (unknown authority, another name, expired)
    /// or the TLS handshake failed. Never retried. The message names the host and the
    /// reason, and how to add a CA (aurorax_set_ca_bundle / AURORAX_CA_BUNDLE).
    AURORAX_ERR_TLS = -12,
}

/// The core's name for the same table.
pub type Status = aurorax_status_t;

static C_NAMES: Lazy<Vec<(Status, CString)>> = Lazy::new(|| {
    Status::iter()
        .map(|s| (s, CString::new(s.name()).expect("names have no NUL")))
        .collect()
});

impl aurorax_status_t {
    pub fn code(self) -> i32 {
        self as i32
    }

    pub fn from_code(code: i32) -> Option<Status> {
        Status::iter().find(|s| s.code() == code)
    }

    /// The C constant's name, e.g. `AURORAX_ERR_NETWORK`.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The same, NUL-terminated and static, for `aurorax_status_name`.
    pub fn c_name(self) -> &'static CStr {
        C_NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or(c"AURORAX_UNKNOWN_STATUS", |(_, n)| n.as_c_str())
    }

    pub fn all() -> impl Iterator<Item = Status> {
        Status::iter()
    }
}

/// A search's phase, as aurorax_get_phase returns it (as `int`; a failed or cancelled
/// search gives its negative status instead).
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum aurorax_phase_t {
    /// The search POST is in flight (or a data-source/availability request is being sent).
    AURORAX_PHASE_SUBMITTING = 0,
    /// The server is searching.
    AURORAX_PHASE_RUNNING = 1,
    /// The result is arriving (see aurorax_get_bytes_received).
    AURORAX_PHASE_DOWNLOADING = 2,
    /// The data is in memory.
    AURORAX_PHASE_READY = 3,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_zero_or_negative_and_named_as_in_c() {
        let codes: Vec<i32> = Status::all().map(Status::code).collect();
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(codes, unique);
        assert!(codes.iter().all(|c| *c <= 0));
        for s in Status::all() {
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert!(s.name().starts_with(if s.code() == 0 {
                "AURORAX_OK"
            } else {
                "AURORAX_ERR_"
            }));
            assert_eq!(s.c_name().to_str().unwrap(), s.name());
        }
        assert_eq!(Status::from_code(1), None);
    }
}
