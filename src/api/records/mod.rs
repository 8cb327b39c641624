//! Splitting a result into its records while the body streams in.
//!
//! The API answers `{"result": [record, …]}` (search data) or a bare `[record, …]`
//! (data sources, availability), or `{"error": {…}}` for an expired result. The scanner
//! below follows only the outer structure — the envelope object and the records array —
//! and hands each complete record, and each other envelope value, to serde_json to
//! validate. Validation thus overlaps the download instead of following the last byte,
//! and the body is kept as it arrived: no DOM, no second copy.

use crate::error::{Error, Result};
use serde::de::IgnoredAny;

/// A result in memory: the body as it arrived, NUL-terminated after the records array so
/// C can borrow it, with each record's place.
#[derive(Debug)]
pub struct ResultText {
    body: String,
    start: usize,
    len: usize,
    records: Vec<(usize, usize)>,
}

impl ResultText {
    /// The records array's text.
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

    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    /// The i-th record's JSON text, a slice of [`ResultText::as_str`].
    pub fn record(&self, index: usize) -> Option<&str> {
        self.records
            .get(index)
            .map(|&(at, len)| &self.body[at..at + len])
    }
}

/// Where the scanner is in the outer structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Before the first non-blank byte.
    Start,
    /// In the envelope object, expecting a key (or `}` right after `{`).
    ExpectKey { first: bool },
    /// After a key, expecting `:`.
    ExpectColon,
    /// After `:`, expecting the member's value.
    ExpectValue,
    /// In a member value other than the records (validated whole when it ends).
    InMemberValue,
    /// After a member, expecting `,` or `}`.
    AfterMember,
    /// In the records array, expecting a record (or `]` right after `[`).
    ExpectRecord { first: bool },
    /// In a record.
    InRecord,
    /// After a record, expecting `,` or `]`.
    AfterRecord,
    /// After the records array of a bare-array answer, or the envelope's `}`.
    Done,
}

/// Feeds on the body chunk by chunk.
pub struct RecordSplitter {
    body: Vec<u8>,
    /// Bytes scanned so far.
    scanned: usize,
    place: Place,
    in_string: bool,
    escaped: bool,
    /// Nesting inside the current record or member value.
    depth: usize,
    /// Where the current key, member value or record began.
    token_start: usize,
    /// The key whose value is being read.
    key: Vec<u8>,
    records_array: Option<(usize, Option<usize>)>,
    error_member: Option<(usize, usize)>,
    records: Vec<(usize, usize)>,
    /// The records live in the envelope's `result` (false: the body is a bare array).
    enveloped: bool,
}

impl RecordSplitter {
    /// `capacity`: bytes to reserve up front (already bounded by the caller).
    pub fn new(capacity: usize) -> RecordSplitter {
        let mut body = Vec::new();
        // Fallible: a reservation the machine refuses just means growing as bytes arrive.
        let _ = body.try_reserve_exact(capacity);
        RecordSplitter {
            body,
            scanned: 0,
            place: Place::Start,
            in_string: false,
            escaped: false,
            depth: 0,
            token_start: 0,
            key: Vec::new(),
            records_array: None,
            error_member: None,
            records: Vec::new(),
            enveloped: true,
        }
    }

    pub fn received(&self) -> usize {
        self.body.len()
    }

    /// Appends a chunk and scans it. Fails on a body that cannot be the API's answer, and
    /// when memory for the chunk cannot be had (instead of aborting the host process).
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.body.try_reserve(chunk.len()).map_err(|_| {
            Error::protocol(format!(
                "the result does not fit in memory ({} bytes received so far)",
                self.body.len()
            ))
        })?;
        self.body.extend_from_slice(chunk);
        self.scan()
    }

    fn scan(&mut self) -> Result<()> {
        while self.scanned < self.body.len() {
            let at = self.scanned;
            let byte = self.body[at];
            if self.in_string {
                self.scan_string(at);
                continue;
            }
            self.scanned += 1;
            self.step(at, byte)?;
        }
        Ok(())
    }

    /// Skips string content; only `"` and `\\` matter inside, so memchr does the walking.
    fn scan_string(&mut self, from: usize) {
        let mut at = from;
        loop {
            if self.escaped {
                if at >= self.body.len() {
                    break;
                }
                self.escaped = false;
                at += 1;
                continue;
            }
            match memchr::memchr2(b'"', b'\\', &self.body[at..]) {
                None => {
                    at = self.body.len();
                    break;
                }
                Some(i) if self.body[at + i] == b'\\' => {
                    self.escaped = true;
                    at += i + 1;
                }
                Some(i) => {
                    self.in_string = false;
                    at += i + 1;
                    break;
                }
            }
        }
        self.scanned = at;
        if !self.in_string && self.place == Place::ExpectColon {
            self.key = self.body[self.token_start..self.scanned].to_vec();
        }
    }

    fn step(&mut self, at: usize, byte: u8) -> Result<()> {
        let blank = matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
        match self.place {
            Place::Start if blank => {}
            Place::Start => match byte {
                b'{' => self.place = Place::ExpectKey { first: true },
                b'[' => {
                    self.enveloped = false;
                    self.records_array = Some((at, None));
                    self.place = Place::ExpectRecord { first: true };
                }
                _ => return Err(shape("does not start with '{' or '['")),
            },
            Place::ExpectKey { .. } if blank => {}
            Place::ExpectKey { first: true } if byte == b'}' => self.place = Place::Done,
            Place::ExpectKey { .. } => {
                if byte != b'"' {
                    return Err(shape("has an envelope member without a quoted name"));
                }
                self.token_start = at;
                self.in_string = true;
                self.place = Place::ExpectColon;
            }
            Place::ExpectColon if blank => {}
            Place::ExpectColon => {
                if byte != b':' {
                    return Err(shape("has an envelope member name without ':'"));
                }
                self.place = Place::ExpectValue;
            }
            Place::ExpectValue if blank => {}
            Place::ExpectValue => {
                if self.key == b"\"result\"" && self.records_array.is_none() && byte == b'[' {
                    self.records_array = Some((at, None));
                    self.place = Place::ExpectRecord { first: true };
                } else {
                    self.token_start = at;
                    self.depth = 0;
                    self.place = Place::InMemberValue;
                    self.step_value(at, byte)?;
                }
            }
            Place::InMemberValue => self.step_value(at, byte)?,
            Place::AfterMember if blank => {}
            Place::AfterMember => match byte {
                b',' => self.place = Place::ExpectKey { first: false },
                b'}' => self.place = Place::Done,
                _ => {
                    return Err(shape(
                        "has an envelope member followed by neither ',' nor '}'",
                    ))
                }
            },
            Place::ExpectRecord { .. } if blank => {}
            Place::ExpectRecord { first: true } if byte == b']' => self.close_records(at),
            Place::ExpectRecord { .. } => {
                self.token_start = at;
                self.depth = 0;
                self.place = Place::InRecord;
                self.step_value(at, byte)?;
            }
            Place::InRecord => self.step_value(at, byte)?,
            Place::AfterRecord if blank => {}
            Place::AfterRecord => match byte {
                b',' => self.place = Place::ExpectRecord { first: false },
                b']' => self.close_records(at),
                _ => return Err(shape("has a record followed by neither ',' nor ']'")),
            },
            Place::Done if blank => {}
            Place::Done => return Err(shape("has text after its end")),
        }
        Ok(())
    }

    fn close_records(&mut self, at: usize) {
        if let Some((open, _)) = self.records_array {
            self.records_array = Some((open, Some(at)));
        }
        self.place = if self.enveloped {
            Place::AfterMember
        } else {
            Place::Done
        };
    }

    /// Inside one value (a record or an envelope member): find where it ends, then let
    /// serde_json judge it.
    fn step_value(&mut self, at: usize, byte: u8) -> Result<()> {
        match byte {
            b'"' => {
                self.in_string = true;
                return Ok(());
            }
            b'{' | b'[' => {
                self.depth += 1;
                return Ok(());
            }
            b'}' | b']' if self.depth > 0 => {
                self.depth -= 1;
                if self.depth > 0 {
                    return Ok(());
                }
                return self.finish_value(at + 1, None);
            }
            _ => {}
        }
        if self.depth > 0 {
            return Ok(());
        }
        // A scalar at the top of the value ends at the first delimiter of the level above.
        if matches!(byte, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
            return self.finish_value(at, Some(byte));
        }
        // A string value that just closed is complete too: its delimiter comes next.
        Ok(())
    }

    fn finish_value(&mut self, end: usize, delimiter: Option<u8>) -> Result<()> {
        let text = trim_end(&self.body[self.token_start..end]);
        serde_json::from_slice::<IgnoredAny>(text)
            .map_err(|e| Error::protocol(format!("the result holds invalid JSON ({e})")))?;
        let span = (self.token_start, text.len());
        if self.place == Place::InRecord {
            self.records.push(span);
            self.place = Place::AfterRecord;
        } else {
            if self.key == b"\"error\"" && text != b"null" {
                self.error_member = Some(span);
            }
            self.place = Place::AfterMember;
        }
        match delimiter {
            Some(d) => self.step(end, d),
            None => Ok(()),
        }
    }

    /// The body ended: the records, or the API's error envelope as an `AURORAX_ERR_API`.
    pub fn finish(mut self) -> Result<ResultText> {
        // A string scalar as the last thing in a value needs its delimiter; the body ends
        // without one only when it is incomplete.
        if self.in_string || self.place != Place::Done {
            if let Some((at, len)) = self.error_member {
                return Err(api_error(&self.body[at..at + len]));
            }
            return Err(shape("ends before its closing bracket (truncated?)"));
        }
        if let Some((at, len)) = self.error_member {
            return Err(api_error(&self.body[at..at + len]));
        }
        let Some((open, Some(close))) = self.records_array else {
            return Err(Error::protocol("the data response has no 'result' array"));
        };
        let nul_at = close + 1;
        // What follows the array is ASCII (blank, ',' or '}') or nothing: one byte can
        // become the NUL without breaking UTF-8 or moving the records.
        if nul_at < self.body.len() {
            self.body[nul_at] = 0;
        } else {
            self.body
                .try_reserve(1)
                .map_err(|_| Error::protocol("the result does not fit in memory"))?;
            self.body.push(0);
        }
        let body = String::from_utf8(self.body).map_err(|e| {
            Error::protocol(format!(
                "the result is not valid UTF-8 (at byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(ResultText {
            body,
            start: open,
            len: close + 1 - open,
            records: self.records,
        })
    }
}

fn trim_end(text: &[u8]) -> &[u8] {
    let keep = text
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .map_or(0, |i| i + 1);
    &text[..keep]
}

fn shape(problem: &str) -> Error {
    Error::protocol(format!("the data response {problem}"))
}

fn api_error(member: &[u8]) -> Error {
    let mut wrapped = b"{\"error\": ".to_vec();
    wrapped.extend_from_slice(member);
    wrapped.push(b'}');
    let detail = super::errors::error_detail(&wrapped);
    Error::new(
        crate::Status::AURORAX_ERR_API,
        format!("the API could not return the result: {detail}"),
    )
}

/// The whole body at once (tests and fuzzing).
pub fn split_all(body: &[u8]) -> Result<ResultText> {
    let mut splitter = RecordSplitter::new(body.len());
    splitter.push(body)?;
    splitter.finish()
}

#[cfg(test)]
mod tests;
