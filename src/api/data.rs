//! The data document (`GET`/`POST …/requests/{id}/data`): `{"result": [ ... ]}`.
//! The result array is passed through as raw text, cut out of the downloaded body in
//! place: no DOM, no second copy of a result that can exceed a gigabyte.

use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The records as JSON text, NUL-terminated inside the downloaded buffer so C can borrow it.
#[derive(Debug)]
pub struct ResultText {
    body: String,
    start: usize,
    len: usize,
}

impl ResultText {
    pub fn as_str(&self) -> &str {
        &self.body[self.start..self.start + self.len]
    }

    /// The text followed by its terminating NUL.
    pub fn as_str_with_nul(&self) -> &str {
        &self.body[self.start..=self.start + self.len]
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    result: Option<&'a RawValue>,
    #[serde(borrow)]
    error: Option<&'a RawValue>,
}

pub fn extract_result(body: Vec<u8>) -> Result<ResultText> {
    let mut body = String::from_utf8(body).map_err(|_| Error::protocol("the result is not valid UTF-8"))?;
    let (start, len) = {
        let envelope: Envelope = serde_json::from_str(&body).map_err(|e| Error::protocol(format!("the result is not valid JSON ({e})")))?;
        if let Some(error) = envelope.error {
            let detail = super::errors::error_detail(format!(r#"{{"error": {}}}"#, error.get()).as_bytes());
            return Err(Error::new(crate::Status::Api, format!("the API could not return the result: {detail}")));
        }
        let result = envelope.result.ok_or_else(|| Error::protocol("the data response has no 'result'"))?;
        let text = result.get();
        if !text.starts_with('[') {
            return Err(Error::protocol("the data response's 'result' is not an array"));
        }
        (text.as_ptr() as usize - body.as_ptr() as usize, text.len())
    };
    // What follows a JSON value is ASCII (whitespace, ',' or '}'), so one byte can be
    // overwritten with the NUL without breaking UTF-8 or moving the records.
    let end = start + len;
    if body.is_char_boundary(end + 1) && end < body.len() {
        body.replace_range(end..end + 1, "\0");
    } else {
        body.truncate(end);
        body.push('\0');
    }
    Ok(ResultText { body, start, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_array_is_cut_out_verbatim_and_nul_terminated() {
        let r = extract_result(br#"{"result": [{"a": 1}, {"b": "\u00e9"}] }"#.to_vec()).unwrap();
        assert_eq!(r.as_str(), r#"[{"a": 1}, {"b": "\u00e9"}]"#);
        assert!(r.as_str_with_nul().ends_with('\0'));
        let tight = extract_result(br#"{"result":[]}"#.to_vec()).unwrap();
        assert_eq!(tight.as_str_with_nul(), "[]\0");
    }

    #[test]
    fn numbers_beyond_f64_pass_through_verbatim() {
        // Found by fuzzing (fuzz/fuzz_targets/responses.rs): valid JSON that a DOM parser
        // refuses ("number out of range") is passed through, not rejected or altered.
        let r = extract_result(br#"{"result": [57E5555555555555555555]}"#.to_vec()).unwrap();
        assert_eq!(r.as_str(), "[57E5555555555555555555]");
    }

    #[test]
    fn error_envelopes_and_wrong_shapes_fail() {
        let e = extract_result(br#"{"error": {"error_code": "NotFound", "error_message": "data file has been removed"}}"#.to_vec()).unwrap_err();
        assert_eq!(e.status, crate::Status::Api);
        assert!(e.message.contains("NotFound: data file has been removed"), "{}", e.message);
        for bad in [&b"{\"result\": {}}"[..], b"{\"other\": 1}", b"{\"result\": [1,", b"\xff\xfe"] {
            assert_eq!(extract_result(bad.to_vec()).unwrap_err().status, crate::Status::Protocol);
        }
    }
}
