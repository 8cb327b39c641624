//! Counts of the /api/ requests received, faulted and rejected ones included.

use crate::route::Route;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct Stats {
    total: u64,
    by_route: BTreeMap<&'static str, u64>,
    by_request: BTreeMap<String, BTreeMap<&'static str, u64>>,
}

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
        json!({"total": self.total, "by_route": by_route, "by_request": by_request})
    }
}
