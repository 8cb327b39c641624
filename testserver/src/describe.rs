//! The SQL-like sentence of `POST /api/v1/utils/describe/query/...`, worded like
//! the real one (aurorax-api.md F11).

use crate::kind::Kind;
use crate::validation::BLOCK_KINDS;
use serde_json::Value;

fn list(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            x.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| x.to_string())
        })
        .collect()
}

fn filters(v: &Value) -> String {
    let exprs: Vec<String> = v["expressions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            format!(
                "{} {} ({})",
                e["key"].as_str().unwrap_or(""),
                e["operator"].as_str().unwrap_or(""),
                list(e, "values").join(",")
            )
        })
        .collect();
    exprs.join(&format!(
        " {} ",
        v["logical_operator"].as_str().unwrap_or("AND")
    ))
}

fn criteria(b: &Value, filter_key: &str) -> String {
    let mut parts = Vec::new();
    for (key, name) in [
        ("programs", "program"),
        ("platforms", "platform"),
        ("instrument_types", "instrument_type"),
        ("hemisphere", "hemisphere"),
    ] {
        let l = list(b, key);
        if !l.is_empty() {
            parts.push(format!("{name} in ({})", l.join(",")));
        }
    }
    let f = filters(&b[filter_key]);
    if !f.is_empty() {
        parts.push(format!("metadata filtered by ({f})"));
    }
    if let Some(locs) = b["locations"].as_array() {
        let l: Vec<String> = locs
            .iter()
            .map(|p| format!("({}, {})", p["lat"], p["lon"]))
            .collect();
        parts.push(format!("location in ({})", l.join(", ")));
    }
    parts.join(" AND ")
}

pub fn describe(kind: Kind, q: &Value) -> String {
    let (start, end) = (
        q["start"].as_str().unwrap_or(""),
        q["end"].as_str().unwrap_or(""),
    );
    match kind {
        Kind::Conjunctions => {
            let mut blocks = Vec::new();
            for kind in BLOCK_KINDS {
                for (i, b) in q[kind].as_array().into_iter().flatten().enumerate() {
                    blocks.push(format!(
                        "{kind}{}=({})",
                        i + 1,
                        criteria(b, "ephemeris_metadata_filters")
                    ));
                }
            }
            let dists: Vec<String> = q["max_distances"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| {
                    if v.is_null() {
                        format!("{k}=unlimited")
                    } else {
                        format!("{k}={v} km")
                    }
                })
                .collect();
            format!(
                "Find conjunctions of type ({}) with epoch precision of {} seconds between data sources of {} WHERE epochs are between {start} AND {end} UTC HAVING max distances between location points of {}.",
                list(q, "conjunction_types").join(","), q["epoch_search_precision"], blocks.join(" AND "), dists.join(", ")
            )
        }
        Kind::Ephemeris => format!(
            "Find ephemeris for ({}) AND epoch between {start} and {end} UTC",
            criteria(&q["data_sources"], "ephemeris_metadata_filters")
        ),
        Kind::DataProducts => {
            let types = list(q, "data_product_type_filters");
            let t = if types.is_empty() {
                String::new()
            } else {
                format!(" AND data_product_type in ({})", types.join(","))
            };
            format!(
                "Find data products for ({}){t} AND epoch between {start} and {end} UTC",
                criteria(&q["data_sources"], "data_product_metadata_filters")
            )
        }
    }
}

/// `[(program in (themis-asi)), (program in (swarm))]`: the criteria blocks of a
/// conjunction query as its status log lists them (aurorax-api.md F3/F4).
pub fn criteria_combination(q: &Value) -> String {
    let blocks: Vec<String> = BLOCK_KINDS
        .iter()
        .flat_map(|k| q[*k].as_array().into_iter().flatten())
        .map(|b| format!("({})", criteria(b, "ephemeris_metadata_filters")))
        .collect();
    format!("[{}]", blocks.join(", "))
}

/// A query time as the real server's log prints it: Java's LocalDateTime text, which
/// leaves out zero seconds (`2019-01-01T00:00`, aurorax-api.md F1/F5).
fn java_time(t: &str) -> &str {
    t.strip_suffix(":00").filter(|m| m.len() == 16).unwrap_or(t)
}

/// The query sentence of an ephemeris status log, in the 2024 wording (aurorax-api.md F5),
/// which differs from the describe endpoint's.
pub fn ephemeris_log_query(q: &Value) -> String {
    let ds = &q["data_sources"];
    let mut parts = Vec::new();
    for (key, name) in [
        ("programs", "program"),
        ("platforms", "platform"),
        ("instrument_types", "instrument_type"),
    ] {
        let l = list(ds, key);
        if !l.is_empty() {
            parts.push(format!("{name} in ({})", l.join(",")));
        }
    }
    let f = filters(&ds["ephemeris_metadata_filters"]);
    format!(
        "Find ephemeris for (({} filtered by metadata ({f})) AND  ephemeris_metadata_filters [{f}])  AND epoch between {} and {} UTC",
        parts.join(" AND "),
        java_time(q["start"].as_str().unwrap_or("")),
        java_time(q["end"].as_str().unwrap_or("")),
    )
}
