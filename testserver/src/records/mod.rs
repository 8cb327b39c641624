//! Deterministic records derived from a normalised query.
//!
//! Count rule (default; `POST /_testserver/config {"result_count": N}` overrides it):
//! * conjunctions: one per day touched by [start, end] (whole days + 1), at most 1000;
//! * ephemeris: one per 10 minutes of the range, per data source;
//! * data products: one per day, per data source, per product type (keogram if none given).
//!
//! Data sources are programs × platforms (up to 3 platforms per program; a known
//! program without platforms gets its known platforms). Records are rendered one at
//! a time into text so a huge result can be streamed without being held in memory.

pub mod availability;
pub mod catalogue;
mod conjunctions;
mod data_products;
mod ephemeris;
pub mod format;
pub mod rng;
pub mod sources;

use crate::kind::Kind;
use crate::time::parse_query_time;
use chrono::NaiveDateTime;
use serde_json::Value;
use std::sync::OnceLock;

pub const BODY_PREFIX: &str = "{\"result\":[";
pub const BODY_SUFFIX: &str = "]}";
/// Caps the default counts; an explicit override is not capped.
const MAX_DEFAULT: usize = 100_000;

pub struct Plan {
    count: usize,
    gen: Gen,
    layout: OnceLock<Layout>,
}

/// The body's size and where each record's text starts in it (after its comma).
struct Layout {
    record_starts: Vec<u64>,
    size: u64,
}

enum Gen {
    Conjunctions(conjunctions::Conj),
    Ephemeris(ephemeris::Eph),
    DataProducts(data_products::Dp),
}

pub(crate) struct Range {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub seed: u64,
}

impl Range {
    pub fn span_seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
    pub fn days(&self) -> usize {
        (self.span_seconds() / 86_400) as usize + 1
    }
    /// `start + secs`, never past `end`: records stay inside the searched range.
    pub fn at(&self, secs: i64) -> NaiveDateTime {
        std::cmp::min(self.start + chrono::Duration::seconds(secs), self.end)
    }
}

impl Plan {
    /// `query` must already be validated and normalised.
    pub fn new(kind: Kind, query: &Value, count_override: Option<usize>) -> Plan {
        let t = |k: &str| {
            query[k]
                .as_str()
                .and_then(parse_query_time)
                .unwrap_or_default()
        };
        let range = Range {
            start: t("start"),
            end: t("end"),
            seed: rng::fnv1a(query.to_string().as_bytes()),
        };
        let (gen, default) = match kind {
            Kind::Conjunctions => {
                let g = conjunctions::Conj::new(query, range);
                let n = g.default_count();
                (Gen::Conjunctions(g), n)
            }
            Kind::Ephemeris => {
                let g = ephemeris::Eph::new(query, range);
                let n = g.default_count();
                (Gen::Ephemeris(g), n)
            }
            Kind::DataProducts => {
                let g = data_products::Dp::new(query, range);
                let n = g.default_count();
                (Gen::DataProducts(g), n)
            }
        };
        let count = count_override.unwrap_or(default.min(MAX_DEFAULT));
        Plan {
            count,
            gen,
            layout: OnceLock::new(),
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// For conjunctions, every combination of one data source per criteria block, as
    /// identifiers (at most `cap`); empty for the other kinds.
    pub fn source_combinations(&self, cap: usize) -> Vec<Vec<u64>> {
        match &self.gen {
            Gen::Conjunctions(g) => g.combinations(cap),
            _ => Vec::new(),
        }
    }

    pub fn write_record(&self, i: usize, out: &mut String) {
        match &self.gen {
            Gen::Conjunctions(g) => g.write(i, out),
            Gen::Ephemeris(g) => g.write(i, out),
            Gen::DataProducts(g) => g.write(i, out),
        }
    }

    /// Size of the whole `{"result":[...]}` body.
    pub fn body_size(&self) -> u64 {
        self.layout().size
    }

    /// Where a body sent from byte `from` on starts: the record to render first (the
    /// body from its beginning, prefix included, for record 0) and how many of the bytes
    /// rendered from there to skip. A resumed download then renders only its own part.
    pub fn resume_at(&self, from: u64) -> (usize, u64) {
        let starts = &self.layout().record_starts;
        match starts.partition_point(|start| *start <= from) {
            0 | 1 => (0, from),
            k => (k - 1, from - starts[k - 1]),
        }
    }

    /// Found by rendering every record once (the body itself is generated as it is sent,
    /// never held), then kept: the status's `file_size` and every resumed download use it.
    fn layout(&self) -> &Layout {
        self.layout.get_or_init(|| {
            let mut buf = String::with_capacity(16 * 1024);
            let mut at = BODY_PREFIX.len() as u64;
            let mut record_starts = Vec::with_capacity(self.count);
            for i in 0..self.count {
                at += u64::from(i > 0);
                record_starts.push(at);
                buf.clear();
                self.write_record(i, &mut buf);
                at += buf.len() as u64;
            }
            Layout {
                record_starts,
                size: at + BODY_SUFFIX.len() as u64,
            }
        })
    }

    /// The `result` array as text.
    pub fn result_array(&self) -> String {
        let mut s = String::from("[");
        for i in 0..self.count {
            if i > 0 {
                s.push(',');
            }
            self.write_record(i, &mut s);
        }
        s.push(']');
        s
    }
}

/// JSON text of a string.
pub(crate) fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A float in JSON: Rust's Display never uses exponent notation, and our values are finite.
pub(crate) fn num(x: f64) -> String {
    format!("{x}")
}
