//! How the command line fails: a usage error (exit 2) or a library status (exit 10 + |status|,
//! design §2.3), each with a message that names the file, argument or request.

use aurorax::client::{Error, Status};

#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Library(Error),
}

impl Failure {
    /// Bad input found before any request: `AURORAX_ERR_INVALID_ARGUMENT` (exit 11).
    pub fn invalid(message: impl Into<String>) -> Failure {
        Failure::Library(Error::new(Status::AURORAX_ERR_INVALID_ARGUMENT, message))
    }

    /// A library error about `what` (a file, a request), named in front of its message.
    pub fn about(what: &str, e: Error) -> Failure {
        Failure::Library(Error {
            message: format!("{what}: {}", e.message),
            ..e
        })
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Library(e) => 10 + e.status.code().abs(),
        }
    }

    /// One line for stderr (the library's messages never hold the API key).
    pub fn report(&self) -> String {
        match self {
            Failure::Usage(m) => format!("aurorax: usage: {m}"),
            Failure::Library(e) => format!("aurorax: {}: {}", e.status.name(), e.message),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Library(e)
    }
}
