//! Small typed readers over `serde_json::Value` whose errors name the offending argument.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

pub fn parse(argument: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid(argument, format!("is not valid JSON ({e})")))
}

/// `NULL`, empty text or `[]` all mean "no blocks".
pub fn parse_optional_array(argument: &str, text: Option<&str>) -> Result<Vec<Value>> {
    match text.map(str::trim) {
        None | Some("") => Ok(Vec::new()),
        Some(t) => match parse(argument, t)? {
            Value::Array(items) => Ok(items),
            other => Err(Error::invalid(
                argument,
                format!("must be a JSON array, got {}", type_name(&other)),
            )),
        },
    }
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub fn as_object<'a>(argument: &str, v: &'a Value) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| {
        Error::invalid(
            argument,
            format!("must be a JSON object, got {}", type_name(v)),
        )
    })
}

pub fn as_array<'a>(argument: &str, v: &'a Value) -> Result<&'a Vec<Value>> {
    v.as_array().ok_or_else(|| {
        Error::invalid(
            argument,
            format!("must be a JSON array, got {}", type_name(v)),
        )
    })
}

pub fn as_str<'a>(argument: &str, v: &'a Value) -> Result<&'a str> {
    v.as_str()
        .ok_or_else(|| Error::invalid(argument, format!("must be a string, got {}", type_name(v))))
}

/// An array of strings, each optionally checked against the allowed values.
pub fn string_list(argument: &str, v: &Value, allowed: Option<&[&str]>) -> Result<Vec<Value>> {
    let items = as_array(argument, v)?;
    for (i, item) in items.iter().enumerate() {
        let s = as_str(&format!("{argument}[{i}]"), item)?;
        if let Some(allowed) = allowed {
            if !allowed.contains(&s) {
                return Err(Error::invalid(
                    &format!("{argument}[{i}]"),
                    format!("'{s}' is not one of {}", allowed.join(", ")),
                ));
            }
        }
    }
    Ok(items.clone())
}

/// Refuses keys outside `allowed`: a misspelt field would otherwise be dropped silently.
pub fn check_keys(argument: &str, object: &Map<String, Value>, allowed: &[&str]) -> Result<()> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(Error::invalid(
            argument,
            format!(
                "unknown field '{k}' (expected one of {})",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}
