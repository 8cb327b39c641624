//! The responses of injected faults, and the changes some faults make to a normal answer.

use crate::faults::{Fault, FaultKind};
use crate::http;
use crate::route::Route;
use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Response, StatusCode};
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::json;
use std::time::Duration;

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// The whole answer of a fault that replaces the API's answer.
pub fn response(f: &Fault, route: Route, retry_after: HeaderValue) -> Response<Body> {
    let retry_after = |mut r: Response<Body>| {
        r.headers_mut().insert(header::RETRY_AFTER, retry_after);
        r
    };
    match f.kind {
        FaultKind::Http500 => http::error(StatusCode::INTERNAL_SERVER_ERROR, "ApplicationError", "Internal server error (injected by aurorax-testserver)"),
        FaultKind::Http502 => {
            let mut r = Response::new(Body::from(BAD_GATEWAY_PAGE));
            *r.status_mut() = StatusCode::BAD_GATEWAY;
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        FaultKind::Http503 => retry_after(http::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Unavailable",
            "The API is in maintenance mode, disallowing any data creation/updating. Please try again later.",
        )),
        // "ToManyRequests" is the API's own spelling (oas ErrorDocument enum)
        FaultKind::Http429 => retry_after(http::error(StatusCode::TOO_MANY_REQUESTS, "ToManyRequests", "Too many requests, please slow down")),
        FaultKind::Http401 => http::error(StatusCode::UNAUTHORIZED, "NotAuthenticated", "Missing or invalid API key (injected by aurorax-testserver)"),
        FaultKind::Http404 => http::error(StatusCode::NOT_FOUND, "NotFound", "No request with given request id"),
        FaultKind::DataError => http::data_error(&f.error_code, &f.error_message),
        FaultKind::Malformed => http::json_text(StatusCode::OK, "{\"search_result\": {\"data_uri\": \"/api/v1/".into()),
        FaultKind::WrongTypes => http::json(StatusCode::OK, &match route {
            Route::Data => json!({"result": {"records": "not a list"}}),
            Route::Describe => json!({"description": 42}),
            Route::Submit => json!({"result": "accepted"}),
            _ => json!({"logs": "none", "search_request": [], "search_result": "finished"}),
        }),
        // these change the normal answer; the guard never asks for them here
        FaultKind::Reset | FaultKind::Delay | FaultKind::Truncate | FaultKind::Headers | FaultKind::Stall | FaultKind::NoLocation => {
            http::empty(StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// Sets the spec's headers. A Content-Length is declared as given, whatever the body's
/// real length: a longer declaration makes the connection close early, as a proxy
/// that dies mid-body would; a shorter one sends only that many bytes.
pub async fn set_headers(resp: Response<Body>, f: &Fault) -> Response<Body> {
    let mut declared = None;
    let (mut parts, body) = resp.into_parts();
    for (k, v) in &f.headers {
        let (Ok(name), Ok(value)) = (
            HeaderName::try_from(k.as_str()),
            HeaderValue::try_from(v.as_str()),
        ) else {
            continue;
        };
        if name == header::CONTENT_LENGTH {
            declared = v.trim().parse::<u64>().ok();
        }
        parts.headers.insert(name, value);
    }
    let resp = Response::from_parts(parts, body);
    match declared {
        Some(len) => declare_length(resp, len, len).await,
        None => resp,
    }
}

/// Keeps the declared Content-Length but sends only the first half of the body,
/// then fails the body stream so hyper closes the connection.
pub async fn truncate(resp: Response<Body>) -> Response<Body> {
    let len = content_length(&resp);
    match len {
        Some(len) => declare_length(resp, len, len / 2).await,
        None => {
            let (parts, body) = resp.into_parts();
            let all = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let len = all.len() as u64;
            declare_length(Response::from_parts(parts, Body::from(all)), len, len / 2).await
        }
    }
}

fn content_length(resp: &Response<Body>) -> Option<u64> {
    resp.headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
}

/// Declares `len` bytes, sends at most `send` bytes of the body, and if fewer than
/// `len` went out, fails the stream so hyper closes the connection. A streamed body
/// is cut as it streams, so a huge result is never held in memory.
async fn declare_length(resp: Response<Body>, len: u64, send: u64) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    let head = body.into_data_stream().scan(send, |left, chunk| {
        let out = match chunk {
            Ok(b) if *left > 0 => {
                let take = (*left).min(b.len() as u64) as usize;
                *left -= take as u64;
                Some(Ok::<Bytes, std::io::Error>(b.slice(..take)))
            }
            _ => None,
        };
        futures_util::future::ready(out)
    });
    let tail = futures_util::stream::once(async {
        // let hyper flush what was sent before the error closes the connection
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("short body fault"))
    });
    // a body that did fill the declared length ends before the tail is polled
    Response::from_parts(parts, Body::from_stream(head.chain(tail)))
}

/// Sends the first `after` bytes of the body, pauses `pause` with the connection open,
/// then sends the rest.
pub fn stall(resp: Response<Body>, after: u64, pause: Duration) -> Response<Body> {
    let (parts, body) = resp.into_parts();
    struct St {
        inner: axum::body::BodyDataStream,
        sent: u64,
        stalled: bool,
        pending: Option<Bytes>,
    }
    let st = St {
        inner: body.into_data_stream(),
        sent: 0,
        stalled: false,
        pending: None,
    };
    let s = futures_util::stream::unfold(st, move |mut st| async move {
        let chunk = match st.pending.take() {
            Some(b) => b,
            None => match st.inner.next().await? {
                Ok(b) => b,
                Err(e) => return Some((Err(e), st)),
            },
        };
        if !st.stalled {
            if st.sent >= after {
                st.stalled = true;
                tokio::time::sleep(pause).await;
            } else if st.sent + chunk.len() as u64 > after {
                let k = (after - st.sent) as usize;
                st.pending = Some(chunk.slice(k..));
                st.sent = after;
                return Some((Ok(chunk.slice(..k)), st));
            }
        }
        st.sent += chunk.len() as u64;
        Some((Ok(chunk), st))
    });
    Response::from_parts(parts, Body::from_stream(s))
}
