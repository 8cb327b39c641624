//! Request-body validation as the API does it (400 naming the field), and the
//! normalisation the server applies before echoing the query (aurorax-api.md §3.1).

use crate::http::BadRequest;
use crate::kind::Kind;
use crate::time::{parse_query_time, record_time};
use serde_json::{json, Map, Value};

pub const OPERATORS: [&str; 9] = ["=", "!=", "<", "<=", ">", ">=", "in", "not in", "between"];
pub const DATA_PRODUCT_TYPES: [&str; 5] = [
    "keogram",
    "montage",
    "movie",
    "summary_plot",
    "data_availability",
];
pub const CONJUNCTION_TYPES: [&str; 3] = ["nbtrace", "sbtrace", "geographic"];
pub const BLOCK_KINDS: [&str; 4] = ["ground", "space", "events", "adhoc"];
const MAX_BLOCKS: usize = 10;
const MAX_EPHEMERIS_SPAN_SECONDS: i64 = 31 * 86_400;

type Result<T> = std::result::Result<T, BadRequest>;

fn bad(msg: impl Into<String>) -> BadRequest {
    BadRequest(msg.into())
}

/// Validates a submitted search body and returns it normalised.
pub fn validate(kind: Kind, body: &Value) -> Result<Value> {
    let obj = body
        .as_object()
        .ok_or_else(|| bad("the request body must be a JSON object"))?;
    let (start, end) = time_range(obj)?;
    let mut out = Map::new();
    out.insert("start".into(), Value::String(record_time(&start)));
    out.insert("end".into(), Value::String(record_time(&end)));
    out.insert(
        "request_id".into(),
        obj.get("request_id").cloned().unwrap_or(Value::Null),
    );
    match kind {
        Kind::Conjunctions => conjunctions(obj, &mut out)?,
        Kind::Ephemeris => {
            if (end - start).num_seconds() > MAX_EPHEMERIS_SPAN_SECONDS {
                return Err(bad(
                    "end: the maximum time span of an ephemeris search is 1 month (31 days)",
                ));
            }
            out.insert(
                "data_sources".into(),
                data_sources(obj, "ephemeris_metadata_filters", true)?,
            );
        }
        Kind::DataProducts => {
            out.insert(
                "data_sources".into(),
                data_sources(obj, "data_product_metadata_filters", false)?,
            );
            out.insert("data_product_type_filters".into(), product_types(obj)?);
        }
    }
    Ok(Value::Object(out))
}

fn time_range(obj: &Map<String, Value>) -> Result<(chrono::NaiveDateTime, chrono::NaiveDateTime)> {
    let get = |name: &str| -> Result<chrono::NaiveDateTime> {
        let v = obj
            .get(name)
            .ok_or_else(|| bad(format!("{name}: field required")))?;
        let s = v
            .as_str()
            .ok_or_else(|| bad(format!("{name}: must be a string timestamp")))?;
        parse_query_time(s).ok_or_else(|| {
            bad(format!(
                "{name}: invalid timestamp '{s}', expected YYYY-MM-DDTHH:MM:SS"
            ))
        })
    };
    let (start, end) = (get("start")?, get("end")?);
    if start > end {
        return Err(bad("start: start must not be after end"));
    }
    Ok((start, end))
}

fn string_list(v: Option<&Value>, field: &str) -> Result<Value> {
    match v {
        None | Some(Value::Null) => Ok(json!([])),
        Some(Value::Array(items)) => {
            if items.iter().all(Value::is_string) {
                Ok(Value::Array(items.clone()))
            } else {
                Err(bad(format!("{field}: must be a list of strings")))
            }
        }
        Some(_) => Err(bad(format!("{field}: must be a list of strings"))),
    }
}

/// Metadata filters: the object form `{"logical_operator", "expressions"}`; `{}`
/// becomes the empty AND group (as the server echoes it), null stays null, and the
/// legacy bare list (the 2021 seed form, which the 2021 server still accepted) is
/// taken as an AND of its expressions. Lower-case operators are upper-cased,
/// because pyaurorax's data-product class sends them as the user typed them.
pub fn metadata_filters(v: Option<&Value>, field: &str) -> Result<Value> {
    let (op, exprs) = match v {
        None | Some(Value::Null) => return Ok(Value::Null),
        Some(Value::Array(list)) => (Value::Null, list.clone()),
        Some(Value::Object(m)) => {
            let exprs = match m.get("expressions") {
                None | Some(Value::Null) => vec![],
                Some(Value::Array(l)) => l.clone(),
                Some(_) => return Err(bad(format!("{field}.expressions: must be a list"))),
            };
            (
                m.get("logical_operator").cloned().unwrap_or(Value::Null),
                exprs,
            )
        }
        Some(_) => {
            return Err(bad(format!(
                "{field}: must be an object with logical_operator and expressions"
            )))
        }
    };
    let op = match op {
        Value::Null => "AND".to_string(),
        Value::String(s) if s.eq_ignore_ascii_case("and") || s.eq_ignore_ascii_case("or") => {
            s.to_uppercase()
        }
        other => {
            return Err(bad(format!(
                "{field}.logical_operator: must be AND or OR, got {other}"
            )))
        }
    };
    let mut out = Vec::with_capacity(exprs.len());
    for (i, e) in exprs.iter().enumerate() {
        let at = format!("{field}.expressions[{i}]");
        let m = e
            .as_object()
            .ok_or_else(|| bad(format!("{at}: must be an object")))?;
        let key = m
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("{at}.key: field required (string)")))?;
        let operator = m
            .get("operator")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("{at}.operator: field required (string)")))?;
        if !OPERATORS.contains(&operator) {
            return Err(bad(format!(
                "{at}.operator: '{operator}' is not one of {OPERATORS:?}"
            )));
        }
        let values = match m.get("values") {
            Some(Value::Array(vs)) => vs.clone(),
            _ => return Err(bad(format!("{at}.values: field required (list)"))),
        };
        out.push(json!({"key": key, "operator": operator, "values": values}));
    }
    Ok(json!({"logical_operator": op, "expressions": out}))
}

fn filters_nonempty(v: &Value) -> bool {
    v.get("expressions")
        .and_then(Value::as_array)
        .is_some_and(|l| !l.is_empty())
}

fn data_sources(obj: &Map<String, Value>, filter_key: &str, need_filter: bool) -> Result<Value> {
    let ds = match obj.get("data_sources") {
        Some(Value::Object(m)) => m,
        None | Some(Value::Null) if !need_filter => &Map::new(),
        _ => return Err(bad("data_sources: field required (object)")),
    };
    let mut out = Map::new();
    for f in ["programs", "platforms", "instrument_types"] {
        out.insert(
            f.into(),
            string_list(ds.get(f), &format!("data_sources.{f}"))?,
        );
    }
    let filters = match metadata_filters(ds.get(filter_key), &format!("data_sources.{filter_key}"))?
    {
        Value::Null => json!({"logical_operator": "AND", "expressions": []}),
        v => v,
    };
    let any = ["programs", "platforms", "instrument_types"]
        .iter()
        .any(|f| out[*f].as_array().is_some_and(|l| !l.is_empty()))
        || filters_nonempty(&filters);
    if need_filter && !any {
        return Err(bad("data_sources: at least one filter (programs, platforms, instrument_types or ephemeris_metadata_filters) is required"));
    }
    out.insert(filter_key.into(), filters);
    Ok(Value::Object(out))
}

fn product_types(obj: &Map<String, Value>) -> Result<Value> {
    let list = string_list(
        obj.get("data_product_type_filters"),
        "data_product_type_filters",
    )?;
    for t in list.as_array().into_iter().flatten() {
        let t = t.as_str().unwrap_or_default();
        if !DATA_PRODUCT_TYPES.contains(&t) {
            return Err(bad(format!(
                "data_product_type_filters: '{t}' is not one of {DATA_PRODUCT_TYPES:?}"
            )));
        }
    }
    Ok(list)
}

fn conjunctions(obj: &Map<String, Value>, out: &mut Map<String, Value>) -> Result<()> {
    let mut counts = [0usize; 4];
    for (k, kind) in BLOCK_KINDS.iter().enumerate() {
        let blocks = match obj.get(*kind) {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(l)) => l.clone(),
            Some(_) => return Err(bad(format!("{kind}: must be a list of criteria blocks"))),
        };
        let mut norm = Vec::with_capacity(blocks.len());
        for (i, b) in blocks.iter().enumerate() {
            norm.push(block(kind, &format!("{kind}[{i}]"), b)?);
        }
        counts[k] = norm.len();
        out.insert((*kind).into(), Value::Array(norm));
    }
    let total: usize = counts.iter().sum();
    if !(2..=MAX_BLOCKS).contains(&total) {
        return Err(bad(format!(
            "ground, space, events, adhoc: a conjunction search needs 2 to {MAX_BLOCKS} criteria blocks in total, got {total}"
        )));
    }
    let types = string_list(obj.get("conjunction_types"), "conjunction_types")?;
    for t in types.as_array().into_iter().flatten() {
        let t = t.as_str().unwrap_or_default();
        if !CONJUNCTION_TYPES.contains(&t) {
            return Err(bad(format!(
                "conjunction_types: '{t}' is not one of {CONJUNCTION_TYPES:?}"
            )));
        }
    }
    out.insert("conjunction_types".into(), types);
    let precision = match obj.get("epoch_search_precision") {
        None | Some(Value::Null) => json!(60),
        Some(v) if v.as_i64() == Some(30) || v.as_i64() == Some(60) => v.clone(),
        Some(v) => {
            return Err(bad(format!(
                "epoch_search_precision: must be 30 or 60, got {v}"
            )))
        }
    };
    out.insert("epoch_search_precision".into(), precision);
    // the later field (pyaurorax 1.27, the website): echoed only when a client sent it, so
    // a test can tell which of the two precision fields a client used
    match obj.get("subminute_precision") {
        None | Some(Value::Null) => {}
        Some(v @ Value::Bool(_)) => {
            out.insert("subminute_precision".into(), v.clone());
        }
        Some(v) => {
            return Err(bad(format!(
                "subminute_precision: must be true or false, got {v}"
            )))
        }
    }
    out.insert(
        "max_distances".into(),
        max_distances(obj.get("max_distances"), &counts)?,
    );
    Ok(())
}

fn block(kind: &str, at: &str, b: &Value) -> Result<Value> {
    let m = b
        .as_object()
        .ok_or_else(|| bad(format!("{at}: must be an object")))?;
    let mut out = Map::new();
    if kind == "adhoc" {
        let locs = match m.get("locations") {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(l)) => l.clone(),
            Some(_) => return Err(bad(format!("{at}.locations: must be a list"))),
        };
        for (i, l) in locs.iter().enumerate() {
            let lat = l.get("lat").and_then(Value::as_f64);
            let lon = l.get("lon").and_then(Value::as_f64);
            match (lat, lon) {
                (Some(la), Some(lo))
                    if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {}
                _ => {
                    return Err(bad(format!(
                        "{at}.locations[{i}]: needs lat in -90..90 and lon in -180..180"
                    )))
                }
            }
        }
        out.insert("locations".into(), Value::Array(locs));
        return Ok(Value::Object(out));
    }
    for f in ["programs", "platforms", "instrument_types"] {
        out.insert(f.into(), string_list(m.get(f), &format!("{at}.{f}"))?);
    }
    if kind == "space" {
        let h = string_list(m.get("hemisphere"), &format!("{at}.hemisphere"))?;
        for v in h.as_array().into_iter().flatten() {
            if !matches!(v.as_str(), Some("northern" | "southern")) {
                return Err(bad(format!(
                    "{at}.hemisphere: {v} is not 'northern' or 'southern'"
                )));
            }
        }
        out.insert("hemisphere".into(), h);
    }
    let f = format!("{at}.ephemeris_metadata_filters");
    out.insert(
        "ephemeris_metadata_filters".into(),
        metadata_filters(m.get("ephemeris_metadata_filters"), &f)?,
    );
    Ok(Value::Object(out))
}

/// Keys are `<block><n>-<block><n>` with 1-based indexes of blocks that exist;
/// values are a non-negative number of km or null (unlimited).
fn max_distances(v: Option<&Value>, counts: &[usize; 4]) -> Result<Value> {
    let m = match v {
        None | Some(Value::Null) => return Ok(json!({})),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(bad("max_distances: must be an object")),
    };
    for (key, val) in m {
        let ok = key.split_once('-').is_some_and(|(a, b)| {
            block_ref(a, counts).is_some() && block_ref(b, counts).is_some() && a != b
        });
        if !ok {
            return Err(bad(format!(
                "max_distances: malformed or unknown key '{key}'"
            )));
        }
        let valid = val.is_null() || val.as_f64().is_some_and(|d| d.is_finite() && d >= 0.0);
        if !valid {
            return Err(bad(format!(
                "max_distances.{key}: must be a non-negative number or null"
            )));
        }
    }
    Ok(Value::Object(m.clone()))
}

/// `ground2` → (0, 1) when there are at least two ground blocks.
pub fn block_ref(s: &str, counts: &[usize; 4]) -> Option<(usize, usize)> {
    BLOCK_KINDS.iter().enumerate().find_map(|(k, name)| {
        let n: usize = s.strip_prefix(name)?.parse().ok()?;
        (n >= 1 && n <= counts[k]).then_some((k, n - 1))
    })
}
