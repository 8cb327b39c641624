//! libaurorax: asynchronous AuroraX searches behind a C ABI.
//!
//! The safe Rust core (`query`, `api`, `engine`, `search`) does all the work; `ffi` is the
//! thin boundary that converts pointers and strings and contains panics. Rust callers may use
//! the core directly through [`Search`] and [`engine::start`].
//!
//! [`client`] is the safe public face for Rust programs (and the `aurorax` command line):
//! a search handle, its settings, and `wait_any`.

pub mod api;
pub mod client;
pub mod config;
pub mod describe;
pub mod engine;
pub mod error;
pub mod ffi;
pub mod log;
pub mod query;
pub mod save;
pub mod search;
pub mod secrets;
pub mod status;
pub mod trust;

pub use config::Settings;
pub use error::{Error, Status};
pub use search::{Job, Search, SearchState};

/// The library version, as `aurorax_version()` reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
