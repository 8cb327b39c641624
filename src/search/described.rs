//! Which query a search's description is of: the body it sent, or for an attached request
//! the one the server reports in its status.

use super::{Job, Search};
use crate::api::describe::query_of_status;
use crate::error::{Error, Result, Status};
use crate::query::Kind;

impl Search {
    /// The kind and body to describe; the query of an attached request is known once its
    /// first status has arrived.
    pub(crate) fn query_to_describe(&self) -> Result<(Kind, String)> {
        match &self.job {
            Job::Submit(request) => Ok((request.kind, request.body.clone())),
            Job::Attach { kind, .. } => {
                let status = self.status_json().ok_or_else(|| match self.error() {
                    // it ended before the server ever described it: its query will never be known
                    Some(ended) => Error::new(
                        ended.status,
                        format!(
                            "the attached request ended before its query was known: {}",
                            ended.message
                        ),
                    ),
                    None => Error::new(
                        Status::AURORAX_ERR_NOT_READY,
                        "the attached request's query is known after its first status; wait a moment",
                    ),
                })?;
                Ok((*kind, query_of_status(&status)?))
            }
            Job::Lookup { .. } => Err(Error::invalid(
                "s",
                "describes searches only, not data-source or availability requests",
            )),
        }
    }
}
