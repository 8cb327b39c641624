//! The envelope every `_json` form shares: a JSON object with known keys, a `start`/`end`
//! range, an optional `response_format` kept out of the search body.

use super::json::{as_array, as_str, check_keys, parse, type_name};
use super::time::{format_timestamp, parse_range};
use crate::error::{Error, Result};
use crate::query::{Kind, SearchRequest};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};

/// The caller's argument; every message starts with it (or a path below it).
const ARGUMENT: &str = "query_json";

/// A parsed `_json` query whose keys were checked and whose time range was read.
pub struct QueryObject {
    fields: Map<String, Value>,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
}

impl QueryObject {
    /// Parses `query_json`, refuses keys outside `allowed` (a misspelt field would otherwise
    /// be sent and ignored by the server) and reads `start`/`end`.
    pub fn parse(query_json: &str, allowed: &[&str]) -> Result<QueryObject> {
        let fields = match parse(ARGUMENT, query_json)? {
            Value::Object(fields) => fields,
            other => {
                return Err(Error::invalid(
                    ARGUMENT,
                    format!("must be a JSON object, got {}", type_name(&other)),
                ))
            }
        };
        check_keys(ARGUMENT, &fields, allowed)?;
        let text = |name: &str| match fields.get(name) {
            Some(v) => as_str(&format!("{ARGUMENT}.{name}"), v),
            None => Err(Error::invalid(ARGUMENT, format!("missing '{name}'"))),
        };
        let (start, end) = parse_range(text("start")?, text("end")?)?;
        Ok(QueryObject { fields, start, end })
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// A field that must be present (null counts as present; the caller checks its type).
    pub fn required(&self, name: &str) -> Result<&Value> {
        self.fields
            .get(name)
            .ok_or_else(|| Error::invalid(ARGUMENT, format!("missing '{name}'")))
    }

    /// An array field; absent or null is the empty list.
    pub fn list(&self, name: &str) -> Result<Vec<Value>> {
        match self.fields.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(v) => Ok(as_array(&format!("{ARGUMENT}.{name}"), v)?.clone()),
        }
    }

    pub fn set(&mut self, name: &str, value: Value) {
        self.fields.insert(name.to_string(), value);
    }

    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.fields.remove(name)
    }

    /// The request to submit: timestamps in wire format, `response_format` moved out of the
    /// body (the API takes it on `POST …/data`, as every reference client does).
    pub fn finish(mut self, kind: Kind) -> Result<SearchRequest> {
        let response_format = match self.fields.remove("response_format") {
            None | Some(Value::Null) => None,
            Some(v @ Value::Object(_)) => {
                check_format_tree("query_json.response_format", &v)?;
                Some(v.to_string())
            }
            Some(other) => {
                return Err(Error::invalid(
                    "query_json.response_format",
                    format!("must be an object, got {}", type_name(&other)),
                ))
            }
        };
        self.fields
            .insert("start".into(), Value::String(format_timestamp(&self.start)));
        self.fields
            .insert("end".into(), Value::String(format_timestamp(&self.end)));
        Ok(SearchRequest {
            kind,
            body: Value::Object(self.fields).to_string(),
            response_format,
        })
    }
}

/// A response format is a tree of booleans (which fields to keep): checked here, since the
/// API would refuse it only when the result is fetched, after the whole search has run.
fn check_format_tree(path: &str, node: &Value) -> Result<()> {
    match node {
        Value::Bool(_) => Ok(()),
        Value::Object(members) => members
            .iter()
            .try_for_each(|(name, child)| check_format_tree(&format!("{path}.{name}"), child)),
        other => Err(Error::invalid(
            path,
            format!(
                "must be true, false or an object of them, got {}",
                type_name(other)
            ),
        )),
    }
}
