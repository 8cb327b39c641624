//! Data-product searches: keograms, movies, montages and the like.

use super::common::blocks::{data_sources, DATA_PRODUCT_SOURCES};
use super::common::json::{parse, parse_optional_array, string_list};
use super::common::time::{format_timestamp, parse_range};
use super::common::QueryObject;
use super::{Kind, SearchRequest};
use crate::error::Result;
use serde_json::{json, Value};

/// The `data_product_type_filters` values of the API's OpenAPI document.
pub use super::common::DATA_PRODUCT_TYPES;

pub fn from_parts(
    start: &str,
    end: &str,
    data_sources_json: Option<&str>,
    data_product_types_json: Option<&str>,
) -> Result<SearchRequest> {
    let (start, end) = parse_range(start, end)?;
    let sources = data_sources(
        "data_sources_json",
        &parse("data_sources_json", data_sources_json.unwrap_or("null"))?,
        &DATA_PRODUCT_SOURCES,
    )?;
    let types = Value::Array(parse_optional_array(
        "data_product_types_json",
        data_product_types_json,
    )?);
    let types = string_list("data_product_types_json", &types, Some(&DATA_PRODUCT_TYPES))?;
    let body = json!({"data_sources": sources, "start": format_timestamp(&start), "end": format_timestamp(&end), "data_product_type_filters": types});
    Ok(SearchRequest {
        kind: Kind::DataProducts,
        body: body.to_string(),
        response_format: None,
    })
}

pub fn from_json(query_json: &str) -> Result<SearchRequest> {
    let fields = [
        "start",
        "end",
        "data_sources",
        "data_product_type_filters",
        "request_id",
        "response_format",
    ];
    let mut query = QueryObject::parse(query_json, &fields)?;
    let sources = data_sources(
        "query_json.data_sources",
        query.required("data_sources")?,
        &DATA_PRODUCT_SOURCES,
    )?;
    query.set("data_sources", sources);
    if let Some(types) = query
        .get("data_product_type_filters")
        .filter(|t| !t.is_null())
    {
        string_list(
            "query_json.data_product_type_filters",
            types,
            Some(&DATA_PRODUCT_TYPES),
        )?;
    }
    query.finish(Kind::DataProducts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_matches_the_reference_clients() {
        let r = from_parts("2020-02-01T00:00:00", "2020-02-05T23:59:59",
            Some(r#"{"programs": ["trex"], "platforms": [], "instrument_types": ["RGB ASI"], "data_product_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "keogram_type", "operator": "=", "values": ["daily"]}]}}"#),
            Some(r#"["keogram"]"#)).unwrap();
        let body: Value = serde_json::from_str(&r.body).unwrap();
        // aurorax-api.md §2.4, v0.8.0 body.
        assert_eq!(
            body,
            json!({"data_sources": {"programs": ["trex"], "platforms": [], "instrument_types": ["RGB ASI"], "data_product_metadata_filters": {"logical_operator": "AND", "expressions": [{"key": "keogram_type", "operator": "=", "values": ["daily"]}]}}, "start": "2020-02-01T00:00:00", "end": "2020-02-05T23:59:59", "data_product_type_filters": ["keogram"]})
        );
    }

    #[test]
    fn unknown_product_types_are_named() {
        let e = from_parts(
            "2020-02-01T00:00:00",
            "2020-02-05T23:59:59",
            Some(r#"{"programs": ["trex"]}"#),
            Some(r#"["keogramm"]"#),
        )
        .unwrap_err();
        assert!(
            e.message
                .starts_with("data_product_types_json[0]: 'keogramm' is not one of"),
            "{}",
            e.message
        );
    }
}
