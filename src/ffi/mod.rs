//! The C ABI. Thin by design: pointer and UTF-8 checks, panic containment, status codes and
//! string ownership. All logic lives in the safe core; `unsafe` lives only here.
//!
//! Every entry point runs inside [`macros::boundary`], so a panic becomes
//! `AURORAX_ERR_INTERNAL` instead of unwinding into C (or aborting a MATLAB session).

mod macros;
mod discover;
mod follow;
mod handles;
mod last_error;
mod library;
mod start;
mod status;
mod strings;

pub use discover::*;
pub use follow::*;
pub use handles::aurorax_search_t;
pub use library::*;
pub use start::*;
pub use status::*;
