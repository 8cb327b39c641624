//! `max_distances`: the greatest distance allowed between each pair of criteria blocks.

use crate::error::{Error, Result};
use crate::query::common::json::as_object;
use serde_json::{Map, Number, Value};

/// Whole kilometres go out as integers (the schema's int32); fractions are kept as given.
pub(super) fn distance_value(km: f64) -> Value {
    if km.fract() == 0.0 && km <= i32::MAX as f64 {
        Value::from(km as i64)
    } else {
        Number::from_f64(km)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// The seed client's rule (pyaurorax 0.8): every ground–space and space–space pair gets the
/// default; ground–ground pairs are left to the server's default of 0.
pub(super) fn default_distances(
    ground: usize,
    space: usize,
    distance: Value,
) -> Map<String, Value> {
    let mut out = Map::new();
    for g in 1..=ground {
        for s in 1..=space {
            out.insert(format!("ground{g}-space{s}"), distance.clone());
        }
    }
    for s1 in 1..=space {
        for s2 in s1 + 1..=space {
            out.insert(format!("space{s1}-space{s2}"), distance.clone());
        }
    }
    out
}

/// Keys name two existing blocks (`ground1-space2`); values are km > 0 or null (no limit).
pub(super) fn check_max_distances(d: &Value, counts: &[(&str, usize)]) -> Result<()> {
    let argument = "query_json.max_distances";
    let names_block = |name: &str| {
        counts.iter().any(|(prefix, n)| {
            name.strip_prefix(prefix)
                .and_then(|i| i.parse::<usize>().ok())
                .is_some_and(|i| (1..=*n).contains(&i))
        })
    };
    for (key, value) in as_object(argument, d)? {
        let at = format!("{argument}.{key}");
        let pair: Vec<&str> = key.split('-').collect();
        if pair.len() != 2 || !pair.iter().all(|b| names_block(b)) {
            return Err(Error::invalid(
                &at,
                "must name two blocks of this query, like 'ground1-space1'",
            ));
        }
        match value {
            Value::Null => {}
            Value::Number(n) if n.as_f64().is_some_and(|x| x.is_finite() && x >= 0.0) => {}
            other => {
                return Err(Error::invalid(
                    &at,
                    format!("must be a distance in km >= 0 or null, got {other}"),
                ))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn default_distance_covers_ground_space_and_space_space_pairs_only() {
        let d = default_distances(2, 2, json!(300));
        let keys: Vec<&str> = d.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "ground1-space1",
                "ground1-space2",
                "ground2-space1",
                "ground2-space2",
                "space1-space2"
            ]
        );
    }
}
