//! One search's life on the engine: submit (or attach), poll, download. This task is the
//! only code that talks to the server about the search, the DELETE of a cancel included;
//! the caller's side only signals through the search's token.

use super::client::HttpClient;
use super::download::download_result;
use super::http::{exchange, exchange_head, Failure, Reply, MAX_STATUS_BYTES};
use super::retry::{with_retries, Budget, Idempotence, Liveness};
use super::schedule::next_poll_interval;
use crate::api::status::{check_request_id, parse_status, Progress};
use crate::api::urls::{request_id_from_location, Endpoints};
use crate::error::{Error, Result, Status};
use crate::log::{log_at, Level};
use crate::search::{Job, Search};
use reqwest::Method;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The most a cancel's DELETE may take, retries included: it runs after the caller has
/// moved on, and at shutdown it must not hold the process.
const DELETE_BUDGET: Duration = Duration::from_secs(10);

/// What a test can ask of the next task: compiled only into the tests' builds.
#[cfg(feature = "test-hooks")]
pub static PANIC_IN_NEXT_TASK: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

pub struct Task {
    pub client: HttpClient,
    pub search: Arc<Search>,
    /// Names the search in log lines ("search 12").
    pub label: String,
    /// When a request of this search last succeeded, for the outage tolerance.
    pub liveness: Liveness,
}

impl Task {
    pub async fn run(self) {
        #[cfg(feature = "test-hooks")]
        if PANIC_IN_NEXT_TASK.swap(false, std::sync::atomic::Ordering::SeqCst) {
            panic!("a panic injected by a test");
        }
        let outcome = match &self.search.job {
            Job::Lookup { path_and_query } => {
                let url = self.search.settings.api_url.join(path_and_query);
                self.until_stopped(self.lookup(&url)).await
            }
            Job::Submit(_) => self.submit_then_follow().await,
            Job::Attach { request_id, .. } => {
                let id = request_id.clone();
                self.follow(&id, true).await
            }
        };
        match outcome {
            Some(Ok(())) => {}
            Some(Err(error)) => {
                log_at!(Level::Error, "{}: failed: {}", self.label, error);
                self.search.fail(error);
            }
            None => self.on_stop().await,
        }
    }

    /// How long a request of this search may keep failing: the outage tolerance (unless
    /// it is zero: then the v2 rule, a number of retries per request).
    fn budget<'a>(&'a self, request_id: Option<&'a str>) -> Budget<'a> {
        let settings = &self.search.settings;
        if settings.outage_tolerance.is_zero() {
            return Budget::Retries(settings.max_retries);
        }
        Budget::Outage {
            tolerance: settings.outage_tolerance,
            max_pause: settings.max_poll_interval,
            liveness: &self.liveness,
            request_id,
        }
    }

    fn endpoints(&self) -> Endpoints {
        let kind = self.search.job.kind().expect("searches have a kind");
        Endpoints::new(&self.search.settings.api_url, kind)
    }

    /// Runs `work` until it ends or the search's token fires (`None`).
    async fn until_stopped<T>(&self, work: impl std::future::Future<Output = T>) -> Option<T> {
        tokio::select! {
            biased;
            _ = self.search.stop_token().cancelled() => None,
            done = work => Some(done),
        }
    }

    async fn submit_then_follow(&self) -> Option<Result<()>> {
        // The POST is not dropped on a cancel: it may create the search on the server,
        // and a cancel then owes the server a DELETE once the id is known. So does a
        // shutdown (nobody could collect the search). A free owes nothing, so it stops
        // waiting at once.
        let submit = self.submit();
        tokio::pin!(submit);
        let submitted = tokio::select! {
            biased;
            done = &mut submit => done,
            _ = self.search.stop_token().cancelled() => {
                // a cancel has settled the search already; a shutdown has not
                self.search.settle_on_stop();
                if !self.search.delete_owed() {
                    return None;
                }
                submit.await
            }
        };
        let request_id = match submitted {
            Ok(id) => id,
            Err(e) => {
                return if self.search.stop_token().is_cancelled() {
                    None
                } else {
                    Some(Err(e))
                }
            }
        };
        log_at!(
            Level::Info,
            "{}: submitted, request id {request_id}",
            self.label
        );
        self.follow(&request_id, false).await
    }

    async fn submit(&self) -> Result<String> {
        let Job::Submit(request) = &self.search.job else {
            unreachable!("submit is for submitted searches")
        };
        let settings = &self.search.settings;
        let url = self.endpoints().submit();
        // sent at most once: an outage before the server holds the search is not waited out
        let reply = with_retries(
            &self.label,
            "submitting the search",
            Budget::Retries(settings.max_retries),
            Idempotence::CreatesSomething,
            || {
                exchange_head(
                    &self.client,
                    settings,
                    Method::POST,
                    &url,
                    Some(&request.body),
                )
            },
        )
        .await?;
        let accepted = || {
            if reply.code != 202 {
                return Err(Error::protocol(format!(
                    "the API answered with HTTP {} instead of 202 Accepted",
                    reply.code
                ))
                .with_http_status(reply.code));
            }
            let location = reply.location.as_deref().ok_or_else(|| {
                Error::protocol("the API accepted it (202) without a Location header")
            })?;
            request_id_from_location(location)
        };
        accepted().map_err(|e| Error {
            message: format!("submitting the search failed: {}", e.message),
            ..e
        })
    }

    /// Polls the request until the server is done, then downloads the result.
    async fn follow(&self, request_id: &str, attached: bool) -> Option<Result<()>> {
        let endpoints = self.endpoints();
        let request_url = endpoints.request(request_id);
        if !self
            .search
            .set_running(request_id.to_string(), request_url.clone())
        {
            return None; // cancelled while the POST was in flight
        }
        // the server holds the search from here: an outage is measured from now
        self.liveness.succeeded();
        let done = self
            .until_stopped(self.poll_until_done(request_id, &request_url, attached))
            .await?;
        let announced = match done {
            Err(e) => return Some(Err(e)),
            Ok(count) => count,
        };
        if self.search.state().is_final() {
            return None;
        }
        let data_url = endpoints.data(request_id);
        self.until_stopped(self.download(&data_url, Some(request_id), announced))
            .await
    }

    /// The status's `result_count` and the records received should agree; the API does
    /// not document what the count means, so a difference is told, not refused.
    fn compare_counts(&self, announced: i64, received: usize) {
        if received as i64 != announced {
            log_at!(
                Level::Warn,
                "{}: the status announced {announced} records, the result holds {received}",
                self.label,
            );
        }
    }

    /// Ok once the server has the result (the search is then marked completed), with the
    /// record count its status announced.
    async fn poll_until_done(
        &self,
        request_id: &str,
        request_url: &str,
        attached: bool,
    ) -> Result<Option<i64>> {
        let settings = &self.search.settings;
        let accepted = Instant::now();
        // An attached request may have finished long ago: look at once.
        let mut pause = if attached {
            Duration::ZERO
        } else {
            next_poll_interval(Duration::ZERO, settings.max_poll_interval)
        };
        loop {
            tokio::time::sleep(pause).await;
            let (reply, report) = with_retries(
                &self.label,
                "checking the search status",
                self.budget(Some(request_id)),
                Idempotence::Idempotent,
                || async {
                    let reply: Reply = self.get_status(request_url).await?;
                    // A garbled status may be a proxy's hiccup: read it again like a 5xx.
                    let report = parse_status(&reply.body).map_err(Failure::transient)?;
                    check_request_id(&report, request_id).map_err(Failure::final_)?;
                    Ok((reply, report))
                },
            )
            .await?;
            self.search.set_status(
                String::from_utf8_lossy(&reply.body).into_owned(),
                report.logs_json,
            );
            match report.progress {
                Progress::Done => {
                    self.search.set_completed(report.file_size);
                    log_at!(
                        Level::Info,
                        "{}: the server has the result ({} records, {} bytes) after {:.2} s",
                        self.label,
                        opt(report.result_count),
                        opt(report.file_size),
                        accepted.elapsed().as_secs_f64()
                    );
                    return Ok(report.result_count);
                }
                Progress::Failed(message) => {
                    return Err(Error::new(Status::AURORAX_ERR_SEARCH_FAILED, message))
                }
                Progress::Running => log_at!(
                    Level::Debug,
                    "{}: still running after {:.2} s",
                    self.label,
                    accepted.elapsed().as_secs_f64()
                ),
            }
            pause = next_poll_interval(accepted.elapsed(), settings.max_poll_interval);
        }
    }

    /// `announced`: the record count the status gave, told against the records received
    /// before the result is published, so a caller whose wait has returned has the warning.
    async fn download(
        &self,
        data_url: &str,
        request_id: Option<&str>,
        announced: Option<i64>,
    ) -> Result<()> {
        let (method, body) = match &self.search.job {
            Job::Submit(request) => match &request.response_format {
                Some(format) => (Method::POST, Some(format.as_str())),
                None => (Method::GET, None),
            },
            _ => (Method::GET, None),
        };
        let started = Instant::now();
        let result = download_result(
            &self.client,
            &self.search,
            &self.label,
            method,
            data_url,
            body,
            self.budget(request_id),
        )
        .await?;
        log_at!(
            Level::Info,
            "{}: downloaded {} records, {} bytes in {:.3} s",
            self.label,
            result.record_count(),
            result.len(),
            started.elapsed().as_secs_f64()
        );
        if let Some(announced) = announced {
            self.compare_counts(announced, result.record_count());
        }
        self.search.set_ready(result);
        Ok(())
    }

    async fn lookup(&self, url: &str) -> Result<()> {
        self.search.set_completed(None);
        self.download(url, None, None).await
    }

    /// The token fired. A shutdown leaves the search unsettled: settle it here. Then, if
    /// the caller cancelled a search the server may still be running, DELETE it there.
    async fn on_stop(&self) {
        self.search.settle_on_stop();
        if !self.search.delete_owed() || self.search.job.kind().is_none() {
            return;
        }
        let Some(request_url) = self.search.request_url() else {
            return;
        };
        // A search the server had finished is only stopped locally: a DELETE then would
        // delete its result file.
        if self.search.server_finished() {
            return;
        }
        match tokio::time::timeout(DELETE_BUDGET, self.delete_unless_finished(&request_url)).await {
            Ok(Ok(false)) => log_at!(
                Level::Info,
                "{}: the server had finished before the cancel: its result is kept (attach to collect it)",
                self.label
            ),
            Ok(Ok(true)) => log_at!(Level::Info, "{}: cancelled on the server", self.label),
            Ok(Err(e)) => log_at!(
                Level::Warn,
                "{}: the server did not take the cancel: {e}",
                self.label
            ),
            Err(_) => log_at!(
                Level::Warn,
                "{}: the cancel's DELETE took longer than {} s; given up",
                self.label,
                DELETE_BUDGET.as_secs()
            ),
        }
    }

    /// One `GET` of the request's status.
    async fn get_status(&self, request_url: &str) -> std::result::Result<Reply, Failure> {
        exchange(
            &self.client,
            &self.search.settings,
            Method::GET,
            request_url,
            None,
            MAX_STATUS_BYTES,
        )
        .await
    }

    /// The server may have finished since the last poll: a DELETE would then delete the
    /// result the caller may still want (by attaching). So one look first; `Ok(true)` when
    /// the DELETE was sent and taken.
    async fn delete_unless_finished(&self, request_url: &str) -> Result<bool> {
        if let Ok(reply) = self.get_status(request_url).await {
            if parse_status(&reply.body).is_ok_and(|r| r.progress == Progress::Done) {
                return Ok(false);
            }
        }
        log_at!(
            Level::Info,
            "{}: cancelling the request on the server",
            self.label
        );
        self.delete(request_url).await.map(|()| true)
    }

    /// `DELETE …/requests/{id}`: 200 (cancelled), 202 and 204 (finished; the server deleted
    /// the result file) all end the request. 404 means there is nothing left to cancel.
    async fn delete(&self, request_url: &str) -> Result<()> {
        let settings = &self.search.settings;
        let outcome = with_retries(
            &self.label,
            "cancelling the search on the server",
            Budget::Retries(settings.max_retries.min(2)),
            Idempotence::Idempotent,
            || {
                exchange(
                    &self.client,
                    settings,
                    Method::DELETE,
                    request_url,
                    None,
                    MAX_STATUS_BYTES,
                )
            },
        )
        .await;
        match outcome {
            Ok(_) => Ok(()),
            Err(e) if e.http_status == Some(404) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

fn opt(n: Option<i64>) -> String {
    n.map_or_else(|| "?".to_string(), |n| n.to_string())
}
