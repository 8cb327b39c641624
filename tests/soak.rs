//! Soak: thousands of searches through one process with random faults on every route,
//! delays and stalls, and another thread cancelling and freeing handles while this one
//! waits on them. Every search ends with its (verified) data or a failure that the injected
//! fault explains — none lost, none stuck — and memory stays flat. Part of the README's
//! test command with 20,000 searches (about three minutes on 2 busy cores), long enough to
//! pass the allocator's warm-up; `AURORAX_SOAK_SEARCHES=N` for another size (the warm-up
//! alone took about 14 MB, so a run much shorter than 15,000 exceeds the allowance from the
//! start; the second-half allowance is checked from 10,000 on).
//! The server runs as its own process, so this process's memory is the library's alone.

mod common;
mod evidence;
use common::*;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const IN_FLIGHT: usize = 100;
/// Long enough to pass the allocator's warm-up (see RELIABILITY.md, "Soak").
const DEFAULT_SEARCHES: usize = 20_000;
const FAULTS: [&str; 10] = [
    "http500",
    "http502",
    "http503",
    "http429",
    "reset",
    "truncate",
    "malformed",
    "wrong_types",
    "delay",
    "stall",
];
const ROUTES: [&str; 3] = ["submit", "status", "data"];
/// The library's request timeout. A delay or stall fault lasts two or three times as long,
/// so it always times out; an answer without a fault must never time out, even from a
/// server on a machine busy with other work (100 submits arrive at once).
const REQUEST_TIMEOUT_MS: u64 = 2_000;
/// Growth of resident memory allowed from the start of the run (before the first search)
/// to its end, per search run: the engine's start, the allocator's warm-up and anything a
/// search leaves behind must fit in it. A search that leaked its handle would leave its
/// status, logs and data (over 8 KB) behind.
const RSS_ALLOWANCE_PER_SEARCH_BYTES: u64 = 1_024;
/// Past the allocator's warm-up (over the run's second half) the allowance is tighter.
const RSS_ALLOWANCE_PER_LATE_SEARCH_BYTES: u64 = 256;

fn searches() -> usize {
    std::env::var("AURORAX_SOAK_SEARCHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEARCHES)
}

/// The statuses a search may legitimately fail with while `fault` hits `route` (after the
/// library's retries): anything else is a bug.
fn legitimate(route: &str, fault: &str, status: i32) -> bool {
    match (route, fault) {
        // transient on GETs: retried; only exhausting the budget fails, with the fault's class
        (_, "http500" | "http502") => status == API,
        (_, "http503") => status == MAINTENANCE || status == API,
        (_, "http429") => status == API,
        (_, "reset" | "truncate") => status == NETWORK || status == PROTOCOL,
        (_, "malformed" | "wrong_types") => status == PROTOCOL,
        (_, "delay" | "stall") => status == NETWORK,
        _ => false,
    }
}

/// The server binary next to this test's build (target/<profile>/aurorax-testserver).
struct ServerProcess {
    child: std::process::Child,
    url: String,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let exe = std::env::current_exe()
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .join("aurorax-testserver");
        assert!(
            exe.exists(),
            "build the server first, in this test's profile: cargo build -p aurorax-testserver (--release for a release test run) ({exe:?})"
        );
        let mut child = std::process::Command::new(exe)
            .args(["--listen", "127.0.0.1:0", "--search-seconds", "0.05"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        ServerProcess {
            child,
            url: line.trim().to_string(),
        }
    }

    /// One admin request; fails the test unless the server answers `200 {"ok":true}`.
    fn admin(&self, method: &str, path: &str, body: &str) {
        evidence::admin_ok(&self.url, method, path, body);
    }

    fn stats(&self) -> serde_json::Value {
        let (code, _, body) = evidence::raw_request(&self.url, "GET", "/_testserver/stats", "")
            .expect("the server's stats");
        assert_eq!(code, 200);
        serde_json::from_str(&body).unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn vm_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap()
        .parse()
        .unwrap()
}

/// A small deterministic generator (xorshift), so a failing run can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn thousands_of_searches_with_faults_cancels_and_frees_all_end_and_memory_stays_flat() {
    let total = searches();
    let server = ServerProcess::start();
    let mut rng = Rng(0x005e_eda1_1a0a);
    let configure = || {
        assert_eq!(aurorax_set_max_retries(2), 0);
        assert_eq!(
            aurorax_set_request_timeout(REQUEST_TIMEOUT_MS as f64 / 1000.0),
            0
        );
        assert_eq!(aurorax_set_poll_interval(0.3), 0);
    };
    let started = Instant::now();
    let (mut ok, mut failed, mut cancelled, mut freed_count) = (0usize, 0usize, 0usize, 0usize);
    let mut rss = vec![(0usize, vm_rss_kb())];
    let mut statuses = BTreeMap::new();
    // (fault, route) -> batches in which every injected fault was taken by a request
    let mut fired: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut batch_start = 0;
    let mut batch_number = 0;
    while batch_start < total {
        // every kind of fault, on each route in turn (30 batches cover all of them)
        let (fault, route) = (
            FAULTS[batch_number % FAULTS.len()],
            ROUTES[(batch_number / FAULTS.len()) % ROUTES.len()],
        );
        batch_number += 1;
        let spec = json!({"route": route, "fault": fault, "count": 1 + rng.next(4), "retry_after_seconds": 0, "delay_ms": 2 * REQUEST_TIMEOUT_MS, "stall_after_bytes": 200, "stall_ms": 3 * REQUEST_TIMEOUT_MS});
        server.admin("DELETE", "/_testserver/faults", "");
        server.admin("POST", "/_testserver/faults", &spec.to_string());
        let batch: Vec<(String, String, usize)> = (batch_start
            ..(batch_start + IN_FLIGHT).min(total))
            .map(|i| {
                let day = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()
                    + chrono::Duration::days((i % 365) as i64);
                let (start, end) = (format!("{day}T00:00:00"), format!("{day}T23:59:59"));
                let s = with_api_url(&server.url, configure, || unsafe {
                    aurorax_conjunctions_search_async(
                        c(&start).as_ptr(),
                        c(&end).as_ptr(),
                        c(SEED_GROUND).as_ptr(),
                        c(SEED_SPACE).as_ptr(),
                        300.0,
                    )
                });
                assert!(!s.is_null(), "{}", last_error());
                (start, end, s as usize)
            })
            .collect();
        // Another thread cancels some and frees others while this one waits on them.
        let mut victims: Vec<(usize, bool)> = Vec::new();
        for (_, _, s) in &batch {
            if rng.next(10) == 0 {
                victims.push((*s, rng.next(2) == 0));
            }
        }
        // marked by the other thread just before its cancel or free
        let touched = Arc::new(Mutex::new(HashSet::new()));
        let interferer = {
            let (victims, touched) = (victims.clone(), touched.clone());
            std::thread::spawn(move || {
                for (s, free) in victims {
                    std::thread::sleep(Duration::from_millis(15));
                    touched.lock().unwrap().insert(s);
                    if free {
                        aurorax_free(s as *mut aurorax_search_t);
                    } else {
                        assert_eq!(aurorax_cancel(s as *mut aurorax_search_t), OK);
                    }
                }
            })
        };
        let freed: HashSet<usize> = victims
            .iter()
            .filter(|(_, free)| *free)
            .map(|(s, _)| *s)
            .collect();
        let to_cancel: HashSet<usize> = victims
            .iter()
            .filter(|(_, free)| !*free)
            .map(|(s, _)| *s)
            .collect();
        // handles to free once the other thread is done with them
        let mut to_free = Vec::new();
        for (start, end, key) in &batch {
            let s = *key as *mut aurorax_search_t;
            let rc = aurorax_wait(s, UNTIL_IT_ENDS);
            assert_ne!(rc, TIMEOUT, "a search was stuck for {UNTIL_IT_ENDS} s");
            if freed.contains(key) {
                // freed under us: woken as cancelled, or already gone, or it had ended
                assert!(
                    rc == CANCELLED
                        || rc == INVALID_ARGUMENT
                        || rc == OK
                        || legitimate(route, fault, rc),
                    "freed search ended {rc}"
                );
                if rc == CANCELLED || rc == INVALID_ARGUMENT {
                    assert!(
                        touched.lock().unwrap().contains(key),
                        "gone before it was freed"
                    );
                }
                freed_count += 1;
                continue;
            }
            if rc == OK {
                assert_eq!(
                    data(s).unwrap(),
                    expected_records("conjunctions", &seed_body_between(start, end)),
                    "wrong data for {start}"
                );
                ok += 1;
            } else if rc == CANCELLED {
                // only a search the other thread cancelled, and after it did
                assert!(to_cancel.contains(key), "cancelled without a cancel");
                assert!(
                    touched.lock().unwrap().contains(key),
                    "cancelled before its cancel"
                );
                assert!(
                    search_error(s)
                        .unwrap()
                        .contains("cancelled by aurorax_cancel"),
                    "{:?}",
                    search_error(s)
                );
                cancelled += 1;
            } else {
                let message = search_error(s).expect("a failure always has a message");
                assert!(
                    legitimate(route, fault, rc),
                    "{fault} on {route} cannot explain {}: {message}",
                    text(aurorax_status_name(rc)).unwrap()
                );
                let step = match route {
                    "submit" => "submitting the search failed",
                    "status" => "checking the search status failed",
                    _ => "downloading the result failed",
                };
                assert!(message.contains(step), "{fault} on {route}: {message}");
                *statuses
                    .entry(format!(
                        "{fault} on {route}: {}",
                        text(aurorax_status_name(rc)).unwrap()
                    ))
                    .or_insert(0) += 1;
                failed += 1;
            }
            // the other thread may still cancel this one: free it after the other thread ends
            to_free.push(s);
        }
        interferer.join().unwrap();
        for s in to_free {
            aurorax_free(s);
        }
        // every fault queued for this batch was taken by one of its requests
        assert!(
            evidence::faults_all_fired(&server.url, route),
            "{spec}: not every fault fired in searches {batch_start}.."
        );
        *fired.entry((fault, route)).or_insert(0) += 1;
        batch_start += IN_FLIGHT;
        if batch_start % 1_000 == 0 {
            rss.push((batch_start, vm_rss_kb()));
        }
    }
    rss.push((total, vm_rss_kb()));
    let elapsed = started.elapsed();
    let stats = server.stats();
    eprintln!("soak: {total} searches in {elapsed:.1?}: {ok} with verified data, {cancelled} cancelled and {freed_count} freed by another thread, {failed} failed as their fault explains {statuses:?}; faults that fired, in batches: {fired:?}; VmRSS kB after N searches {rss:?}; server received {} requests", stats["total"]);
    assert!(
        ok > total / 2,
        "most searches survive their faults: {ok} of {total}"
    );
    assert!(cancelled > 0, "no search was ended by a cancel");
    if total >= IN_FLIGHT * FAULTS.len() * ROUTES.len() {
        for f in FAULTS {
            for r in ROUTES {
                assert!(fired.contains_key(&(f, r)), "{f} on {r} never fired");
            }
        }
    }
    // the server saw every search but those freed before their submit went out: at least
    // one submit each (a refused submit is resent)
    assert!(
        stats["by_route"]["submit"].as_u64().unwrap() >= (total - freed_count) as u64,
        "{}",
        stats["by_route"]
    );
    // the second half: from the sample nearest the middle of the run to the end
    let (half_at, half_kb) = *rss.iter().find(|(n, _)| *n >= total / 2).unwrap();
    let late_allowance_kb = RSS_ALLOWANCE_PER_LATE_SEARCH_BYTES * (total - half_at) as u64 / 1024;
    let (start_kb, end_kb) = (rss[0].1, rss[rss.len() - 1].1);
    if total >= 10_000 {
        assert!(
            end_kb < half_kb + late_allowance_kb,
            "memory grew from {half_kb} kB after {half_at} searches to {end_kb} kB, more than {RSS_ALLOWANCE_PER_LATE_SEARCH_BYTES} bytes a search ({late_allowance_kb} kB)"
        );
    }
    let allowance_kb = RSS_ALLOWANCE_PER_SEARCH_BYTES * total as u64 / 1024;
    assert!(
        end_kb < start_kb + allowance_kb,
        "memory grew from {start_kb} kB to {end_kb} kB over {total} searches, more than {RSS_ALLOWANCE_PER_SEARCH_BYTES} bytes a search ({allowance_kb} kB)"
    );
}
