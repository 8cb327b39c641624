//! Splitting a result into its records while the body streams in.
//!
//! The API answers `{"result": [record, …]}` (search data) or a bare `[record, …]`
//! (data sources, availability), or `{"error": {…}}` for an expired result. A small
//! scanner follows only the outer structure — the envelope object and the records array —
//! and serde_json reads each record (and each other envelope value) as a raw value as soon
//! as it starts, which validates it and finds its end in one pass. Splitting and
//! validation thus overlap the download instead of following the last byte, and the body
//! is kept as it arrived: no DOM, no second copy.

mod body;
pub mod columns;

pub use body::SpoolPolicy;
use body::{Body, Stored};

use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::value::RawValue;

/// A result in memory: the body as it arrived, NUL-terminated after the records array so
/// C can borrow it, with each record's place.
///
/// The records array is valid UTF-8 by construction: serde_json checked each record as it
/// read it (a raw value is a `&str`), and the scanner let only `[`, `,`, `]` and blanks
/// between them. So the body is kept as bytes, with no second pass over it after the last
/// byte; Rust callers who want a `&str` pay for the check in [`ResultText::as_str`].
pub struct ResultText {
    body: Storage,
    start: usize,
    len: usize,
    records: Vec<(usize, usize)>,
}

/// Where a result's bytes are: in memory, or in its spool file, mapped.
enum Storage {
    Memory(Vec<u8>),
    Mapped {
        map: memmap2::Mmap,
        file: std::fs::File,
    },
}

impl std::fmt::Debug for ResultText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultText")
            .field("len", &self.len)
            .field("records", &self.records.len())
            .field("spooled", &self.spool_file().is_some())
            .finish()
    }
}

impl ResultText {
    fn bytes(&self) -> &[u8] {
        match &self.body {
            Storage::Memory(v) => v,
            Storage::Mapped { map, .. } => map,
        }
    }

    /// The records array's bytes (valid UTF-8 JSON).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes()[self.start..self.start + self.len]
    }

    /// The same followed by the terminating NUL, for C.
    pub fn as_bytes_with_nul(&self) -> &[u8] {
        &self.bytes()[self.start..=self.start + self.len]
    }

    /// The spool file of a result larger than the spool threshold: read through it, the
    /// result's bytes need not be mapped into memory.
    pub fn spool_file(&self) -> Option<&std::fs::File> {
        match &self.body {
            Storage::Memory(_) => None,
            Storage::Mapped { file, .. } => Some(file),
        }
    }

    /// Where the records array starts in the spool file, and each record's place there.
    pub fn record_places(&self) -> (usize, &[(usize, usize)]) {
        (self.start, &self.records)
    }

    /// The records array's text; checks the UTF-8 once more (a pass over the whole
    /// result), since safe Rust cannot take the construction's word for it.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).expect("the records array is UTF-8 by construction")
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
        let &(at, len) = self.records.get(index)?;
        std::str::from_utf8(&self.bytes()[at..at + len]).ok()
    }
}

/// Where the scanner is in the outer structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Before the first non-blank byte.
    Start,
    /// In the envelope object, expecting a key (or `}` right after `{`).
    ExpectKey { first: bool },
    /// In a key's quotes.
    InKey,
    /// After a key, expecting `:`.
    ExpectColon,
    /// After `:`, expecting the member's value.
    ExpectValue,
    /// At a member value other than the records (read whole by serde_json).
    InMemberValue,
    /// After a member, expecting `,` or `}`.
    AfterMember,
    /// In the records array, expecting a record (or `]` right after `[`).
    ExpectRecord { first: bool },
    /// At a record (read whole by serde_json).
    InRecord,
    /// After a record, expecting `,` or `]`.
    AfterRecord,
    /// After the records array of a bare-array answer, or the envelope's `}`.
    Done,
}

/// Feeds on the body chunk by chunk.
pub struct RecordSplitter {
    body: Body,
    /// Bytes scanned so far.
    scanned: usize,
    place: Place,
    /// In a key: the previous byte was a backslash.
    escaped: bool,
    /// Where the current key, member value or record began.
    token_start: usize,
    /// A value that ended with the bytes so far is read again only once this many bytes
    /// (from its start) are in: doubling keeps a huge value from being re-read per chunk.
    retry_at: usize,
    /// The body is complete: a number at its very end cannot grow any more.
    ended: bool,
    /// The name of the member whose value is being read, escapes decoded.
    key: String,
    /// `result` members seen: a second one would make the answer mean different things
    /// to different JSON readers (first wins here, last wins in serde and Python).
    result_members: u32,
    records_array: Option<(usize, Option<usize>)>,
    error_member: Option<(usize, usize)>,
    records: Vec<(usize, usize)>,
    /// The records live in the envelope's `result` (false: the body is a bare array).
    enveloped: bool,
}

impl RecordSplitter {
    /// `capacity`: bytes to reserve up front (already bounded by the caller).
    pub fn new(capacity: usize) -> RecordSplitter {
        RecordSplitter::spooling(capacity, SpoolPolicy::default())
    }

    /// The same, spooling a body that grows past `policy`'s threshold to a file.
    pub fn spooling(capacity: usize, policy: SpoolPolicy) -> RecordSplitter {
        RecordSplitter {
            body: Body::new(capacity, policy),
            scanned: 0,
            place: Place::Start,
            escaped: false,
            token_start: 0,
            retry_at: 0,
            ended: false,
            key: String::new(),
            result_members: 0,
            records_array: None,
            error_member: None,
            records: Vec::new(),
            enveloped: true,
        }
    }

    /// Bytes received so far (the fuzz targets check the splitter's bookkeeping with it).
    pub fn received(&self) -> usize {
        self.body.len()
    }

    /// Makes room for `more` bytes, or fails when memory cannot be had (instead of
    /// aborting the host process).
    pub fn reserve(&mut self, more: usize) -> Result<()> {
        self.body.reserve(more)
    }

    /// Appends a chunk and scans it. Fails on a body that cannot be the API's answer, and
    /// when memory for the chunk (or room in the spool file) cannot be had.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.reserve(chunk.len())?;
        self.body.extend(chunk);
        self.scan()?;
        // what the scanner may still read again: the value it is in the middle of
        self.body.release_before(self.token_start.min(self.scanned))
    }

    fn scan(&mut self) -> Result<()> {
        loop {
            match self.place {
                Place::InRecord | Place::InMemberValue => {
                    if !self.read_value()? {
                        return Ok(());
                    }
                }
                Place::InKey => {
                    if !self.read_key()? {
                        return Ok(());
                    }
                }
                _ => {
                    let Some(byte) = self.body.get(self.scanned) else {
                        return Ok(());
                    };
                    self.scanned += 1;
                    self.step(self.scanned - 1, byte)?;
                }
            }
        }
    }

    /// A key's text up to its closing quote; false while the bytes so far end inside it.
    fn read_key(&mut self) -> Result<bool> {
        let mut at = self.scanned;
        loop {
            if self.escaped {
                if at >= self.body.len() {
                    self.scanned = at;
                    return Ok(false);
                }
                self.escaped = false;
                at += 1;
                continue;
            }
            match memchr::memchr2(b'"', b'\\', self.body.tail(at)) {
                None => {
                    self.scanned = self.body.len();
                    return Ok(false);
                }
                Some(i) if self.body.get(at + i) == Some(b'\\') => {
                    self.escaped = true;
                    at += i + 1;
                }
                Some(i) => {
                    self.scanned = at + i + 1;
                    self.key = member_name(self.body.slice(self.token_start, self.scanned))?;
                    self.place = Place::ExpectColon;
                    return Ok(true);
                }
            }
        }
    }

    /// serde_json reads the value that starts at `token_start`; false while the bytes so
    /// far hold only part of it.
    fn read_value(&mut self) -> Result<bool> {
        let start = self.token_start;
        let available = self.body.len() - start;
        if available < self.retry_at {
            return Ok(false);
        }
        let mut reader = serde_json::Deserializer::from_slice(self.body.tail(start));
        let parsed = <&RawValue>::deserialize(&mut reader).map(|raw| raw.get().len());
        // The bytes so far may end inside the value: serde says so (EOF), or a number or
        // literal runs to the very end (it may go on in the next chunk, and a cut-off one
        // reads as invalid). Read again once twice as many bytes are in: reading a huge
        // value again per chunk would cost quadratic time.
        let cut_at_end = !self.ended
            && self
                .body
                .len()
                .checked_sub(1)
                .and_then(|last| self.body.get(last))
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
        let len = match parsed {
            Ok(len) if !(cut_at_end && start + len == self.body.len()) => len,
            Err(e) if !(e.is_eof() || cut_at_end) => {
                return Err(Error::protocol(format!(
                    "the result holds invalid JSON ({e})"
                )))
            }
            _ => {
                self.retry_at = available.saturating_mul(2);
                return Ok(false);
            }
        };
        self.retry_at = 0;
        self.scanned = start + len;
        let span = (start, len);
        if self.place == Place::InRecord {
            self.records.push(span);
            self.place = Place::AfterRecord;
        } else {
            if self.key == "error" && self.body.slice(start, start + len) != b"null" {
                self.error_member = Some(span);
            }
            self.place = Place::AfterMember;
        }
        Ok(true)
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
                self.place = Place::InKey;
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
                if self.key == "result" {
                    self.result_members += 1;
                    if self.result_members > 1 {
                        return Err(shape("has more than one 'result' member"));
                    }
                }
                if self.key == "result" && byte == b'[' {
                    self.records_array = Some((at, None));
                    self.place = Place::ExpectRecord { first: true };
                } else {
                    self.start_value(at, Place::InMemberValue);
                }
            }
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
            Place::ExpectRecord { .. } => self.start_value(at, Place::InRecord),
            Place::AfterRecord if blank => {}
            Place::AfterRecord => match byte {
                b',' => self.place = Place::ExpectRecord { first: false },
                b']' => self.close_records(at),
                _ => return Err(shape("has a record followed by neither ',' nor ']'")),
            },
            Place::Done if blank => {}
            Place::Done => return Err(shape("has text after its end")),
            Place::InKey | Place::InRecord | Place::InMemberValue => {
                unreachable!("read whole, not per byte")
            }
        }
        Ok(())
    }

    /// The value starting at `at` is read whole, from its first byte.
    fn start_value(&mut self, at: usize, place: Place) {
        self.token_start = at;
        self.scanned = at;
        self.retry_at = 0;
        self.place = place;
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

    /// The body ended: the records, or the API's error envelope as an `AURORAX_ERR_API`.
    pub fn finish(mut self) -> Result<ResultText> {
        self.ended = true;
        self.retry_at = 0;
        self.scan()?;
        if let Some((at, len)) = self.error_member {
            if !self.body.holds(at) {
                return Err(Error::new(
                    crate::error::Status::AURORAX_ERR_API,
                    "the API could not return the result (its error document is too large to quote)",
                ));
            }
            return Err(api_error(self.body.slice(at, at + len)));
        }
        if self.place != Place::Done {
            return Err(shape("ends before its closing bracket (truncated?)"));
        }
        let Some((open, Some(close))) = self.records_array else {
            return Err(Error::protocol("the data response has no 'result' array"));
        };
        // What follows the array is ASCII (blank, ',' or '}') or nothing: one byte can
        // become the NUL without breaking UTF-8 or moving the records.
        let body = match self.body.finish(close + 1)? {
            Stored::Memory(bytes) => Storage::Memory(bytes),
            Stored::Spooled(file) => Storage::Mapped {
                map: crate::ffi::mapping::map_read_only(&file).map_err(|e| {
                    Error::protocol(format!("cannot map the result's spool file: {e}"))
                })?,
                file,
            },
        };
        Ok(ResultText {
            body,
            start: open,
            len: close + 1 - open,
            records: self.records,
        })
    }
}

/// A member name's text from its quoted JSON form (escapes such as `\u0075` decoded).
fn member_name(quoted: &[u8]) -> Result<String> {
    let name = std::str::from_utf8(quoted)
        .map_err(|_| shape("has an envelope member name that is not UTF-8"))?;
    if !name.contains('\\') {
        return Ok(name[1..name.len() - 1].to_string());
    }
    serde_json::from_str(name)
        .map_err(|_| shape("has an envelope member name that is not a JSON string"))
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
        crate::error::Status::AURORAX_ERR_API,
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
