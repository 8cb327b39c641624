//! response_format trimming: a tree of booleans where `true` keeps a field and a
//! nested object applies to a nested object or to each element of an array.

use serde_json::{Map, Value};

pub fn trim(record: &Value, format: &Value) -> Value {
    match (record, format) {
        (Value::Array(items), Value::Object(_)) => {
            Value::Array(items.iter().map(|x| trim(x, format)).collect())
        }
        (Value::Object(fields), Value::Object(fmt)) => {
            let mut out = Map::new();
            for (k, v) in fields {
                match fmt.get(k) {
                    Some(Value::Bool(true)) => {
                        out.insert(k.clone(), v.clone());
                    }
                    Some(sub @ Value::Object(_)) => {
                        out.insert(k.clone(), trim(v, sub));
                    }
                    _ => {}
                }
            }
            Value::Object(out)
        }
        // a nested format on a scalar keeps the scalar: there is nothing to select
        (other, _) => other.clone(),
    }
}
