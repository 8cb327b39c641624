//! One HTTP exchange with the API, classified for the retry logic.

use crate::api::errors::{error_for_response, is_transient_http};
use crate::config::{is_secure_or_loopback, Settings};
use crate::error::{Error, Status};
use reqwest::{Client, Method};
use std::time::Duration;

pub const API_KEY_HEADER: &str = "x-aurorax-api-key";

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
    /// The server asked us to come back later (429/503 `Retry-After`), or refused the
    /// request before acting on it, which also makes a POST safe to resend.
    pub retry_after: Option<Duration>,
    pub refused_before_acting: bool,
}

impl Failure {
    fn final_(error: Error) -> Failure {
        Failure { error, transient: false, unsent: false, retry_after: None, refused_before_acting: false }
    }
}

/// Sends one request and reads the whole body. Waiting for the answer and for each chunk
/// of its body is bounded by the request timeout, so a stalled server cannot hang us, while
/// a large result that keeps flowing may take as long as it needs.
pub async fn exchange(client: &Client, settings: &Settings, method: Method, url: &str, body: Option<&str>) -> Result<Reply, Failure> {
    let mut request = client.request(method, url);
    if let Some(b) = body {
        request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(b.to_string());
    }
    if let Some(key) = &settings.api_key {
        // Checked when the search was created too; checked again per URL, since this is
        // the only place the key leaves the process.
        let allowed = url::Url::parse(url).map(|u| is_secure_or_loopback(&u)).unwrap_or(false);
        if !allowed {
            return Err(Failure::final_(Error::invalid("api_key", "refusing to send the API key over plain HTTP to a non-loopback host")));
        }
        request = request.header(API_KEY_HEADER, key.as_str());
    }
    let timeout = settings.request_timeout;
    let mut response = match tokio::time::timeout(timeout, request.send()).await {
        Err(_) => return Err(timed_out(timeout, "the answer")),
        Ok(Err(e)) => return Err(from_reqwest(&e)),
        Ok(Ok(r)) => r,
    };
    let code = response.status().as_u16();
    let header = |name: reqwest::header::HeaderName| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let location = header(reqwest::header::LOCATION);
    let retry_after = header(reqwest::header::RETRY_AFTER).and_then(|v| v.trim().parse::<f64>().ok()).filter(|s| s.is_finite() && *s >= 0.0).map(Duration::from_secs_f64);
    let mut bytes = Vec::with_capacity(response.content_length().unwrap_or(0).min(1 << 32) as usize);
    loop {
        match tokio::time::timeout(timeout, response.chunk()).await {
            Err(_) => return Err(timed_out(timeout, "the next part of the body")),
            Ok(Err(e)) => return Err(from_reqwest(&e)),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(chunk))) => bytes.extend_from_slice(&chunk),
        }
    }
    if (200..300).contains(&code) {
        return Ok(Reply { code, location, body: bytes });
    }
    if (300..400).contains(&code) {
        let to = location.unwrap_or_default();
        return Err(Failure::final_(Error::new(Status::Api, format!("HTTP {code}: the API redirected to '{to}'; not followed, to keep the API key on its host"))));
    }
    let error = error_for_response(code, &bytes);
    Err(Failure {
        transient: is_transient_http(code),
        unsent: false,
        retry_after,
        // 429 and 503 are refusals at the door: the search was not created.
        refused_before_acting: code == 429 || code == 503,
        error,
    })
}

fn timed_out(timeout: Duration, what: &str) -> Failure {
    Failure {
        error: Error::new(Status::Network, format!("timed out after {:.1} s waiting for {what}", timeout.as_secs_f64())),
        transient: true,
        unsent: false,
        retry_after: None,
        refused_before_acting: false,
    }
}

fn from_reqwest(e: &reqwest::Error) -> Failure {
    // The chain holds the useful part ("Connection refused"); the URL never holds the key.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Failure {
        error: Error::new(Status::Network, message),
        transient: true,
        unsent: e.is_connect(),
        retry_after: None,
        refused_before_acting: false,
    }
}
