//! Response builders. Every JSON answer goes through here so that its
//! Content-Type is exactly `application/json`: pyaurorax compares the header
//! with `==` and rejects `; charset=utf-8` (aurorax-api.md §0).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::{json, Value};

pub const JSON: &str = "application/json";

pub fn json_text(status: StatusCode, text: String) -> Response<Body> {
    let mut r = Response::new(Body::from(text));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON));
    r
}

pub fn json(status: StatusCode, value: &Value) -> Response<Body> {
    json_text(status, value.to_string())
}

/// The API's ErrorDocument: `{"error_code", "error_message"}`.
pub fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response<Body> {
    json(
        status,
        &json!({"error_code": code, "error_message": message.into()}),
    )
}

pub fn empty(status: StatusCode) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = status;
    r
}

/// A validation failure: the message names the offending field.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRequest(pub String);

impl BadRequest {
    pub fn into_response(self) -> Response<Body> {
        error(StatusCode::BAD_REQUEST, "AssertionError", self.0)
    }
}

/// The data-error envelope the real API sends with 200 on a data request whose
/// result file is gone (aurorax-api.md §4.1): `{"error": {"error_code", "error_message"}}`.
pub fn data_error(code: &str, message: &str) -> Response<Body> {
    json(
        StatusCode::OK,
        &json!({"error": {"error_code": code, "error_message": message}}),
    )
}
