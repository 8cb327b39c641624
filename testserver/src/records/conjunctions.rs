//! Conjunction records: exactly the 9 keys pyaurorax v1 `Conjunction(**r)` takes.
//! Each carries EVENTS pairwise events so that a record is ~7.5 KB, like the real
//! ones (49 records = 376,747 B, aurorax-api.md §4.1).

use super::rng::uniform;
use super::sources::{resolve, strs, Filter, Source};
use super::{js, num, Range};
use crate::time::record_time;
use crate::validation::{block_ref, BLOCK_KINDS};
use serde_json::Value;
use std::fmt::Write;

const EVENTS: usize = 16;
const MAX_DEFAULT: usize = 1000;

pub struct Conj {
    range: Range,
    blocks: Vec<Vec<Source>>,
    /// (block a, block b, max distance km) for every pair of blocks.
    pairs: Vec<(usize, usize, f64)>,
    types: Vec<String>,
}

fn filter_for(kind: &str, block: &Value) -> Vec<Source> {
    let (prog, instr, st) = match kind {
        "ground" => ("themis-asi", "panchromatic ASI", "ground"),
        "space" => ("swarm", "footprint", "leo"),
        "events" => ("events", "substorm onset", "event_list"),
        _ => ("adhoc", "custom location", "not_applicable"),
    };
    let (p, pl, it) = (
        strs(block, "programs"),
        strs(block, "platforms"),
        strs(block, "instrument_types"),
    );
    let f = Filter {
        programs: p.iter().map(String::as_str).collect(),
        platforms: pl.iter().map(String::as_str).collect(),
        instrument_types: it.iter().map(String::as_str).collect(),
        default_program: prog,
        default_instrument: instr,
        source_type: st,
    };
    resolve(&f)
}

impl Conj {
    pub fn new(q: &Value, range: Range) -> Conj {
        let mut blocks = Vec::new();
        let mut names = Vec::new();
        let mut counts = [0usize; 4];
        for (k, kind) in BLOCK_KINDS.iter().enumerate() {
            for (i, b) in q[*kind].as_array().into_iter().flatten().enumerate() {
                blocks.push(filter_for(kind, b));
                names.push((k, i));
                counts[k] += 1;
            }
        }
        let dist = |a: usize, b: usize| -> f64 {
            let md = q["max_distances"].as_object();
            let found = md.into_iter().flatten().find(|(key, _)| {
                key.split_once('-').is_some_and(|(x, y)| {
                    let (x, y) = (block_ref(x, &counts), block_ref(y, &counts));
                    (x, y) == (Some(names[a]), Some(names[b]))
                        || (x, y) == (Some(names[b]), Some(names[a]))
                })
            });
            match found {
                Some((_, v)) => v.as_f64().unwrap_or(2000.0),
                None => 500.0,
            }
        };
        let mut pairs = Vec::new();
        for a in 0..blocks.len() {
            for b in a + 1..blocks.len() {
                pairs.push((a, b, dist(a, b)));
            }
        }
        let mut types: Vec<String> = strs(q, "conjunction_types");
        if types.is_empty() {
            // the real server answers "type ()" searches with nbtrace conjunctions
            types.push("nbtrace".into());
        }
        Conj {
            range,
            blocks,
            pairs,
            types,
        }
    }

    /// The cartesian product of the blocks' sources, first block outermost, as the
    /// real log lists it.
    pub fn combinations(&self, cap: usize) -> Vec<Vec<u64>> {
        let mut out: Vec<Vec<u64>> = vec![Vec::new()];
        for block in &self.blocks {
            out = out
                .iter()
                .flat_map(|c| {
                    block.iter().map(move |s| {
                        let mut c = c.clone();
                        c.push(s.identifier);
                        c
                    })
                })
                .take(cap)
                .collect();
        }
        out
    }

    pub fn default_count(&self) -> usize {
        self.range.days().min(MAX_DEFAULT)
    }

    pub fn write(&self, i: usize, out: &mut String) {
        let r = &self.range;
        let n = i as u64;
        // day i of the range (plus a few minutes), wrapping when an override asks
        // for more records than the range has days
        let t0 = (i as i64 * 86_400 + (i as i64 % 64) * 60) % (r.span_seconds() + 1);
        let ctype = &self.types[i % self.types.len()];
        let src = |b: usize| &self.blocks[b][(i + b) % self.blocks[b].len()];
        let mut events = String::with_capacity(EVENTS * 560);
        let (mut min_d, mut max_d) = (f64::MAX, f64::MIN);
        let (mut closest, mut farthest) = (r.at(t0), r.at(t0));
        let mut last_end = r.at(t0);
        for j in 0..EVENTS {
            let (a, b, limit) = self.pairs[j % self.pairs.len()];
            let limit = if limit <= 0.0 { 1.0 } else { limit.min(5000.0) };
            let lo = uniform(r.seed, n, 2 * j as u64, 0.05 * limit, 0.6 * limit);
            let hi = uniform(r.seed, n, 2 * j as u64 + 1, lo, limit);
            let (s, e) = (r.at(t0 + 60 * j as i64), r.at(t0 + 60 * (j as i64 + 1)));
            if lo < min_d {
                (min_d, closest) = (lo, s);
            }
            if hi > max_d {
                (max_d, farthest) = (hi, e);
            }
            last_end = e;
            if j > 0 {
                events.push(',');
            }
            let _ = write!(
                events,
                "{{\"conjunction_type\":{},\"e1_source\":{},\"e2_source\":{},\"start\":\"{}\",\"end\":\"{}\",\"min_distance\":{},\"max_distance\":{}}}",
                js(ctype), src(a).json, src(b).json, record_time(&s), record_time(&e), num(lo), num(hi)
            );
        }
        let sources: Vec<&str> = (0..self.blocks.len())
            .map(|b| src(b).json.as_str())
            .collect();
        let _ = write!(
            out,
            "{{\"conjunction_type\":{},\"start\":\"{}\",\"end\":\"{}\",\"data_sources\":[{}],\"min_distance\":{},\"max_distance\":{},\"events\":[{}],\"closest_epoch\":\"{}\",\"farthest_epoch\":\"{}\"}}",
            js(ctype), record_time(&r.at(t0)), record_time(&last_end), sources.join(","),
            num(min_d), num(max_d), events, record_time(&closest), record_time(&farthest)
        );
    }
}
