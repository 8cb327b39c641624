//! Starting searches. Each validates its input locally and returns at once; submission and
//! polling happen on the engine. On bad input: NULL, nothing sent, and the reason in
//! `aurorax_last_error()`.

use super::boundary::boundary;
use super::handles::{aurorax_search_t, register};
use super::strings::{optional_str, required_str};
use crate::client::{Result, Search, Settings};
use std::ffi::{c_char, c_double};

/// Starts a search (or look-up) with the process-wide settings and registers its handle;
/// NULL and the reason in aurorax_last_error() on bad input.
pub(super) fn start(begin: impl FnOnce(&Settings) -> Result<Search>) -> *mut aurorax_search_t {
    boundary(|| Ok(register(begin(&Settings::process_wide()?)?)))
}

/// Starts a conjunction search between ground and space data sources, as the seed
/// workflow does.
///
/// - `start`, `end`: UTC, "YYYY-MM-DDTHH:MM:SS" (a space for the T, a fraction and a
///   trailing Z are accepted); start <= end.
/// - `ground_json`, `space_json`: JSON arrays of criteria blocks, e.g.
///   `[{"programs": ["themis-asi"], "ephemeris_metadata_filters": [{"key": "...",
///   "operator": "=", "values": ["..."]}]}]`; NULL or "[]" for none. A metadata filter is a
///   list of expressions (ANDed) or `{"logical_operator": "AND"|"OR", "expressions": [...]}`.
///   Two to ten blocks in total.
/// - `default_distance_km`: finite and > 0; the maximum distance for every ground-space and
///   space-space pair of blocks.
///
/// Conjunction type nbtrace, epoch precision 60 s; use the `_json` form for more.
/// Returns a new handle (release it with aurorax_free), or NULL with the reason in
/// aurorax_last_error() (AURORAX_ERR_INVALID_ARGUMENT; nothing was sent). Never blocks on
/// the network. Thread-safe.
///
/// Each string argument is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_conjunctions_search_async(
    start: *const c_char,
    end: *const c_char,
    ground_json: *const c_char,
    space_json: *const c_char,
    default_distance_km: c_double,
) -> *mut aurorax_search_t {
    self::start(|settings| {
        // SAFETY: valid C strings or NULL per the function contract.
        let (s, e, g, sp) = unsafe {
            (
                required_str("start", start)?,
                required_str("end", end)?,
                optional_str("ground_json", ground_json)?,
                optional_str("space_json", space_json)?,
            )
        };
        Search::conjunctions(settings, s, e, g, sp, default_distance_km)
    })
}

/// Starts a conjunction search from a full request object, as the API documents it:
/// `start`, `end`, `ground`, `space`, `events`, `adhoc` (custom locations),
/// `conjunction_types`, `max_distances`, `subminute_precision` (boolean), the deprecated
/// `epoch_search_precision` (1-60 s; sent as `subminute_precision` = precision < 60, as
/// pyaurorax 1.27 does, so 1.27's bodies are accepted as they are), and optionally
/// `response_format` (a tree of booleans; the downloaded records keep only the fields set
/// to true). It is validated like the other form and sent as given, with timestamps
/// normalised and metadata filters in the object form.
///
/// Returns a new handle, or NULL with the reason in aurorax_last_error(). Thread-safe.
///
/// `query_json` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_conjunctions_search_async_json(
    query_json: *const c_char,
) -> *mut aurorax_search_t {
    // SAFETY: valid C string or NULL per the function contract.
    self::start(|settings| {
        Search::conjunctions_json(settings, unsafe { required_str("query_json", query_json) }?)
    })
}

/// Starts an ephemeris search: where the selected data sources were, epoch by epoch.
///
/// - `start`, `end`: as for conjunctions; at most 31 days apart.
/// - `data_sources_json`: a JSON object with any of `programs`, `platforms`,
///   `instrument_types` (arrays of strings) and `ephemeris_metadata_filters`; it must
///   select something.
///
/// Returns a new handle, or NULL with the reason in aurorax_last_error(). Thread-safe.
///
/// Each string argument is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_ephemeris_search_async(
    start: *const c_char,
    end: *const c_char,
    data_sources_json: *const c_char,
) -> *mut aurorax_search_t {
    self::start(|settings| {
        // SAFETY: valid C strings or NULL per the function contract.
        let (s, e, d) = unsafe {
            (
                required_str("start", start)?,
                required_str("end", end)?,
                optional_str("data_sources_json", data_sources_json)?,
            )
        };
        Search::ephemeris(settings, s, e, d)
    })
}

/// Starts an ephemeris search from a full request object (`start`, `end`, `data_sources`,
/// optional `response_format`). Returns a new handle, or NULL with the reason in
/// aurorax_last_error(). Thread-safe.
///
/// `query_json` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_ephemeris_search_async_json(
    query_json: *const c_char,
) -> *mut aurorax_search_t {
    // SAFETY: valid C string or NULL per the function contract.
    self::start(|settings| {
        Search::ephemeris_json(settings, unsafe { required_str("query_json", query_json) }?)
    })
}

/// Starts a data-product search (keograms, montages, movies, summary plots, data
/// availability).
///
/// - `start`, `end`: as for conjunctions.
/// - `data_sources_json`: a JSON object with any of `programs`, `platforms`,
///   `instrument_types` and `data_product_metadata_filters`; it must select something.
/// - `data_product_types_json`: a JSON array of "keogram", "montage", "movie",
///   "summary_plot", "data_availability"; NULL or "[]" for all.
///
/// Returns a new handle, or NULL with the reason in aurorax_last_error(). Thread-safe.
///
/// Each string argument is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_data_products_search_async(
    start: *const c_char,
    end: *const c_char,
    data_sources_json: *const c_char,
    data_product_types_json: *const c_char,
) -> *mut aurorax_search_t {
    self::start(|settings| {
        // SAFETY: valid C strings or NULL per the function contract.
        let (s, e, d, t) = unsafe {
            (
                required_str("start", start)?,
                required_str("end", end)?,
                optional_str("data_sources_json", data_sources_json)?,
                optional_str("data_product_types_json", data_product_types_json)?,
            )
        };
        Search::data_products(settings, s, e, d, t)
    })
}

/// Starts a data-product search from a full request object (`start`, `end`,
/// `data_sources`, `data_product_type_filters`, optional `response_format`). Returns a new
/// handle, or NULL with the reason in aurorax_last_error(). Thread-safe.
///
/// `query_json` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_data_products_search_async_json(
    query_json: *const c_char,
) -> *mut aurorax_search_t {
    // SAFETY: valid C string or NULL per the function contract.
    self::start(|settings| {
        Search::data_products_json(settings, unsafe { required_str("query_json", query_json) }?)
    })
}
