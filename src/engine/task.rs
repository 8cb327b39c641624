//! The life of one search on the engine: submit → poll status → prefetch the result.

use super::http::{exchange, Failure, Reply};
use super::retry::{with_retries, Idempotence};
use crate::api::data::extract_result;
use crate::api::status::{parse_status, Progress};
use crate::api::urls::{request_id_from_location, Endpoints};
use crate::error::{Error, Result, Status};
use crate::search::Search;
use reqwest::{Client, Method};
use std::sync::Arc;
use std::time::Duration;

/// Short searches are common: the first look comes soon, then the interval grows
/// geometrically up to the configured maximum so long searches do not flood the server.
pub const FIRST_POLL_DELAY: Duration = Duration::from_millis(100);
pub const POLL_GROWTH: f64 = 1.5;

pub async fn run(client: Client, search: Arc<Search>) {
    if let Err(error) = drive(&client, &search).await {
        search.fail(error);
    }
}

async fn drive(client: &Client, search: &Search) -> Result<()> {
    let settings = &search.settings;
    let endpoints = Endpoints::new(&settings.api_url, search.request.kind);
    let request_id = submit(client, search, &endpoints).await?;
    let request_url = endpoints.request(&request_id);
    if !search.set_running(request_id.clone(), request_url.clone()) {
        // Cancelled while the POST was in flight: now that the id is known, stop it there.
        let _ = delete_request(client, search, &request_url).await;
        return Ok(());
    }
    poll_until_done(client, search, &request_url).await?;
    if !search.set_completed() {
        return Ok(());
    }
    let result = fetch_result(client, search, &endpoints.data(&request_id)).await?;
    search.set_ready(result);
    Ok(())
}

async fn submit(client: &Client, search: &Search, endpoints: &Endpoints) -> Result<String> {
    let settings = &search.settings;
    let url = endpoints.submit();
    let reply = with_retries("submitting the search", settings.max_retries, Idempotence::CreatesSomething, || {
        exchange(client, settings, Method::POST, &url, Some(&search.request.body))
    })
    .await?;
    if reply.code != 202 {
        return Err(Error::protocol(format!("the API answered the search with HTTP {} instead of 202 Accepted", reply.code)));
    }
    let location = reply.location.ok_or_else(|| Error::protocol("the API accepted the search (202) without a Location header"))?;
    request_id_from_location(&location)
}

async fn poll_until_done(client: &Client, search: &Search, request_url: &str) -> Result<()> {
    let settings = &search.settings;
    let mut interval = FIRST_POLL_DELAY.min(settings.max_poll_interval);
    loop {
        tokio::time::sleep(interval).await;
        let report = with_retries("checking the search status", settings.max_retries, Idempotence::Idempotent, || async {
            let reply = exchange(client, settings, Method::GET, request_url, None).await?;
            // A garbled status may be a proxy's hiccup: read it again like a 5xx.
            let report = parse_status(&reply.body).map_err(|error| Failure { transient: true, unsent: false, retry_after: None, refused_before_acting: false, error })?;
            Ok((reply, report))
        })
        .await?;
        let (reply, report) = report;
        search.set_status(String::from_utf8_lossy(&reply.body).into_owned(), report.logs_json);
        match report.progress {
            Progress::Done => return Ok(()),
            Progress::Failed(message) => return Err(Error::new(Status::SearchFailed, message)),
            Progress::Running => {}
        }
        interval = interval.mul_f64(POLL_GROWTH).min(settings.max_poll_interval);
    }
}

async fn fetch_result(client: &Client, search: &Search, data_url: &str) -> Result<crate::api::data::ResultText> {
    let settings = &search.settings;
    let (method, body) = match &search.request.response_format {
        Some(format) => (Method::POST, Some(format.as_str())),
        None => (Method::GET, None),
    };
    // POST …/data only reads (it trims records), so it is as safe to repeat as the GET.
    with_retries("downloading the result", settings.max_retries, Idempotence::Idempotent, || async {
        let Reply { body: bytes, .. } = exchange(client, settings, method.clone(), data_url, body).await?;
        extract_result(bytes).map_err(|error| {
            let transient = error.status == Status::Protocol;
            Failure { transient, unsent: false, retry_after: None, refused_before_acting: false, error }
        })
    })
    .await
}

/// `DELETE …/requests/{id}`: 200 (cancelled), 202 and 204 (finished; the server deleted the
/// result file) all end the request. 404 means there is nothing left to cancel.
pub async fn delete_request(client: &Client, search: &Search, request_url: &str) -> Result<()> {
    let settings = &search.settings;
    let outcome = with_retries("cancelling the search on the server", settings.max_retries.min(2), Idempotence::Idempotent, || {
        exchange(client, settings, Method::DELETE, request_url, None)
    })
    .await;
    match outcome {
        Ok(_) => Ok(()),
        Err(e) if e.message.contains("HTTP 404") => Ok(()),
        Err(e) => Err(e),
    }
}
