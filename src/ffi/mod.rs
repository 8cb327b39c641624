//! The C ABI: a thin translation of [`crate::client`]. Pointer and UTF-8 checks, panic
//! containment, status codes and string ownership; searches are `client::Search` values
//! behind registry keys. The process-wide settings and the log callback, which only the C
//! ABI has, are `config`'s and `log`'s. `unsafe` lives only here.
//!
//! Every entry point runs inside `boundary::boundary` (or `infallible_boundary` for the
//! calls that cannot fail), so a panic becomes `AURORAX_ERR_INTERNAL` instead of unwinding
//! into C (or aborting a MATLAB session).
//!
//! Each function's doc states its pointer contract in plain words for C readers (the
//! header is generated from these docs), not under a Rust `# Safety` heading.
#![allow(clippy::missing_safety_doc)]
// The docs are the C header's comments: URLs stay plain text for C readers.
#![allow(rustdoc::bare_urls)]

mod boundary;
// Declared in lifecycle order: cbindgen writes the header in this order (create ->
// follow -> read -> free, then library-wide calls).
mod start;
mod attach;
mod discover;
mod follow;
mod columns;
mod save;
mod handles;
mod last_error;
pub(crate) mod mapping;
mod library;
mod strings;

pub use crate::status::{aurorax_phase_t, aurorax_status_t};
pub use attach::*;
pub use columns::*;
pub use discover::*;
pub use follow::*;
pub use handles::aurorax_search_t;
pub use library::*;
pub use save::*;
pub use start::*;
