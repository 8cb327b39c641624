//! Input validation and request-body building. Everything here runs before any network
//! I/O, so bad input is refused with a message naming the argument and nothing is sent.

mod common;
pub mod conjunctions;
pub mod data_products;
pub mod discovery;
pub mod ephemeris;

/// The three search types; each has its own endpoints under `/api/v1/{kind}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Conjunctions,
    Ephemeris,
    DataProducts,
}

impl Kind {
    /// The path segment of the search and request endpoints.
    pub fn path_segment(self) -> &'static str {
        match self {
            Kind::Conjunctions => "conjunctions",
            Kind::Ephemeris => "ephemeris",
            Kind::DataProducts => "data_products",
        }
    }
}

/// A validated search, ready to submit.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchRequest {
    pub kind: Kind,
    /// The JSON body of `POST /api/v1/{kind}/search`.
    pub body: String,
    /// The JSON body for `POST …/data`: the API trims records to it. Never part of the
    /// search body (the reference clients keep it aside too).
    pub response_format: Option<String>,
}
