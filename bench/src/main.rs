//! aurorax-bench: libaurorax beside pyaurorax 1.27.0 (and curl) against the same local
//! AuroraX server, in the same run. Prints a table and writes BENCHMARKS.md.
//!
//!   cargo run --release -p aurorax-bench            # full run (~4 minutes)
//!   cargo run --release -p aurorax-bench -- --quick # fewer repetitions, no 30 s searches

mod measure;
mod python;
mod report;

use measure::*;
use serde_json::{json, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("child-getdata") => println!("{}", child_getdata(&args[2])),
        Some("child-concurrent") => println!("{}", child_concurrent(&args[2], args[3].parse().unwrap())),
        _ => run(args.iter().any(|a| a == "--quick")),
    }
}

fn run(quick: bool) {
    let py = python::Pyaurorax::prepare();
    let server = aurorax_testserver::start(aurorax_testserver::Config { search_seconds: 0.2, ..Default::default() }).unwrap();
    let url = server.base_url().to_string();
    point_at(&url);
    let mut rows = report::Report::new(quick);

    // 1. check_for_data
    eprintln!("1/4 check_for_data");
    let s = search("2019-01-01T00:00:00", "2019-12-31T23:59:59");
    assert_eq!(aurorax::ffi::aurorax_wait(s, 0.0), 0);
    let before = server.stats()["total"].as_u64().unwrap();
    let ours_ns = check_for_data_cost(s);
    let ours_requests = server.stats()["total"].as_u64().unwrap() - before;
    aurorax::ffi::aurorax_free(s);
    let theirs = py.run(&["check", &url, "200"]);
    rows.check_for_data(ours_ns, ours_requests, &theirs);

    // 2. completion lag and status requests
    let plan: &[(f64, usize)] = if quick { &[(1.0, 3), (5.0, 1)] } else { &[(1.0, 5), (5.0, 3), (30.0, 2)] };
    for &(seconds, reps) in plan {
        eprintln!("2/4 lag for {seconds} s searches x{reps}");
        let (mut lags, mut polls, mut their_lags, mut their_polls) = (vec![], vec![], vec![], vec![]);
        for rep in 0..reps {
            // Durations spread over one second, so neither client's poll phase lines up by
            // luck with a search that ends on a whole second.
            let duration = seconds + (rep as f64 + 0.5) / reps as f64 * 0.9;
            server.configure(json!({"search_seconds": duration}));
            // pyaurorax runs in a child at the same time as ours, on the same server.
            let theirs = py.spawn(&["lag", &url, &duration.to_string(), "1"]);
            let (a, b) = start_day(100 + rep as u32);
            let s = search(&a, &b);
            lags.push(completion_lag(s));
            polls.push(server.stats()["by_request"][text(aurorax::ffi::aurorax_request_id(s))]["status"].as_f64().unwrap());
            aurorax::ffi::aurorax_free(s);
            let theirs = theirs.finish();
            their_lags.extend(theirs["lags"].as_array().unwrap().iter().cloned());
            their_polls.extend(theirs["status_requests"].as_array().unwrap().iter().cloned());
        }
        let theirs = json!({"lags": their_lags, "status_requests": their_polls});
        rows.lag(seconds, reps, (median(&mut lags.clone()), p95(&mut lags), median(&mut polls)), &theirs);
    }
    server.configure(json!({"search_seconds": 0.1}));

    // 3. get_data on large results, each client in its own process for its peak RSS
    let me = std::env::current_exe().unwrap();
    for count in [1_000u64, 20_000] {
        eprintln!("3/4 get_data on {count} conjunctions");
        server.configure(json!({"result_count": count}));
        let reps = if quick { 1 } else { 3 };
        let ours: Vec<Value> = (0..reps).map(|_| child_json(&me, &["child-getdata", &url])).collect();
        let theirs = py.run(&["getdata", &url]);
        let curls: Vec<Value> = (0..reps).map(|_| py.run(&["curl", theirs["data_url"].as_str().unwrap()])).collect();
        rows.get_data(count, &ours, &theirs, &curls);
    }
    server.configure(json!({"result_count": null, "search_seconds": 1.0}));

    // 4. 1,000 concurrent searches from one process
    eprintln!("4/4 1,000 concurrent searches");
    let n = if quick { 200 } else { 1000 };
    let concurrent = child_json(&me, &["child-concurrent", &url, &n.to_string()]);
    rows.concurrent(&concurrent);

    rows.finish();
}

fn child_json(exe: &std::path::Path, args: &[&str]) -> Value {
    let out = std::process::Command::new(exe).args(args).output().expect("child runs");
    assert!(out.status.success(), "child {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("child prints JSON")
}
