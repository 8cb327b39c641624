//! Exchanges made on a caller's behalf that need no polling (describe, a request's status,
//! data sources): one request on the engine's client for the settings' trust, bounded by
//! the request timeout, not retried. The caller's thread waits; the engine does the I/O.

use super::http::{exchange, MAX_DESCRIBE_BYTES};
use super::{block_on_engine, engine};
use crate::api::describe::{describe_path, description_text};
use crate::config::Settings;
use crate::error::Result;
use crate::query::Kind;
use reqwest::Method;
use std::time::Duration;

/// One request to `path` (relative to the API base URL); the answer's body, at most
/// `max_bytes`.
pub(crate) fn one_off(
    settings: &Settings,
    method: Method,
    path: &str,
    body: Option<String>,
    max_bytes: usize,
) -> Result<Vec<u8>> {
    settings.check()?;
    let settings = settings.clone();
    let url = settings.api_url.join(path);
    let client = engine()?.client_for(&settings)?;
    // the exchange has its own deadline; this one only guards against a lost answer
    let limit = settings.request_timeout + Duration::from_secs(2);
    block_on_engine(limit, async move {
        let reply = exchange(&client, &settings, method, &url, body.as_deref(), max_bytes)
            .await
            .map_err(|f| f.error)?;
        Ok(reply.body)
    })
}

/// The server's plain-language description of a query of `kind` (the search body).
pub(crate) fn describe(settings: &Settings, kind: Kind, query_body: &str) -> Result<String> {
    let path = format!("/api/v1/utils/describe/query/{}", describe_path(kind));
    let body = one_off(
        settings,
        Method::POST,
        &path,
        Some(query_body.to_owned()),
        MAX_DESCRIBE_BYTES,
    )?;
    description_text(&body)
}
