//! `/_testserver/` controls. These requests are not counted in the stats and
//! ignore faults and the API key.

use crate::http;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Response, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use std::sync::Arc;

type Resp = Response<Body>;

/// One fault object, or a list of them.
pub fn apply_faults(st: &AppState, v: &Value) -> Result<(), String> {
    match v {
        Value::Array(list) => list.iter().try_for_each(|f| st.add_fault(f)),
        f => st.add_fault(f),
    }
}

fn with_body(body: &Bytes, f: impl FnOnce(&Value) -> Result<(), String>) -> Resp {
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return http::error(
                StatusCode::BAD_REQUEST,
                "AssertionError",
                format!("invalid JSON: {e}"),
            )
        }
    };
    match f(&v) {
        Ok(()) => http::json(StatusCode::OK, &json!({"ok": true})),
        Err(e) => http::error(StatusCode::BAD_REQUEST, "AssertionError", e),
    }
}

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/_testserver/stats",
            get(|State(st): State<Arc<AppState>>| async move {
                http::json(StatusCode::OK, &st.stats())
            }),
        )
        .route(
            "/_testserver/faults",
            post(|State(st): State<Arc<AppState>>, b: Bytes| async move {
                with_body(&b, |v| apply_faults(&st, v))
            })
            .delete(|State(st): State<Arc<AppState>>| async move {
                st.clear_faults();
                http::json(StatusCode::OK, &json!({"ok": true}))
            }),
        )
        .route(
            "/_testserver/searches",
            post(|State(st): State<Arc<AppState>>, b: Bytes| async move {
                with_body(&b, |v| st.set_outcome(v))
            }),
        )
        .route(
            "/_testserver/config",
            post(|State(st): State<Arc<AppState>>, b: Bytes| async move {
                with_body(&b, |v| st.configure(v))
            }),
        )
        .route(
            "/_testserver/expire",
            post(|State(st): State<Arc<AppState>>, b: Bytes| async move {
                with_body(&b, |v| st.expire(v))
            }),
        )
        .route(
            "/_testserver/reset",
            post(|State(st): State<Arc<AppState>>| async move {
                st.reset();
                http::json(StatusCode::OK, &json!({"ok": true}))
            }),
        )
}
