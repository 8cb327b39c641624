//! A normal day and a slow day (issue 20 §2): the local server injects the latency of each
//! kind of request and a bandwidth for results, over HTTPS; both clients run the same
//! searches at the same time, each as a scientist runs one: submit, wait, get the data.

use super::measure::*;
use super::python::Pyaurorax;
use aurorax::ffi::*;
use serde_json::{json, Value};
use std::time::Instant;

/// One day's network, as fixed values the server injects.
#[derive(Clone)]
pub struct Profile {
    pub name: &'static str,
    /// What it stands for and the values chosen, for the row.
    pub label: &'static str,
    pub conditions: Value,
    pub search_seconds: f64,
    /// Conjunctions in each result (~7.8 kB each).
    pub result_count: u64,
}

/// The fixed values chosen from the figures (public notebook timings of the real
/// API): normal days 0.0–0.5 s for a submit or a status GET and 0.5–1.8 s for a 2–8 MB
/// result, tightly a 0.42 s status GET; a slow day (2024-12-13) 4.8–8.6 s for a submit,
/// 4–13 s for a status GET and 9.6–13.2 s for a 2–8 MB result.
pub fn profiles() -> Vec<Profile> {
    vec![
        Profile {
            name: "normal day",
            label: "submit 0.25 s, status GET 0.42 s, result: 0.5 s to the first byte then 4 MB/s (a 5 MB result in 1.75 s)",
            conditions: json!({"latency": {"submit": 0.25, "status": 0.42, "data": 0.5, "cancel": 0.25},
                               "bandwidth_bytes_per_second": 4_000_000}),
            search_seconds: 10.0,
            result_count: 640,
        },
        Profile {
            name: "slow day",
            label: "submit 6 s, status GET 8 s, result: 1 s to the first byte then 500 kB/s (a 5 MB result in 11 s)",
            conditions: json!({"latency": {"submit": 6.0, "status": 8.0, "data": 1.0, "cancel": 6.0},
                               "bandwidth_bytes_per_second": 500_000}),
            search_seconds: 10.0,
            result_count: 640,
        },
        Profile {
            name: "slow day, its slowest steps",
            label: "submit 8.6 s, status GET 13 s, result: 1 s to the first byte then 655 kB/s (a 7.8 MB result in 13 s)",
            conditions: json!({"latency": {"submit": 8.6, "status": 13.0, "data": 1.0, "cancel": 8.6},
                               "bandwidth_bytes_per_second": 655_000}),
            search_seconds: 10.0,
            result_count: 1000,
        },
    ]
}

/// One search of one client.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub ok: bool,
    /// From the submit to the records in hand (or to the failure).
    pub seconds: f64,
    /// Status requests the server counted for its request id (0 if the submit failed).
    pub status_requests: u64,
    pub reason: Option<String>,
}

pub struct DayRun {
    pub profile: Profile,
    pub bytes: f64,
    pub ours: Vec<Outcome>,
    pub theirs: Vec<Outcome>,
}

/// Every profile on its own HTTPS server, all at the same time (the searches mostly wait).
pub fn run(
    servers: &[&aurorax_testserver::ServerGuard],
    urls: &[String],
    ca: &std::path::Path,
    py: &Pyaurorax,
    n: usize,
    gap: f64,
) -> Vec<DayRun> {
    let profiles = profiles();
    std::thread::scope(|scope| {
        let runs: Vec<_> = profiles
            .into_iter()
            .zip(servers.iter().zip(urls))
            .map(|(profile, (&server, url))| {
                scope.spawn(move || one_day(profile, server, url, ca, py, n, gap))
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    })
}

fn one_day(
    profile: Profile,
    server: &aurorax_testserver::ServerGuard,
    url: &str,
    ca: &std::path::Path,
    py: &Pyaurorax,
    n: usize,
    gap: f64,
) -> DayRun {
    server.reset();
    server.configure(profile.conditions.clone());
    server.configure(
        json!({"search_seconds": profile.search_seconds, "result_count": profile.result_count}),
    );
    let mut theirs_process = py.day(url, n, gap, Some(ca));
    struct Handle(*mut aurorax_search_t);
    unsafe impl Send for Handle {}
    let ours: Vec<(bool, f64, String, Option<String>, usize)> = std::thread::scope(|scope| {
        theirs_process.go();
        let mut threads = vec![];
        for i in 0..n {
            threads.push(scope.spawn(move || {
                let t = Instant::now();
                let (a, b) = start_day(1 + (i % 28) as u32);
                let s = Handle(search_at(url, &a, &b));
                let rc = aurorax_wait(s.0, 0.0);
                let data = aurorax_get_data(s.0);
                let ok = rc == 0 && !data.is_null();
                let bytes = if ok { text(data).len() } else { 0 };
                let seconds = t.elapsed().as_secs_f64();
                let id = text(aurorax_request_id(s.0));
                let reason = (!ok).then(|| {
                    let message = text(aurorax_search_error(s.0));
                    format!(
                        "{}: {}",
                        text(aurorax_status_name(rc)),
                        message.chars().take(100).collect::<String>()
                    )
                });
                aurorax_free(s.0);
                (ok, seconds, id, reason, bytes)
            }));
            std::thread::sleep(std::time::Duration::from_secs_f64(gap));
        }
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let theirs_json = theirs_process.finish();
    let stats = server.stats();
    let count = |id: &str| stats["by_request"][id]["status"].as_u64().unwrap_or(0);
    let bytes = ours.iter().map(|o| o.4 as f64).fold(0.0, f64::max);
    let ours = ours
        .into_iter()
        .map(|(ok, seconds, id, reason, _)| Outcome {
            ok,
            seconds,
            status_requests: if id.is_empty() { 0 } else { count(&id) },
            reason,
        })
        .collect();
    let theirs = theirs_json["searches"]
        .as_array()
        .expect("day prints its searches")
        .iter()
        .map(|v| Outcome {
            ok: v["ok"].as_bool().unwrap_or(false),
            seconds: v["seconds"].as_f64().unwrap_or(f64::NAN),
            status_requests: v["request_id"].as_str().map(count).unwrap_or(0),
            reason: v["reason"].as_str().map(str::to_string),
        })
        .collect();
    server.reset();
    DayRun {
        profile,
        bytes,
        ours,
        theirs,
    }
}
