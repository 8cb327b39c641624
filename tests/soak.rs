//! Soak: thousands of searches through one process with random faults on every route,
//! delays and stalls, and another thread cancelling and freeing handles while this one
//! waits on them. Every search ends with its (verified) data or a failure that the injected
//! fault explains — none lost, none stuck — and memory stays flat. Part of the README's
//! test command with 3,000 searches (about a minute); `AURORAX_SOAK_SEARCHES=10000` for more.
//! The server runs as its own process, so this process's memory is the library's alone.

mod common;
use common::*;
use serde_json::json;
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const IN_FLIGHT: usize = 100;
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
/// Growth of resident memory allowed between the end of warm-up and the end of the run.
const RSS_GROWTH_LIMIT_KB: u64 = 8_000;

fn searches() -> usize {
    std::env::var("AURORAX_SOAK_SEARCHES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000)
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
            "build the server first: cargo build --release -p aurorax-testserver ({exe:?})"
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

    /// One admin request over a raw HTTP/1.1 connection; returns the body.
    fn admin(&self, method: &str, path: &str, body: &str) -> String {
        use std::io::{Read, Write};
        let mut stream =
            std::net::TcpStream::connect(self.url.trim_start_matches("http://")).unwrap();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
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
        assert_eq!(aurorax_set_request_timeout(0.5), 0);
        assert_eq!(aurorax_set_poll_interval(0.3), 0);
    };
    let started = Instant::now();
    let (mut ok, mut failed, mut cancelled) = (0usize, 0usize, 0usize);
    let mut rss = vec![("start", vm_rss_kb())];
    let mut statuses = BTreeMap::new();
    let mut batch_start = 0;
    while batch_start < total {
        let (route, fault) = (
            ROUTES[rng.next(ROUTES.len())],
            FAULTS[rng.next(FAULTS.len())],
        );
        let spec = json!({"route": route, "fault": fault, "count": 1 + rng.next(4), "retry_after_seconds": 0, "delay_ms": 700, "stall_after_bytes": 200, "stall_ms": 1500});
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
        for (start, end, key) in &batch {
            let s = *key as *mut aurorax_search_t;
            let waited = Instant::now();
            let rc = aurorax_wait(s, 60.0);
            assert_ne!(rc, TIMEOUT, "a search was stuck for 60 s");
            assert!(waited.elapsed() < Duration::from_secs(61));
            if freed.contains(key) {
                // freed under us: woken as cancelled, or already gone, or it had finished
                assert!(
                    rc == CANCELLED
                        || rc == INVALID_ARGUMENT
                        || rc == OK
                        || legitimate(route, fault, rc),
                    "freed search ended {rc}"
                );
                cancelled += 1;
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
                assert!(
                    touched.lock().unwrap().contains(key) || interferer.is_finished(),
                    "cancelled without a cancel"
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
            aurorax_free(s);
        }
        interferer.join().unwrap();
        batch_start += IN_FLIGHT;
        if batch_start == IN_FLIGHT * 5 {
            rss.push(("after warm-up", vm_rss_kb()));
        }
    }
    rss.push(("end", vm_rss_kb()));
    let elapsed = started.elapsed();
    eprintln!("soak: {total} searches in {elapsed:.1?}: {ok} with verified data, {cancelled} cancelled or freed by another thread, {failed} failed as their fault explains {statuses:?}; VmRSS kB {rss:?}; server received {} requests", serde_json::from_str::<serde_json::Value>(&server.admin("GET", "/_testserver/stats", "")).unwrap()["total"]);
    assert_eq!(ok + failed + cancelled, total, "searches lost");
    assert!(
        ok > total / 2,
        "most searches survive their faults: {ok} of {total}"
    );
    let (warm, end) = (rss[1].1, rss[rss.len() - 1].1);
    assert!(
        end < warm + RSS_GROWTH_LIMIT_KB,
        "memory grew from {warm} kB to {end} kB after warm-up"
    );
}
