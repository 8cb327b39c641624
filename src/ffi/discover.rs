//! Asking the API what exists: data sources, and availability per day. Each returns a
//! handle with the usual lifecycle (check, wait, get_data, records, free).

use super::handles::aurorax_search_t;
use super::start::start;
use super::strings::{optional_str, required_str};
use crate::client::{Result, Search, Settings};
use std::ffi::c_char;

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
    start(|settings| {
        Search::data_sources(settings, unsafe {
            optional_str("filter_json", filter_json)
        }?)
    })
}

type AvailabilityQuery = fn(&Settings, &str, &str, Option<&str>) -> Result<Search>;

/// Both availability functions take the same arguments; `query` builds the request.
fn availability(
    start_date: *const c_char,
    end_date: *const c_char,
    filter_json: *const c_char,
    query: AvailabilityQuery,
) -> *mut aurorax_search_t {
    start(|settings| {
        // SAFETY: valid C strings or NULL, per the contract of the exported functions
        // that are this function's only callers.
        let (s, e, f) = unsafe {
            (
                required_str("start_date", start_date)?,
                required_str("end_date", end_date)?,
                optional_str("filter_json", filter_json)?,
            )
        };
        query(settings, s, e, f)
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
        Search::ephemeris_availability,
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
        Search::data_products_availability,
    )
}
