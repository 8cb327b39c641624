//! The router: the protocol under `/api/`, the controls under `/_testserver/`.

mod admin;
mod api;
mod availability;
mod body;
mod catalogue_query;
mod data_sources;
mod faulted;
mod guard;
mod gzip;

pub use admin::apply_faults;

use crate::http;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/api/v1/utils/describe/query/{kind}", post(api::describe))
        .route("/api/v1/{kind}/search", post(api::submit))
        .route("/api/v1/data_sources", get(data_sources::list))
        .route("/api/v1/data_sources/search", post(data_sources::search))
        .route(
            "/api/v1/data_sources/{identifier}",
            get(data_sources::get_one),
        )
        .route(
            "/api/v1/availability/ephemeris",
            get(availability::ephemeris),
        )
        .route(
            "/api/v1/availability/data_products",
            get(availability::data_products),
        )
        .route(
            "/api/v1/{kind}/requests/{id}",
            get(api::status).delete(api::cancel),
        )
        .route(
            "/api/v1/{kind}/requests/{id}/data",
            get(api::data_get).post(api::data_post),
        )
        .fallback(|| async { http::error(StatusCode::NOT_FOUND, "NotFound", "No such endpoint") })
        .method_not_allowed_fallback(|| async {
            http::error(
                StatusCode::METHOD_NOT_ALLOWED,
                "NotPermitted",
                "Method not allowed on this endpoint",
            )
        })
        .layer(from_fn_with_state(state.clone(), guard::guard));
    admin::router().merge(api).with_state(state)
}
