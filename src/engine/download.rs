//! Downloading a result: records are split and validated as the body streams in, progress
//! is published as bytes arrive, and the size is checked against the caller's cap before
//! and while the bytes come. A download cut off goes on from where it stopped when the
//! server offers byte ranges, else from the start.

use super::client::HttpClient;
use super::http::{send_with_headers, BodyChunks, Failure, MAX_UPFRONT_RESERVATION};
use super::retry::{Budget, Idempotence, Retrier};
use crate::api::records::{RecordSplitter, ResultText, SpoolPolicy};
use crate::error::{Error, Result, Status};
use crate::log::{log_at, Level};
use crate::search::Search;
use reqwest::header::{HeaderValue, ACCEPT_ENCODING, ACCEPT_RANGES, CONTENT_RANGE, RANGE};
use reqwest::{Method, Response, StatusCode};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Chunks handed to the splitter but not yet taken: bounds what waits in memory twice.
const CHUNKS_IN_FLIGHT: usize = 64;

/// The records read so far, split beside the reading on the engine's blocking pool: the
/// socket is drained while records are validated (chunks are handed over by reference
/// count, not copied).
struct Splitting {
    chunks: mpsc::Sender<bytes::Bytes>,
    done: JoinHandle<std::result::Result<RecordSplitter, Failure>>,
}

impl Splitting {
    fn start(upfront: usize, spool: SpoolPolicy) -> Splitting {
        let (chunks, mut chunks_out) = mpsc::channel::<bytes::Bytes>(CHUNKS_IN_FLIGHT);
        let done = tokio::task::spawn_blocking(move || {
            let mut splitter = RecordSplitter::spooling(upfront, spool);
            while let Some(chunk) = chunks_out.blocking_recv() {
                // Out of memory: fetching the same bytes again cannot help.
                splitter.reserve(chunk.len()).map_err(Failure::final_)?;
                // A garbled body may be a proxy's hiccup: fetch it again like a 5xx.
                splitter.push(&chunk).map_err(Failure::transient)?;
            }
            Ok::<_, Failure>(splitter)
        });
        Splitting { chunks, done }
    }

    async fn finish(self) -> std::result::Result<RecordSplitter, Failure> {
        drop(self.chunks);
        self.done.await.map_err(|e| {
            Failure::final_(Error::new(
                Status::AURORAX_ERR_INTERNAL,
                format!("the result's reader stopped: {e}"),
            ))
        })?
    }
}

/// What an interrupted download keeps for the next attempt.
struct Progress {
    splitting: Option<Splitting>,
    /// Bytes of the body received (and handed to the splitter) so far.
    received: u64,
    /// The whole body's size, when the server offered byte ranges for it.
    resumable_size: Option<u64>,
}

pub async fn download_result(
    client: &HttpClient,
    search: &Search,
    label: &str,
    method: Method,
    url: &str,
    body: Option<&str>,
    budget: Budget<'_>,
) -> Result<ResultText> {
    // POST …/data only reads (it trims records), so it is as safe to repeat as the GET.
    let mut retrier = Retrier::new(
        label,
        "downloading the result",
        budget,
        Idempotence::Idempotent,
    );
    let mut progress = Progress {
        splitting: None,
        received: 0,
        resumable_size: None,
    };
    loop {
        match attempt(client, search, &method, url, body, &mut progress, &retrier).await {
            Ok(result) => {
                retrier.succeeded();
                return Ok(result);
            }
            Err(failure) => retrier.next(failure).await?,
        }
    }
}

async fn attempt(
    client: &HttpClient,
    search: &Search,
    method: &Method,
    url: &str,
    body: Option<&str>,
    progress: &mut Progress,
    retrier: &Retrier<'_>,
) -> std::result::Result<ResultText, Failure> {
    let settings = &search.settings;
    let resume_from = progress
        .resumable_size
        .filter(|_| progress.received > 0 && progress.splitting.is_some())
        .map(|_| progress.received);
    let mut headers = Vec::new();
    if let Some(from) = resume_from {
        // offsets count the identity encoding's bytes, which are what was received
        headers.push((ACCEPT_ENCODING, HeaderValue::from_static("identity")));
        if let Ok(v) = HeaderValue::from_str(&format!("bytes={from}-")) {
            headers.push((RANGE, v));
        }
    }
    let mut response =
        send_with_headers(client, settings, method.clone(), url, body, headers).await?;
    // Bytes arriving are a sign of life, as a status answer is.
    retrier.succeeded();
    let resumed =
        resume_from.filter(|from| continues_at(&response, *from, progress.resumable_size));
    if resume_from.is_some()
        && resumed.is_none()
        && response.status() == StatusCode::PARTIAL_CONTENT
    {
        // a part, but not the one asked for: start again, without ranges
        progress.resumable_size = None;
        return Err(Failure::transient(Error::protocol(
            "the server answered a resumed download with another byte range",
        )));
    }
    match (resume_from, resumed) {
        (Some(from), Some(_)) => log_at!(
            Level::Info,
            "{}: the download goes on from byte {from}",
            retrier.label()
        ),
        (Some(from), None) => log_at!(
            Level::Info,
            "{}: the server would not resume from byte {from}: downloading again from the start",
            retrier.label()
        ),
        _ => {}
    }
    if resumed.is_none() {
        // from the start: whatever was split before is dropped
        if let Some(old) = progress.splitting.take() {
            old.done.abort();
        }
        progress.received = 0;
        let announced = response.content_length();
        let cap = settings.max_result_bytes;
        if let (Some(n), Some(cap)) = (announced, cap) {
            if n > cap {
                return Err(Failure::final_(too_large(n, cap)));
            }
        }
        if let Some(n) = announced.and_then(|n| i64::try_from(n).ok()) {
            search.set_bytes_expected(n);
        }
        // Only a GET of a body whose size is known, sent as it is stored, can be resumed.
        progress.resumable_size = announced.filter(|_| {
            *method == Method::GET
                && response
                    .headers()
                    .get(ACCEPT_RANGES)
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"bytes"))
        });
        let upfront = announced.unwrap_or(0).min(MAX_UPFRONT_RESERVATION as u64) as usize;
        progress.splitting = Some(Splitting::start(upfront, spool_policy(settings)));
        search.set_bytes_received(0);
    }
    let cap = settings.max_result_bytes;
    let mut chunks = BodyChunks::new(&mut response, settings.request_timeout);
    loop {
        let chunk = match chunks.next().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(failure) => return Err(failure),
        };
        let total = progress.received + chunk.len() as u64;
        if let Some(cap) = cap.filter(|cap| total > *cap) {
            return Err(Failure::final_(too_large(total, cap)));
        }
        let splitting = progress.splitting.as_ref().expect("started above");
        if splitting.chunks.send(chunk).await.is_err() {
            break; // the splitter stopped on bad JSON: its error follows
        }
        progress.received = total;
        search.set_bytes_received(total as i64);
        // a download that keeps flowing is alive, however long it takes
        retrier.succeeded();
    }
    if let Some(size) = progress
        .resumable_size
        .filter(|size| progress.received < *size)
    {
        // cut short: kept for the next attempt to go on from
        return Err(Failure::transient(Error::new(
            Status::AURORAX_ERR_NETWORK,
            format!(
                "the connection ended after {} of the result's {size} bytes",
                progress.received
            ),
        )));
    }
    let splitter = progress
        .splitting
        .take()
        .expect("started above")
        .finish()
        .await
        .inspect_err(|_| progress.received = 0)?;
    // The whole body is in: its size is now known exactly, whatever was announced
    // (a gzip answer announces none; the status's file_size is the server's guess).
    search.set_bytes_expected(progress.received as i64);
    splitter.finish().map_err(|error| {
        let transient = error.status == Status::AURORAX_ERR_PROTOCOL;
        Failure {
            transient,
            ..Failure::final_(error)
        }
    })
}

/// Whether `response` is the rest of the body from byte `from`: a 206 whose range starts
/// there and whose total is the size first announced.
fn continues_at(response: &Response, from: u64, size: Option<u64>) -> bool {
    if response.status() != StatusCode::PARTIAL_CONTENT {
        return false;
    }
    let Some(range) = response
        .headers()
        .get(CONTENT_RANGE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    // "bytes FROM-LAST/SIZE"
    let parsed = range.strip_prefix("bytes ").and_then(|r| {
        let (span, total) = r.split_once('/')?;
        let (first, _) = span.split_once('-')?;
        Some((
            first.trim().parse::<u64>().ok()?,
            total.trim().parse::<u64>().ok(),
        ))
    });
    matches!(parsed, Some((first, total)) if first == from && total == size)
}

fn too_large(bytes: u64, cap: u64) -> Error {
    Error::protocol(format!("the result is larger ({bytes} bytes or more) than the {cap} bytes allowed by aurorax_set_max_result_bytes"))
}

/// Where this search's result goes when it is large: the threshold, and the directory
/// from `AURORAX_SPOOL_DIR` as it is when the download starts.
fn spool_policy(settings: &crate::config::Settings) -> SpoolPolicy {
    SpoolPolicy {
        threshold: settings.spool_threshold,
        dir: std::env::var_os("AURORAX_SPOOL_DIR")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from),
    }
}
