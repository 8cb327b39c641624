//! Shared server state: the searches, and the run-time controls set through
//! `/_testserver/` (faults, search outcomes, config overrides, stats).

use crate::faults::{Fault, Faults};
use crate::http::BadRequest;
use crate::kind::Kind;
use crate::records::Plan;
use crate::search::{Outcome, Search};
use crate::stats::Stats;
use crate::validation::validate;
use chrono::{Duration, Utc};
use serde_json::Value;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

pub const DEFAULT_FAIL_MESSAGE: &str = "Search failed: database timeout";

pub struct AppState {
    pub api_key: Option<String>,
    /// `host:port` for a Location when a request has no Host header.
    pub local_addr: String,
    /// `https` when the server speaks TLS, else `http`: the Location's scheme.
    pub scheme: &'static str,
    /// Offer only HTTP/1.1 (plain, and by ALPN under TLS).
    pub http1_only: bool,
    default_search_seconds: f64,
    searches: Mutex<Searches>,
    control: Mutex<Control>,
    /// Bumped when an outage starts (open connections drop, as a network's would) or is
    /// called off (the port opens again).
    outage_started: tokio::sync::watch::Sender<u64>,
}

/// The searches by id, and their ids oldest first, to forget the oldest beyond `capacity`.
struct Searches {
    by_id: HashMap<String, Arc<Search>>,
    oldest_first: VecDeque<String>,
    capacity: usize,
}

impl Searches {
    /// Registers a search under a fresh id; returns the ids it pushed out.
    fn insert(&mut self, search: Arc<Search>) -> Result<Vec<String>, BadRequest> {
        match self.by_id.entry(search.id.clone()) {
            Entry::Occupied(o) => {
                return Err(BadRequest(format!(
                    "request_id: {} is already in use",
                    o.key()
                )))
            }
            Entry::Vacant(v) => v.insert(search.clone()),
        };
        self.oldest_first.push_back(search.id.clone());
        let excess = self.oldest_first.len().saturating_sub(self.capacity);
        let forgotten: Vec<String> = self.oldest_first.drain(..excess).collect();
        for id in &forgotten {
            self.by_id.remove(id);
        }
        Ok(forgotten)
    }
}

/// Counts a request as in flight while it lives.
pub struct InFlight {
    state: Arc<AppState>,
    route: crate::route::Route,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.state.control().stats.answered(self.route);
    }
}

#[derive(Default)]
struct Control {
    stats: Stats,
    faults: Faults,
    outcomes: VecDeque<Outcome>,
    search_seconds: Option<f64>,
    result_count: Option<usize>,
    result_lifetime: Option<f64>,
    transport: Transport,
    network: crate::network::Conditions,
}

/// Wire options set through `POST /_testserver/config`; they apply at once.
#[derive(Clone, Debug, Default)]
pub struct Transport {
    /// Data downloads without Content-Length (chunked transfer encoding).
    pub chunked_data: bool,
    /// gzip every /api/ answer to a client that sends `Accept-Encoding: gzip`.
    pub gzip: bool,
    /// Close a keep-alive connection idle this long.
    pub idle_timeout: Option<std::time::Duration>,
    /// Retry-After as an HTTP date instead of seconds.
    pub retry_after_http_date: bool,
}

impl AppState {
    pub fn new(
        api_key: Option<String>,
        search_seconds: f64,
        max_searches: usize,
        local_addr: String,
        scheme: &'static str,
        http1_only: bool,
    ) -> AppState {
        AppState {
            api_key,
            local_addr,
            scheme,
            http1_only,
            default_search_seconds: search_seconds,
            searches: Mutex::new(Searches {
                by_id: HashMap::new(),
                oldest_first: VecDeque::new(),
                capacity: max_searches.max(1),
            }),
            control: Mutex::default(),
            outage_started: tokio::sync::watch::Sender::new(0),
        }
    }

    /// The network conditions in force (latency, bandwidth, outage).
    pub fn conditions(&self) -> crate::network::Conditions {
        self.control().network.clone()
    }

    /// Fires when an outage starts or is called off.
    pub fn outage_watch(&self) -> tokio::sync::watch::Receiver<u64> {
        self.outage_started.subscribe()
    }

    fn searches(&self) -> std::sync::MutexGuard<'_, Searches> {
        self.searches.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn control(&self) -> std::sync::MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts a request; per request id only for searches the server remembers, so that
    /// requests for unknown ids cannot grow the counts without bound.
    pub fn record(&self, route: crate::route::Route, id: Option<&str>) -> Option<Fault> {
        let known_id = id.filter(|id| self.get(id).is_some());
        let mut c = self.control();
        c.stats.record(route, known_id);
        c.faults.take(route, id)
    }

    /// A request of `route` is being answered until the returned guard is dropped.
    pub fn in_flight(self: &Arc<Self>, route: crate::route::Route) -> InFlight {
        self.control().stats.began(route);
        InFlight {
            state: self.clone(),
            route,
        }
    }

    pub fn stats(&self) -> Value {
        self.control().stats.to_json()
    }

    pub fn add_fault(&self, spec: &Value) -> Result<(), String> {
        let f = Fault::parse(spec)?;
        self.control().faults.push(f);
        Ok(())
    }

    pub fn clear_faults(&self) {
        self.control().faults.clear();
    }

    pub fn set_outcome(&self, spec: &Value) -> Result<(), String> {
        let count = match spec.get("count") {
            None | Some(Value::Null) => 1,
            Some(v) => v.as_u64().ok_or("count: must be a non-negative integer")?,
        };
        let outcome = match spec.get("outcome").and_then(Value::as_str) {
            Some("fail") => Outcome::Fail(
                spec.get("message")
                    .and_then(Value::as_str)
                    .unwrap_or(DEFAULT_FAIL_MESSAGE)
                    .to_string(),
            ),
            Some("never_finish") => Outcome::NeverFinish,
            Some("normal") => Outcome::Normal,
            _ => return Err("outcome: must be \"fail\" or \"never_finish\"".into()),
        };
        let mut c = self.control();
        for _ in 0..count {
            c.outcomes.push_back(outcome.clone());
        }
        Ok(())
    }

    pub fn configure(&self, spec: &Value) -> Result<(), String> {
        let obj = spec.as_object().ok_or("config must be a JSON object")?;
        let mut c = self.control();
        if c.network.configure(obj)? {
            self.outage_started.send_modify(|n| *n += 1);
        }
        if let Some(v) = obj.get("search_seconds") {
            c.search_seconds = match v {
                Value::Null => None,
                v => Some(
                    v.as_f64()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or("search_seconds: must be a non-negative number")?,
                ),
            };
        }
        let flag = |k: &str| -> Result<Option<bool>, String> {
            match obj.get(k) {
                None => Ok(None),
                Some(Value::Null) => Ok(Some(false)),
                Some(v) => v
                    .as_bool()
                    .map(Some)
                    .ok_or_else(|| format!("{k}: must be true, false or null")),
            }
        };
        if let Some(b) = flag("chunked_data")? {
            c.transport.chunked_data = b;
        }
        if let Some(b) = flag("gzip")? {
            c.transport.gzip = b;
        }
        if let Some(v) = obj.get("idle_timeout_seconds") {
            c.transport.idle_timeout = match v {
                Value::Null => None,
                v => Some(std::time::Duration::from_secs_f64(
                    v.as_f64()
                        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e6)
                        .ok_or("idle_timeout_seconds: must be a positive number or null")?,
                )),
            };
        }
        if let Some(v) = obj.get("retry_after_format") {
            c.transport.retry_after_http_date = match v.as_str() {
                None if v.is_null() => false,
                Some("seconds") => false,
                Some("http_date") => true,
                _ => {
                    return Err(
                        "retry_after_format: must be \"seconds\", \"http_date\" or null".into(),
                    )
                }
            };
        }
        if let Some(v) = obj.get("result_lifetime_seconds") {
            c.result_lifetime = match v {
                Value::Null => None,
                v => Some(
                    v.as_f64()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .ok_or("result_lifetime_seconds: must be a non-negative number or null")?,
                ),
            };
        }
        if let Some(v) = obj.get("result_count") {
            c.result_count = match v {
                Value::Null => None,
                v => Some(
                    v.as_u64()
                        .ok_or("result_count: must be a non-negative integer or null")?
                        as usize,
                ),
            };
        }
        Ok(())
    }

    /// `POST /_testserver/expire {"request_id": ID}`: purges that search's result file
    /// now, as the real API does after some days.
    pub fn expire(&self, spec: &Value) -> Result<(), String> {
        let id = spec
            .get("request_id")
            .and_then(Value::as_str)
            .ok_or("request_id: a string is required")?;
        let s = self
            .get(id)
            .ok_or_else(|| format!("request_id: no search with id '{id}'"))?;
        s.expired.lock().unwrap().get_or_insert(Utc::now());
        Ok(())
    }

    pub fn reset(&self) {
        *self.control() = Control::default();
    }

    pub fn get(&self, id: &str) -> Option<Arc<Search>> {
        self.searches().by_id.get(&id.to_ascii_lowercase()).cloned()
    }

    /// The body's `request_id` if it names one (oas: "An optional request_id to be
    /// used for this query"), else a new UUID4. Ids are kept lower-case.
    fn choose_id(&self, query: &Value) -> Result<String, BadRequest> {
        let id = match &query["request_id"] {
            Value::Null => return Ok(uuid::Uuid::new_v4().to_string()),
            Value::String(s) => uuid::Uuid::parse_str(s)
                .map_err(|_| BadRequest("request_id: must be a UUID".into()))?
                .hyphenated()
                .to_string(),
            _ => {
                return Err(BadRequest(
                    "request_id: must be a UUID string or null".into(),
                ))
            }
        };
        if self.get(&id).is_some() {
            return Err(BadRequest(format!("request_id: {id} is already in use")));
        }
        Ok(id)
    }

    /// Validates and registers a search; its body size is computed on a blocking
    /// thread meanwhile so that `file_size` in the status is the true value.
    pub fn submit(&self, kind: Kind, body: &Value) -> Result<Arc<Search>, BadRequest> {
        let query = validate(kind, body)?;
        let (outcome, seconds, count, lifetime) = {
            let mut c = self.control();
            let o = c.outcomes.pop_front().unwrap_or(Outcome::Normal);
            (
                o,
                c.search_seconds.unwrap_or(self.default_search_seconds),
                c.result_count,
                c.result_lifetime
                    .map(|s| Duration::microseconds((s * 1e6) as i64)),
            )
        };
        let id = match self.choose_id(&query) {
            Ok(id) => id,
            Err(e) => {
                // a refused submission leaves the programmed outcome to the next search
                self.control().outcomes.push_front(outcome);
                return Err(e);
            }
        };
        let plan = Arc::new(Plan::new(kind, &query, count));
        let size = Arc::new(OnceLock::new());
        if outcome == Outcome::Normal {
            let (plan, size) = (plan.clone(), size.clone());
            tokio::task::spawn_blocking(move || {
                let _ = size.set((plan.body_size(), Utc::now()));
            });
        }
        let search = Arc::new(Search {
            id: id.clone(),
            kind,
            describe: crate::describe::describe(kind, &query),
            query,
            plan,
            requested: Utc::now(),
            duration: Duration::microseconds((seconds * 1e6) as i64),
            outcome,
            size,
            cancelled: Mutex::new(None),
            deleted: Mutex::new(None),
            expired: Mutex::new(None),
            lifetime,
        });
        // checked again on insertion: two submissions may have chosen the same id at once
        let forgotten = self.searches().insert(search.clone())?;
        if !forgotten.is_empty() {
            self.control().stats.forget(&forgotten);
        }
        Ok(search)
    }
}

impl AppState {
    /// Counts one of `stats::TRANSPORT_EVENTS`.
    pub fn http_version_seen(&self, version: axum::http::Version) {
        self.control().stats.http_version_seen(version);
    }

    pub fn transport_event(&self, event: &'static str) {
        self.control().stats.transport_event(event);
    }

    pub fn transport(&self) -> Transport {
        self.control().transport.clone()
    }

    /// The Retry-After value for a 503/429 fault: delay-seconds, or the HTTP date that
    /// many seconds from now (RFC 9110 §10.2.3 allows both).
    pub fn retry_after(&self, seconds: u64) -> axum::http::HeaderValue {
        if self.control().transport.retry_after_http_date {
            let at = Utc::now() + Duration::seconds(seconds.min(1 << 32) as i64);
            let text = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            axum::http::HeaderValue::try_from(text)
                .unwrap_or(axum::http::HeaderValue::from(seconds))
        } else {
            axum::http::HeaderValue::from(seconds)
        }
    }
}
