//! Programmable faults: a queue of (route, fault, count); each matching /api/
//! request consumes one.

use crate::route::Route;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FaultKind {
    Http500,
    Http502,
    Http503,
    Http429,
    Http401,
    Http404,
    Reset,
    Delay,
    Truncate,
    Malformed,
    WrongTypes,
    /// The normal answer, with the spec's `headers` set on it.
    Headers,
    /// The normal answer, paused part-way through its body.
    Stall,
    /// The normal 202 of a submit, without its Location.
    NoLocation,
    /// 200 with the data-error envelope `{"error": {...}}`.
    DataError,
}

impl FaultKind {
    fn from_name(s: &str) -> Option<FaultKind> {
        use FaultKind::*;
        Some(match s {
            "http500" => Http500,
            "http502" => Http502,
            "http503" => Http503,
            "http429" => Http429,
            "http401" => Http401,
            "http404" => Http404,
            "reset" => Reset,
            "delay" => Delay,
            "truncate" => Truncate,
            "malformed" => Malformed,
            "wrong_types" => WrongTypes,
            "headers" => Headers,
            "stall" => Stall,
            "no_location" => NoLocation,
            "data_error" => DataError,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Fault {
    /// None matches any route.
    pub route: Option<Route>,
    /// None matches any request id (and requests without one).
    pub request_id: Option<String>,
    pub kind: FaultKind,
    pub retry_after_seconds: u64,
    pub delay_ms: u64,
    /// Headers set on the response, replacing any of the same name.
    pub headers: Vec<(String, String)>,
    pub stall_after_bytes: u64,
    pub stall_ms: u64,
    pub error_code: String,
    pub error_message: String,
    skip: u64,
    remaining: u64,
}

pub const DATA_ERROR_CODE: &str = "NotFound";
pub const DATA_ERROR_MESSAGE: &str =
    "The data file for this request has expired and has been removed. Please re-run the search.";

impl Fault {
    /// Parses the JSON of `POST /_testserver/faults`.
    pub fn parse(v: &Value) -> Result<Fault, String> {
        let route = match v.get("route").and_then(Value::as_str).unwrap_or("any") {
            "any" => None,
            r => Some(Route::from_name(r).ok_or_else(|| format!("route: unknown route '{r}'"))?),
        };
        let name = v
            .get("fault")
            .and_then(Value::as_str)
            .ok_or("fault: field required")?;
        let kind =
            FaultKind::from_name(name).ok_or_else(|| format!("fault: unknown fault '{name}'"))?;
        let num = |k: &str, d: u64| -> Result<u64, String> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(d),
                Some(x) => x
                    .as_u64()
                    .ok_or_else(|| format!("{k}: must be a non-negative integer")),
            }
        };
        let text = |k: &str, d: &str| -> Result<String, String> {
            match v.get(k) {
                None | Some(Value::Null) => Ok(d.to_string()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(_) => Err(format!("{k}: must be a string")),
            }
        };
        let request_id = match v.get("request_id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err("request_id: must be a string".into()),
        };
        let headers = parse_headers(v.get("headers"))?;
        if kind == FaultKind::Headers && headers.is_empty() {
            return Err("headers: the headers fault needs a non-empty object".into());
        }
        Ok(Fault {
            route,
            request_id,
            kind,
            retry_after_seconds: num("retry_after_seconds", 1)?,
            delay_ms: num("delay_ms", 2000)?,
            headers,
            stall_after_bytes: num("stall_after_bytes", 4096)?,
            stall_ms: num("stall_ms", 30_000)?,
            error_code: text("error_code", DATA_ERROR_CODE)?,
            error_message: text("error_message", DATA_ERROR_MESSAGE)?,
            skip: num("skip", 0)?,
            remaining: num("count", 1)?,
        })
    }

    fn matches(&self, route: Route, id: Option<&str>) -> bool {
        (self.route.is_none() || self.route == Some(route))
            && (self.request_id.is_none() || self.request_id.as_deref() == id)
    }
}

/// `{"Name": "value", ...}`; values must be valid header text, which is all we check,
/// so that nonsense such as `Retry-After: garbage` can be sent on purpose.
fn parse_headers(v: Option<&Value>) -> Result<Vec<(String, String)>, String> {
    let map = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(m)) => m,
        Some(_) => return Err("headers: must be an object of strings".into()),
    };
    let check = |(k, v): (&String, &Value)| -> Result<(String, String), String> {
        let s = v
            .as_str()
            .ok_or_else(|| format!("headers: value of '{k}' must be a string"))?;
        axum::http::HeaderName::try_from(k.as_str())
            .map_err(|_| format!("headers: '{k}' is not a header name"))?;
        axum::http::HeaderValue::try_from(s)
            .map_err(|_| format!("headers: value of '{k}' is not valid header text"))?;
        Ok((k.clone(), s.to_string()))
    };
    Map::iter(map).map(check).collect()
}

#[derive(Default)]
pub struct Faults {
    queue: Vec<Fault>,
}

impl Faults {
    pub fn push(&mut self, f: Fault) {
        if f.remaining > 0 {
            self.queue.push(f);
        }
    }

    pub fn clear(&mut self) {
        self.queue.clear();
    }

    /// The first queued fault for this request, in the order they were programmed.
    /// Every matching fault still skipping counts the request, taken by another or not,
    /// so `skip: N` always means "the (N+1)th matching request after queueing".
    pub fn take(&mut self, route: Route, id: Option<&str>) -> Option<Fault> {
        if route == Route::Other {
            return None;
        }
        let chosen = self
            .queue
            .iter()
            .position(|f| f.matches(route, id) && f.skip == 0);
        for f in self
            .queue
            .iter_mut()
            .filter(|f| f.matches(route, id) && f.skip > 0)
        {
            f.skip -= 1;
        }
        let i = chosen?;
        let out = self.queue[i].clone();
        self.queue[i].remaining -= 1;
        if self.queue[i].remaining == 0 {
            self.queue.remove(i);
        }
        Some(out)
    }
}
