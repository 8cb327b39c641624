//! The describe endpoint (`POST /api/v1/utils/describe/query/{conjunction|ephemeris|
//! data_products}`, body = the search body) and the query a status document holds.

use crate::error::{Error, Result};
use crate::query::Kind;
use serde_json::Value;

/// The path segment is singular for conjunctions only (aurorax-api.md §1.2).
pub(crate) fn describe_path(kind: Kind) -> &'static str {
    match kind {
        Kind::Conjunctions => "conjunction",
        Kind::Ephemeris => "ephemeris",
        Kind::DataProducts => "data_products",
    }
}

/// The API answers a JSON string (observed) or an array of strings (its OpenAPI document).
pub(crate) fn description_text(body: &[u8]) -> Result<String> {
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

/// The query (`search_request.query`, a JSON object) of a request's status document.
pub(crate) fn query_of_status(status_json: &str) -> Result<String> {
    let doc: Value = serde_json::from_str(status_json)
        .map_err(|e| Error::protocol(format!("the request status is not valid JSON ({e})")))?;
    doc.pointer("/search_request/query")
        .filter(|q| q.is_object())
        .map(Value::to_string)
        .ok_or_else(|| Error::protocol("the request status holds no search_request.query"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Status;

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

    #[test]
    fn a_status_document_gives_its_query_object() {
        let query = query_of_status(r#"{"search_request": {"query": {"start": "x"}}}"#).unwrap();
        assert_eq!(query, r#"{"start":"x"}"#);
        for bad in [r#"{"search_request": {"query": "x"}}"#, "{}", "not json"] {
            assert_eq!(
                query_of_status(bad).unwrap_err().status,
                Status::AURORAX_ERR_PROTOCOL
            );
        }
    }
}
