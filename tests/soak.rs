//! Soak: 10,000 searches through one process with random faults on every route. Every
//! search ends with its (verified) data or a clear failure — none lost, none stuck — and
//! memory stays flat. Slow, so ignored by default:
//!   cargo build --release -p aurorax-testserver
//!   cargo test --release --test soak -- --ignored --nocapture
//! The server runs as its own process, so this process's memory is the library's alone.

mod common;
use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

const SEARCHES: usize = 10_000;
const IN_FLIGHT: usize = 100;
const FAULTS: [&str; 8] = ["http500", "http502", "http503", "http429", "reset", "truncate", "malformed", "wrong_types"];
const ROUTES: [&str; 3] = ["submit", "status", "data"];

/// The server binary next to this test's build (target/<profile>/aurorax-testserver).
struct ServerProcess {
    child: std::process::Child,
    url: String,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let exe = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("aurorax-testserver");
        assert!(exe.exists(), "build the server first: cargo build --release -p aurorax-testserver ({exe:?})");
        let mut child = std::process::Command::new(exe)
            .args(["--listen", "127.0.0.1:0", "--search-seconds", "0.05"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        ServerProcess { child, url: line.trim().to_string() }
    }

    /// One admin request over a raw HTTP/1.1 connection; returns the body.
    fn admin(&self, method: &str, path: &str, body: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.url.trim_start_matches("http://")).unwrap();
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
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
    status.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).unwrap().parse().unwrap()
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
#[ignore = "soak: run explicitly (about two minutes in release)"]
fn ten_thousand_searches_with_random_faults_all_end_and_memory_stays_flat() {
    let server = ServerProcess::start();
    let settings_holder = common::server(0.05); // only for with_server's settings turn
    let mut rng = Rng(0x005e_eda1_1a0a);
    let configure = || {
        assert_eq!(aurorax_set_max_retries(3), 0);
        assert_eq!(aurorax_set_request_timeout(2.0), 0);
        assert_eq!(aurorax_set_poll_interval(0.2), 0);
    };
    let started = Instant::now();
    let (mut ok, mut failed, mut rss) = (0usize, 0usize, vec![("start", vm_rss_kb())]);
    let mut statuses = std::collections::BTreeMap::new();
    let mut batch_start = 0;
    while batch_start < SEARCHES {
        let fault = FAULTS[rng.next(FAULTS.len())];
        let spec = json!({"route": ROUTES[rng.next(ROUTES.len())], "fault": fault, "count": 1 + rng.next(3), "retry_after_seconds": 0});
        server.admin("POST", "/_testserver/faults", &spec.to_string());
        let batch: Vec<(String, String, *mut aurorax_search_t)> = (batch_start..(batch_start + IN_FLIGHT).min(SEARCHES))
            .map(|i| {
                let day = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + chrono::Duration::days((i % 365) as i64);
                let (start, end) = (format!("{day}T00:00:00"), format!("{day}T23:59:59"));
                let s = with_server(&settings_holder, || { configure(); unsafe { assert_eq!(aurorax_set_api_url(c(&server.url).as_ptr()), 0) } }, || unsafe {
                    aurorax_conjunctions_search_async(c(&start).as_ptr(), c(&end).as_ptr(), c(SEED_GROUND).as_ptr(), c(SEED_SPACE).as_ptr(), 300.0)
                });
                assert!(!s.is_null(), "{}", last_error());
                (start, end, s)
            })
            .collect();
        for (start, end, s) in &batch {
            let waited = Instant::now();
            let rc = aurorax_wait(*s, 120.0);
            assert_ne!(rc, TIMEOUT, "a search was stuck for 120 s");
            assert!(waited.elapsed() < Duration::from_secs(121));
            if rc == OK {
                let body = aurorax::query::conjunctions::from_parts(start, end, Some(SEED_GROUND), Some(SEED_SPACE), 300.0).unwrap().body;
                assert_eq!(data(*s).unwrap(), expected_records("conjunctions", &body), "wrong data for {start}");
                ok += 1;
            } else {
                let message = search_error(*s).expect("a failure always has a message");
                assert!(message.len() > 20, "unclear message: {message}");
                *statuses.entry(text(aurorax_status_name(rc)).unwrap()).or_insert(0) += 1;
                failed += 1;
            }
            aurorax_free(*s);
        }
        batch_start += IN_FLIGHT;
        if batch_start == SEARCHES / 2 {
            rss.push(("middle", vm_rss_kb()));
        }
    }
    rss.push(("end", vm_rss_kb()));
    let elapsed = started.elapsed();
    eprintln!("soak: {SEARCHES} searches in {elapsed:.1?}: {ok} with verified data, {failed} failed clearly {statuses:?}; VmRSS kB {rss:?}; server received {} requests", serde_json::from_str::<serde_json::Value>(&server.admin("GET", "/_testserver/stats", "")).unwrap()["total"]);
    assert_eq!(ok + failed, SEARCHES, "searches lost");
    let (middle, end) = (rss[1].1, rss[2].1);
    assert!(end < middle + 20_000, "memory grew from {middle} kB to {end} kB in the second half");
}
