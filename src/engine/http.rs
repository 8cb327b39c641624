//! One HTTP exchange with the API, classified for the retry logic. Nothing the server
//! sends sizes an allocation or a sleep unchecked: bodies grow as bytes arrive up to a cap
//! per kind of answer, and `Retry-After` is clamped.

use super::client::HttpClient;
use super::retry_after::parse_retry_after;
use crate::api::errors::{error_for_response, is_transient_http};
use crate::config::{is_secure_or_loopback, Settings};
use crate::error::{Error, Status};
use reqwest::{Method, Response};
use std::time::Duration;

pub const API_KEY_HEADER: &str = "x-aurorax-api-key";

/// Caps on what one answer may hold. A status carries the request's logs, which grow with
/// the search; a long conjunction search logs a few hundred kilobytes.
pub(crate) const MAX_STATUS_BYTES: usize = 32 << 20;
pub(crate) const MAX_DESCRIBE_BYTES: usize = 1 << 20;
/// An error page only feeds a message.
const MAX_ERROR_BODY_BYTES: usize = 64 << 10;
/// Reserved up front for a result whose size was announced; beyond this it grows as
/// bytes arrive, so a lying `Content-Length` costs nothing.
pub(crate) const MAX_UPFRONT_RESERVATION: usize = 8 << 20;

/// A complete answer with a success status.
pub struct Reply {
    pub code: u16,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// A failed attempt and whether trying again can help.
#[derive(Debug)]
pub struct Failure {
    pub error: Error,
    pub transient: bool,
    /// The request never reached the server (no connection): safe to resend even a POST.
    pub unsent: bool,
    /// The server asked us to come back later (429/503 `Retry-After`), already clamped.
    pub retry_after: Option<Duration>,
    /// The server refused the request before acting on it, which also makes a POST safe
    /// to resend.
    pub refused_before_acting: bool,
}

impl Failure {
    pub fn final_(error: Error) -> Failure {
        Failure {
            error,
            transient: false,
            unsent: false,
            retry_after: None,
            refused_before_acting: false,
        }
    }

    pub fn transient(error: Error) -> Failure {
        Failure {
            transient: true,
            ..Failure::final_(error)
        }
    }
}

/// Sends one request and returns the response once its head arrived with a success
/// status; other answers become a [`Failure`] (their bodies read up to a small cap for the
/// message). Waiting for the head is bounded by the request timeout.
pub async fn send(
    client: &HttpClient,
    settings: &Settings,
    method: Method,
    url: &str,
    body: Option<&str>,
) -> Result<Response, Failure> {
    send_with_headers(client, settings, method, url, body, Vec::new()).await
}

/// `send` with extra request headers (a resumed download's `Range`).
pub async fn send_with_headers(
    client: &HttpClient,
    settings: &Settings,
    method: Method,
    url: &str,
    body: Option<&str>,
    headers: Vec<(reqwest::header::HeaderName, reqwest::header::HeaderValue)>,
) -> Result<Response, Failure> {
    let parsed = url::Url::parse(url).ok();
    let origin = parsed
        .as_ref()
        .map_or_else(String::new, |u| u.origin().ascii_serialization());
    let mut request = client.request(method, url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if let Some(b) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(b.to_string());
    }
    if let Some(key) = &settings.api_key {
        // Checked when the search was created too; checked again per URL, since this is
        // the only place the key leaves the process.
        let allowed = parsed.as_ref().is_some_and(is_secure_or_loopback);
        if !allowed {
            return Err(Failure::final_(Error::invalid(
                "api_key",
                "refusing to send the API key over plain HTTP to a non-loopback host",
            )));
        }
        request = request.header(API_KEY_HEADER, key.as_str());
    }
    let timeout = settings.request_timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut response = match tokio::time::timeout_at(deadline, client.send(request, &origin)).await
    {
        Err(_) => return Err(timed_out(timeout, "the answer")),
        Ok(Err(e)) => return Err(from_reqwest(&e)),
        Ok(Ok(r)) => r,
    };
    let code = response.status().as_u16();
    if (200..300).contains(&code) {
        return Ok(response);
    }
    if (300..400).contains(&code) {
        let Some(to) = location_of(&response).filter(|to| !to.is_empty()) else {
            // e.g. 304 Not Modified, to a request that asked for no such thing
            return Err(Failure::final_(
                Error::protocol(format!(
                    "HTTP {code} without a Location: not an answer this request can have"
                ))
                .with_http_status(code),
            ));
        };
        let to = crate::error::server_text(&to, 200);
        return Err(Failure::final_(
            Error::new(Status::AURORAX_ERR_API, format!("HTTP {code}: the API redirected to '{to}'; not followed, to keep the API key on its host")).with_http_status(code),
        ));
    }
    let retry_after = header_text(&response, reqwest::header::RETRY_AFTER)
        .and_then(|v| parse_retry_after(&v, std::time::SystemTime::now()));
    // The body only feeds the message: read what comes within the timeout, up to a cap.
    let bytes = read_body(
        &mut response,
        deadline,
        MAX_ERROR_BODY_BYTES,
        Overflow::Truncate,
    )
    .await
    .unwrap_or_default();
    Err(Failure {
        error: error_for_response(code, &bytes),
        transient: is_transient_http(code),
        unsent: false,
        retry_after,
        // 429 and 503 are refusals at the door: the search was not created.
        refused_before_acting: code == 429 || code == 503,
    })
}

/// What to do with a body longer than its cap, or still arriving at the deadline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    Refuse,
    Truncate,
}

/// Reads a whole (small) body by `deadline`, growing the buffer as bytes arrive: the
/// request's one timeout bounds the whole exchange, so no pace of trickling can stretch it.
pub async fn read_body(
    response: &mut Response,
    deadline: tokio::time::Instant,
    cap: usize,
    overflow: Overflow,
) -> Result<Vec<u8>, Failure> {
    let started = tokio::time::Instant::now();
    let mut bytes = Vec::new();
    loop {
        let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            Ok(Ok(None)) => break,
            Ok(Err(e)) => return Err(from_reqwest(&e)),
            Err(_) if overflow == Overflow::Truncate => break,
            Err(_) => {
                return Err(Failure::transient(Error::new(
                    Status::AURORAX_ERR_NETWORK,
                    format!(
                        "the answer did not arrive whole within the request timeout \
                         ({} bytes, the last {:.1} s)",
                        bytes.len(),
                        started.elapsed().as_secs_f64()
                    ),
                )))
            }
        };
        if bytes.len() + chunk.len() > cap {
            if overflow == Overflow::Truncate {
                bytes.extend_from_slice(&chunk[..cap - bytes.len()]);
                break;
            }
            return Err(Failure::final_(Error::protocol(format!(
                "the API's answer is larger than {} MiB, more than it can be",
                cap >> 20
            ))));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A result must keep coming at this average pace over each request-timeout window, so a
/// server trickling bytes cannot hold a download (and a caller in `aurorax_get_data`) for
/// ever; a timeout per chunk alone would not see it. 1 KiB/s is far below any real link.
const MIN_BYTES_PER_SECOND: f64 = 1024.0;

/// The chunks of a body as they arrive. Each wait for the next chunk is bounded by
/// `timeout`, and each `timeout` window must bring `MIN_BYTES_PER_SECOND` on average.
pub struct BodyChunks<'a> {
    response: &'a mut Response,
    timeout: Duration,
    window_start: std::time::Instant,
    window_bytes: usize,
}

impl<'a> BodyChunks<'a> {
    pub fn new(response: &'a mut Response, timeout: Duration) -> BodyChunks<'a> {
        BodyChunks {
            response,
            timeout,
            window_start: std::time::Instant::now(),
            window_bytes: 0,
        }
    }

    /// The next chunk, `None` at the end of the body.
    pub async fn next(&mut self) -> Result<Option<bytes::Bytes>, Failure> {
        let chunk = match tokio::time::timeout(self.timeout, self.response.chunk()).await {
            Err(_) => return Err(timed_out(self.timeout, "the next part of the body")),
            Ok(Err(e)) => return Err(from_reqwest(&e)),
            Ok(Ok(None)) => return Ok(None),
            Ok(Ok(Some(chunk))) => chunk,
        };
        self.window_bytes += chunk.len();
        let window = self.window_start.elapsed();
        if window >= self.timeout {
            if (self.window_bytes as f64) < MIN_BYTES_PER_SECOND * window.as_secs_f64() {
                return Err(Failure::transient(Error::new(
                    Status::AURORAX_ERR_NETWORK,
                    format!(
                        "the body trickles in ({} bytes in {:.1} s, under 1 KiB/s)",
                        self.window_bytes,
                        window.as_secs_f64()
                    ),
                )));
            }
            (self.window_start, self.window_bytes) = (std::time::Instant::now(), 0);
        }
        Ok(Some(chunk))
    }
}

/// One request whose answer's head is all that is wanted (a 202 and its Location): its
/// body is not waited for, so a slow one cannot fail a search the server has accepted.
pub async fn exchange_head(
    client: &HttpClient,
    settings: &Settings,
    method: Method,
    url: &str,
    body: Option<&str>,
) -> Result<Reply, Failure> {
    let response = send(client, settings, method, url, body).await?;
    Ok(Reply {
        code: response.status().as_u16(),
        location: location_of(&response),
        body: Vec::new(),
    })
}

fn location_of(response: &Response) -> Option<String> {
    header_text(response, reqwest::header::LOCATION)
}

fn header_text(response: &Response, name: reqwest::header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// One request whose whole (capped) body is wanted.
pub async fn exchange(
    client: &HttpClient,
    settings: &Settings,
    method: Method,
    url: &str,
    body: Option<&str>,
    cap: usize,
) -> Result<Reply, Failure> {
    let deadline = tokio::time::Instant::now() + settings.request_timeout;
    let mut response = send(client, settings, method, url, body).await?;
    let code = response.status().as_u16();
    let location = location_of(&response);
    let body = read_body(&mut response, deadline, cap, Overflow::Refuse).await?;
    Ok(Reply {
        code,
        location,
        body,
    })
}

pub fn timed_out(timeout: Duration, what: &str) -> Failure {
    Failure::transient(Error::new(
        Status::AURORAX_ERR_NETWORK,
        format!(
            "timed out after {:.1} s waiting for {what}",
            timeout.as_secs_f64()
        ),
    ))
}

pub fn from_reqwest(e: &reqwest::Error) -> Failure {
    let chain = causes(e);
    // A certificate the client does not trust stays untrusted however often it is asked:
    // never retried, and named as what it is.
    if let Some(reason) = crate::trust::handshake_failure(&chain, e.is_connect()) {
        let host = e.url().map_or_else(
            || "the server".to_string(),
            |u| match (u.host_str(), u.port_or_known_default()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_string(),
                _ => "the server".to_string(),
            },
        );
        return Failure {
            unsent: e.is_connect(),
            ..Failure::final_(Error::new(
                Status::AURORAX_ERR_TLS,
                crate::trust::tls_message(&host, &reason),
            ))
        };
    }
    // The chain holds the useful part ("Connection refused"); the URL never holds the key.
    let mut parts: Vec<String> = chain.iter().map(|s| s.to_string()).collect();
    // an io::Error shows the error it wraps: said once is enough
    parts.dedup();
    let message = parts.join(": ");
    let not_http = chain.iter().any(|s| {
        s.downcast_ref::<hyper::Error>()
            .is_some_and(hyper::Error::is_parse)
    });
    // An answer that is not HTTP (a garbled status line or header) breaks the protocol; it
    // may still be a proxy's hiccup, so it is retried like a network failure.
    let status = if not_http {
        Status::AURORAX_ERR_PROTOCOL
    } else {
        Status::AURORAX_ERR_NETWORK
    };
    Failure {
        unsent: e.is_connect(),
        ..Failure::transient(Error::new(status, message))
    }
}

/// An error and its causes, outermost first. `io::Error::source` skips the error an
/// io::Error wraps (where rustls puts a certificate problem), so that one is taken instead.
fn causes(e: &reqwest::Error) -> Vec<&(dyn std::error::Error + 'static)> {
    let mut chain: Vec<&(dyn std::error::Error + 'static)> = vec![e];
    while let Some(last) = chain.last().copied() {
        let wrapped = last
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        match wrapped.or_else(|| last.source()) {
            // a cycle cannot be built with these types; the bound is cheap insurance
            Some(next) if chain.len() < 32 => chain.push(next),
            _ => break,
        }
    }
    chain
}
