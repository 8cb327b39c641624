//! One-off questions to the API that need no polling: a request's status by its id, one data
//! source, a data-source search, the description of a query. Each is one exchange on the
//! engine, bounded by the request timeout, and not retried.

use super::Settings;
use crate::error::{Error, Result};
use crate::query::{discovery, Kind};
use reqwest::Method;

/// The most a look-up's answer may hold: status documents with long logs, a data source's
/// full record with its metadata schemas.
const MAX_LOOKUP_BYTES: usize = 64 << 20;

fn exchange(
    settings: &Settings,
    method: Method,
    path: &str,
    body: Option<String>,
) -> Result<String> {
    let body = crate::engine::one_off(&settings.inner, method, path, body, MAX_LOOKUP_BYTES)?;
    let text = String::from_utf8(body)
        .map_err(|_| Error::protocol(format!("the answer to {path} is not UTF-8")))?;
    // handed to the caller, who may print it: never with a key a server echoed
    Ok(crate::secrets::redacted(text))
}

/// The status document of a request (`GET /api/v1/{kind}/requests/{id}`), as the API sends
/// it: `search_request` (with its `query`), `search_result`, `logs`. Unlike
/// [`super::Search::attach`] nothing is polled or downloaded.
///
/// # Errors
/// `AURORAX_ERR_INVALID_ARGUMENT` for a malformed id (nothing sent); `AURORAX_ERR_API` for a
/// request the server does not know; network failures.
pub fn request_status(settings: &Settings, kind: Kind, request_id: &str) -> Result<String> {
    let id = discovery::request_id(request_id)?;
    exchange(
        settings,
        Method::GET,
        &format!("/api/v1/{}/requests/{id}", kind.path_segment()),
        None,
    )
}

fn format_query(format: Option<&str>, include_stats: bool) -> Result<String> {
    let format = format.unwrap_or("basic_info");
    if !discovery::FORMATS.contains(&format) {
        return Err(Error::invalid(
            "format",
            format!(
                "must be one of {}, not '{format}'",
                discovery::FORMATS.join(", ")
            ),
        ));
    }
    Ok(format!("format={format}&include_stats={include_stats}"))
}

/// One data source by its numeric identifier (`GET /api/v1/data_sources/{identifier}`), as
/// a JSON object in `format` (`basic_info` when `None`; see `FORMATS` in the C API's
/// `aurorax_data_sources_async`).
///
/// # Errors
/// `AURORAX_ERR_INVALID_ARGUMENT` for an unknown format; `AURORAX_ERR_API` when no source
/// has that identifier.
pub fn data_source(
    settings: &Settings,
    identifier: i64,
    format: Option<&str>,
    include_stats: bool,
) -> Result<String> {
    let query = format_query(format, include_stats)?;
    exchange(
        settings,
        Method::GET,
        &format!("/api/v1/data_sources/{identifier}?{query}"),
        None,
    )
}

/// Data sources matching any of several programs, platforms or instrument types
/// (`POST /api/v1/data_sources/search`); `None` lists select everything. The answer is a
/// JSON array of sources in `format`.
///
/// # Errors
/// `AURORAX_ERR_INVALID_ARGUMENT` for an unknown format; API and network failures.
pub fn search_data_sources(
    settings: &Settings,
    programs: Option<&[String]>,
    platforms: Option<&[String]>,
    instrument_types: Option<&[String]>,
    format: Option<&str>,
    include_stats: bool,
) -> Result<String> {
    let query = format_query(format, include_stats)?;
    let body = serde_json::json!({
        "programs": programs.unwrap_or_default(),
        "platforms": platforms.unwrap_or_default(),
        "instrument_types": instrument_types.unwrap_or_default(),
    });
    exchange(
        settings,
        Method::POST,
        &format!("/api/v1/data_sources/search?{query}"),
        Some(body.to_string()),
    )
}

/// The server's plain-language description of a query of `kind` (a full request object,
/// validated as a search's is), without starting a search.
///
/// # Errors
/// `AURORAX_ERR_INVALID_ARGUMENT` for a query that is not a valid request object (nothing
/// sent); API and network failures.
pub fn describe_query(settings: &Settings, kind: Kind, query_json: &str) -> Result<String> {
    let request = super::request_of(kind, query_json)?;
    crate::engine::describe(&settings.inner, kind, &request.body)
}

/// The query (`search_request.query`, a JSON object) of a request's status document, as
/// [`request_status`] returns it: what `get_query` shows and `search_resubmit` sends again.
///
/// # Errors
/// `AURORAX_ERR_PROTOCOL` for a document that is not JSON or holds no query object.
pub fn query_of_status(status_json: &str) -> Result<String> {
    crate::api::describe::query_of_status(status_json)
}
