//! The process-wide engine: one small tokio runtime, one HTTP client with a keep-alive
//! pool per trust (the system's store, or it plus one CA bundle), and one task per search. Started lazily, stopped by `shutdown`, started again by
//! the next search.
//!
//! Ownership: every search's task is spawned under the engine's task tracker with a child
//! of the engine's cancellation token, and watched by a supervisor that settles the search
//! if the task panics or ends without settling it. Cancel, free and shutdown only signal;
//! the task alone talks to the server.

mod client;
mod download;
mod http;
mod one_off;
mod proxy;
mod retry;
pub(crate) mod retry_after;
pub mod schedule;
mod task;

pub(crate) use client::HttpClient;
pub use proxy::ProxyEnv;
#[cfg(feature = "test-hooks")]
pub use task::PANIC_IN_NEXT_TASK;

use crate::config::Settings;
use crate::error::{panic_text, Error, Result, Status};
use crate::log::{log_at, Level};
use crate::search::{Job, Search};
use once_cell::sync::Lazy;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::runtime::{Handle, Runtime};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Workers plus blocking threads (DNS look-ups) stay within four threads however many
/// searches run: the work is waiting on sockets, not computing.
const WORKER_THREADS: usize = 2;
const MAX_BLOCKING_THREADS: usize = 2;
const MAX_REDIRECTS: usize = 5;
/// Unread bytes one download may leave on an HTTP/2 connection (40 MB/s at a 100 ms round
/// trip), and the connection's window: the largest HTTP/2 allows, so that no stream waits
/// for another's reader.
const HTTP2_STREAM_WINDOW: u32 = 4 << 20;
const HTTP2_CONNECTION_WINDOW: u32 = (1 << 31) - 1;
/// How long `shutdown` lets tasks finish what they owe the server (a DELETE).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

struct Engine {
    runtime: Mutex<Option<Runtime>>,
    handle: Handle,
    /// Keyed by the CA bundle's fingerprint (`None`: the system's store alone). Searches
    /// with the same trust share one client, so one pool of connections.
    clients: Mutex<HashMap<Option<u64>, HttpClient>>,
    proxies: ProxyEnv,
    tracker: TaskTracker,
    stop_all: CancellationToken,
}

static ENGINE: Lazy<Mutex<Option<Arc<Engine>>>> = Lazy::new(|| Mutex::new(None));
static NEXT_SEARCH: AtomicU64 = AtomicU64::new(1);

fn engine() -> Result<Arc<Engine>> {
    let mut slot = ENGINE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = slot.as_ref() {
        return Ok(e.clone());
    }
    let engine = Arc::new(Engine::start()?);
    *slot = Some(engine.clone());
    Ok(engine)
}

impl Engine {
    fn start() -> Result<Engine> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKER_THREADS)
            .max_blocking_threads(MAX_BLOCKING_THREADS)
            .thread_name("aurorax-engine")
            .enable_all()
            .build()
            .map_err(|e| {
                Error::new(
                    Status::AURORAX_ERR_INTERNAL,
                    format!("cannot start the engine's threads: {e}"),
                )
            })?;
        Ok(Engine {
            handle: runtime.handle().clone(),
            runtime: Mutex::new(Some(runtime)),
            clients: Mutex::new(HashMap::new()),
            proxies: ProxyEnv::from_env(),
            tracker: TaskTracker::new(),
            stop_all: CancellationToken::new(),
        })
    }
}

impl Engine {
    /// The HTTP client for searches trusting what `settings` trusts, made on first use.
    fn client_for(&self, settings: &Settings) -> Result<HttpClient> {
        let bundle = settings.ca_bundle.as_deref();
        let key = bundle.map(crate::trust::CaBundle::fingerprint);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = clients.get(&key) {
            return Ok(c.clone());
        }
        let proxies = self.proxies.clone();
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(crate::trust::client_config(bundle)?)
            .user_agent(concat!("libaurorax/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            // HTTP/2 carries every search over one connection. The connection's window is
            // shared: with hyper's default, a few searches whose records are still being
            // split (their bytes unread) would stall every other download on it. Each
            // stream's own window still bounds what waits unread per search.
            .http2_initial_stream_window_size(HTTP2_STREAM_WINDOW)
            .http2_initial_connection_window_size(HTTP2_CONNECTION_WINDOW)
            .redirect(same_host_redirects_only())
            // reqwest's own reading of the environment would proxy loopback too.
            .no_proxy()
            .proxy(reqwest::Proxy::custom(move |url| proxies.proxy_for(url)))
            .build()
            .map_err(|e| {
                Error::new(
                    Status::AURORAX_ERR_INTERNAL,
                    format!("cannot build the HTTP client: {e}"),
                )
            })?;
        let client = HttpClient::new(client);
        clients.insert(key, client.clone());
        Ok(client)
    }
}

/// The API key header would otherwise follow a redirect to any host.
fn same_host_redirects_only() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().cloned();
        let same_origin = first.is_some_and(|f| {
            f.host_str() == attempt.url().host_str()
                && f.port_or_known_default() == attempt.url().port_or_known_default()
                && !(f.scheme() == "https" && attempt.url().scheme() != "https")
        });
        if attempt.previous().len() > MAX_REDIRECTS || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// Starts the engine's work for `job`; returns at once.
pub fn start(job: Job, settings: Settings) -> Result<Arc<Search>> {
    // config::current() checked them too; settings built by a Rust caller are checked here
    settings.check()?;
    let engine = engine()?;
    let client = engine.client_for(&settings)?;
    let search = Arc::new(Search::new(job, settings, engine.stop_all.child_token()));
    let label = format!("search {}", NEXT_SEARCH.fetch_add(1, Ordering::Relaxed));
    log_at!(
        Level::Debug,
        "{label}: started ({:?})",
        search.job.kind().map_or("lookup", |k| k.path_segment())
    );
    let work = engine.tracker.spawn_on(
        task::Task {
            client,
            search: search.clone(),
            label: label.clone(),
            liveness: retry::Liveness::new(),
        }
        .run(),
        &engine.handle,
    );
    engine.tracker.spawn_on(
        supervise(work, search.clone(), engine.stop_all.clone(), label),
        &engine.handle,
    );
    Ok(search)
}

/// Every search ends: a task that panics, returns without settling its search, or is
/// dropped with the runtime leaves the search to this guard.
async fn supervise(
    work: JoinHandle<()>,
    search: Arc<Search>,
    stop_all: CancellationToken,
    label: String,
) {
    let guard = SettleOnDrop {
        search: search.clone(),
        stop_all,
    };
    let outcome = work.await;
    if let Err(e) = outcome {
        if e.is_panic() {
            let what = panic_text(e.into_panic().as_ref());
            log_at!(Level::Error, "{label}: the engine's task panicked: {what}");
            search.fail(Error::new(
                Status::AURORAX_ERR_INTERNAL,
                format!("a bug in libaurorax stopped this search (contained panic: {what})"),
            ));
        }
    }
    drop(guard);
}

struct SettleOnDrop {
    search: Arc<Search>,
    stop_all: CancellationToken,
}

impl Drop for SettleOnDrop {
    fn drop(&mut self) {
        if self.stop_all.is_cancelled() {
            self.search.settle_on_stop();
        } else {
            self.search.fail(Error::new(
                Status::AURORAX_ERR_INTERNAL,
                "a bug in libaurorax: the engine's work for this search ended without settling it",
            ));
        }
    }
}

/// Runs `work` on the engine and waits for it from the caller's thread, at most `limit`.
fn block_on_engine<T: Send + 'static>(
    limit: Duration,
    work: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    let engine = engine()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    engine.tracker.spawn_on(
        async move {
            let _ = tx.send(work.await);
        },
        &engine.handle,
    );
    match rx.recv_timeout(limit) {
        Ok(answer) => answer,
        Err(RecvTimeoutError::Timeout) => Err(Error::new(
            Status::AURORAX_ERR_NETWORK,
            format!("no answer within {:.1} s", limit.as_secs_f64()),
        )),
        // the work was dropped unfinished: only a shutdown does that
        Err(RecvTimeoutError::Disconnected) => Err(Error::new(
            Status::AURORAX_ERR_CANCELLED,
            "the engine was shut down (aurorax_shutdown) before the answer arrived",
        )),
    }
}

pub(crate) use one_off::{describe, one_off};

/// Stops the engine and joins its threads. Running searches end Cancelled; searches
/// cancelled while their submit was in flight get up to `SHUTDOWN_GRACE` to DELETE.
pub fn shutdown() {
    let Some(engine) = ENGINE.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return;
    };
    engine.stop_all.cancel();
    engine.tracker.close();
    let tracker = engine.tracker.clone();
    let runtime = engine
        .runtime
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    if let Some(runtime) = runtime {
        // Never called on an engine thread (the C API is not callable from the log
        // callback), so blocking here is safe.
        let _ =
            runtime.block_on(async { tokio::time::timeout(SHUTDOWN_GRACE, tracker.wait()).await });
        runtime.shutdown_timeout(Duration::from_secs(2));
    }
}
