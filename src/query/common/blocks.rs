//! Criteria blocks: which data sources take part in a search.

use super::filters;
use super::json::{as_array, as_object, check_keys, string_list, type_name};
use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// The shape of one kind of block: its list fields and the name of its filter field.
pub(crate) struct BlockShape {
    pub lists: &'static [&'static str],
    pub filter_key: &'static str,
}

pub(crate) const GROUND: BlockShape = BlockShape {
    lists: &["programs", "platforms", "instrument_types"],
    filter_key: "ephemeris_metadata_filters",
};
pub(crate) const SPACE: BlockShape = BlockShape {
    lists: &["programs", "platforms", "instrument_types", "hemisphere"],
    filter_key: "ephemeris_metadata_filters",
};
pub(crate) const EVENTS: BlockShape = GROUND;
pub(crate) const EPHEMERIS_SOURCES: BlockShape = GROUND;
pub(crate) const DATA_PRODUCT_SOURCES: BlockShape = BlockShape {
    lists: &["programs", "platforms", "instrument_types"],
    filter_key: "data_product_metadata_filters",
};

const HEMISPHERES: [&str; 2] = ["northern", "southern"];

/// Checks one block and returns it with its filter in the object form.
pub fn normalize(argument: &str, block: &Value, shape: &BlockShape) -> Result<Map<String, Value>> {
    let object = as_object(argument, block)?;
    let mut allowed: Vec<&str> = shape.lists.to_vec();
    allowed.push(shape.filter_key);
    check_keys(argument, object, &allowed)?;
    let mut out = Map::new();
    for &list in shape.lists {
        if let Some(v) = object.get(list) {
            let allowed_values = (list == "hemisphere").then_some(&HEMISPHERES[..]);
            let items = match v {
                Value::Null => Vec::new(),
                _ => string_list(&format!("{argument}.{list}"), v, allowed_values)?,
            };
            out.insert(list.to_string(), Value::Array(items));
        }
    }
    if let Some(f) = object.get(shape.filter_key) {
        if let Some(normalized) =
            filters::normalize(&format!("{argument}.{}", shape.filter_key), f)?
        {
            out.insert(shape.filter_key.to_string(), normalized);
        }
    }
    Ok(out)
}

/// True when the block selects something: a non-empty list or a filter expression.
pub fn selects_something(block: &Map<String, Value>, shape: &BlockShape) -> bool {
    let non_empty_list = shape.lists.iter().any(|l| {
        block
            .get(*l)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    });
    let has_filter = block
        .get(shape.filter_key)
        .and_then(|f| f.get("expressions"))
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    non_empty_list || has_filter
}

/// Normalizes every block of an array argument.
pub fn normalize_all(argument: &str, blocks: &[Value], shape: &BlockShape) -> Result<Vec<Value>> {
    blocks
        .iter()
        .enumerate()
        .map(|(i, b)| normalize(&format!("{argument}[{i}]"), b, shape).map(Value::Object))
        .collect()
}

/// Custom-location blocks: `{"locations": [{"lat": .., "lon": ..}, ...]}`.
pub fn normalize_adhoc(argument: &str, block: &Value) -> Result<Value> {
    let object = as_object(argument, block)?;
    check_keys(argument, object, &["locations"])?;
    if let Some(locations) = object.get("locations") {
        for (i, loc) in as_array(&format!("{argument}.locations"), locations)?
            .iter()
            .enumerate()
        {
            let at = format!("{argument}.locations[{i}]");
            let loc = as_object(&at, loc)?;
            check_keys(&at, loc, &["lat", "lon"])?;
            for (name, limit) in [("lat", 90.0), ("lon", 180.0)] {
                let v = loc
                    .get(name)
                    .ok_or_else(|| Error::invalid(&at, format!("missing '{name}'")))?;
                let x = v.as_f64().ok_or_else(|| {
                    Error::invalid(
                        &format!("{at}.{name}"),
                        format!("must be a number, got {}", type_name(v)),
                    )
                })?;
                if !(-limit..=limit).contains(&x) {
                    return Err(Error::invalid(
                        &format!("{at}.{name}"),
                        format!("{x} is outside [-{limit}, {limit}]"),
                    ));
                }
            }
        }
    }
    Ok(block.clone())
}

/// The single `data_sources` block of ephemeris and data-product searches; the API needs it
/// to select something ("Must provide at least one filter parameter", OpenAPI).
pub fn data_sources(argument: &str, v: &Value, shape: &BlockShape) -> Result<Value> {
    if v.is_null() {
        return Err(Error::invalid(argument, "is required: give at least one of programs, platforms, instrument_types or a metadata filter"));
    }
    let block = normalize(argument, v, shape)?;
    if !selects_something(&block, shape) {
        return Err(Error::invalid(argument, "selects nothing: give at least one of programs, platforms, instrument_types or a metadata filter"));
    }
    Ok(Value::Object(block))
}
