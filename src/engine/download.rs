//! Downloading a result: records are split and validated as the body streams in, progress
//! is published as bytes arrive, and the size is checked against the caller's cap before
//! and while the bytes come.

use super::client::HttpClient;
use super::http::{send, BodyChunks, Failure, MAX_UPFRONT_RESERVATION};
use super::retry::{with_retries, Idempotence};
use crate::api::records::{RecordSplitter, ResultText};
use crate::error::{Error, Result, Status};
use crate::search::Search;
use reqwest::Method;

/// Chunks handed to the splitter but not yet taken: bounds what waits in memory twice.
const CHUNKS_IN_FLIGHT: usize = 64;

pub async fn download_result(
    client: &HttpClient,
    search: &Search,
    label: &str,
    method: Method,
    url: &str,
    body: Option<&str>,
) -> Result<ResultText> {
    let settings = &search.settings;
    // POST …/data only reads (it trims records), so it is as safe to repeat as the GET.
    with_retries(
        label,
        "downloading the result",
        settings.max_retries,
        Idempotence::Idempotent,
        || async {
            let mut response = send(client, settings, method.clone(), url, body).await?;
            let cap = settings.max_result_bytes;
            let announced = response.content_length();
            if let (Some(n), Some(cap)) = (announced, cap) {
                if n > cap {
                    return Err(Failure::final_(too_large(n, cap)));
                }
            }
            if let Some(n) = announced.and_then(|n| i64::try_from(n).ok()) {
                search.set_bytes_expected(n);
            }
            let upfront = announced.unwrap_or(0).min(MAX_UPFRONT_RESERVATION as u64) as usize;
            // The splitting runs beside the reading, on the engine's blocking pool: the
            // socket is drained while records are validated (chunks are handed over by
            // reference count, not copied).
            let (chunks_in, mut chunks_out) =
                tokio::sync::mpsc::channel::<bytes::Bytes>(CHUNKS_IN_FLIGHT);
            let split = tokio::task::spawn_blocking(move || {
                let mut splitter = RecordSplitter::new(upfront);
                while let Some(chunk) = chunks_out.blocking_recv() {
                    // Out of memory: fetching the same bytes again cannot help.
                    splitter.reserve(chunk.len()).map_err(Failure::final_)?;
                    // A garbled body may be a proxy's hiccup: fetch it again like a 5xx.
                    splitter.push(&chunk).map_err(Failure::transient)?;
                }
                Ok::<_, Failure>(splitter)
            });
            search.set_bytes_received(0);
            let mut received: u64 = 0;
            let mut chunks = BodyChunks::new(&mut response, settings.request_timeout);
            while let Some(chunk) = chunks.next().await? {
                received += chunk.len() as u64;
                if let Some(cap) = cap.filter(|cap| received > *cap) {
                    return Err(Failure::final_(too_large(received, cap)));
                }
                if chunks_in.send(chunk).await.is_err() {
                    break; // the splitter stopped on bad JSON: its error follows
                }
                search.set_bytes_received(received as i64);
            }
            drop(chunks_in);
            let splitter = split.await.map_err(|e| {
                Failure::final_(Error::new(
                    Status::AURORAX_ERR_INTERNAL,
                    format!("the result's reader stopped: {e}"),
                ))
            })??;
            // The whole body is in: its size is now known exactly, whatever was announced
            // (a gzip answer announces none; the status's file_size is the server's guess).
            search.set_bytes_expected(received as i64);
            splitter.finish().map_err(|error| {
                let transient = error.status == Status::AURORAX_ERR_PROTOCOL;
                Failure {
                    transient,
                    ..Failure::final_(error)
                }
            })
        },
    )
    .await
}

fn too_large(bytes: u64, cap: u64) -> Error {
    Error::protocol(format!("the result is larger ({bytes} bytes or more) than the {cap} bytes allowed by aurorax_set_max_result_bytes"))
}
