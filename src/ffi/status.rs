//! The status codes as C sees them. Values are stable ABI: never renumbered or reused.

use crate::error::Status;

/// Status codes returned (as `int`) by the library's functions. Negative values are
/// failures, so `if (rc < 0)` tests for any of them.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum aurorax_status_t {
    /// Success.
    AURORAX_OK = 0,
    /// Bad input (NULL, invalid UTF-8, bad JSON, bad timestamp, ...); nothing was sent.
    AURORAX_ERR_INVALID_ARGUMENT = -1,
    /// The API could not be reached: connection refused, DNS, TLS, timeouts (after retries).
    AURORAX_ERR_NETWORK = -2,
    /// The API rejected the request (4xx, or 5xx after retries); the message has its words.
    AURORAX_ERR_API = -3,
    /// HTTP 401/403: a missing or wrong API key.
    AURORAX_ERR_UNAUTHORIZED = -4,
    /// HTTP 503 "maintenance mode", after retries.
    AURORAX_ERR_MAINTENANCE = -5,
    /// The server ran the search and reported an error (`error_condition`).
    AURORAX_ERR_SEARCH_FAILED = -6,
    /// The search was cancelled (`aurorax_cancel` or `aurorax_shutdown`).
    AURORAX_ERR_CANCELLED = -7,
    /// `aurorax_wait`'s timeout passed; the search goes on.
    AURORAX_ERR_TIMEOUT = -8,
    /// The data was asked for before the search completed.
    AURORAX_ERR_NOT_READY = -9,
    /// The server's answer was not what the protocol says.
    AURORAX_ERR_PROTOCOL = -10,
    /// A bug in the library, contained (a panic caught at the boundary).
    AURORAX_ERR_INTERNAL = -11,
}

impl From<Status> for aurorax_status_t {
    fn from(s: Status) -> aurorax_status_t {
        use aurorax_status_t::*;
        match s {
            Status::Ok => AURORAX_OK,
            Status::InvalidArgument => AURORAX_ERR_INVALID_ARGUMENT,
            Status::Network => AURORAX_ERR_NETWORK,
            Status::Api => AURORAX_ERR_API,
            Status::Unauthorized => AURORAX_ERR_UNAUTHORIZED,
            Status::Maintenance => AURORAX_ERR_MAINTENANCE,
            Status::SearchFailed => AURORAX_ERR_SEARCH_FAILED,
            Status::Cancelled => AURORAX_ERR_CANCELLED,
            Status::Timeout => AURORAX_ERR_TIMEOUT,
            Status::NotReady => AURORAX_ERR_NOT_READY,
            Status::Protocol => AURORAX_ERR_PROTOCOL,
            Status::Internal => AURORAX_ERR_INTERNAL,
        }
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
    fn c_phases_match_the_core_phases() {
        use crate::search::*;
        assert_eq!(
            [PHASE_SUBMITTING, PHASE_RUNNING, PHASE_DOWNLOADING, PHASE_READY],
            [aurorax_phase_t::AURORAX_PHASE_SUBMITTING as i32, aurorax_phase_t::AURORAX_PHASE_RUNNING as i32, aurorax_phase_t::AURORAX_PHASE_DOWNLOADING as i32, aurorax_phase_t::AURORAX_PHASE_READY as i32]
        );
    }

    #[test]
    fn c_values_match_the_core_codes() {
        for s in Status::ALL {
            assert_eq!(aurorax_status_t::from(s) as i32, s.code());
            assert_eq!(format!("{:?}", aurorax_status_t::from(s)), s.name());
        }
    }
}
