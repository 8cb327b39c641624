//! `/api/v1/data_sources`: list with filters, search by lists, get by identifier
//! (oas getList, search_1, getDetail), over the catalogue of `records::catalogue`.

use crate::http::{self, BadRequest};
use crate::records::availability;
use crate::records::catalogue::{self, Entry, Format, CATALOGUE};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::{Response, StatusCode};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::HashMap;

type Resp = Response<Body>;
/// Taken as a Result so that a query string that does not decode gets a JSON 400,
/// not axum's plain-text rejection.
pub type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

pub fn params(p: Params) -> Result<HashMap<String, String>, BadRequest> {
    p.map(|Query(q)| q)
        .map_err(|e| BadRequest(format!("query string: {}", e.body_text())))
}

const SOURCE_TYPES: [&str; 6] = [
    "ground",
    "heo",
    "leo",
    "lunar",
    "event_list",
    "not_applicable",
];

/// `format`, default basic_info (oas).
pub fn format_param(q: &HashMap<String, String>) -> Result<Format, BadRequest> {
    match q.get("format") {
        None => Ok(Format::BasicInfo),
        Some(s) => Format::parse(s)
            .ok_or_else(|| BadRequest(format!("format: must be one of {}", Format::NAMES))),
    }
}

/// pyaurorax sends Python's `str(bool)`, so `True`/`False` count as well.
pub fn bool_param(q: &HashMap<String, String>, name: &str) -> Result<bool, BadRequest> {
    match q.get(name).map(|s| s.to_ascii_lowercase()) {
        None => Ok(false),
        Some(s) if s == "true" => Ok(true),
        Some(s) if s == "false" => Ok(false),
        Some(_) => Err(BadRequest(format!("{name}: must be true or false"))),
    }
}

/// The single-valued filters shared by the list and availability endpoints.
/// Matching is exact (case-sensitive), as values are catalogue keys.
pub struct Filter {
    program: Option<String>,
    platform: Option<String>,
    instrument_type: Option<String>,
    source_type: Option<String>,
    owner: Option<String>,
}

impl Filter {
    pub fn from_params(q: &HashMap<String, String>) -> Result<Filter, BadRequest> {
        let source_type = q.get("source_type").cloned();
        if let Some(t) = &source_type {
            if !SOURCE_TYPES.contains(&t.as_str()) {
                return Err(BadRequest(format!(
                    "source_type: must be one of {}",
                    SOURCE_TYPES.join(", ")
                )));
            }
        }
        Ok(Filter {
            program: q.get("program").cloned(),
            platform: q.get("platform").cloned(),
            instrument_type: q.get("instrument_type").cloned(),
            source_type,
            owner: q.get("owner").cloned(),
        })
    }

    pub fn matches(&self, e: &Entry) -> bool {
        let is = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        is(&self.program, e.program)
            && is(&self.platform, e.platform)
            && is(&self.instrument_type, e.instrument_type)
            && is(&self.source_type, e.source_type)
            && is(&self.owner, catalogue::OWNER)
    }
}

fn stamp(d: Option<NaiveDate>, time: &str) -> Value {
    d.map_or(Value::Null, |d| {
        json!(format!("{}T{time}", d.format("%Y-%m-%d")))
    })
}

/// DataSourceStats; it carries the source itself, as the real API's does.
fn stats(e: &Entry) -> Value {
    let (eph, eph_first, eph_last) = availability::totals(e, |d| availability::ephemeris(e, d));
    let (dp, dp_first, dp_last) =
        availability::totals(e, |d| availability::data_products(e, d, None));
    json!({
        "data_source": catalogue::render(e, Format::BasicInfo),
        "earliest_ephemeris_loaded": stamp(eph_first, "00:00:00"),
        "latest_ephemeris_loaded": stamp(eph_last, "23:59:00"),
        "ephemeris_count": eph,
        "earliest_data_product_loaded": stamp(dp_first, "00:00:00"),
        "latest_data_product_loaded": stamp(dp_last, "00:00:00"),
        "data_product_count": dp,
    })
}

fn render(e: &Entry, format: Format, with_stats: bool) -> Value {
    let mut m = catalogue::render(e, format);
    if with_stats {
        m.insert("stats".into(), stats(e));
    }
    Value::Object(m)
}

fn listing<'a>(entries: impl Iterator<Item = &'a Entry>, q: &HashMap<String, String>) -> Resp {
    let (format, with_stats) =
        match format_param(q).and_then(|f| Ok((f, bool_param(q, "include_stats")?))) {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        };
    let out: Vec<Value> = entries.map(|e| render(e, format, with_stats)).collect();
    http::json(StatusCode::OK, &Value::Array(out))
}

pub async fn list(q: Params) -> Resp {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    match Filter::from_params(&q) {
        Ok(f) => listing(CATALOGUE.iter().filter(|e| f.matches(e)), &q),
        Err(e) => e.into_response(),
    }
}

/// A DataSourceQuery list: absent, null or empty means no filter.
fn list_field(body: &Value, key: &str) -> Result<Vec<String>, BadRequest> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| BadRequest(format!("{key}: must be a list of strings"))),
        Some(_) => Err(BadRequest(format!("{key}: must be a list of strings"))),
    }
}

pub async fn search(q: Params, body: Bytes) -> Resp {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let body: Value = match serde_json::from_slice(&body) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return BadRequest("request body: must be a JSON object".into()).into_response(),
        Err(e) => return BadRequest(format!("request body: invalid JSON ({e})")).into_response(),
    };
    let lists = ["programs", "platforms", "instrument_types"]
        .map(|k| list_field(&body, k))
        .into_iter()
        .collect::<Result<Vec<_>, _>>();
    let lists = match lists {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let hit = |l: &Vec<String>, v: &str| l.is_empty() || l.iter().any(|x| x == v);
    listing(
        CATALOGUE.iter().filter(|e| {
            hit(&lists[0], e.program)
                && hit(&lists[1], e.platform)
                && hit(&lists[2], e.instrument_type)
        }),
        &q,
    )
}

pub async fn get_one(identifier: Result<Path<String>, PathRejection>, q: Params) -> Resp {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let Some(Ok(id)) = identifier.ok().map(|Path(i)| i.parse::<i64>()) else {
        return BadRequest("identifier: must be an integer".into()).into_response();
    };
    let Some(e) = catalogue::by_identifier(id) else {
        return http::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("No data source with identifier {id}"),
        );
    };
    match format_param(&q).and_then(|f| Ok((f, bool_param(&q, "include_stats")?))) {
        Ok((f, s)) => http::json(StatusCode::OK, &render(e, f, s)),
        Err(e) => e.into_response(),
    }
}
