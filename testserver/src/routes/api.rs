//! The AuroraX protocol endpoints (aurorax-api.md §1–§4).

use super::body;
use crate::http::{self, BadRequest};
use crate::kind::Kind;
use crate::search::{Phase, Search};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use chrono::Utc;
use serde_json::Value;
use std::sync::Arc;

type Resp = Response<Body>;

fn not_found() -> Resp {
    http::error(
        StatusCode::NOT_FOUND,
        "NotFound",
        "No request with given request id",
    )
}

fn parse_body(body: &Bytes) -> Result<Value, BadRequest> {
    serde_json::from_slice(body)
        .map_err(|e| BadRequest(format!("request body: invalid JSON ({e})")))
}

/// The search, if it exists and the kind in the path is its kind.
fn lookup(st: &AppState, kind: &str, id: &str) -> Option<Arc<Search>> {
    let kind = Kind::from_path(kind)?;
    st.get(id).filter(|s| s.kind == kind)
}

pub async fn submit(
    State(st): State<Arc<AppState>>,
    Path(kind): Path<String>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Resp {
    let Some(kind) = Kind::from_path(&kind) else {
        return http::error(StatusCode::NOT_FOUND, "NotFound", "No such endpoint");
    };
    let search = match parse_body(&body).and_then(|v| st.submit(kind, &v)) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    // The Location is absolute and points back at whatever host the client used: the Host
    // header in HTTP/1.1, the :authority in HTTP/2.
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or(uri.authority().map(|a| a.as_str()))
        .unwrap_or(&st.local_addr);
    let location = format!(
        "{}://{host}/api/v1/{}/requests/{}",
        st.scheme,
        kind.path(),
        search.id
    );
    let mut r = http::empty(StatusCode::ACCEPTED);
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

pub async fn status(
    State(st): State<Arc<AppState>>,
    Path((kind, id)): Path<(String, String)>,
) -> Resp {
    match lookup(&st, &kind, &id) {
        Some(s) => http::json(StatusCode::OK, &s.status(Utc::now())),
        None => not_found(),
    }
}

/// The finished search whose result file still exists, or the error to answer.
fn ready(st: &AppState, kind: &str, id: &str) -> Result<Arc<Search>, Box<Resp>> {
    let s = lookup(st, kind, id).ok_or_else(|| Box::new(not_found()))?;
    if s.deleted.lock().unwrap().is_some() {
        return Err(Box::new(http::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            "The result file of this request has been deleted",
        )));
    }
    let now = Utc::now();
    match s.phase(now) {
        // the real API answers a purged result with 200 and the error envelope (aurorax-api.md §4.1)
        Phase::Finished { .. } if s.expired_at(now).is_some() => Err(Box::new(http::data_error(
            crate::faults::DATA_ERROR_CODE,
            crate::faults::DATA_ERROR_MESSAGE,
        ))),
        Phase::Finished { .. } => Ok(s),
        Phase::Running => Err(Box::new(http::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            "The search request has not finished; no data yet",
        ))),
        Phase::Failed { .. } | Phase::Cancelled { .. } => Err(Box::new(http::error(
            StatusCode::NOT_FOUND,
            "NotFound",
            "The search request did not complete; there is no data",
        ))),
    }
}

pub async fn data_get(
    State(st): State<Arc<AppState>>,
    Path((kind, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Resp {
    let s = match ready(&st, &kind, &id) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let size = s.size.get().map(|(size, _)| *size);
    // A download cut off can go on from where it stopped: `Range: bytes=N-` of a body
    // whose size is known (the result is a file on the real API).
    if let Some((from, size)) = size.and_then(|size| range_start(&headers, size).map(|f| (f, size)))
    {
        st.transport_event("ranges");
        let mut r = Response::new(body::stream_from(s.plan.clone(), from));
        *r.status_mut() = StatusCode::PARTIAL_CONTENT;
        let h = r.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(http::JSON));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(size - from));
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {from}-{}/{size}", size - 1)) {
            h.insert(header::CONTENT_RANGE, v);
        }
        return r;
    }
    let mut r = Response::new(body::stream(s.plan.clone(), None));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(http::JSON));
    // without a Content-Length hyper sends the stream chunked
    if let (Some(size), false) = (size, st.transport().chunked_data) {
        r.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(size));
        r.headers_mut()
            .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    }
    r
}

/// N of a satisfiable `Range: bytes=N-` (the one form a resuming client sends); other
/// forms are answered with the whole body, as RFC 9110 allows.
fn range_start(headers: &HeaderMap, size: u64) -> Option<u64> {
    let spec = headers.get(header::RANGE)?.to_str().ok()?;
    let from = spec.strip_prefix("bytes=")?.strip_suffix('-')?;
    from.parse::<u64>().ok().filter(|n| *n < size)
}

/// POST with a response_format body; an empty body means no trimming.
pub async fn data_post(
    State(st): State<Arc<AppState>>,
    Path((kind, id)): Path<(String, String)>,
    body: Bytes,
) -> Resp {
    let s = match ready(&st, &kind, &id) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let format = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match parse_body(&body) {
            Ok(v @ Value::Object(_)) => Some(v),
            Ok(_) => {
                return BadRequest("response_format: must be a JSON object".into()).into_response()
            }
            Err(e) => return e.into_response(),
        }
    };
    let mut r = Response::new(body::stream(s.plan.clone(), format));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(http::JSON));
    r
}

/// Running: cancel, 200 + status. Otherwise: no longer cancellable, the result
/// file is deleted, 204 (oas cancelRequest).
pub async fn cancel(
    State(st): State<Arc<AppState>>,
    Path((kind, id)): Path<(String, String)>,
) -> Resp {
    let Some(s) = lookup(&st, &kind, &id) else {
        return not_found();
    };
    let now = Utc::now();
    match s.phase(now) {
        Phase::Running => {
            *s.cancelled.lock().unwrap() = Some(now);
            http::json(StatusCode::OK, &s.status(now))
        }
        _ => {
            s.deleted.lock().unwrap().get_or_insert(now);
            http::empty(StatusCode::NO_CONTENT)
        }
    }
}

pub async fn describe(Path(kind): Path<String>, body: Bytes) -> Resp {
    let Some(kind) = Kind::from_describe_path(&kind) else {
        return http::error(StatusCode::NOT_FOUND, "NotFound", "No such endpoint");
    };
    match parse_body(&body).and_then(|v| crate::validation::validate(kind, &v)) {
        Ok(q) => http::json(
            StatusCode::OK,
            &Value::String(crate::describe::describe(kind, &q)),
        ),
        Err(e) => e.into_response(),
    }
}
