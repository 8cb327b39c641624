//! One search as its caller sees it: a state machine the engine advances and the caller
//! reads. The engine is the only writer of progress; readers never block on I/O.

use crate::api::data::ResultText;
use crate::config::Settings;
use crate::error::{Error, Result, Status};
use crate::query::SearchRequest;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

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
        matches!(self, SearchState::Ready | SearchState::Failed | SearchState::Cancelled)
    }
}

/// What `cancel` must still do once the local state says Cancelled.
#[derive(Debug, PartialEq, Eq)]
pub enum CancelAction {
    /// Nothing left to stop (already finished, failed or cancelled), or the submit is still
    /// in flight: the engine sends the DELETE as soon as it learns the request id.
    Nothing,
    /// The server is still running the search: DELETE it there.
    DeleteOnServer(String),
}

#[derive(Debug)]
struct Progress {
    state: SearchState,
    request_id: Option<String>,
    request_url: Option<String>,
    error: Option<Error>,
    status_json: Option<String>,
    logs_json: String,
    task: Option<tokio::task::AbortHandle>,
    /// When the engine learnt the server had finished, and how long the download took.
    completed_at: Option<Instant>,
    download_time: Option<Duration>,
}

#[derive(Debug)]
pub struct Search {
    pub request: SearchRequest,
    pub settings: Settings,
    progress: Mutex<Progress>,
    changed: Condvar,
    /// `check_for_data`'s answer, mirrored so it is one atomic read.
    data_flag: AtomicI32,
    result: OnceLock<ResultText>,
}

impl Search {
    pub fn new(request: SearchRequest, settings: Settings) -> Search {
        Search {
            request,
            settings,
            progress: Mutex::new(Progress {
                state: SearchState::Submitting,
                request_id: None,
                request_url: None,
                error: None,
                status_json: None,
                logs_json: "[]".to_string(),
                task: None,
                completed_at: None,
                download_time: None,
            }),
            changed: Condvar::new(),
            data_flag: AtomicI32::new(0),
            result: OnceLock::new(),
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

    pub fn state(&self) -> SearchState {
        self.lock().state
    }

    /// Blocks until the data is in memory, the search ends otherwise, or `timeout` passes
    /// (`None`: no limit). Timing out leaves the search running.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<()> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut progress = self.lock();
        loop {
            match progress.state {
                SearchState::Ready => return Ok(()),
                SearchState::Failed | SearchState::Cancelled => return Err(final_error(&progress)),
                _ => {}
            }
            progress = match deadline {
                None => self.changed.wait(progress).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Err(Error::new(Status::Timeout, format!("the search did not finish within {:.3} s; it goes on", timeout.unwrap_or_default().as_secs_f64())));
                    }
                    self.changed.wait_timeout(progress, d - now).unwrap_or_else(|e| e.into_inner()).0
                }
            };
        }
    }

    /// The records; blocks while a finished search's result downloads.
    pub fn data(&self) -> Result<&ResultText> {
        if let Some(r) = self.result.get() {
            return Ok(r);
        }
        let state = self.state();
        match state {
            SearchState::Submitting | SearchState::Running => {
                Err(Error::new(Status::NotReady, "the search has not finished yet; use aurorax_wait or aurorax_check_for_data first"))
            }
            _ => {
                self.wait(None)?;
                self.result.get().ok_or_else(|| Error::new(Status::Internal, "the search is ready but holds no result"))
            }
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

    // ---- writers (the engine's side) ----

    /// Applies a transition unless the search already ended; wakes every waiter.
    fn advance(&self, change: impl FnOnce(&mut Progress)) -> bool {
        let mut progress = self.lock();
        if progress.state.is_final() {
            return false;
        }
        change(&mut progress);
        self.data_flag.store(flag_for(&progress), Ordering::Release);
        drop(progress);
        self.changed.notify_all();
        true
    }

    pub fn set_task(&self, task: tokio::task::AbortHandle) {
        let mut progress = self.lock();
        if progress.state.is_final() && progress.state != SearchState::Ready {
            task.abort();
        }
        progress.task = Some(task);
    }

    /// Returns false when the search was cancelled while the submit was in flight.
    pub fn set_running(&self, request_id: String, request_url: String) -> bool {
        let accepted = self.advance(|p| {
            p.state = SearchState::Running;
            p.request_id = Some(request_id.clone());
            p.request_url = Some(request_url.clone());
        });
        if !accepted {
            // Still record the id: the caller may want to look the request up.
            let mut p = self.lock();
            p.request_id.get_or_insert(request_id);
            p.request_url.get_or_insert(request_url);
        }
        accepted
    }

    pub fn set_status(&self, status_json: String, logs_json: String) {
        let mut progress = self.lock();
        progress.status_json = Some(status_json);
        progress.logs_json = logs_json;
    }

    pub fn set_completed(&self) -> bool {
        self.advance(|p| {
            p.state = SearchState::Completed;
            p.completed_at = Some(Instant::now());
        })
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
        self.data_flag.store(1, Ordering::Release);
        drop(progress);
        self.changed.notify_all();
        true
    }

    pub fn fail(&self, error: Error) -> bool {
        self.advance(|p| {
            p.state = SearchState::Failed;
            p.error = Some(error);
        })
    }

    /// Marks the search cancelled locally, stops its polling, and says what remains to do
    /// on the server. A search the server has finished is only stopped here: a DELETE then
    /// would delete the result file.
    pub fn request_cancel(&self, reason: &str) -> CancelAction {
        let mut progress = self.lock();
        let previous = progress.state;
        if previous.is_final() {
            return CancelAction::Nothing;
        }
        progress.state = SearchState::Cancelled;
        progress.error = Some(Error::new(Status::Cancelled, reason));
        self.data_flag.store(Status::Cancelled.code(), Ordering::Release);
        // While submitting, the task must live on to learn the id and DELETE it.
        if previous != SearchState::Submitting {
            if let Some(task) = &progress.task {
                task.abort();
            }
        }
        let action = match (previous, &progress.request_id) {
            (SearchState::Running, Some(id)) => CancelAction::DeleteOnServer(id.clone()),
            _ => CancelAction::Nothing,
        };
        drop(progress);
        self.changed.notify_all();
        action
    }

    /// True once the engine's task for this search has ended (or never started).
    pub fn task_finished(&self) -> bool {
        self.lock().task.as_ref().is_none_or(|t| t.is_finished())
    }

    /// Stops local polling without touching the server (the handle is being freed). A
    /// search cancelled while its submit was in flight keeps its task: it still owes the
    /// server the DELETE once the request id arrives.
    pub fn abandon(&self) {
        let progress = self.lock();
        let owes_delete = progress.state == SearchState::Cancelled && progress.request_id.is_none();
        if let (Some(task), false) = (&progress.task, owes_delete) {
            task.abort();
        }
    }
}

fn flag_for(progress: &Progress) -> i32 {
    match progress.state {
        SearchState::Ready => 1,
        SearchState::Failed | SearchState::Cancelled => progress.error.as_ref().map_or(Status::Internal.code(), |e| e.status.code()),
        _ => 0,
    }
}

fn final_error(progress: &Progress) -> Error {
    progress.error.clone().unwrap_or_else(|| Error::new(Status::Internal, "the search ended without a recorded reason"))
}
