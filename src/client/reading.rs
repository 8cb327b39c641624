//! What the C ABI reads of a search beyond the everyday methods: the result with its NUL,
//! records one by one, the request URL, the data flag, and cached columns.

use super::Search;
use crate::api::records::columns::{Column, ColumnKind, Pointer};
use crate::error::{Error, Result, Status};
use std::sync::Arc;

impl Search {
    /// The result's bytes followed by one NUL byte: [`Search::data`] as C receives it,
    /// without a copy. Blocks as [`Search::data`] does.
    ///
    /// # Errors
    /// As [`Search::data`].
    pub fn data_with_nul(&self) -> Result<&[u8]> {
        Ok(self.inner.data()?.as_bytes_with_nul())
    }

    /// How many records the result holds; never blocks.
    ///
    /// # Errors
    /// `AURORAX_ERR_NOT_READY` before the result is in memory; the failure's status after
    /// a failure or cancel.
    pub fn record_count(&self) -> Result<usize> {
        Ok(self.inner.data_if_ready()?.record_count())
    }

    /// The `index`-th record's JSON text (a slice of [`Search::data`]), `None` past the
    /// last; never blocks.
    ///
    /// # Errors
    /// As [`Search::record_count`].
    pub fn record(&self, index: usize) -> Result<Option<&str>> {
        Ok(self.inner.data_if_ready()?.record(index))
    }

    /// How long the result took to download and cut into records, from the status saying
    /// the server had finished to the records being in memory; `None` until then.
    pub fn download_time(&self) -> Option<std::time::Duration> {
        self.inner.download_time()
    }

    /// The request's status URL (the configured base URL and the request id), once known.
    pub fn request_url(&self) -> Option<String> {
        self.inner.request_url()
    }

    /// Answered from memory, as `aurorax_check_for_data`: `Ok(true)` once the result is
    /// in memory, `Ok(false)` while the search goes on.
    ///
    /// # Errors
    /// The failure, once the search has failed or been cancelled.
    pub fn check(&self) -> Result<bool> {
        match self.data_flag() {
            1 => Ok(true),
            0 => Ok(false),
            code => Err(self.error().unwrap_or_else(|| {
                Error::new(
                    Status::from_code(code).unwrap_or(Status::AURORAX_ERR_INTERNAL),
                    "the search ended",
                )
            })),
        }
    }

    /// The column of `kind` at the JSON Pointer `path`, computed once and kept by the
    /// search (so what it holds lives as long as the search), and the result's bytes its
    /// slices are offsets into.
    pub(crate) fn column(&self, path: &str, kind: ColumnKind) -> Result<(Arc<Column>, &[u8])> {
        let pointer = Pointer::parse(path)?;
        let column = self.inner.column(&pointer, kind)?;
        Ok((column, self.inner.data_if_ready()?.as_bytes()))
    }

    /// `aurorax_check_for_data`'s answer as the engine stores it (1 ready, 0 not yet, a
    /// failure's status): one atomic read, no lock and no message built, for a caller that
    /// polls.
    pub(crate) fn data_flag(&self) -> i32 {
        self.inner.check_for_data()
    }

    /// Ends the search as [`Search::cancel`] does, with the caller's own words for why;
    /// `delete_on_server` false leaves the request on the server (a handle freed).
    pub(crate) fn cancel_because(&self, reason: &str, delete_on_server: bool) -> bool {
        self.inner.cancel(reason, delete_on_server)
    }
}
