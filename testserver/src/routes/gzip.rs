//! gzip of /api/ answers for clients that ask for it, compressed as the body streams
//! so that a huge result is never held in memory.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response};
use bytes::Bytes;
use flate2::write::GzEncoder;
use flate2::Compression;
use futures_util::StreamExt;
use std::io::Write;

/// Whether `Accept-Encoding` lists gzip with a non-zero weight.
pub fn accepted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let zero = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f64>().ok())
                    == Some(0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !zero
        })
}

/// An empty body (a 202 or 204) is sent as it is.
pub fn is_empty(resp: &Response<Body>) -> bool {
    http_body::Body::size_hint(resp.body()).exact() == Some(0)
}

/// The same answer gzip-encoded and sent chunked.
pub fn compress(resp: Response<Body>) -> Response<Body> {
    let (mut parts, body) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    let enc = GzEncoder::new(Vec::new(), Compression::fast());
    let s = futures_util::stream::unfold(
        (body.into_data_stream(), Some(enc)),
        |(mut inner, enc)| async move {
            let mut enc = enc?;
            // empty output is skipped: an empty chunk would end a chunked body
            loop {
                match inner.next().await {
                    Some(Ok(b)) => {
                        if let Err(e) = enc.write_all(&b) {
                            return Some((Err(e), (inner, None)));
                        }
                        let out = std::mem::take(enc.get_mut());
                        if !out.is_empty() {
                            return Some((Ok(Bytes::from(out)), (inner, Some(enc))));
                        }
                    }
                    Some(Err(e)) => return Some((Err(std::io::Error::other(e)), (inner, None))),
                    None => {
                        return match enc.finish() {
                            Ok(out) => Some((Ok(Bytes::from(out)), (inner, None))),
                            Err(e) => Some((Err(e), (inner, None))),
                        }
                    }
                }
            }
        },
    );
    Response::from_parts(parts, Body::from_stream(s))
}
