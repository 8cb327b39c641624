//! The HTTP client searches share, and the one rule that lets them share a connection.
//!
//! HTTP/2 is chosen by ALPN inside the TLS handshake, so until a first connection to a host
//! has been made the pool cannot know that one connection will carry every request: twenty
//! searches started together would open twenty connections. So while no request to an
//! origin has been answered, requests to it take turns; once one has been, they all go at
//! once and HTTP/2 multiplexes them over the pooled connection (HTTP/1.1 opens more, as
//! it must).

use reqwest::{Method, RequestBuilder, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    first_connections: Arc<Mutex<HashMap<String, Arc<FirstConnection>>>>,
}

#[derive(Default)]
struct FirstConnection {
    made: AtomicBool,
    turn: tokio::sync::Mutex<()>,
}

impl HttpClient {
    pub fn new(inner: reqwest::Client) -> HttpClient {
        HttpClient {
            inner,
            first_connections: Arc::default(),
        }
    }

    pub fn request(&self, method: Method, url: &str) -> RequestBuilder {
        self.inner.request(method, url)
    }

    /// Sends `request` to `origin` (scheme, host and port). The caller bounds the whole
    /// call, waiting for a turn included.
    pub async fn send(&self, request: RequestBuilder, origin: &str) -> reqwest::Result<Response> {
        let first = {
            let mut map = self
                .first_connections
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            map.entry(origin.to_string()).or_default().clone()
        };
        if first.made.load(Ordering::Acquire) {
            return request.send().await;
        }
        let turn = first.turn.lock().await;
        if first.made.load(Ordering::Acquire) {
            // the first answer came while this one waited: all go at once from here
            drop(turn);
            return request.send().await;
        }
        let result = request.send().await;
        if result.is_ok() {
            first.made.store(true, Ordering::Release);
        }
        drop(turn);
        result
    }
}
