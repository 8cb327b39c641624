//! Network conditions the server imposes on itself, so tests and benchmarks can replay a
//! normal day, a slow day and an outage: a latency per kind of request, a bandwidth for
//! results, and an outage window during which connections are refused, reset, or accepted
//! and never answered. Set through `POST /_testserver/config` or `--config` at start.

use crate::route::Route;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// What happens to connections during an outage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutageMode {
    /// The port is closed: connecting fails with "connection refused".
    Refuse,
    /// Connections are accepted and reset at once (RST).
    Reset,
    /// Connections are accepted and never answered; they are reset when the outage ends.
    Blackhole,
}

#[derive(Clone, Copy, Debug)]
pub struct Outage {
    pub mode: OutageMode,
    pub until: Instant,
}

#[derive(Clone, Debug, Default)]
pub struct Conditions {
    latency: HashMap<&'static str, Duration>,
    /// Result bodies (the data route) are sent at this many bytes a second.
    pub bandwidth: Option<u64>,
    outage: Option<Outage>,
}

/// The longest latency or outage one setting may ask for: a day.
const MAX_SECONDS: f64 = 86_400.0;

fn seconds(name: &str, v: &Value) -> Result<Duration, String> {
    v.as_f64()
        .filter(|s| s.is_finite() && (0.0..=MAX_SECONDS).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{name}: must be a number of seconds in [0, 86400]"))
}

impl Conditions {
    /// The time to wait before answering a request of this kind.
    pub fn latency(&self, route: Route) -> Option<Duration> {
        self.latency.get(route.name()).copied()
    }

    /// The outage in force now, if any.
    pub fn outage(&self) -> Option<Outage> {
        self.outage.filter(|o| Instant::now() < o.until)
    }

    /// Applies the `latency`, `bandwidth_bytes_per_second` and `outage` members of a
    /// config object; each `null` restores the default (none). Returns whether an outage
    /// started or was called off.
    pub fn configure(&mut self, obj: &Map<String, Value>) -> Result<bool, String> {
        if let Some(v) = obj.get("latency") {
            self.latency = match v {
                Value::Null => HashMap::new(),
                Value::Object(m) => {
                    let mut latency = HashMap::new();
                    for (k, v) in m {
                        let route = Route::from_name(k)
                            .filter(|r| *r != Route::Other)
                            .ok_or_else(|| format!("latency: unknown route '{k}'"))?;
                        if !v.is_null() {
                            latency.insert(route.name(), seconds(&format!("latency.{k}"), v)?);
                        }
                    }
                    latency
                }
                _ => return Err("latency: must be an object of route: seconds, or null".into()),
            };
        }
        if let Some(v) = obj.get("bandwidth_bytes_per_second") {
            self.bandwidth = match v {
                Value::Null => None,
                v => Some(v.as_u64().filter(|b| *b > 0).ok_or(
                    "bandwidth_bytes_per_second: must be a positive whole number or null",
                )?),
            };
        }
        let mut changed = false;
        if let Some(v) = obj.get("outage") {
            changed = true;
            self.outage = match v {
                Value::Null => None,
                Value::Object(m) => {
                    let mode = match m.get("mode").and_then(Value::as_str) {
                        Some("refuse") => OutageMode::Refuse,
                        Some("reset") => OutageMode::Reset,
                        Some("blackhole") => OutageMode::Blackhole,
                        _ => {
                            return Err(
                                "outage.mode: must be \"refuse\", \"reset\" or \"blackhole\""
                                    .into(),
                            )
                        }
                    };
                    let length = seconds(
                        "outage.seconds",
                        m.get("seconds").ok_or("outage.seconds: missing")?,
                    )?;
                    Some(Outage {
                        mode,
                        until: Instant::now() + length,
                    })
                }
                _ => return Err("outage: must be {\"mode\", \"seconds\"} or null".into()),
            };
        }
        Ok(changed)
    }
}

/// Sends `body` at `bytes_per_second`, chunk by chunk.
pub fn throttled(body: axum::body::Body, bytes_per_second: u64) -> axum::body::Body {
    use futures_util::StreamExt;
    let started = Instant::now();
    let mut sent: u64 = 0;
    let stream = body.into_data_stream().then(move |chunk| {
        if let Ok(c) = &chunk {
            sent += c.len() as u64;
        }
        // the time this many bytes may take at the set pace
        let due = started + Duration::from_secs_f64(sent as f64 / bytes_per_second as f64);
        async move {
            tokio::time::sleep_until(due).await;
            chunk
        }
    });
    axum::body::Body::from_stream(stream)
}
