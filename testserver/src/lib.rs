//! Local AuroraX API server: speaks the search protocol of aurorax-api.md, with
//! deterministic records and faults programmable at run time.
//!
//! ```no_run
//! let server = aurorax_testserver::start(Default::default()).unwrap();
//! println!("{}", server.base_url());
//! ```

pub mod cli;
mod describe;
mod faults;
mod http;
mod kind;
mod network;
mod port;
mod records;
mod route;
mod routes;
mod search;
mod server;
mod state;
mod stats;
mod time;
mod tls;
mod validation;

pub use tls::{write_test_certificates, Alpn, TestCertificates, TlsFiles};

use serde_json::Value;
use state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub api_key: Option<String>,
    pub search_seconds: f64,
    /// How many searches the server remembers; the oldest are forgotten beyond it, as the
    /// real API forgets purged requests, so a long-running server's memory stays bounded.
    pub max_searches: usize,
    /// Serve HTTPS with these files (`--tls-cert`, `--tls-key`); `None`: plain HTTP.
    pub tls: Option<TlsFiles>,
    /// Which protocols are offered (`--http1-only`).
    pub alpn: Alpn,
    /// Applied at start as `POST /_testserver/config` would be (`--config`).
    pub initial_config: Option<Value>,
}

pub const DEFAULT_MAX_SEARCHES: usize = 10_000;

impl Default for Config {
    fn default() -> Config {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: None,
            search_seconds: 0.5,
            max_searches: DEFAULT_MAX_SEARCHES,
            tls: None,
            alpn: Alpn::default(),
            initial_config: None,
        }
    }
}

/// A running server; dropping it stops the server and joins its thread.
pub struct ServerGuard {
    base_url: String,
    port: u16,
    state: Arc<AppState>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// Binds, then serves on a thread of its own with its own tokio runtime, so
/// callers need no runtime. Returns once the socket is listening.
pub fn start(config: Config) -> std::io::Result<ServerGuard> {
    let listener = port::listen(config.listen)?;
    let addr = listener.local_addr()?;
    let tls = match &config.tls {
        Some(files) => Some(tls::acceptor(files, config.alpn)?),
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let state = Arc::new(AppState::new(
        config.api_key,
        config.search_seconds,
        config.max_searches,
        addr.to_string(),
        scheme,
        config.alpn == Alpn::Http1Only,
    ));
    if let Some(spec) = &config.initial_config {
        state
            .configure(spec)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    }
    let router = routes::router(state.clone());
    let state_for_server = state.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("aurorax-testserver")
        .enable_all()
        .build()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("aurorax-testserver".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => {
                        server::serve(l, router, state_for_server, tls, async {
                            let _ = rx.await;
                        })
                        .await
                    }
                    Err(e) => eprintln!("aurorax-testserver: {e}"),
                }
            });
            // do not wait for open connections or size computations still running
            runtime.shutdown_timeout(std::time::Duration::from_millis(100));
        })?;
    Ok(ServerGuard {
        base_url: format!("{scheme}://{addr}"),
        port: addr.port(),
        state,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

impl ServerGuard {
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The port it listens on, e.g. for `https://localhost:PORT`.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Same JSON as `GET /_testserver/stats`.
    pub fn stats(&self) -> Value {
        self.state.stats()
    }

    /// Same JSON as `POST /_testserver/faults`. Panics on an invalid spec: a test bug.
    pub fn inject_fault(&self, fault: Value) {
        routes::apply_faults(&self.state, &fault).unwrap_or_else(|e| panic!("inject_fault: {e}"));
    }

    /// Same JSON as `POST /_testserver/searches`. Panics on an invalid spec.
    pub fn set_search_outcome(&self, spec: Value) {
        self.state
            .set_outcome(&spec)
            .unwrap_or_else(|e| panic!("set_search_outcome: {e}"));
    }

    /// Same JSON as `POST /_testserver/config`. Panics on an invalid spec.
    pub fn configure(&self, spec: Value) {
        self.state
            .configure(&spec)
            .unwrap_or_else(|e| panic!("configure: {e}"));
    }

    /// Same as `POST /_testserver/expire {"request_id": id}`. Panics on an unknown id.
    pub fn expire(&self, request_id: &str) {
        self.state
            .expire(&serde_json::json!({ "request_id": request_id }))
            .unwrap_or_else(|e| panic!("expire: {e}"));
    }

    /// Same as `POST /_testserver/reset`.
    pub fn reset(&self) {
        self.state.reset();
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The exact text of the `result` array served by `GET .../data` for this
/// submitted query body under the default config (no result_count override).
/// Panics if the query would be rejected with 400.
pub fn expected_result_json(kind: &str, query: &Value) -> String {
    let kind = kind::Kind::from_path(kind).unwrap_or_else(|| panic!("unknown kind '{kind}'"));
    let q = validation::validate(kind, query).unwrap_or_else(|e| panic!("invalid query: {}", e.0));
    records::Plan::new(kind, &q, None).result_array()
}
