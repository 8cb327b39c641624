//! Which protocol operation a request is, for stats and fault matching.

use axum::http::Method;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Submit,
    Status,
    Data,
    Cancel,
    Describe,
    /// `/api/v1/data_sources...`
    Sources,
    /// `/api/v1/availability/...`
    Availability,
    Other,
}

impl Route {
    pub fn name(self) -> &'static str {
        match self {
            Route::Submit => "submit",
            Route::Status => "status",
            Route::Data => "data",
            Route::Cancel => "cancel",
            Route::Describe => "describe",
            Route::Sources => "sources",
            Route::Availability => "availability",
            Route::Other => "other",
        }
    }

    pub fn from_name(s: &str) -> Option<Route> {
        [
            Route::Submit,
            Route::Status,
            Route::Data,
            Route::Cancel,
            Route::Describe,
            Route::Sources,
            Route::Availability,
        ]
        .into_iter()
        .find(|r| r.name() == s)
    }

    /// Classifies `/api/v1/...` paths; returns the request id where there is one.
    pub fn classify(method: &Method, path: &str) -> (Route, Option<String>) {
        let seg: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        match (method, seg.as_slice()) {
            (&Method::POST, ["", "api", "v1", "utils", "describe", "query", _]) => {
                (Route::Describe, None)
            }
            // a data-source search is synchronous, not a search submission
            (&Method::POST, ["", "api", "v1", "data_sources", "search"])
            | (
                &Method::GET,
                ["", "api", "v1", "data_sources"] | ["", "api", "v1", "data_sources", _],
            ) => (Route::Sources, None),
            (&Method::GET, ["", "api", "v1", "availability", _]) => (Route::Availability, None),
            (&Method::POST, ["", "api", "v1", _, "search"]) => (Route::Submit, None),
            (&Method::GET, ["", "api", "v1", _, "requests", id]) => {
                (Route::Status, Some(id.to_string()))
            }
            (&Method::DELETE, ["", "api", "v1", _, "requests", id]) => {
                (Route::Cancel, Some(id.to_string()))
            }
            (&Method::GET | &Method::POST, ["", "api", "v1", _, "requests", id, "data"]) => {
                (Route::Data, Some(id.to_string()))
            }
            _ => (Route::Other, None),
        }
    }
}
