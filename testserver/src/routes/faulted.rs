//! The responses of injected faults.

use crate::faults::{Fault, FaultKind};
use crate::http;
use crate::route::Route;
use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::json;
use std::time::Duration;

const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

pub fn response(f: &Fault, route: Route) -> Response<Body> {
    let retry_after = |mut r: Response<Body>| {
        r.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(f.retry_after_seconds),
        );
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
        FaultKind::Malformed => http::json_text(StatusCode::OK, "{\"search_result\": {\"data_uri\": \"/api/v1/".into()),
        FaultKind::WrongTypes => http::json(StatusCode::OK, &match route {
            Route::Data => json!({"result": {"records": "not a list"}}),
            Route::Describe => json!({"description": 42}),
            Route::Submit => json!({"result": "accepted"}),
            _ => json!({"logs": "none", "search_request": [], "search_result": "finished"}),
        }),
        // handled by the guard, never here
        FaultKind::Reset | FaultKind::Delay | FaultKind::Truncate => http::empty(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// Keeps the declared Content-Length but sends only the first half of the body,
/// then fails the body stream so hyper closes the connection. A streamed body is
/// cut as it streams, so a huge result is never held in memory.
pub async fn truncate(resp: Response<Body>) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let (len, body) = match declared {
        Some(len) => (len, body),
        None => {
            let all = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            (all.len() as u64, Body::from(all))
        }
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    let head = body.into_data_stream().scan(len / 2, |left, chunk| {
        let out = match chunk {
            Ok(b) if *left > 0 => {
                let take = (*left as usize).min(b.len());
                *left -= take as u64;
                Some(Ok::<Bytes, std::io::Error>(b.slice(..take)))
            }
            _ => None,
        };
        futures_util::future::ready(out)
    });
    let tail = futures_util::stream::once(async {
        // let hyper flush the first half before the error closes the connection
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("truncate fault"))
    });
    Response::from_parts(parts, Body::from_stream(head.chain(tail)))
}
