//! Query parameters shared by the data-source and availability endpoints.

use crate::http::BadRequest;
use crate::records::catalogue::{self, Entry, Format};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use std::collections::HashMap;

/// Taken as a Result so that a query string that does not decode gets a JSON 400,
/// not axum's plain-text rejection.
pub type Params = Result<Query<HashMap<String, String>>, QueryRejection>;

pub fn params(p: Params) -> Result<HashMap<String, String>, BadRequest> {
    p.map(|Query(q)| q)
        .map_err(|e| BadRequest(format!("query string: {}", e.body_text())))
}

const SOURCE_TYPES: [&str; 6] = [
    "ground",
    "heo",
    "leo",
    "lunar",
    "event_list",
    "not_applicable",
];

/// `format`, default basic_info (oas).
pub fn format_param(q: &HashMap<String, String>) -> Result<Format, BadRequest> {
    match q.get("format") {
        None => Ok(Format::BasicInfo),
        Some(s) => Format::parse(s)
            .ok_or_else(|| BadRequest(format!("format: must be one of {}", Format::NAMES))),
    }
}

/// pyaurorax sends Python's `str(bool)`, so `True`/`False` count as well.
pub fn bool_param(q: &HashMap<String, String>, name: &str) -> Result<bool, BadRequest> {
    match q.get(name).map(|s| s.to_ascii_lowercase()) {
        None => Ok(false),
        Some(s) if s == "true" => Ok(true),
        Some(s) if s == "false" => Ok(false),
        Some(_) => Err(BadRequest(format!("{name}: must be true or false"))),
    }
}

/// The single-valued filters shared by the list and availability endpoints.
/// Matching is exact (case-sensitive), as values are catalogue keys.
pub struct Filter {
    program: Option<String>,
    platform: Option<String>,
    instrument_type: Option<String>,
    source_type: Option<String>,
    owner: Option<String>,
}

impl Filter {
    pub fn from_params(q: &HashMap<String, String>) -> Result<Filter, BadRequest> {
        let source_type = q.get("source_type").cloned();
        if let Some(t) = &source_type {
            if !SOURCE_TYPES.contains(&t.as_str()) {
                return Err(BadRequest(format!(
                    "source_type: must be one of {}",
                    SOURCE_TYPES.join(", ")
                )));
            }
        }
        Ok(Filter {
            program: q.get("program").cloned(),
            platform: q.get("platform").cloned(),
            instrument_type: q.get("instrument_type").cloned(),
            source_type,
            owner: q.get("owner").cloned(),
        })
    }

    pub fn matches(&self, e: &Entry) -> bool {
        let is = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        is(&self.program, e.program)
            && is(&self.platform, e.platform)
            && is(&self.instrument_type, e.instrument_type)
            && is(&self.source_type, e.source_type)
            && is(&self.owner, catalogue::OWNER)
    }
}
