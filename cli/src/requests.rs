//! Commands about one request or one query: search_template, search_resubmit, describe,
//! get_status, get_logs, get_query.

use crate::args::LogLevel;
use crate::failure::Failure;
use crate::follow::log_line;
use crate::output::{deliver, relayout};
use crate::searching::read_query;
use crate::Context;
use aurorax::client::{describe_query, query_of_status, request_status, Kind, Search};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// Starting points that are valid requests as they stand (the seed search's data sources),
/// so `search_template --outfile q.json` then `search q.json` runs.
const CONJUNCTIONS_TEMPLATE: &str = r#"{"start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59",
 "ground": [{"programs": ["themis-asi"], "platforms": [], "instrument_types": [],
   "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [
     {"key": "ml_cloud_v1", "operator": "=", "values": ["not classified as cloud"]}]}}],
 "space": [{"programs": ["swarm"], "platforms": [], "instrument_types": [], "hemisphere": ["northern"],
   "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [
     {"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}}],
 "events": [], "adhoc": [], "conjunction_types": ["nbtrace"],
 "max_distances": {"ground1-space1": 500}, "subminute_precision": false}"#;
const EPHEMERIS_TEMPLATE: &str = r#"{"start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59",
 "data_sources": {"programs": ["swarm"], "platforms": ["swarma"], "instrument_types": ["footprint"],
   "ephemeris_metadata_filters": {"logical_operator": "AND", "expressions": [
     {"key": "nbtrace_region", "operator": "=", "values": ["north polar cap"]}]}}}"#;
const DATA_PRODUCTS_TEMPLATE: &str = r#"{"start": "2019-01-01T00:00:00", "end": "2019-01-01T23:59:59",
 "data_sources": {"programs": ["themis-asi"], "platforms": [], "instrument_types": []},
 "data_product_type_filters": ["keogram"]}"#;

pub fn template(kind: Kind, outfile: Option<&Path>, indent: usize) -> Result<(), Failure> {
    let text = match kind {
        Kind::Conjunctions => CONJUNCTIONS_TEMPLATE,
        Kind::Ephemeris => EPHEMERIS_TEMPLATE,
        Kind::DataProducts => DATA_PRODUCTS_TEMPLATE,
    };
    let mut bytes = relayout(text, (indent > 0).then_some(indent)).into_bytes();
    bytes.push(b'\n');
    deliver(outfile, &bytes)?;
    if let Some(p) = outfile {
        eprintln!("Saved template to {}", p.display());
    }
    Ok(())
}

fn status_doc(ctx: &Context, kind: Kind, request_id: &str) -> Result<(String, Value), Failure> {
    let text = request_status(&ctx.settings, kind, request_id)
        .map_err(|e| Failure::about(&format!("request {}", request_id.trim()), e))?;
    let doc = serde_json::from_str(&text).map_err(|e| {
        Failure::Library(aurorax::client::Error::new(
            aurorax::client::Status::AURORAX_ERR_PROTOCOL,
            format!("the request status is not JSON ({e})"),
        ))
    })?;
    Ok((text, doc))
}

fn pretty(v: &Value) -> Vec<u8> {
    relayout(&v.to_string(), Some(2)).into_bytes()
}

fn keep_level(logs: &mut Value, level: Option<LogLevel>) {
    if let (Some(level), Some(entries)) = (level, logs.as_array_mut()) {
        entries.retain(|e| e["level"].as_str() == Some(level.name()));
    }
}

pub fn status(
    ctx: &Context,
    kind: Kind,
    request_id: &str,
    show_logs: bool,
    show_query: bool,
    filter_logs: Option<LogLevel>,
) -> Result<(), Failure> {
    let (_, mut doc) = status_doc(ctx, kind, request_id)?;
    if let Some(obj) = doc.as_object_mut() {
        if show_logs {
            if let Some(logs) = obj.get_mut("logs") {
                keep_level(logs, filter_logs);
            }
        } else {
            obj.remove("logs");
        }
    }
    if !show_query {
        if let Some(req) = doc.get_mut("search_request").and_then(Value::as_object_mut) {
            req.remove("query");
        }
    }
    deliver(None, &pretty(&doc))
}

pub fn logs(
    ctx: &Context,
    kind: Kind,
    request_id: &str,
    filter: Option<LogLevel>,
) -> Result<(), Failure> {
    let (_, mut doc) = status_doc(ctx, kind, request_id)?;
    let mut logs = doc["logs"].take();
    keep_level(&mut logs, filter);
    let lines: Vec<String> = logs
        .as_array()
        .map(|a| a.iter().map(log_line).collect())
        .unwrap_or_default();
    if lines.is_empty() {
        return Ok(());
    }
    deliver(None, lines.join("\n").as_bytes())
}

/// The request's query, without the request id the server adds to it.
fn query_object(ctx: &Context, kind: Kind, request_id: &str) -> Result<Value, Failure> {
    let (text, _) = status_doc(ctx, kind, request_id)?;
    let query = query_of_status(&text)
        .map_err(|e| Failure::about(&format!("request {}", request_id.trim()), e))?;
    let mut query: Value = serde_json::from_str(&query).unwrap_or(Value::Null);
    if let Some(obj) = query.as_object_mut() {
        obj.remove("request_id");
    }
    Ok(query)
}

pub fn query(ctx: &Context, kind: Kind, request_id: &str) -> Result<(), Failure> {
    deliver(None, &pretty(&query_object(ctx, kind, request_id)?))
}

pub fn resubmit(ctx: &Context, kind: Kind, request_id: &str) -> Result<(), Failure> {
    let query = query_object(ctx, kind, request_id)?.to_string();
    let search = Search::from_json(&ctx.settings, kind, &query)
        .map_err(|e| Failure::about(&format!("the query of request {}", request_id.trim()), e))?;
    // the new id arrives with the server's 202; the search then goes on without us
    let deadline = Instant::now() + ctx.settings.request_timeout() * 3 + Duration::from_secs(5);
    loop {
        if let Some(id) = search.request_id() {
            if ctx.terminal {
                eprintln!("Request has been resubmitted; the new request id is:");
            }
            return deliver(None, id.as_bytes());
        }
        if let Some(e) = search.error() {
            return Err(e.into());
        }
        if Instant::now() >= deadline {
            return Err(Failure::Library(aurorax::client::Error::new(
                aurorax::client::Status::AURORAX_ERR_TIMEOUT,
                "the server did not accept the resubmitted search in time",
            )));
        }
        // a short wait on the search itself: it wakes at once if the submit fails
        let _ = search.wait(Some(Duration::from_millis(20)));
    }
}

pub fn describe(ctx: &Context, kind: Kind, infile: &Path) -> Result<(), Failure> {
    let query = read_query(infile, kind)?;
    let text = describe_query(&ctx.settings, kind, &query)
        .map_err(|e| Failure::about(&infile.display().to_string(), e))?;
    deliver(None, text.as_bytes())
}
