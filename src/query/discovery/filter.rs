//! The filter object of the discovery lookups: which keys each endpoint takes (the OpenAPI
//! document's query parameters), what their values may be, and in which order they go out.

use super::{FORMATS, SOURCE_TYPES};
use crate::error::{Error, Result};
use crate::query::common::json::{as_object, check_keys, parse, type_name};
use crate::query::common::DATA_PRODUCT_TYPES;
use serde_json::{Map, Value};

/// One filter key: what its value may be, and what goes out when it is not given.
pub(super) struct Param {
    key: &'static str,
    values: Values,
    default: Option<&'static str>,
}

enum Values {
    AnyText,
    OneOf(&'static [&'static str]),
    Flag,
}

const fn text(key: &'static str) -> Param {
    Param {
        key,
        values: Values::AnyText,
        default: None,
    }
}
const fn one_of(key: &'static str, values: &'static [&'static str]) -> Param {
    Param {
        key,
        values: Values::OneOf(values),
        default: None,
    }
}
const fn flag(key: &'static str) -> Param {
    Param {
        key,
        values: Values::Flag,
        default: None,
    }
}
/// `format` always goes out, so the answer does not depend on the server's default.
const FORMAT: Param = Param {
    key: "format",
    values: Values::OneOf(&FORMATS),
    default: Some("basic_info"),
};

// Each list is in pyaurorax 1.27's order, so the query strings read like the ones it sends.
pub(super) const SOURCE_FILTER: [Param; 7] = [
    text("program"),
    text("platform"),
    text("instrument_type"),
    one_of("source_type", &SOURCE_TYPES),
    text("owner"),
    FORMAT,
    flag("include_stats"),
];
pub(super) const EPHEMERIS_AVAILABILITY_FILTER: [Param; 7] = [
    text("program"),
    text("platform"),
    text("instrument_type"),
    one_of("source_type", &SOURCE_TYPES),
    text("owner"),
    FORMAT,
    flag("slow"),
];
pub(super) const DATA_PRODUCTS_AVAILABILITY_FILTER: [Param; 8] = [
    text("program"),
    text("platform"),
    text("instrument_type"),
    one_of("source_type", &SOURCE_TYPES),
    one_of("data_product_type", &DATA_PRODUCT_TYPES),
    text("owner"),
    FORMAT,
    flag("slow"),
];

/// Checks the filter object against `filter` and returns its query parameters in the
/// declared order. A null value means "not given", as pyaurorax's `None` does.
pub(super) fn filter_params(
    filter_json: Option<&str>,
    filter: &[Param],
) -> Result<Vec<(&'static str, String)>> {
    let argument = "filter_json";
    let parsed = match filter_json.map(str::trim) {
        None | Some("") => Value::Null,
        Some(text) => parse(argument, text)?,
    };
    let empty = Map::new();
    let object = match &parsed {
        Value::Null => &empty,
        v => as_object(argument, v)?,
    };
    let allowed: Vec<&str> = filter.iter().map(|p| p.key).collect();
    check_keys(argument, object, &allowed)?;
    let mut params = Vec::new();
    for param in filter {
        let at = format!("{argument}.{}", param.key);
        let value = match (
            object.get(param.key).filter(|v| !v.is_null()),
            &param.values,
        ) {
            (None, _) => match param.default {
                Some(default) => default.to_string(),
                None => continue,
            },
            (Some(Value::Bool(b)), Values::Flag) => b.to_string(),
            (Some(other), Values::Flag) => {
                return Err(Error::invalid(
                    &at,
                    format!("must be true or false, got {}", type_name(other)),
                ))
            }
            (Some(Value::String(text)), _) if text.is_empty() => {
                return Err(Error::invalid(
                    &at,
                    "is empty (leave the key out to match any)",
                ))
            }
            (Some(Value::String(text)), Values::OneOf(allowed))
                if !allowed.contains(&text.as_str()) =>
            {
                return Err(Error::invalid(
                    &at,
                    format!("'{text}' is not one of {}", allowed.join(", ")),
                ))
            }
            (Some(Value::String(text)), _) => text.clone(),
            (Some(other), _) => {
                return Err(Error::invalid(
                    &at,
                    format!("must be a string, got {}", type_name(other)),
                ))
            }
        };
        params.push((param.key, value));
    }
    Ok(params)
}
