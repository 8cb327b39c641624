//! Columns: the records' values at one JSON Pointer (RFC 6901), read straight from each
//! record's text. serde_json walks only the path: at each level it skips the members and
//! elements before the one named (without building them) and stops reading the record as
//! soon as the value is found, so no DOM of the result is ever made.

use super::ResultText;
use crate::error::{Error, Result};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// A parsed JSON Pointer: its reference tokens, `~1` and `~0` decoded.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pointer(Vec<String>);

impl Pointer {
    /// `""` is the whole record; anything else starts with `/`.
    pub fn parse(path: &str) -> Result<Pointer> {
        if path.is_empty() {
            return Ok(Pointer(Vec::new()));
        }
        let Some(rest) = path.strip_prefix('/') else {
            return Err(Error::invalid(
                "path",
                format!(
                    "'{}' is not a JSON Pointer: it must start with '/' (e.g. \"/min_distance\")",
                    crate::error::server_text(path, 100)
                ),
            ));
        };
        let mut tokens = Vec::new();
        for raw in rest.split('/') {
            let mut token = String::with_capacity(raw.len());
            let mut chars = raw.chars();
            while let Some(c) = chars.next() {
                if c != '~' {
                    token.push(c);
                    continue;
                }
                match chars.next() {
                    Some('0') => token.push('~'),
                    Some('1') => token.push('/'),
                    _ => {
                        return Err(Error::invalid(
                            "path",
                            "'~' must be followed by 0 or 1 (RFC 6901: ~0 is '~', ~1 is '/')",
                        ))
                    }
                }
            }
            tokens.push(token);
        }
        Ok(Pointer(tokens))
    }
}

/// A string value: a slice of the result where it needed no unescaping, else its text.
#[derive(Clone, Debug, PartialEq)]
pub enum TextCell {
    /// `(start, length)` in [`ResultText::as_bytes`].
    Slice(usize, usize),
    Owned(String),
}

/// One column, in record order.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Numbers; true/false as 1/0; NaN where null, missing or not a number.
    Numbers(Vec<f64>),
    /// Strings unescaped; `None` where null, missing or not a string.
    Texts(Vec<Option<TextCell>>),
    /// Any value as its JSON text, `(start, length)` in [`ResultText::as_bytes`]; `None`
    /// where missing.
    Json(Vec<Option<(usize, usize)>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    Numbers,
    Texts,
    Json,
}

/// The column of `kind` at `pointer` over every record of `result`.
pub fn column(result: &ResultText, pointer: &Pointer, kind: ColumnKind) -> Column {
    let base = result.as_bytes().as_ptr() as usize;
    let values = (0..result.record_count()).map(|i| {
        let record = result.record(i).unwrap_or("null");
        find(record, &pointer.0)
    });
    // where a value lies in the result: addresses only, compared, never dereferenced
    let place = |raw: &RawValue| (raw.get().as_ptr() as usize - base, raw.get().len());
    match kind {
        ColumnKind::Numbers => {
            Column::Numbers(values.map(|v| v.map_or(f64::NAN, number)).collect())
        }
        ColumnKind::Json => Column::Json(values.map(|v| v.map(place)).collect()),
        ColumnKind::Texts => Column::Texts(
            values
                .map(|v| {
                    let raw = v?;
                    let text = raw.get();
                    if !text.starts_with('"') {
                        return None;
                    }
                    if !text.contains('\\') {
                        let (start, len) = place(raw);
                        return Some(TextCell::Slice(start + 1, len - 2));
                    }
                    serde_json::from_str::<String>(text)
                        .ok()
                        .map(TextCell::Owned)
                })
                .collect(),
        ),
    }
}

fn number(raw: &RawValue) -> f64 {
    match raw.get() {
        "true" => 1.0,
        "false" => 0.0,
        text if text.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) => {
            serde_json::from_str::<f64>(text).unwrap_or(f64::NAN)
        }
        _ => f64::NAN,
    }
}

/// The value at `path` inside `record`, or `None` where it is missing (or the record is
/// not JSON, which the splitter already ruled out).
fn find<'r>(record: &'r str, path: &[String]) -> Option<&'r RawValue> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(record);
    // Finding the value ends the walk with an error on purpose: the rest of the record
    // need not be read.
    let _ = Seek {
        path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found
}

/// Walks `path` down from the current value, storing what it finds in `found`.
struct Seek<'p, 'f, 'r> {
    path: &'p [String],
    found: &'f mut Option<&'r RawValue>,
}

/// The error that stops the walk once the value is found.
const FOUND: &str = "found";

impl<'de, 'p, 'f> DeserializeSeed<'de> for Seek<'p, 'f, 'de> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        match self.path.split_first() {
            None => {
                *self.found = Some(<&RawValue as de::Deserialize>::deserialize(d)?);
                Err(de::Error::custom(FOUND))
            }
            Some((token, rest)) => d.deserialize_any(Step {
                token,
                rest,
                found: self.found,
            }),
        }
    }
}

/// One level of the walk: the member or element named by `token`.
struct Step<'p, 'f, 'r> {
    token: &'p str,
    rest: &'p [String],
    found: &'f mut Option<&'r RawValue>,
}

impl<'de, 'p, 'f> Visitor<'de> for Step<'p, 'f, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == self.token {
                return map.next_value_seed(Seek {
                    path: self.rest,
                    found: self.found,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        // RFC 6901: an index is 0 or digits without a leading zero
        let index = match self.token.as_bytes() {
            [b'0'] => Some(0),
            [b'1'..=b'9', ..] if self.token.bytes().all(|b| b.is_ascii_digit()) => {
                self.token.parse::<usize>().ok()
            }
            _ => None,
        };
        let Some(index) = index else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        for _ in 0..index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek {
            path: self.rest,
            found: self.found,
        })?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    // a scalar has no members: the path goes nowhere
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::records::RecordSplitter;

    fn result(records: &str) -> ResultText {
        let mut s = RecordSplitter::new(0);
        s.push(records.as_bytes()).unwrap();
        s.finish().unwrap()
    }

    fn texts(r: &ResultText, path: &str) -> Vec<Option<String>> {
        let Column::Texts(cells) = column(r, &Pointer::parse(path).unwrap(), ColumnKind::Texts)
        else {
            unreachable!()
        };
        cells
            .into_iter()
            .map(|c| {
                c.map(|c| match c {
                    TextCell::Slice(at, len) => {
                        String::from_utf8(r.as_bytes()[at..at + len].to_vec()).unwrap()
                    }
                    TextCell::Owned(s) => s,
                })
            })
            .collect()
    }

    fn numbers(r: &ResultText, path: &str) -> Vec<f64> {
        let Column::Numbers(v) = column(r, &Pointer::parse(path).unwrap(), ColumnKind::Numbers)
        else {
            unreachable!()
        };
        v
    }

    fn json(r: &ResultText, path: &str) -> Vec<Option<String>> {
        let Column::Json(v) = column(r, &Pointer::parse(path).unwrap(), ColumnKind::Json) else {
            unreachable!()
        };
        v.into_iter()
            .map(|c| {
                c.map(|(at, len)| String::from_utf8(r.as_bytes()[at..at + len].to_vec()).unwrap())
            })
            .collect()
    }

    const RECORDS: &str = r#"[
        {"a": 1.5, "s": "plain", "t": true, "n": null, "x": {"y": [10, {"z": "deep"}]}, "a/b": 7, "m~n": 8, "": 9},
        {"a": "not a number", "s": "esc\"aped\n\u00e9", "t": false, "x": {"y": []}},
        {"s": "ünïcödé ☃", "a": -2e3, "x": "scalar"},
        [1, 2],
        null
    ]"#;

    #[test]
    fn numbers_are_read_with_nan_where_there_is_none() {
        let r = result(RECORDS);
        let a = numbers(&r, "/a");
        assert_eq!(a[0], 1.5);
        assert!(a[1].is_nan() && a[3].is_nan() && a[4].is_nan());
        assert_eq!(a[2], -2000.0);
        assert_eq!(numbers(&r, "/t")[..2], [1.0, 0.0]);
        assert!(numbers(&r, "/n")[0].is_nan());
        assert_eq!(numbers(&r, "/x/y/0")[0], 10.0);
        assert!(numbers(&r, "/x/y/0")[1].is_nan());
        assert_eq!(numbers(&r, "/a~1b")[0], 7.0);
        assert_eq!(numbers(&r, "/m~0n")[0], 8.0);
        assert_eq!(numbers(&r, "/")[0], 9.0);
        assert_eq!(numbers(&r, "/1")[3], 2.0);
        assert!(
            numbers(&r, "/01")[3].is_nan(),
            "no leading zeros in an index"
        );
    }

    #[test]
    fn texts_are_unescaped_and_only_strings() {
        let r = result(RECORDS);
        assert_eq!(
            texts(&r, "/s"),
            vec![
                Some("plain".into()),
                Some("esc\"aped\né".into()),
                Some("ünïcödé ☃".into()),
                None,
                None
            ]
        );
        assert_eq!(texts(&r, "/x/y/1/z")[0].as_deref(), Some("deep"));
        assert_eq!(texts(&r, "/a")[1].as_deref(), Some("not a number"));
        assert_eq!(texts(&r, "/a")[0], None);
        assert_eq!(texts(&r, "/x/y/1/z")[2], None, "a path through a scalar");
    }

    #[test]
    fn json_is_each_value_verbatim_or_missing() {
        let r = result(RECORDS);
        let x = json(&r, "/x");
        assert_eq!(x[0].as_deref(), Some(r#"{"y": [10, {"z": "deep"}]}"#));
        assert_eq!(x[2].as_deref(), Some(r#""scalar""#));
        assert_eq!(x[3], None);
        assert_eq!(
            json(&r, "/n")[0].as_deref(),
            Some("null"),
            "null is a value"
        );
        assert_eq!(json(&r, "/n")[1], None, "missing is not");
        assert_eq!(json(&r, "")[4].as_deref(), Some("null"), "the whole record");
    }

    #[test]
    fn pointers_are_checked() {
        for bad in ["a", "min_distance", "/a~", "/a~2"] {
            let e = Pointer::parse(bad).unwrap_err();
            assert_eq!(
                e.status,
                crate::error::Status::AURORAX_ERR_INVALID_ARGUMENT,
                "{bad}"
            );
        }
        assert_eq!(
            Pointer::parse("/a~1b/~0").unwrap(),
            Pointer(vec!["a/b".into(), "~".into()])
        );
    }
}
