//! libaurorax: asynchronous AuroraX searches, for Rust programs and behind a C ABI.
//!
//! [`client`] is the crate's public face: a search handle, its settings, the kinds of
//! search, `wait_any`, records and columns. The C ABI ([`ffi`]) and the `aurorax` command
//! line are built on it. Below it, and private to the crate: `search` (a search's state
//! as its callers read it), `engine` (the runtime, HTTP and one task per search), `api`
//! (the AuroraX protocol), `query` (checking and building requests), and the modules they
//! share (`config`, `error`, `log`, `secrets`, `status`, `trust`, `save`).

pub mod client;
pub mod ffi;

mod api;
mod config;
mod engine;
mod error;
mod log;
mod query;
mod save;
mod search;
mod secrets;
mod status;
mod trust;

pub use client::{Error, Status};

/// The library version, as `aurorax_version()` reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Parsers and request builders below the public face, for the fuzz targets, the
/// benchmark and the integration tests, which drive them directly with hostile or
/// hand-made input. Not part of the API: no stability promise, hidden from the docs.
#[doc(hidden)]
pub mod internals {
    pub mod errors {
        pub use crate::api::errors::{error_detail, error_for_response};
    }
    pub mod records {
        pub use crate::api::records::{split_all, RecordSplitter};
    }
    pub mod status {
        pub use crate::api::status::{parse_status, Progress};
    }
    pub mod urls {
        pub use crate::api::urls::request_id_from_location;
    }
    pub use crate::config::DEFAULT_MAX_POLL_INTERVAL;
    pub use crate::engine::retry_after::MAX_RETRY_AFTER;
    pub use crate::engine::schedule::{poll_times, MIN_POLL_INTERVAL};
    #[cfg(feature = "test-hooks")]
    pub use crate::engine::PANIC_IN_NEXT_TASK;
    pub use crate::error::Result;
    pub use crate::query::{conjunctions, data_products, ephemeris, SearchRequest};
}
