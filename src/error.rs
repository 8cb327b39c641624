//! Status codes and errors shared by every layer. The numeric values are stable ABI.

use std::fmt;

/// The outcome classes a caller can act on. Values never change and are never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Ok = 0,
    InvalidArgument = -1,
    Network = -2,
    Api = -3,
    Unauthorized = -4,
    Maintenance = -5,
    SearchFailed = -6,
    Cancelled = -7,
    Timeout = -8,
    NotReady = -9,
    Protocol = -10,
    Internal = -11,
}

impl Status {
    pub const ALL: [Status; 12] = [
        Status::Ok,
        Status::InvalidArgument,
        Status::Network,
        Status::Api,
        Status::Unauthorized,
        Status::Maintenance,
        Status::SearchFailed,
        Status::Cancelled,
        Status::Timeout,
        Status::NotReady,
        Status::Protocol,
        Status::Internal,
    ];

    pub fn code(self) -> i32 {
        self as i32
    }

    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.code() == code)
    }

    /// The C constant's name, e.g. `AURORAX_ERR_NETWORK`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "AURORAX_OK",
            Status::InvalidArgument => "AURORAX_ERR_INVALID_ARGUMENT",
            Status::Network => "AURORAX_ERR_NETWORK",
            Status::Api => "AURORAX_ERR_API",
            Status::Unauthorized => "AURORAX_ERR_UNAUTHORIZED",
            Status::Maintenance => "AURORAX_ERR_MAINTENANCE",
            Status::SearchFailed => "AURORAX_ERR_SEARCH_FAILED",
            Status::Cancelled => "AURORAX_ERR_CANCELLED",
            Status::Timeout => "AURORAX_ERR_TIMEOUT",
            Status::NotReady => "AURORAX_ERR_NOT_READY",
            Status::Protocol => "AURORAX_ERR_PROTOCOL",
            Status::Internal => "AURORAX_ERR_INTERNAL",
        }
    }
}

/// A failure with the status a caller branches on and a message a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
    /// The HTTP status of the answer that caused it, if one did.
    pub http_status: Option<u16>,
}

impl Error {
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error { status, message: message.into(), http_status: None }
    }

    pub fn with_http_status(mut self, code: u16) -> Error {
        self.http_status = Some(code);
        self
    }

    /// Bad input: the message names the argument so the caller knows what to fix.
    pub fn invalid(argument: &str, problem: impl fmt::Display) -> Error {
        Error::new(Status::InvalidArgument, format!("{argument}: {problem}"))
    }

    pub fn protocol(message: impl Into<String>) -> Error {
        Error::new(Status::Protocol, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.name(), self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// The message of a caught panic, for the error that replaces it.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
