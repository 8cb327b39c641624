//! The process-wide engine: one small tokio runtime, one HTTP client with a keep-alive
//! pool, and one task per search. Started lazily, stopped by `shutdown`, started again by
//! the next search.

mod http;
mod retry;
mod task;

pub use http::API_KEY_HEADER;
pub use task::{FIRST_POLL_DELAY, POLL_GROWTH};

use crate::config::Settings;
use crate::error::{Error, Result, Status};
use crate::query::SearchRequest;
use crate::search::{CancelAction, Search};
use once_cell::sync::Lazy;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::runtime::{Handle, Runtime};

/// Workers plus blocking threads (DNS look-ups) stay within four threads however many
/// searches run: the work is waiting on sockets, not computing.
const WORKER_THREADS: usize = 2;
const MAX_BLOCKING_THREADS: usize = 2;
const MAX_REDIRECTS: usize = 5;
/// How long `shutdown` lets searches cancelled mid-submit finish their DELETE.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

struct Engine {
    runtime: Mutex<Option<Runtime>>,
    handle: Handle,
    client: reqwest::Client,
    /// Searches still running, so `shutdown` can mark them cancelled.
    live: Mutex<HashMap<u64, Weak<Search>>>,
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
            .map_err(|e| Error::new(Status::Internal, format!("cannot start the engine's threads: {e}")))?;
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            .user_agent(concat!("libaurorax/", env!("CARGO_PKG_VERSION")))
            .pool_idle_timeout(Duration::from_secs(60))
            .connect_timeout(Duration::from_secs(10))
            .redirect(same_host_redirects_only())
            .build()
            .map_err(|e| Error::new(Status::Internal, format!("cannot build the HTTP client: {e}")))?;
        Ok(Engine { handle: runtime.handle().clone(), runtime: Mutex::new(Some(runtime)), client, live: Mutex::new(HashMap::new()) })
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

/// Validated request in, running search out; returns at once.
pub fn start_search(request: SearchRequest, settings: Settings) -> Result<Arc<Search>> {
    if let Err(e) = crate::config::normalize_api_url(&settings.api_url) {
        return Err(Error::invalid("the API URL (aurorax_set_api_url or AURORAX_API_URL)", e.message));
    }
    if settings.api_key.is_some() && !settings.key_may_be_sent() {
        return Err(Error::invalid(
            "api_key",
            format!("refusing to send the API key over plain HTTP to {}; use https or a loopback host", settings.api_url),
        ));
    }
    let engine = engine()?;
    let search = Arc::new(Search::new(request, settings));
    let id = NEXT_SEARCH.fetch_add(1, Ordering::Relaxed);
    engine.live.lock().unwrap_or_else(|e| e.into_inner()).insert(id, Arc::downgrade(&search));
    let weak_engine = Arc::downgrade(&engine);
    let task = engine.handle.spawn({
        let client = engine.client.clone();
        let search = search.clone();
        async move {
            task::run(client, search).await;
            if let Some(engine) = weak_engine.upgrade() {
                engine.live.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            }
        }
    });
    search.set_task(task.abort_handle());
    Ok(search)
}

/// Stops polling and, while the server still runs the search, DELETEs it there. Blocks
/// for that one request (bounded by the request timeout and two retries).
pub fn cancel(search: &Arc<Search>) -> Result<()> {
    let CancelAction::DeleteOnServer(id) = search.request_cancel("the search was cancelled by aurorax_cancel") else {
        return Ok(());
    };
    let engine = engine()?;
    let url = crate::api::urls::Endpoints::new(&search.settings.api_url, search.request.kind).request(&id);
    let client = engine.client.clone();
    let search = search.clone();
    engine.handle.block_on(async move { task::delete_request(&client, &search, &url).await })
}

/// Stops the engine and joins its threads. Running searches end Cancelled.
pub fn shutdown() {
    let Some(engine) = ENGINE.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return;
    };
    let live: Vec<Arc<Search>> = engine.live.lock().unwrap_or_else(|e| e.into_inner()).drain().filter_map(|(_, w)| w.upgrade()).collect();
    for search in &live {
        search.request_cancel("the search was cancelled by aurorax_shutdown");
    }
    // Polling tasks stop at once; a task still submitting lives on to DELETE the search it
    // may have created. Give those a moment before the runtime goes.
    let deadline = std::time::Instant::now() + SHUTDOWN_GRACE;
    while live.iter().any(|s| !s.task_finished()) && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let runtime = engine.runtime.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(runtime) = runtime {
        runtime.shutdown_timeout(Duration::from_secs(2));
    }
}
