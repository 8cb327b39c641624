//! The envelope every `_json` form shares: a JSON object with known keys, a `start`/`end`
//! range, an optional `response_format` kept out of the search body.

use super::json::{as_array, as_object, as_str, parse, type_name};
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
        let query = parse(ARGUMENT, query_json)?;
        let fields = as_object(ARGUMENT, &query)?.clone();
        super::json::check_keys(ARGUMENT, &fields, allowed)?;
        let mut object = QueryObject {
            fields,
            start: NaiveDateTime::default(),
            end: NaiveDateTime::default(),
        };
        let start = as_str("query_json.start", object.required("start")?)?;
        let end = as_str("query_json.end", object.required("end")?)?;
        (object.start, object.end) = parse_range(start, end)?;
        Ok(object)
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
            Some(v @ Value::Object(_)) => Some(v.to_string()),
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
