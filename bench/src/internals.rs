//! The only items the harness takes from inside the library rather than through its two
//! public faces, `aurorax::client` (the safe API) and `aurorax::ffi` (the C ABI it
//! measures). Nothing else in the harness names a library module; when the library exposes
//! these through a documented hidden module, this file is the one to change.
//!
//! - the status-poll schedule and its default cap, for the row that is computed rather than
//!   measured (a 600 s search would take ten minutes per search to measure);
//! - the record splitter, for a diagnostic of the get_data rows (the splitter alone on the
//!   same body, from memory): no public function cuts a body that did not come off the wire.

pub use aurorax::api::records::RecordSplitter;
pub use aurorax::config::DEFAULT_MAX_POLL_INTERVAL;
pub use aurorax::engine::schedule::poll_times;
