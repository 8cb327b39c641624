//! Runs before every /api/ handler: counts the request, applies a queued fault,
//! then checks the API key (faults model the network and proxies in front of the
//! API, so they come first; counting comes before both so rejected requests count).

use super::faulted;
use crate::faults::FaultKind;
use crate::http;
use crate::route::Route;
use crate::server::KillSwitch;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Duration;

pub const API_KEY_HEADER: &str = "x-aurorax-api-key";

pub async fn guard(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (route, id) = Route::classify(req.method(), req.uri().path());
    let fault = st.record(route, id.as_deref());
    let mut truncate = false;
    if let Some(f) = fault {
        match f.kind {
            FaultKind::Delay => tokio::time::sleep(Duration::from_millis(f.delay_ms)).await,
            FaultKind::Truncate => truncate = true,
            FaultKind::Reset => {
                if let Some(k) = req.extensions().get::<KillSwitch>() {
                    k.kill();
                    // the connection task drops this future with the connection
                    std::future::pending::<()>().await;
                }
                return http::error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "ApplicationError",
                    "reset fault without a connection",
                );
            }
            _ => return faulted::response(&f, route),
        }
    }
    if let Some(key) = &st.api_key {
        let given = req
            .headers()
            .get(API_KEY_HEADER)
            .and_then(|v| v.to_str().ok());
        if given != Some(key.as_str()) {
            return http::error(
                StatusCode::UNAUTHORIZED,
                "NotAuthenticated",
                format!("Missing or invalid API key in the {API_KEY_HEADER} header"),
            );
        }
    }
    let resp = next.run(req).await;
    if truncate {
        faulted::truncate(resp).await
    } else {
        resp
    }
}
