//! Metadata filters. The seed writes a bare list of expressions; the API's schema takes
//! `{"logical_operator": "AND"|"OR", "expressions": [...]}`. We always send the object form
//! (a list means AND), with values as strings as the schema types them.

use super::json::{as_array, as_object, as_str, check_keys, type_name};
use crate::error::{Error, Result};
use serde_json::{json, Value};

pub const OPERATORS: [&str; 9] = ["=", "!=", "<", "<=", ">", ">=", "in", "not in", "between"];

/// `None` when the caller gave no filter (null): the key is then left out of the body.
pub fn normalize(argument: &str, filter: &Value) -> Result<Option<Value>> {
    let (operator, expressions) = match filter {
        Value::Null => return Ok(None),
        Value::Array(list) => ("AND".to_string(), list.clone()),
        Value::Object(object) => {
            check_keys(argument, object, &["logical_operator", "expressions"])?;
            let operator = match object.get("logical_operator") {
                None | Some(Value::Null) => "AND".to_string(),
                Some(v) => {
                    let op =
                        as_str(&format!("{argument}.logical_operator"), v)?.to_ascii_uppercase();
                    if op != "AND" && op != "OR" {
                        return Err(Error::invalid(
                            &format!("{argument}.logical_operator"),
                            format!("must be AND or OR, got '{op}'"),
                        ));
                    }
                    op
                }
            };
            let expressions = match object.get("expressions") {
                None | Some(Value::Null) => Vec::new(),
                Some(v) => as_array(&format!("{argument}.expressions"), v)?.clone(),
            };
            (operator, expressions)
        }
        other => {
            return Err(Error::invalid(
                argument,
                format!(
                    "must be a list of expressions or an object, got {}",
                    type_name(other)
                ),
            ))
        }
    };
    let expressions = expressions
        .iter()
        .enumerate()
        .map(|(i, e)| expression(&format!("{argument}.expressions[{i}]"), e))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(
        json!({"logical_operator": operator, "expressions": expressions}),
    ))
}

fn expression(argument: &str, e: &Value) -> Result<Value> {
    let object = as_object(argument, e)?;
    check_keys(argument, object, &["key", "operator", "values"])?;
    let field = |name: &str| {
        object
            .get(name)
            .ok_or_else(|| Error::invalid(argument, format!("missing '{name}'")))
    };
    let key = as_str(&format!("{argument}.key"), field("key")?)?;
    if key.is_empty() {
        return Err(Error::invalid(&format!("{argument}.key"), "is empty"));
    }
    let operator =
        as_str(&format!("{argument}.operator"), field("operator")?)?.to_ascii_lowercase();
    if !OPERATORS.contains(&operator.as_str()) {
        return Err(Error::invalid(
            &format!("{argument}.operator"),
            format!("'{operator}' is not one of {}", OPERATORS.join(", ")),
        ));
    }
    let values = match field("values")? {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| value_text(&format!("{argument}.values[{i}]"), v))
            .collect::<Result<Vec<_>>>()?,
        scalar => vec![value_text(&format!("{argument}.values"), scalar)?],
    };
    let arity_ok = match operator.as_str() {
        "between" => values.len() == 2,
        "in" | "not in" => !values.is_empty(),
        _ => values.len() == 1,
    };
    if !arity_ok {
        let wanted = match operator.as_str() {
            "between" => "exactly 2 values",
            "in" | "not in" => "at least 1 value",
            _ => "exactly 1 value (use 'in' for several)",
        };
        return Err(Error::invalid(
            &format!("{argument}.values"),
            format!("operator '{operator}' takes {wanted}, got {}", values.len()),
        ));
    }
    Ok(json!({"key": key, "operator": operator, "values": values}))
}

/// The schema types values as strings; numbers and booleans are written as text, as the
/// Python client does with `str(v)`.
fn value_text(argument: &str, v: &Value) -> Result<Value> {
    match v {
        Value::String(_) => Ok(v.clone()),
        Value::Number(n) => Ok(Value::String(n.to_string())),
        Value::Bool(b) => Ok(Value::String(b.to_string())),
        other => Err(Error::invalid(
            argument,
            format!("must be a string or a number, got {}", type_name(other)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_list_form_becomes_an_and_group() {
        let seed =
            json!([{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]);
        let got = normalize("space_json[0].ephemeris_metadata_filters", &seed)
            .unwrap()
            .unwrap();
        assert_eq!(
            got,
            json!({"logical_operator": "AND", "expressions": [{"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]})
        );
    }

    #[test]
    fn object_form_keeps_or_and_stringifies_numbers() {
        let f = json!({"logical_operator": "or", "expressions": [{"key": "k", "operator": "between", "values": [1, 2.5]}]});
        let got = normalize("f", &f).unwrap().unwrap();
        assert_eq!(got["logical_operator"], "OR");
        assert_eq!(got["expressions"][0]["values"], json!(["1", "2.5"]));
    }

    #[test]
    fn bad_operators_and_arity_are_named() {
        let e = normalize(
            "f",
            &json!([{"key": "k", "operator": "~", "values": ["a"]}]),
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("f.expressions[0].operator"),
            "{}",
            e.message
        );
        let e = normalize(
            "f",
            &json!([{"key": "k", "operator": "=", "values": ["a", "b"]}]),
        )
        .unwrap_err();
        assert!(e.message.contains("use 'in'"), "{}", e.message);
        let e = normalize("f", &json!("text")).unwrap_err();
        assert!(e.message.starts_with("f:"), "{}", e.message);
    }
}
