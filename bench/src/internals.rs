//! The only items the harness takes from inside the library rather than through its two
//! public faces, `aurorax::client` (the safe API) and `aurorax::ffi` (the C ABI it
//! measures). Nothing else in the harness names a library module; these come through the
//! library's documented hidden module, `aurorax::internals`.
//!
//! - the status-poll schedule and its default cap, for the row that is computed rather than
//!   measured (a 600 s search would take ten minutes per search to measure);
//! - the record splitter, for a diagnostic of the get_data rows (the splitter alone on the
//!   same body, from memory): no public function cuts a body that did not come off the wire.

pub use aurorax::internals::records::RecordSplitter;
pub use aurorax::internals::{poll_times, DEFAULT_MAX_POLL_INTERVAL};
