//! aurorax-bench: libaurorax beside pyaurorax 1.27.0 (and curl) against the same local
//! AuroraX server, in the same run. Prints a table and writes BENCHMARKS.md.
//!
//!   cargo run --release -p aurorax-bench            # full run (~4 minutes)
//!   cargo run --release -p aurorax-bench -- --quick # smoke run: small n, every row (~1.5 minutes)

mod lag;
mod measure;
mod proxy;
mod python;
mod report;
mod schedule;

use measure::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The search durations, in seconds.
const DURATIONS: [f64; 6] = [1.0, 2.5, 5.0, 12.0, 30.0, 60.0];
/// Searches per duration and client (full run), and in how many rounds they run.
const LAG_N: usize = 21;
const LAG_ROUNDS: usize = 3;
const CHECK_THREADS: usize = 8;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("child-getdata") => println!("{}", child_getdata(&args[2])),
        Some("child-concurrent") => {
            println!("{}", child_concurrent(&args[2], args[3].parse().unwrap()))
        }
        _ => run(args.iter().any(|a| a == "--quick")),
    }
}

fn run(quick: bool) {
    let mut rows = report::Report::new(quick, report::loadavg());
    let py = python::Pyaurorax::prepare();
    let server = aurorax_testserver::start(aurorax_testserver::Config {
        search_seconds: 0.2,
        ..Default::default()
    })
    .unwrap();
    let url = server.base_url().to_string();
    point_at(&url);
    let started = Instant::now();

    // 1. check_for_data, one thread, on a finished search; pyaurorax's for comparison
    eprintln!("1/5 check_for_data, 1 thread");
    let s = search("2019-01-01T00:00:00", "2019-12-31T23:59:59");
    assert_eq!(aurorax::ffi::aurorax_wait(s, 0.0), 0);
    let before = server.stats()["total"].as_u64().unwrap();
    let ours_ns = check_for_data_cost(s);
    let ours_requests = server.stats()["total"].as_u64().unwrap() - before;
    aurorax::ffi::aurorax_free(s);
    let theirs = py.run(&["check", &url, "200"]);
    rows.check_for_data(ours_ns, ours_requests, 21 * 100_000, &theirs);

    // 2. check_for_data, 8 threads at once, on a search the server is still running
    eprintln!("2/5 check_for_data, {CHECK_THREADS} threads");
    server.configure(json!({"search_seconds": 600.0}));
    let s = search("2019-01-01T00:00:00", "2019-12-31T23:59:59");
    let t = Instant::now();
    while aurorax::ffi::aurorax_request_id(s).is_null() {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "submit did not finish"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let calls: u64 = if quick { 2_000_000 } else { 20_000_000 };
    let per_thread = check_for_data_threads(s, CHECK_THREADS, calls);
    let still_running = aurorax::ffi::aurorax_check_for_data(s) == 0;
    aurorax::ffi::aurorax_cancel(s);
    aurorax::ffi::aurorax_free(s);
    rows.check_for_data_threads(&per_thread, calls, report::cores(), still_running);
    server.configure(json!({"search_seconds": 0.2}));

    // 3. completion lag and status requests, both clients at once
    let (n, rounds) = if quick { (2, 1) } else { (LAG_N, LAG_ROUNDS) };
    eprintln!(
        "3/5 completion lag: {n} searches per duration and client, {rounds} round(s) of up to 66 s"
    );
    let relay = proxy::start(&url);
    point_at(&relay.url);
    let lags = lag::run(&server, &py, &relay, &DURATIONS, n, rounds);
    point_at(&url);
    for d in DURATIONS {
        rows.lag(d, &lags);
    }
    rows.ten_minutes(&lags);
    rows.relay(&lags);
    server.configure(json!({"search_seconds": 0.1}));

    // 4. get_data on large results: ours in a child process (its peak RSS), curl on the same URL
    let me = std::env::current_exe().unwrap();
    for count in [1_000u64, 20_000] {
        eprintln!("4/5 get_data on {count} conjunctions");
        server.configure(json!({"search_seconds": 0.1, "result_count": count}));
        let reps = if quick { 1 } else { 5 };
        let (mut ours, mut curls) = (vec![], vec![]);
        for _ in 0..reps {
            let o = child_json(&me, &["child-getdata", &url]);
            curls.push(curl_time(o["data_url"].as_str().unwrap()));
            ours.push(o);
        }
        let their_reps = if quick || count >= 20_000 { 1 } else { 3 };
        let theirs: Vec<Value> = (0..their_reps)
            .map(|_| py.run(&["getdata", &url]))
            .collect();
        rows.get_data(count, &ours, &theirs, &curls);
    }
    server.configure(json!({"result_count": null, "search_seconds": 1.0}));

    // 5. 1,000 concurrent searches from one process
    eprintln!("5/5 concurrent searches");
    let n = if quick { 200 } else { 1000 };
    let concurrent = child_json(&me, &["child-concurrent", &url, &n.to_string()]);
    rows.concurrent(&concurrent);

    eprintln!("took {:.0} s", started.elapsed().as_secs_f64());
    rows.finish(report::loadavg());
}

fn child_json(exe: &std::path::Path, args: &[&str]) -> Value {
    let out = std::process::Command::new(exe)
        .args(args)
        .output()
        .expect("child runs");
    assert!(
        out.status.success(),
        "child {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("child prints JSON")
}
