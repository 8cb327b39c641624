//! Discovery: which data sources exist, and on which days they have ephemeris or data
//! products; and the id of an existing request to attach to. Each lookup is one `GET`
//! relative to the API base URL with the parameters the API's OpenAPI document lists and
//! pyaurorax 1.27 sends (`search.sources.list`, `search.availability.ephemeris`,
//! `search.availability.data_products`). Unlike a search there is no request to poll: the
//! `200` body is the answer, a bare JSON array the engine can hand out as the result.

mod filter;

use super::common::time::parse_timestamp;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use filter::{
    filter_params, DATA_PRODUCTS_AVAILABILITY_FILTER, EPHEMERIS_AVAILABILITY_FILTER, SOURCE_FILTER,
};
use url::form_urlencoded;

/// What a lookup asks; it tells the engine which endpoint family answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookupKind {
    DataSources,
    EphemerisAvailability,
    DataProductsAvailability,
}

/// A validated lookup, ready to send as `GET {base_url}{path_and_query}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    pub what: LookupKind,
    /// Starts with `/api/v1/`; parameters percent-encoded (a space as `+`, as `requests`
    /// encodes it for pyaurorax).
    pub path_and_query: String,
}

/// `source_type` values (OpenAPI enum on all three endpoints).
pub const SOURCE_TYPES: [&str; 6] = [
    "ground",
    "heo",
    "leo",
    "lunar",
    "event_list",
    "not_applicable",
];
/// How much of each data source the API returns (OpenAPI `format`); the API's default and
/// ours is `basic_info`: identifier, program, platform, instrument_type, source_type,
/// display_name. `full_record` adds metadata, owner, maintainers and the ephemeris and
/// data-product metadata schemas (the valid metadata-filter keys).
pub const FORMATS: [&str; 4] = [
    "identifier_only",
    "basic_info",
    "with_metadata",
    "full_record",
];

/// `GET /api/v1/data_sources?program=…&platform=…&instrument_type=…&source_type=…&owner=…&format=…&include_stats=…`
/// (only the keys given, and `format`, default `basic_info`). `filter_json`: NULL, empty,
/// `null` or `{}` select every data source. The response body is a JSON array of data-source
/// objects in the chosen format (with a `stats` object each when `include_stats` is true).
/// pyaurorax's `sources.list` drops entries with a negative `identifier`; they are passed
/// through here as the API sent them.
pub fn data_sources(filter_json: Option<&str>) -> Result<Lookup> {
    let params = filter_params(filter_json, &SOURCE_FILTER)?;
    Ok(lookup(
        LookupKind::DataSources,
        "/api/v1/data_sources",
        params,
    ))
}

/// `GET /api/v1/availability/ephemeris?start=YYYY-MM-DD&end=YYYY-MM-DD&program=…&platform=…&instrument_type=…&source_type=…&owner=…&format=…&slow=…`.
/// The response body is a JSON array with one object per data source:
/// `{"data_source": {…}, "available_ephemeris": {"2019-01-01": 1440, …}}`, a count of
/// ephemeris records per day.
pub fn ephemeris_availability(
    start_date: &str,
    end_date: &str,
    filter_json: Option<&str>,
) -> Result<Lookup> {
    let params = availability(
        start_date,
        end_date,
        filter_json,
        &EPHEMERIS_AVAILABILITY_FILTER,
    )?;
    Ok(lookup(
        LookupKind::EphemerisAvailability,
        "/api/v1/availability/ephemeris",
        params,
    ))
}

/// `GET /api/v1/availability/data_products?start=…&end=…&program=…&platform=…&instrument_type=…&source_type=…&data_product_type=…&owner=…&format=…&slow=…`.
/// The response body is a JSON array with one object per data source:
/// `{"data_source": {…}, "available_data_products": {…}}`, counts of data products by day
/// (the OpenAPI document types the map as day → count).
pub fn data_products_availability(
    start_date: &str,
    end_date: &str,
    filter_json: Option<&str>,
) -> Result<Lookup> {
    let params = availability(
        start_date,
        end_date,
        filter_json,
        &DATA_PRODUCTS_AVAILABILITY_FILTER,
    )?;
    Ok(lookup(
        LookupKind::DataProductsAvailability,
        "/api/v1/availability/data_products",
        params,
    ))
}

/// The id of an existing request, as the last path segment of its URL. The API writes UUIDs
/// in lowercase (`0848d9bb-5308-41a5-93ba-4453bad7ec38`); any case is accepted and
/// lowercased, surrounding whitespace (a pasted line) ignored. Any UUID version is accepted:
/// the API promises no particular one.
pub fn request_id(id: &str) -> Result<String> {
    let trimmed = id.trim();
    let groups: Vec<&str> = trimmed.split('-').collect();
    let shape_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()));
    if !shape_ok {
        return Err(Error::invalid(
            "request_id",
            format!(
                "{} is not a request id (a UUID such as 0848d9bb-5308-41a5-93ba-4453bad7ec38)",
                excerpt(id)
            ),
        ));
    }
    Ok(trimmed.to_ascii_lowercase())
}

/// `start` and `end` first, then the filter's parameters.
fn availability(
    start_date: &str,
    end_date: &str,
    filter_json: Option<&str>,
    filter: &[filter::Param],
) -> Result<Vec<(&'static str, String)>> {
    let start = parse_date("start_date", start_date)?;
    let end = parse_date("end_date", end_date)?;
    if start > end {
        return Err(Error::invalid(
            "end_date",
            format!("{end} is before start_date {start}"),
        ));
    }
    let mut params = vec![("start", start.to_string()), ("end", end.to_string())];
    params.extend(filter_params(filter_json, filter)?);
    Ok(params)
}

/// The API takes whole days (`YYYY-MM-DD`, OpenAPI `format: date`; pyaurorax sends
/// `strftime("%Y-%m-%d")`). A full timestamp as the search functions take it is accepted
/// too, so callers can reuse a search's range: its time of day is dropped, which keeps the
/// day it falls in.
fn parse_date(argument: &str, raw: &str) -> Result<NaiveDate> {
    let text = raw.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        if text.len() == 10 {
            return Ok(day);
        }
    }
    parse_timestamp(argument, raw)
        .map(|t| t.date())
        .map_err(|_| {
            Error::invalid(
                argument,
                format!("{} is not a date of the form YYYY-MM-DD", excerpt(raw)),
            )
        })
}

fn lookup(what: LookupKind, path: &str, params: Vec<(&'static str, String)>) -> Lookup {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    Lookup {
        what,
        path_and_query: format!("{path}?{query}"),
    }
}

/// The caller's text, quoted and cut short: a message must stay readable whatever was passed.
fn excerpt(raw: &str) -> String {
    match raw.char_indices().nth(48) {
        Some((cut, _)) => format!("'{}…'", &raw[..cut]),
        None => format!("'{raw}'"),
    }
}

#[cfg(test)]
mod tests;
