//! Following requests the program did not submit itself, and asking the API what exists:
//! attach to a request id; list data sources; availability per day. Each returns a handle
//! with the usual lifecycle (check, wait, get_data, records, free).

use super::handles::aurorax_search_t;
use super::start::start_job;
use super::strings::{optional_str, required_str};
use crate::query::{discovery, Kind};
use crate::search::Job;
use std::ffi::c_char;

fn attach(kind: Kind, request_id: *const c_char) -> *mut aurorax_search_t {
    start_job(|| {
        // SAFETY: a valid C string or NULL per the calling function's contract.
        let id = discovery::request_id(unsafe { required_str("request_id", request_id) }?)?;
        Ok(Job::Attach {
            kind,
            request_id: id,
        })
    })
}

/// Follows a conjunction search submitted earlier — by this program, another one, or the
/// AuroraX website — by its request id (a UUID). The id is checked locally (NULL and the
/// reason in aurorax_last_error() if malformed; nothing sent); then the handle behaves as
/// a search's: its status is fetched at once, then polled; a request the server does not
/// know ends with AURORAX_ERR_API ("not found"). aurorax_request_id is available at once.
/// Release it with aurorax_free. Thread-safe.
///
/// `request_id` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_conjunctions_search_attach(
    request_id: *const c_char,
) -> *mut aurorax_search_t {
    attach(Kind::Conjunctions, request_id)
}

/// As aurorax_conjunctions_search_attach, for an ephemeris search.
///
/// `request_id` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_ephemeris_search_attach(
    request_id: *const c_char,
) -> *mut aurorax_search_t {
    attach(Kind::Ephemeris, request_id)
}

/// As aurorax_conjunctions_search_attach, for a data-product search.
///
/// `request_id` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_data_products_search_attach(
    request_id: *const c_char,
) -> *mut aurorax_search_t {
    attach(Kind::DataProducts, request_id)
}

fn lookup(
    build: impl FnOnce() -> crate::error::Result<discovery::Lookup>,
) -> *mut aurorax_search_t {
    start_job(|| {
        build().map(|l| Job::Lookup {
            path_and_query: l.path_and_query,
        })
    })
}

/// Lists the data sources (programs, platforms, instruments) matching a filter object with
/// any of "program", "platform", "instrument_type", "source_type", "owner" (strings) and
/// "format": "basic_info" (default), "identifier_only", "with_metadata" or "full_record"
/// (full_record carries each source's ephemeris and data-product metadata schemas, i.e.
/// the valid metadata filter keys); NULL or "{}": all sources. One GET, same lifecycle as
/// a search: aurorax_get_data gives the JSON array of sources, aurorax_get_record each.
/// Returns a handle, or NULL with the reason in aurorax_last_error() (bad filter; nothing
/// sent). Thread-safe.
///
/// `filter_json` is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_data_sources_async(
    filter_json: *const c_char,
) -> *mut aurorax_search_t {
    // SAFETY: a valid C string or NULL per the function contract.
    lookup(|| discovery::data_sources(unsafe { optional_str("filter_json", filter_json) }?))
}

type AvailabilityQuery = fn(&str, &str, Option<&str>) -> crate::error::Result<discovery::Lookup>;

/// Both availability functions take the same arguments; `query` builds the request.
fn availability(
    start_date: *const c_char,
    end_date: *const c_char,
    filter_json: *const c_char,
    query: AvailabilityQuery,
) -> *mut aurorax_search_t {
    lookup(|| {
        // SAFETY: valid C strings or NULL, per the contract of the exported functions
        // that are this function's only callers.
        let (s, e, f) = unsafe {
            (
                required_str("start_date", start_date)?,
                required_str("end_date", end_date)?,
                optional_str("filter_json", filter_json)?,
            )
        };
        query(s, e, f)
    })
}

/// Ephemeris availability: per data source and day between `start_date` and `end_date`
/// ("YYYY-MM-DD"; a full timestamp's day is taken), how many ephemeris records exist.
/// `filter_json` as for aurorax_data_sources_async (NULL or "{}": all). The result is a
/// JSON array of `{"data_source": {...}, "available_ephemeris": {"YYYY-MM-DD": count}}`.
/// Returns a handle, or NULL with the reason in aurorax_last_error(). Thread-safe.
///
/// Each string argument is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_ephemeris_availability_async(
    start_date: *const c_char,
    end_date: *const c_char,
    filter_json: *const c_char,
) -> *mut aurorax_search_t {
    availability(
        start_date,
        end_date,
        filter_json,
        discovery::ephemeris_availability,
    )
}

/// Data-product availability, as aurorax_ephemeris_availability_async; the filter may also
/// hold "data_product_type". Each record is `{"data_source": {...},
/// "available_data_products": {"YYYY-MM-DD": count}}`. Thread-safe.
///
/// Each string argument is NULL or a NUL-terminated string valid for the call.
#[no_mangle]
pub unsafe extern "C" fn aurorax_data_products_availability_async(
    start_date: *const c_char,
    end_date: *const c_char,
    filter_json: *const c_char,
) -> *mut aurorax_search_t {
    availability(
        start_date,
        end_date,
        filter_json,
        discovery::data_products_availability,
    )
}
