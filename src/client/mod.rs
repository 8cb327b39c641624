//! The crate's safe face: start AuroraX searches, follow them, read their records.
//!
//! A [`Search`] is started with [`Settings`] and returns at once; the engine's threads
//! submit it, poll its status and download its result while the caller does other work.
//! [`Search::ready`] answers from memory, [`Search::wait`] and [`wait_any`] block with a
//! timeout, and [`Search::data`] and [`Search::records`] hand out the result. Every failure
//! is an [`Error`] whose [`Status`] a caller can branch on.
//!
//! ```no_run
//! use aurorax::client::{Search, Settings};
//! use std::time::Duration;
//!
//! let settings = Settings::from_env()?;
//! let search = Search::conjunctions(
//!     &settings,
//!     "2019-01-01T00:00:00",
//!     "2019-01-01T23:59:59",
//!     Some(r#"[{"programs": ["themis-asi"]}]"#),
//!     Some(r#"[{"programs": ["swarm"]}]"#),
//!     300.0,
//! )?;
//! search.wait(Some(Duration::from_secs(600)))?;
//! for record in search.records()? {
//!     println!("{record}");
//! }
//! # Ok::<(), aurorax::client::Error>(())
//! ```
//!
//! The C ABI's process-wide settings (`aurorax_set_*`) do not apply here: each search uses
//! the [`Settings`] it was started with.

mod columns;
mod lookups;
mod reading;
mod settings;

pub use crate::error::{Error, Result, Status};
pub use crate::query::Kind;
pub use crate::save::Format as SaveFormat;
pub use lookups::{
    data_source, describe_query, query_of_status, request_status, search_data_sources,
};
pub use settings::Settings;
// what the C ABI's column functions hand out without a copy
pub(crate) use crate::api::records::columns::{Column, ColumnKind, TextCell};

use crate::query::{conjunctions, data_products, discovery, ephemeris, SearchRequest};
use crate::search::{self as core, Job};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// Where a search is. A failed or cancelled search is [`Phase::Ended`] with its status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The search is being sent (or a look-up is under way).
    Submitting,
    /// The server is searching.
    Running,
    /// The result is arriving: see [`Search::bytes_received`].
    Downloading,
    /// The result is in memory.
    Ready,
    /// The search failed or was cancelled, with this status.
    Ended(Status),
}

/// One search, data-source look-up or availability look-up, run by the engine in the
/// background.
///
/// Dropping it stops the local work but leaves the request on the server (as
/// `aurorax_free` does); [`Search::cancel`] deletes it there too. A `Search` is `Send` and
/// `Sync`: it may be followed from several threads.
#[derive(Debug)]
pub struct Search {
    inner: Arc<core::Search>,
    description: OnceLock<String>,
}

impl Search {
    fn start(settings: &Settings, job: Job) -> Result<Search> {
        Ok(Search {
            inner: crate::engine::start(job, settings.inner.clone())?,
            description: OnceLock::new(),
        })
    }

    fn submit(settings: &Settings, request: Result<SearchRequest>) -> Result<Search> {
        Search::start(settings, Job::Submit(request?))
    }

    /// Starts a conjunction search as the seed workflow writes it: criteria blocks for the
    /// ground and space (JSON arrays; `None` or `"[]"` for none), type nbtrace, and
    /// `default_distance_km` between every pair of blocks.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT`, naming the argument, for bad input (nothing is
    /// sent); see `aurorax_conjunctions_search_async` for the rules.
    pub fn conjunctions(
        settings: &Settings,
        start: &str,
        end: &str,
        ground_json: Option<&str>,
        space_json: Option<&str>,
        default_distance_km: f64,
    ) -> Result<Search> {
        Search::submit(
            settings,
            conjunctions::from_parts(start, end, ground_json, space_json, default_distance_km),
        )
    }

    /// Starts a conjunction search from a full request object, as the AuroraX website
    /// exports it and pyaurorax 1.27 sends it (`subminute_precision` included).
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a query that is not a valid request object.
    pub fn conjunctions_json(settings: &Settings, query_json: &str) -> Result<Search> {
        Search::submit(settings, conjunctions::from_json(query_json))
    }

    /// Starts an ephemeris search: where the data sources selected by `data_sources_json`
    /// (`programs`, `platforms`, `instrument_types`, `ephemeris_metadata_filters`) were.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for bad input.
    pub fn ephemeris(
        settings: &Settings,
        start: &str,
        end: &str,
        data_sources_json: Option<&str>,
    ) -> Result<Search> {
        Search::submit(
            settings,
            ephemeris::from_parts(start, end, data_sources_json),
        )
    }

    /// Starts an ephemeris search from a full request object.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a query that is not a valid request object.
    pub fn ephemeris_json(settings: &Settings, query_json: &str) -> Result<Search> {
        Search::submit(settings, ephemeris::from_json(query_json))
    }

    /// Starts a data-product search; `data_product_types_json` is a JSON array of types
    /// (`None` or `"[]"` for all).
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for bad input.
    pub fn data_products(
        settings: &Settings,
        start: &str,
        end: &str,
        data_sources_json: Option<&str>,
        data_product_types_json: Option<&str>,
    ) -> Result<Search> {
        Search::submit(
            settings,
            data_products::from_parts(start, end, data_sources_json, data_product_types_json),
        )
    }

    /// Starts a data-product search from a full request object.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a query that is not a valid request object.
    pub fn data_products_json(settings: &Settings, query_json: &str) -> Result<Search> {
        Search::submit(settings, data_products::from_json(query_json))
    }

    /// Starts a search of `kind` from a full request object.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a query that is not a valid request object.
    pub fn from_json(settings: &Settings, kind: Kind, query_json: &str) -> Result<Search> {
        Search::submit(settings, request_of(kind, query_json))
    }

    /// Follows a request submitted earlier (by this program, another one, or the AuroraX
    /// website) by its request id, then downloads its result. A request the server does
    /// not know ends with `AURORAX_ERR_API`.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a malformed id (nothing is sent).
    pub fn attach(settings: &Settings, kind: Kind, request_id: &str) -> Result<Search> {
        let request_id = discovery::request_id(request_id)?;
        Search::start(settings, Job::Attach { kind, request_id })
    }

    fn lookup(settings: &Settings, lookup: Result<discovery::Lookup>) -> Result<Search> {
        Search::start(
            settings,
            Job::Lookup {
                path_and_query: lookup?.path_and_query,
            },
        )
    }

    /// Lists the data sources matching a filter object (`program`, `platform`,
    /// `instrument_type`, `source_type`, `owner`, `format`, `include_stats`); `None` or
    /// `"{}"` for all. The result is the JSON array of sources.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a bad filter.
    pub fn data_sources(settings: &Settings, filter_json: Option<&str>) -> Result<Search> {
        Search::lookup(settings, discovery::data_sources(filter_json))
    }

    /// Ephemeris availability per data source and day between two dates (`YYYY-MM-DD`).
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for bad dates or a bad filter.
    pub fn ephemeris_availability(
        settings: &Settings,
        start_date: &str,
        end_date: &str,
        filter_json: Option<&str>,
    ) -> Result<Search> {
        Search::lookup(
            settings,
            discovery::ephemeris_availability(start_date, end_date, filter_json),
        )
    }

    /// Data-product availability per data source and day between two dates.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for bad dates or a bad filter.
    pub fn data_products_availability(
        settings: &Settings,
        start_date: &str,
        end_date: &str,
        filter_json: Option<&str>,
    ) -> Result<Search> {
        Search::lookup(
            settings,
            discovery::data_products_availability(start_date, end_date, filter_json),
        )
    }

    /// The kind of search; `None` for a data-source or availability look-up.
    pub fn kind(&self) -> Option<Kind> {
        self.inner.job.kind()
    }

    /// Whether the result is in memory. Answered from memory: never blocks.
    pub fn ready(&self) -> bool {
        self.inner.check_for_data() == 1
    }

    /// Whether the search has ended: ready, failed or cancelled. Never blocks.
    pub fn ended(&self) -> bool {
        self.inner.has_ended()
    }

    /// Blocks until the result is in memory, the search ends otherwise, or `timeout`
    /// passes (`None`: no limit). Never spins.
    ///
    /// # Errors
    /// `AURORAX_ERR_TIMEOUT` when the timeout passed (the search goes on); otherwise the
    /// failure's own status, e.g. `AURORAX_ERR_SEARCH_FAILED` or `AURORAX_ERR_CANCELLED`.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<()> {
        self.inner.wait(timeout)
    }

    /// The result: the JSON array of records, exactly as `aurorax_get_data` returns it.
    /// Blocks while a finished search's result downloads.
    ///
    /// # Errors
    /// `AURORAX_ERR_NOT_READY` while the server is still searching; the failure's status
    /// after a failure or cancel.
    pub fn data(&self) -> Result<&str> {
        Ok(self.inner.data()?.as_str())
    }

    /// Writes the result to `path`, as `aurorax_save_data` does: the JSON array
    /// ([`SaveFormat::JsonArray`]) or one record per line ([`SaveFormat::Ndjson`]), under a
    /// temporary name renamed when complete. Blocks while the result downloads.
    ///
    /// # Errors
    /// As [`Search::data`]; `AURORAX_ERR_INVALID_ARGUMENT` naming the file when it cannot
    /// be written (nothing is left behind).
    pub fn save(&self, path: &std::path::Path, format: SaveFormat) -> Result<()> {
        crate::save::save(self.inner.data()?, path, format)
    }

    /// Each record's JSON text, slices of [`Search::data`]; never blocks.
    ///
    /// # Errors
    /// `AURORAX_ERR_NOT_READY` before the result is in memory; the failure's status after
    /// a failure or cancel.
    pub fn records(&self) -> Result<Vec<&str>> {
        let result = self.inner.data_if_ready()?;
        Ok((0..result.record_count())
            .filter_map(|i| result.record(i))
            .collect())
    }

    /// The request id, once the server has accepted the search (at once for an attached
    /// request; never for a look-up).
    pub fn request_id(&self) -> Option<String> {
        self.inner.request_id()
    }

    /// The latest status document exactly as the API sent it (an echoed API key redacted);
    /// `None` before the first.
    pub fn status_json(&self) -> Option<String> {
        self.inner.status_json()
    }

    /// The request's log entries as a JSON array (`[]` before the first status).
    pub fn logs_json(&self) -> String {
        self.inner.logs_json()
    }

    /// The server's plain-language description of the query. Blocks for at most about the
    /// request timeout the first time, then answers from memory.
    ///
    /// # Errors
    /// `AURORAX_ERR_INVALID_ARGUMENT` for a look-up; `AURORAX_ERR_NOT_READY` for an
    /// attached request whose first status has not arrived; network and API failures.
    pub fn describe(&self) -> Result<String> {
        if let Some(text) = self.description.get() {
            return Ok(text.clone());
        }
        let (kind, body) = self.inner.query_to_describe()?;
        let text = crate::engine::describe(&self.inner.settings, kind, &body)?;
        Ok(self.description.get_or_init(|| text).clone())
    }

    /// Cancels the search: waiters wake with `AURORAX_ERR_CANCELLED` at once, and the
    /// engine sends the server a DELETE if it is still searching. A search that has ended
    /// is left as it is; returns whether this call ended it. Call [`shutdown`] before the
    /// process exits to give the DELETE its chance to leave.
    pub fn cancel(&self) -> bool {
        self.cancel_because("the search was cancelled by Search::cancel", true)
    }

    /// Why the search failed or was cancelled; `None` while it runs or once it is ready.
    pub fn error(&self) -> Option<Error> {
        self.inner.error()
    }

    /// Where the search is. Never blocks.
    pub fn phase(&self) -> Phase {
        use crate::status::aurorax_phase_t as P;
        match self.inner.phase() {
            p if p == P::AURORAX_PHASE_SUBMITTING as i32 => Phase::Submitting,
            p if p == P::AURORAX_PHASE_RUNNING as i32 => Phase::Running,
            p if p == P::AURORAX_PHASE_DOWNLOADING as i32 => Phase::Downloading,
            p if p == P::AURORAX_PHASE_READY as i32 => Phase::Ready,
            code => Phase::Ended(Status::from_code(code).unwrap_or(Status::AURORAX_ERR_INTERNAL)),
        }
    }

    /// Result bytes received so far (0 before the download).
    pub fn bytes_received(&self) -> u64 {
        u64::try_from(self.inner.bytes_received()).unwrap_or(0)
    }

    /// The result's size, once the server has announced it.
    pub fn bytes_expected(&self) -> Option<u64> {
        u64::try_from(self.inner.bytes_expected()).ok()
    }
}

impl Drop for Search {
    fn drop(&mut self) {
        self.inner
            .cancel("the search was dropped before it ended", false);
    }
}

/// Blocks until one of `searches` has ended (ready, failed or cancelled) and returns the
/// lowest such index, or until `timeout` passes (`None`: no limit). Never spins.
///
/// # Errors
/// `AURORAX_ERR_INVALID_ARGUMENT` for an empty slice; `AURORAX_ERR_TIMEOUT` when none ended
/// in time.
pub fn wait_any(searches: &[&Search], timeout: Option<Duration>) -> Result<usize> {
    if searches.is_empty() {
        return Err(Error::invalid("searches", "is empty"));
    }
    let inner: Vec<&core::Search> = searches.iter().map(|s| s.inner.as_ref()).collect();
    core::ended::wait_any(&inner, timeout).ok_or_else(|| {
        Error::new(
            Status::AURORAX_ERR_TIMEOUT,
            format!(
                "none of the {} searches ended within {:.3} s; they go on",
                searches.len(),
                timeout.unwrap_or_default().as_secs_f64()
            ),
        )
    })
}

/// Checks a full request object of `kind` as [`Search::from_json`] would, without starting
/// anything: for a program that validates several queries before it sends any.
///
/// # Errors
/// `AURORAX_ERR_INVALID_ARGUMENT`, naming the field, for a query that is not a valid
/// request object.
pub fn check_query(kind: Kind, query_json: &str) -> Result<()> {
    request_of(kind, query_json).map(drop)
}

/// A full request object of `kind`, validated and normalised as it will be sent.
fn request_of(kind: Kind, query_json: &str) -> Result<SearchRequest> {
    match kind {
        Kind::Conjunctions => conjunctions::from_json(query_json),
        Kind::Ephemeris => ephemeris::from_json(query_json),
        Kind::DataProducts => data_products::from_json(query_json),
    }
}

/// Stops the engine and joins its threads, giving cancelled searches up to about two
/// seconds to send their DELETE. Searches still running end `AURORAX_ERR_CANCELLED`; the
/// next search starts the engine again. Call it before a program that cancelled searches
/// exits.
pub fn shutdown() {
    crate::engine::shutdown();
}
