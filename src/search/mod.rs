//! One search as its caller sees it: plain state behind a mutex, a condition variable for
//! waiters, and atomics for the questions that must never block (data ready? which phase?
//! how many bytes?). The engine's task writes the progress. The caller's side reads it, and
//! may end it: a cancel or free on the caller's thread settles the search as cancelled and
//! fires its token. Whichever ends it first stands; every later end is refused.

use crate::api::records::columns::{column, Column, ColumnKind, Pointer};
use crate::api::records::ResultText;
use crate::config::Settings;
use crate::error::{Error, Result, Status};
use crate::query::{Kind, SearchRequest};
use crate::status::aurorax_phase_t;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

mod described;
pub mod ended;

/// What the engine does for a handle.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// Submit a search, follow it, download its result.
    Submit(SearchRequest),
    /// Follow a request submitted earlier (by anyone), then download its result.
    Attach { kind: Kind, request_id: String },
    /// One GET, relative to the API base URL, whose JSON array answer is the result
    /// (data sources, availability): no request id, no polling.
    Lookup { path_and_query: String },
}

impl Job {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Job::Submit(r) => Some(r.kind),
            Job::Attach { kind, .. } => Some(*kind),
            Job::Lookup { .. } => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchState {
    /// The search POST has not been answered yet.
    Submitting,
    /// The server accepted it; we poll its status.
    Running,
    /// The server has the result; we are downloading it.
    Completed,
    /// The result is in memory.
    Ready,
    Failed,
    Cancelled,
}

impl SearchState {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            SearchState::Ready | SearchState::Failed | SearchState::Cancelled
        )
    }
}

const PHASE_SUBMITTING: i32 = aurorax_phase_t::AURORAX_PHASE_SUBMITTING as i32;
const PHASE_RUNNING: i32 = aurorax_phase_t::AURORAX_PHASE_RUNNING as i32;
const PHASE_DOWNLOADING: i32 = aurorax_phase_t::AURORAX_PHASE_DOWNLOADING as i32;
const PHASE_READY: i32 = aurorax_phase_t::AURORAX_PHASE_READY as i32;

#[derive(Debug)]
struct Progress {
    state: SearchState,
    request_id: Option<String>,
    request_url: Option<String>,
    error: Option<Error>,
    status_json: Option<String>,
    logs_json: String,
    /// When the engine learnt the server had finished, and how long the download took.
    completed_at: Option<Instant>,
    download_time: Option<Duration>,
}

#[derive(Debug)]
pub struct Search {
    pub job: Job,
    pub settings: Settings,
    progress: Mutex<Progress>,
    changed: Condvar,
    /// `check_for_data`'s answer, mirrored so it is one atomic read.
    data_flag: AtomicI32,
    phase: AtomicI32,
    bytes_received: AtomicI64,
    bytes_expected: AtomicI64,
    /// The caller asked for the request to be cancelled on the server too (not just freed).
    delete_owed: AtomicBool,
    /// The server said it had the result (even if the search was cancelled just after).
    server_finished: AtomicBool,
    result: OnceLock<ResultText>,
    /// Columns asked for, kept until the handle is freed (their texts are handed out).
    columns: Mutex<HashMap<(ColumnKind, Pointer), Arc<Column>>>,
    /// Signalled by cancel, free and shutdown; the engine's task watches it.
    stop: CancellationToken,
}

impl Search {
    pub fn new(job: Job, settings: Settings, stop: CancellationToken) -> Search {
        let (state, request_id, phase) = match &job {
            Job::Attach { request_id, .. } => (
                SearchState::Running,
                Some(request_id.clone()),
                PHASE_RUNNING,
            ),
            _ => (SearchState::Submitting, None, PHASE_SUBMITTING),
        };
        Search {
            job,
            settings,
            progress: Mutex::new(Progress {
                state,
                request_id,
                request_url: None,
                error: None,
                status_json: None,
                logs_json: "[]".to_string(),
                completed_at: None,
                download_time: None,
            }),
            changed: Condvar::new(),
            data_flag: AtomicI32::new(0),
            phase: AtomicI32::new(phase),
            bytes_received: AtomicI64::new(0),
            bytes_expected: AtomicI64::new(-1),
            delete_owed: AtomicBool::new(false),
            server_finished: AtomicBool::new(false),
            result: OnceLock::new(),
            columns: Mutex::new(HashMap::new()),
            stop,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Progress> {
        // A panic elsewhere must not make every later call panic too.
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ---- readers (the caller's side) ----

    /// 1 when the data is in memory, 0 while not yet, the failure's status code (< 0) after
    /// a failure or cancel. One atomic read: never I/O, never a lock.
    pub fn check_for_data(&self) -> i32 {
        self.data_flag.load(Ordering::Acquire)
    }

    /// A `PHASE_*` value, or the failure's status code. One atomic read.
    pub fn phase(&self) -> i32 {
        self.phase.load(Ordering::Acquire)
    }

    pub fn bytes_received(&self) -> i64 {
        self.bytes_received.load(Ordering::Relaxed)
    }

    /// -1 while unknown.
    pub fn bytes_expected(&self) -> i64 {
        self.bytes_expected.load(Ordering::Relaxed)
    }

    pub fn state(&self) -> SearchState {
        self.lock().state
    }

    pub fn has_ended(&self) -> bool {
        self.check_for_data() != 0
    }

    /// Blocks until the data is in memory, the search ends otherwise, or `timeout` passes
    /// (`None`: no limit). Timing out leaves the search running.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<()> {
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        let mut progress = self.lock();
        loop {
            match progress.state {
                SearchState::Ready => return Ok(()),
                SearchState::Failed | SearchState::Cancelled => return Err(final_error(&progress)),
                _ => {}
            }
            progress = match deadline {
                None => self
                    .changed
                    .wait(progress)
                    .unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        let asked = timeout.unwrap_or_default().as_secs_f64();
                        return Err(Error::new(
                            Status::AURORAX_ERR_TIMEOUT,
                            format!("the search did not finish within {asked:.3} s; it goes on"),
                        ));
                    }
                    self.changed
                        .wait_timeout(progress, d - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            };
        }
    }

    /// The records; blocks while a finished search's result downloads.
    pub fn data(&self) -> Result<&ResultText> {
        if let Some(r) = self.result.get() {
            return Ok(r);
        }
        match self.state() {
            SearchState::Submitting | SearchState::Running => Err(Error::new(
                Status::AURORAX_ERR_NOT_READY,
                "the search has not finished yet; use aurorax_wait or aurorax_check_for_data first",
            )),
            _ => {
                self.wait(None)?;
                self.result.get().ok_or_else(|| {
                    Error::new(
                        Status::AURORAX_ERR_INTERNAL,
                        "the search is ready but holds no result",
                    )
                })
            }
        }
    }

    /// The records' values at `pointer`, computed once per handle; never blocks.
    pub fn column(&self, pointer: &Pointer, kind: ColumnKind) -> Result<Arc<Column>> {
        let result = self.data_if_ready()?;
        let key = (kind, pointer.clone());
        if let Some(c) = self
            .columns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(c.clone());
        }
        // computed outside the lock: another column may be read meanwhile
        let computed = Arc::new(column(result, pointer, kind));
        let mut columns = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        Ok(columns.entry(key).or_insert(computed).clone())
    }

    /// The result if it is in memory; never blocks.
    pub fn data_if_ready(&self) -> Result<&ResultText> {
        if let Some(r) = self.result.get() {
            return Ok(r);
        }
        match self.error() {
            Some(e) => Err(e),
            None => Err(Error::new(
                Status::AURORAX_ERR_NOT_READY,
                "the data is not in memory yet; use aurorax_wait or aurorax_check_for_data first",
            )),
        }
    }

    pub fn request_id(&self) -> Option<String> {
        self.lock().request_id.clone()
    }

    pub fn request_url(&self) -> Option<String> {
        self.lock().request_url.clone()
    }

    /// Why the search failed or was cancelled; `None` otherwise.
    pub fn error(&self) -> Option<Error> {
        let progress = self.lock();
        match progress.state {
            SearchState::Failed | SearchState::Cancelled => Some(final_error(&progress)),
            _ => None,
        }
    }

    /// How long the result took to download and cut out, from the status saying the server
    /// had finished to the records being in memory (for benchmarks and diagnostics).
    pub fn download_time(&self) -> Option<Duration> {
        self.lock().download_time
    }

    /// The latest status document exactly as the API sent it.
    pub fn status_json(&self) -> Option<String> {
        self.lock().status_json.clone()
    }

    /// The request's log entries as a JSON array (empty until the first status arrives).
    pub fn logs_json(&self) -> String {
        self.lock().logs_json.clone()
    }

    // ---- signals (the caller's side): they change local state at once and leave all
    // talking to the server to the engine's task ----

    /// Ends the search locally (waiters wake with `AURORAX_ERR_CANCELLED`) and tells the
    /// task to stop. With `delete_on_server`, the task DELETEs the request if the server is
    /// still running it. A search that already ended is left as it is.
    pub fn cancel(&self, reason: &str, delete_on_server: bool) -> bool {
        let cancelled = self.end(
            SearchState::Cancelled,
            Error::new(Status::AURORAX_ERR_CANCELLED, reason),
        );
        if cancelled && delete_on_server {
            self.delete_owed.store(true, Ordering::Release);
        }
        self.stop.cancel();
        cancelled
    }

    /// The engine is stopping the search's work (a shutdown, or the task ended without
    /// settling it): a search that has not ended is cancelled here. One still being submitted
    /// owes the server its DELETE (nobody could collect it); one the server runs is left to
    /// it. A search that has ended is left as it is.
    pub fn settle_on_stop(&self) -> bool {
        let owes_delete = self.state() == SearchState::Submitting;
        self.cancel("the search was cancelled by aurorax_shutdown", owes_delete)
    }

    pub fn stop_token(&self) -> &CancellationToken {
        &self.stop
    }

    pub fn delete_owed(&self) -> bool {
        self.delete_owed.load(Ordering::Acquire)
    }

    /// True once the server said it had the result: a DELETE would then delete the file.
    pub fn server_finished(&self) -> bool {
        self.server_finished.load(Ordering::Acquire)
    }

    // ---- writers (the engine's side) ----

    fn end(&self, state: SearchState, error: Error) -> bool {
        let mut progress = self.lock();
        if progress.state.is_final() {
            return false;
        }
        let code = error.status.code();
        progress.state = state;
        progress.error = Some(error);
        self.data_flag.store(code, Ordering::Release);
        self.phase.store(code, Ordering::Release);
        drop(progress);
        self.changed.notify_all();
        ended::announce();
        true
    }

    /// Returns false when the search already ended (cancelled while the submit was in
    /// flight); the id is recorded all the same, so the caller can look the request up.
    pub fn set_running(&self, request_id: String, request_url: String) -> bool {
        let mut progress = self.lock();
        progress.request_id.get_or_insert(request_id);
        progress.request_url.get_or_insert(request_url);
        if progress.state.is_final() {
            return false;
        }
        progress.state = SearchState::Running;
        self.phase.store(PHASE_RUNNING, Ordering::Release);
        true
    }

    /// The latest status and logs as the server sent them, but for any API key it echoed:
    /// they are handed to the caller, who may print or store them.
    pub fn set_status(&self, status_json: String, logs_json: String) {
        let status_json = crate::secrets::redacted(status_json);
        let logs_json = crate::secrets::redacted(logs_json);
        let mut progress = self.lock();
        progress.status_json = Some(status_json);
        progress.logs_json = logs_json;
    }

    /// The server has the result; `expected_bytes` from the status's `file_size` if known.
    pub fn set_completed(&self, expected_bytes: Option<i64>) -> bool {
        self.server_finished.store(true, Ordering::Release);
        let mut progress = self.lock();
        if progress.state.is_final() {
            return false;
        }
        progress.state = SearchState::Completed;
        progress.completed_at = Some(Instant::now());
        if let Some(n) = expected_bytes.filter(|n| *n >= 0) {
            self.bytes_expected.store(n, Ordering::Relaxed);
        }
        self.phase.store(PHASE_DOWNLOADING, Ordering::Release);
        true
    }

    /// The answer's own size, when it announced one, is better than the status's guess.
    pub fn set_bytes_expected(&self, bytes: i64) {
        self.bytes_expected.store(bytes, Ordering::Relaxed);
    }

    pub fn set_bytes_received(&self, bytes: i64) {
        self.bytes_received.store(bytes, Ordering::Relaxed);
    }

    pub fn set_ready(&self, result: ResultText) -> bool {
        let mut progress = self.lock();
        if progress.state.is_final() {
            return false;
        }
        // Set before the state flips, so any reader that sees Ready finds the result.
        let _ = self.result.set(result);
        progress.state = SearchState::Ready;
        progress.download_time = progress.completed_at.map(|t| t.elapsed());
        // data flag first, as for a failure: whoever sees the phase READY then gets 1 from
        // check_for_data
        self.data_flag.store(1, Ordering::Release);
        self.phase.store(PHASE_READY, Ordering::Release);
        drop(progress);
        self.changed.notify_all();
        ended::announce();
        true
    }

    pub fn fail(&self, error: Error) -> bool {
        self.end(SearchState::Failed, error)
    }
}

fn final_error(progress: &Progress) -> Error {
    progress.error.clone().unwrap_or_else(|| {
        Error::new(
            Status::AURORAX_ERR_INTERNAL,
            "the search ended without a recorded reason",
        )
    })
}
