//! `/api/v1/data_sources`: list with filters, search by lists, get by identifier
//! (oas getList, search_1, getDetail), over the catalogue of `records::catalogue`.

use super::catalogue_query::{bool_param, format_param, params, Filter, Params};
use crate::http::{self, BadRequest};
use crate::records::availability;
use crate::records::catalogue::{self, Entry, Format, CATALOGUE};
use axum::body::{Body, Bytes};
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{Response, StatusCode};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::HashMap;

type Resp = Response<Body>;

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
