//! Runs before every /api/ handler: counts the request, applies a queued fault,
//! then checks the API key (faults model the network and proxies in front of the
//! API, so they come first; counting comes before both so rejected requests count).

use super::faulted;
use crate::faults::{Fault, FaultKind};
use crate::http;
use crate::network::{throttled, OutageMode};
use crate::route::Route;
use crate::server::KillSwitch;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
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
    let conditions = st.conditions();
    if let Some(outage) = conditions.outage() {
        // a request on a connection opened before the outage: the network is down
        if outage.mode == OutageMode::Blackhole {
            tokio::time::sleep_until(outage.until).await;
        }
        if let Some(k) = req.extensions().get::<KillSwitch>() {
            k.kill();
            std::future::pending::<()>().await;
        }
    }
    // from here until its answer's head is out (latency included)
    let in_flight = st.in_flight(route);
    if let Some(pause) = conditions.latency(route) {
        tokio::time::sleep(pause).await;
    }
    let fault = st.record(route, id.as_deref());
    let resp = faulted_or_answered(&st, fault, route, req, next).await;
    drop(in_flight);
    match conditions.bandwidth {
        Some(pace) if route == Route::Data => resp.map(|b| throttled(b, pace)),
        _ => resp,
    }
}

async fn faulted_or_answered(
    st: &Arc<AppState>,
    fault: Option<Fault>,
    route: Route,
    req: Request,
    next: Next,
) -> Response {
    let st = st.as_ref();
    let Some(f) = fault else {
        return answer(st, req, next).await;
    };
    let resp = match f.kind {
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
        FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
            answer(st, req, next).await
        }
        FaultKind::Truncate => faulted::truncate(answer(st, req, next).await).await,
        FaultKind::Stall => faulted::stall(
            answer(st, req, next).await,
            f.stall_after_bytes,
            Duration::from_millis(f.stall_ms),
        ),
        FaultKind::NoLocation => {
            let mut r = answer(st, req, next).await;
            r.headers_mut().remove(header::LOCATION);
            r
        }
        FaultKind::Headers => answer(st, req, next).await,
        _ => faulted::response(&f, route, st.retry_after(f.retry_after_seconds)),
    };
    with_headers(resp, &f).await
}

async fn with_headers(resp: Response, f: &Fault) -> Response {
    if f.headers.is_empty() {
        resp
    } else {
        faulted::set_headers(resp, f).await
    }
}

/// The API's own answer: the key check, then the handler. Searches are anonymous, so
/// only a key that is present and wrong is refused (aurorax-api.md §0).
async fn answer(st: &AppState, req: Request, next: Next) -> Response {
    let gzip = st.transport().gzip && super::gzip::accepted(req.headers());
    let resp = keyed(st, req, next).await;
    // a byte range is of the identity encoding
    let partial = resp.status() == StatusCode::PARTIAL_CONTENT;
    if gzip && !partial && !super::gzip::is_empty(&resp) {
        st.transport_event("gzip");
        super::gzip::compress(resp)
    } else {
        resp
    }
}

async fn keyed(st: &AppState, req: Request, next: Next) -> Response {
    if let Some(key) = &st.api_key {
        if let Some(given) = req.headers().get(API_KEY_HEADER) {
            if given.as_bytes() != key.as_bytes() {
                return http::error(
                    StatusCode::UNAUTHORIZED,
                    "NotAuthenticated",
                    format!("Invalid API key in the {API_KEY_HEADER} header"),
                );
            }
        }
    }
    next.run(req).await
}
