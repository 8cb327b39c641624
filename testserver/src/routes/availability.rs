//! `GET /api/v1/availability/{ephemeris|data_products}` (oas getEphemerisAvailability,
//! getDataProductAvailability): records per day per data source.

use super::catalogue_query::{bool_param, format_param, params, Filter, Params};
use crate::http::{self, BadRequest};
use crate::records::availability;
use crate::records::catalogue::{self, Entry, CATALOGUE};
use crate::validation::DATA_PRODUCT_TYPES;
use axum::body::Body;
use axum::http::{Response, StatusCode};
use chrono::{Datelike, Months, NaiveDate, Utc};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Keeps an answer to a few MB: 17 sources over ten years.
const MAX_DAYS: i64 = 3660;

fn date(q: &HashMap<String, String>, key: &str) -> Result<Option<NaiveDate>, BadRequest> {
    q.get(key)
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| BadRequest(format!("{key}: must be a date YYYY-MM-DD")))
        })
        .transpose()
}

/// The oas defaults: start is 1 January of this year; end is start + 12 months,
/// or today + 1 month when start is not given.
fn range(q: &HashMap<String, String>) -> Result<(NaiveDate, NaiveDate), BadRequest> {
    let today = Utc::now().date_naive();
    let given = date(q, "start")?;
    let start =
        given.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let end = match date(q, "end")? {
        Some(e) => e,
        None if given.is_some() => start.checked_add_months(Months::new(12)).unwrap_or(start),
        None => today.checked_add_months(Months::new(1)).unwrap_or(today),
    };
    if end < start {
        return Err(BadRequest("end: must not be before start".into()));
    }
    if (end - start).num_days() >= MAX_DAYS {
        return Err(BadRequest(format!(
            "end: the range is limited to {MAX_DAYS} days"
        )));
    }
    Ok((start, end))
}

/// One entry per matching source with at least one record in the range; days
/// without records are left out, as a count grouped by day has no zero rows.
fn answer(
    q: &HashMap<String, String>,
    key: &str,
    count: impl Fn(&Entry, NaiveDate) -> u64,
) -> Response<Body> {
    // `slow` asks the real API for exact counts; these counts are always exact
    let parsed = bool_param(q, "slow")
        .and_then(|_| Filter::from_params(q))
        .and_then(|f| Ok((f, format_param(q)?, range(q)?)));
    let (filter, format, (start, end)) = match parsed {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let mut out = Vec::new();
    for e in CATALOGUE.iter().filter(|e| filter.matches(e)) {
        let mut days = Map::new();
        for d in start.iter_days().take_while(|d| *d <= end) {
            let n = count(e, d);
            if n > 0 {
                days.insert(d.format("%Y-%m-%d").to_string(), Value::from(n));
            }
        }
        if !days.is_empty() {
            let mut m = Map::new();
            m.insert(
                "data_source".into(),
                Value::Object(catalogue::render(e, format)),
            );
            m.insert(key.into(), Value::Object(days));
            out.push(Value::Object(m));
        }
    }
    http::json(StatusCode::OK, &Value::Array(out))
}

pub async fn ephemeris(q: Params) -> Response<Body> {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    answer(&q, "available_ephemeris", availability::ephemeris)
}

pub async fn data_products(q: Params) -> Response<Body> {
    let q = match params(q) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let product_type = q.get("data_product_type").cloned();
    if let Some(t) = &product_type {
        if !DATA_PRODUCT_TYPES.contains(&t.as_str()) {
            return BadRequest(format!(
                "data_product_type: must be one of {}",
                DATA_PRODUCT_TYPES.join(", ")
            ))
            .into_response();
        }
    }
    answer(&q, "available_data_products", |e, d| {
        availability::data_products(e, d, product_type.as_deref())
    })
}
