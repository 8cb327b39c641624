//! Counts of the /api/ requests received, faulted and rejected ones included.

use crate::route::Route;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct Stats {
    total: u64,
    by_route: BTreeMap<&'static str, u64>,
    by_request: BTreeMap<String, BTreeMap<&'static str, u64>>,
    /// Keyed by the names of `TRANSPORT_EVENTS`.
    transport: BTreeMap<&'static str, u64>,
    /// /api/ requests by the protocol they came over.
    http_versions: BTreeMap<&'static str, u64>,
    /// Requests of each route being answered now, and the most there ever were at once.
    in_flight: BTreeMap<&'static str, u64>,
    most_in_flight: BTreeMap<&'static str, u64>,
}

/// The protocols counted in `http_versions`, named as the design names them.
const HTTP_VERSIONS: [&str; 2] = ["HTTP/1.1", "HTTP/2.0"];

/// Wire events a client cannot report itself: connections accepted (admin ones too),
/// connections closed for idleness, answers sent gzip-compressed, TLS handshakes that
/// failed or were abandoned, connections reset or held unanswered by an outage, results
/// sent from a byte range (a resumed download).
pub const TRANSPORT_EVENTS: [&str; 7] = [
    "ranges",
    "connections",
    "idle_closed",
    "gzip",
    "tls_failed",
    "outage_reset",
    "outage_blackholed",
];

impl Stats {
    pub fn record(&mut self, route: Route, id: Option<&str>) {
        self.total += 1;
        if route == Route::Other {
            return;
        }
        *self.by_route.entry(route.name()).or_default() += 1;
        if let Some(id) = id {
            *self
                .by_request
                .entry(id.to_string())
                .or_default()
                .entry(route.name())
                .or_default() += 1;
        }
    }

    /// Drops the per-request counts of searches the server no longer remembers.
    pub fn forget(&mut self, ids: &[String]) {
        for id in ids {
            self.by_request.remove(id);
        }
    }

    pub fn began(&mut self, route: Route) {
        let now = self.in_flight.entry(route.name()).or_default();
        *now += 1;
        let now = *now;
        let most = self.most_in_flight.entry(route.name()).or_default();
        *most = (*most).max(now);
    }

    pub fn answered(&mut self, route: Route) {
        if let Some(now) = self.in_flight.get_mut(route.name()) {
            *now = now.saturating_sub(1);
        }
    }

    pub fn http_version_seen(&mut self, version: axum::http::Version) {
        let name = match version {
            axum::http::Version::HTTP_2 => "HTTP/2.0",
            axum::http::Version::HTTP_11 => "HTTP/1.1",
            axum::http::Version::HTTP_10 => "HTTP/1.0",
            _ => "other",
        };
        *self.http_versions.entry(name).or_default() += 1;
    }

    pub fn transport_event(&mut self, event: &'static str) {
        *self.transport.entry(event).or_default() += 1;
    }

    pub fn to_json(&self) -> Value {
        let mut by_route = Map::new();
        for r in [
            "submit",
            "status",
            "data",
            "cancel",
            "describe",
            "sources",
            "availability",
        ] {
            by_route.insert(r.into(), json!(self.by_route.get(r).copied().unwrap_or(0)));
        }
        let mut by_request = Map::new();
        for (id, counts) in &self.by_request {
            let c = |r: &str| counts.get(r).copied().unwrap_or(0);
            by_request.insert(
                id.clone(),
                json!({"status": c("status"), "data": c("data"), "cancel": c("cancel")}),
            );
        }
        let mut transport = Map::new();
        for e in TRANSPORT_EVENTS {
            transport.insert(e.into(), json!(self.transport.get(e).copied().unwrap_or(0)));
        }
        let mut http_versions = Map::new();
        for v in HTTP_VERSIONS {
            http_versions.insert(v.into(), json!(0));
        }
        for (v, n) in &self.http_versions {
            http_versions.insert((*v).into(), json!(n));
        }
        let most_in_flight: Map<String, Value> = self
            .most_in_flight
            .iter()
            .map(|(r, n)| ((*r).to_string(), json!(n)))
            .collect();
        json!({"total": self.total, "by_route": by_route, "by_request": by_request,
               "transport": transport, "http_versions": http_versions,
               "most_in_flight": most_in_flight})
    }
}
