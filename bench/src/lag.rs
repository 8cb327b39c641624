//! Completion lag and status requests: both clients at once against the same server, every
//! search its own request with its own duration. Status requests are counted by the server
//! for each request id (so each client is charged only its own), and timed by a relay in
//! front of the server (for requests per second).

use super::measure::*;
use super::python::Pyaurorax;
use aurorax::ffi::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// One search of one client.
#[derive(Clone, Debug)]
pub struct Sample {
    pub nominal: f64,
    /// The duration the server was configured with for it.
    pub seconds: f64,
    /// Completion (the status's completed_timestamp) to wait returning.
    pub lag: f64,
    /// Status requests the server counted for this request id.
    pub requests: u64,
    /// When each status request passed the relay (Unix seconds).
    pub request_times: Vec<f64>,
    /// The server's `query_duration` (accepted to completed), seconds; ours only.
    pub query_duration: Option<f64>,
    /// Which round (run) it ran in, for the spread of ratios over runs.
    pub round: usize,
}

pub struct LagRun {
    /// `ours[i]` and `theirs[i]` had the same duration.
    pub ours: Vec<Sample>,
    pub theirs: Vec<Sample>,
    /// Searches whose status requests the relay saw a different number of times than the
    /// server counted (expected: none).
    pub relay_mismatches: usize,
}

/// How wide the durations of one nominal duration are spread: at least 1 s, so pyaurorax's
/// 1 s poll meets the end of a search at every phase, and at least 20 % of the duration, so
/// ours (whose interval is up to 10 % of the time elapsed) does too.
pub fn spread(nominal: f64) -> f64 {
    (0.2 * nominal).max(1.0)
}

struct Handle(*mut aurorax_search_t);
unsafe impl Send for Handle {}

/// Where one set of lag rows runs: the server, the URL both clients use (the relay's, over
/// plain HTTP), the CA over HTTPS, and the network conditions the server injects.
pub struct Road<'a> {
    pub server: &'a aurorax_testserver::ServerGuard,
    pub url: String,
    pub relay: Option<&'a super::proxy::Relay>,
    pub ca: Option<std::path::PathBuf>,
    /// Applied after every reset of the server (e.g. `{"latency": {"status": 0.42}}`).
    pub conditions: Value,
}

/// `n` searches per nominal duration and client, in `rounds` rounds of concurrent searches.
/// Durations are spread evenly over `spread(nominal)` around the nominal one, so neither
/// client's poll phase lines up with the end of a search by luck.
pub fn run(road: &Road, py: &Pyaurorax, nominals: &[f64], n: usize, rounds: usize) -> LagRun {
    let server = road.server;
    let reset = || {
        server.reset();
        if !road.conditions.is_null() {
            server.configure(road.conditions.clone());
        }
    };
    let mut run = LagRun {
        ours: vec![],
        theirs: vec![],
        relay_mismatches: 0,
    };
    for round in 0..rounds {
        reset();
        let slots: Vec<(f64, f64)> = (round..n)
            .step_by(rounds)
            .flat_map(|i| {
                nominals
                    .iter()
                    .map(move |&d| (d, d + spread(d) * ((i as f64 + 0.5) / n as f64 - 0.5)))
            })
            .collect();
        let longest = slots.iter().map(|s| s.1).fold(0.0, f64::max);
        eprintln!(
            "  round {}/{rounds}: {} searches per client, up to {longest:.1} s",
            round + 1,
            slots.len()
        );
        if let Some(relay) = road.relay {
            relay.times.lock().unwrap().clear();
        }
        let (ours, theirs) = std::thread::scope(|scope| {
            let mut lag_server = py.lag_server(&road.url, road.ca.as_deref());
            let mut waiters = vec![];
            let mut ids = vec![];
            for &(nominal, seconds) in &slots {
                server.configure(json!({"search_seconds": seconds}));
                let (a, b) = start_day(1 + ids.len() as u32 % 300);
                let s = Handle(search_at(&road.url, &a, &b));
                let t = Instant::now();
                while aurorax_request_id(s.0).is_null() {
                    assert!(
                        t.elapsed() < Duration::from_secs(10),
                        "our submit did not finish"
                    );
                    std::thread::sleep(Duration::from_millis(1));
                }
                let our_id = text(aurorax_request_id(s.0));
                waiters.push(scope.spawn(move || {
                    let s = s;
                    let (lag, query_duration) = completion_lag(s.0);
                    aurorax_free(s.0);
                    (lag, query_duration)
                }));
                let their_id = lag_server.submit();
                ids.push((nominal, seconds, our_id, their_id));
            }
            let ours: Vec<(f64, f64)> = waiters.into_iter().map(|w| w.join().unwrap()).collect();
            let their_lags = lag_server.finish();
            let times = road
                .relay
                .map(|r| r.times.lock().unwrap().clone())
                .unwrap_or_default();
            let stats = server.stats();
            let count = |id: &str| stats["by_request"][id]["status"].as_u64().unwrap_or(0);
            let mut our_samples = vec![];
            let mut their_samples = vec![];
            for ((nominal, seconds, our_id, their_id), (lag, query_duration)) in
                ids.into_iter().zip(ours)
            {
                our_samples.push(Sample {
                    nominal,
                    seconds,
                    lag,
                    requests: count(&our_id),
                    request_times: times.get(&our_id).cloned().unwrap_or_default(),
                    query_duration: Some(query_duration),
                    round,
                });
                their_samples.push(Sample {
                    nominal,
                    seconds,
                    lag: their_lags["lags"][&their_id]
                        .as_f64()
                        .expect("pyaurorax lag"),
                    requests: count(&their_id),
                    request_times: times.get(&their_id).cloned().unwrap_or_default(),
                    query_duration: None,
                    round,
                });
            }
            (our_samples, their_samples)
        });
        let mismatched = |v: &Vec<Sample>| {
            v.iter()
                .filter(|s| s.request_times.len() as u64 != s.requests)
                .count()
        };
        if road.relay.is_some() {
            run.relay_mismatches += mismatched(&ours) + mismatched(&theirs);
        }
        run.ours.extend(ours);
        run.theirs.extend(theirs);
    }
    reset();
    run
}

/// Seconds from the server's completed_timestamp to `aurorax_wait` returning, and the
/// server's query_duration (accepted → completed) in seconds.
pub fn completion_lag(s: *mut aurorax_search_t) -> (f64, f64) {
    assert_eq!(aurorax_wait(s, 0.0), 0, "{}", text(aurorax_search_error(s)));
    let returned = now_utc_seconds();
    let status: Value = serde_json::from_str(&text(aurorax_get_status(s))).unwrap();
    let result = &status["search_result"];
    (
        returned - timestamp_seconds(result["completed_timestamp"].as_str().unwrap()),
        result["query_duration"].as_f64().unwrap_or(f64::NAN) / 1000.0,
    )
}
