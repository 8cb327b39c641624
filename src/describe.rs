//! The API's plain-language description of a search's query (`POST
//! /api/v1/utils/describe/query/{conjunction|ephemeris|data_products}`, body = the search
//! body), fetched on the caller's behalf.

use crate::engine::{block_on_engine, client, http_exchange, MAX_DESCRIBE_BYTES};
use crate::error::{Error, Result, Status};
use crate::query::Kind;
use crate::search::{Job, Search};
use reqwest::Method;
use serde_json::Value;

/// The path segment is singular for conjunctions only (aurorax-api.md §1.2).
fn describe_path(kind: Kind) -> &'static str {
    match kind {
        Kind::Conjunctions => "conjunction",
        Kind::Ephemeris => "ephemeris",
        Kind::DataProducts => "data_products",
    }
}

/// The query to describe: the body we sent, or for an attached request the one the
/// server reports in its status (`search_request.query`).
fn query_of(search: &Search) -> Result<(Kind, String)> {
    match &search.job {
        Job::Submit(request) => Ok((request.kind, request.body.clone())),
        Job::Attach { kind, .. } => {
            let status = search.status_json().ok_or_else(|| match search.error() {
                // it ended before the server ever described it: its query will never be known
                Some(ended) => Error::new(
                    ended.status,
                    format!(
                        "the attached request ended before its query was known: {}",
                        ended.message
                    ),
                ),
                None => Error::new(
                    Status::AURORAX_ERR_NOT_READY,
                    "the attached request's query is known after its first status; wait a moment",
                ),
            })?;
            let doc: Value = serde_json::from_str(&status).map_err(|e| {
                Error::protocol(format!("the request status is not valid JSON ({e})"))
            })?;
            let query = doc
                .pointer("/search_request/query")
                .filter(|q| q.is_object())
                .ok_or_else(|| {
                    Error::protocol("the request status holds no search_request.query to describe")
                })?;
            Ok((*kind, query.to_string()))
        }
        Job::Lookup { .. } => Err(Error::invalid(
            "s",
            "describes searches only, not data-source or availability requests",
        )),
    }
}

pub fn describe(search: &Search) -> Result<String> {
    let (kind, body) = query_of(search)?;
    let settings = search.settings.clone();
    let url = settings.api_url.join(&format!(
        "/api/v1/utils/describe/query/{}",
        describe_path(kind)
    ));
    let client = client(&settings)?;
    let limit = settings.request_timeout;
    block_on_engine(limit, async move {
        let reply = http_exchange(
            &client,
            &settings,
            Method::POST,
            &url,
            Some(&body),
            MAX_DESCRIBE_BYTES,
        )
        .await
        .map_err(|f| f.error)?;
        description_text(&reply.body)
    })
}

/// The API answers a JSON string (observed) or an array of strings (its OpenAPI document).
fn description_text(body: &[u8]) -> Result<String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(text)) => Ok(text),
        Ok(Value::Array(lines)) if lines.iter().all(Value::is_string) => Ok(lines
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n")),
        Ok(_) => Err(Error::protocol("the describe answer is JSON but not text")),
        Err(e) => Err(Error::protocol(format!(
            "the describe answer is not valid JSON ({e})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_string_arrays_are_descriptions() {
        assert_eq!(
            description_text(br#""Find conjunctions of type (nbtrace)""#).unwrap(),
            "Find conjunctions of type (nbtrace)"
        );
        assert_eq!(description_text(br#"["a", "b"]"#).unwrap(), "a\nb");
        assert_eq!(
            description_text(b"{}").unwrap_err().status,
            Status::AURORAX_ERR_PROTOCOL
        );
        assert_eq!(
            description_text(b"nope").unwrap_err().status,
            Status::AURORAX_ERR_PROTOCOL
        );
        assert_eq!(describe_path(Kind::Conjunctions), "conjunction");
    }
}
