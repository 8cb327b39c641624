//! Errors shared by every layer: a status (never `AURORAX_OK`) and a message.

pub use crate::status::Status;
use std::fmt;

/// A failure with the status a caller branches on and a message a person reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
    /// The HTTP status of the answer that caused it, if one did.
    pub http_status: Option<u16>,
}

impl Error {
    /// An error is never `AURORAX_OK`: that would read as success at the C boundary.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        let status = if status == Status::AURORAX_OK {
            Status::AURORAX_ERR_INTERNAL
        } else {
            status
        };
        Error {
            status,
            message: message.into(),
            http_status: None,
        }
    }

    pub fn with_http_status(mut self, code: u16) -> Error {
        self.http_status = Some(code);
        self
    }

    /// Bad input: the message names the argument so the caller knows what to fix.
    pub fn invalid(argument: &str, problem: impl fmt::Display) -> Error {
        Error::new(
            Status::AURORAX_ERR_INVALID_ARGUMENT,
            format!("{argument}: {problem}"),
        )
    }

    pub fn protocol(message: impl Into<String>) -> Error {
        Error::new(Status::AURORAX_ERR_PROTOCOL, message)
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
