//! aurorax-bench: libaurorax beside pyaurorax 1.27.0 (and curl) against the same local
//! AuroraX server, in the same run, over loopback HTTP and over HTTPS with HTTP/2 (the road
//! every user takes). Prints a table and writes BENCHMARKS.md.
//!
//!   cargo run --release -p aurorax-bench            # full run (~14 minutes)
//!   cargo run -p aurorax-bench -- --quick           # every row, small n, no verdicts (~3 minutes; bench/quick.sh)

mod days;
mod internals;
mod lag;
mod measure;
mod processes;
mod proxy;
mod python;
mod report;
mod schedule;

use measure::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The search durations, in seconds (loopback HTTP).
const DURATIONS: [f64; 6] = [1.0, 2.5, 5.0, 12.0, 30.0, 60.0];
/// Issue 19 §6: over HTTPS with a normal day's 0.42 s status GET.
const HTTPS_DURATIONS: [f64; 4] = [1.0, 5.0, 12.0, 60.0];
const STATUS_LATENCY: f64 = 0.42;
/// Searches per duration and client (full run), and in how many rounds they run.
const LAG_N: usize = 21;
const LAG_ROUNDS: usize = 3;
const CHECK_THREADS: usize = 8;
/// How long the server takes over the whole-process search (section 7).
const PROCESS_SEARCH_SECONDS: f64 = 0.2;
/// Runs behind each ratio with a target, for its spread.
pub const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("child-getdata") => {
            println!(
                "{}",
                child_getdata(&args[2], args.get(3).map(String::as_str))
            )
        }
        Some("child-concurrent") => println!(
            "{}",
            child_concurrent(
                &args[2],
                args[3].parse().unwrap(),
                args.get(4).map(String::as_str)
            )
        ),
        _ => run(args.iter().any(|a| a == "--quick")),
    }
}

/// A server, the URL clients use for it, and the CA they trust (HTTPS only).
struct Road {
    server: aurorax_testserver::ServerGuard,
    url: String,
    ca: Option<PathBuf>,
    name: &'static str,
}

fn http_server(search_seconds: f64) -> Road {
    let server = aurorax_testserver::start(aurorax_testserver::Config {
        search_seconds,
        ..Default::default()
    })
    .unwrap();
    Road {
        url: server.base_url().to_string(),
        server,
        ca: None,
        name: "HTTP/1.1, loopback",
    }
}

/// HTTPS with HTTP/2 by ALPN, at `https://localhost:PORT` (a DNS name, as the real API's).
fn https_server(certs: &aurorax_testserver::TestCertificates, conditions: Option<Value>) -> Road {
    let server = aurorax_testserver::start(aurorax_testserver::Config {
        search_seconds: 0.2,
        tls: Some(certs.files()),
        initial_config: conditions,
        ..Default::default()
    })
    .unwrap();
    Road {
        url: format!("https://localhost:{}", server.port()),
        server,
        ca: Some(certs.ca.clone()),
        name: "HTTPS, HTTP/2",
    }
}

fn run(quick: bool) {
    // built before anything is timed (and before the load is read)
    let our_cli = processes::build_our_cli();
    let mut rows = report::Report::new(quick, report::loadavg());
    let py = python::Pyaurorax::prepare();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let certs = aurorax_testserver::write_test_certificates(&root.join("target/bench-certs"))
        .expect("throwaway CA");
    trust(certs.ca.to_str().unwrap());
    let http = http_server(0.2);
    let https = https_server(&certs, None);
    let https_lag = https_server(&certs, Some(json!({"latency": {"status": STATUS_LATENCY}})));
    let day_roads: Vec<Road> = days::profiles()
        .iter()
        .map(|_| https_server(&certs, None))
        .collect();
    let url = http.url.clone();
    let server = &http.server;
    point_at(&url);
    let started = Instant::now();

    // 1. check_for_data, one thread, on a finished search; pyaurorax's for comparison
    eprintln!("1/7 check_for_data, 1 thread");
    let s = search("2019-01-01T00:00:00", "2019-12-31T23:59:59");
    assert_eq!(aurorax::ffi::aurorax_wait(s, 0.0), 0);
    let before = server.stats()["total"].as_u64().unwrap();
    let ours_ns = check_for_data_cost(s, 7 * RUNS);
    let ours_requests = server.stats()["total"].as_u64().unwrap() - before;
    aurorax::ffi::aurorax_free(s);
    let calls = if quick { "20" } else { "200" };
    let theirs: Vec<Value> = (0..RUNS)
        .map(|_| py.run(&["check", &url, calls], None))
        .collect();
    rows.check_for_data(&ours_ns, ours_requests, &theirs);

    // 2. check_for_data, 8 threads at once, on a search the server is still running
    eprintln!("2/7 check_for_data, {CHECK_THREADS} threads");
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

    // 3 and 4. completion lag and status requests, both clients at once: loopback HTTP
    // (through the relay), then HTTPS with a 0.42 s status GET; the normal and slow days.
    // A full run measures one set at a time; the quick run (no verdicts) runs them together.
    let (n, rounds) = if quick { (2, 1) } else { (LAG_N, LAG_ROUNDS) };
    let relay = proxy::start(&url);
    let loopback = lag::Road {
        server,
        url: relay.url.clone(),
        relay: Some(&relay),
        ca: None,
        conditions: Value::Null,
    };
    let tls = lag::Road {
        server: &https_lag.server,
        url: https_lag.url.clone(),
        relay: None,
        ca: https_lag.ca.clone(),
        conditions: json!({"latency": {"status": STATUS_LATENCY}}),
    };
    let day_servers: Vec<&aurorax_testserver::ServerGuard> =
        day_roads.iter().map(|r| &r.server).collect();
    let day_urls: Vec<String> = day_roads.iter().map(|r| r.url.clone()).collect();
    let (day_n, day_gap) = if quick { (2, 0.5) } else { (10, 0.5) };
    let lag_note = |what: &str, d: &[f64]| {
        eprintln!(
            "3/7 completion lag, {what}: {n} searches per duration ({d:?} s) and client, {rounds} round(s)"
        )
    };
    let (lags, tls_lags, day_runs) = if quick {
        std::thread::scope(|scope| {
            let a = scope.spawn(|| lag::run(&loopback, &py, &DURATIONS, n, rounds));
            let b = scope.spawn(|| lag::run(&tls, &py, &HTTPS_DURATIONS, n, rounds));
            let c =
                scope.spawn(|| days::run(&day_servers, &day_urls, &certs.ca, &py, day_n, day_gap));
            eprintln!("3/7 lag (both roads) and 4/7 days, at once (--quick)");
            (a.join().unwrap(), b.join().unwrap(), c.join().unwrap())
        })
    } else {
        lag_note("loopback HTTP", &DURATIONS);
        let lags = lag::run(&loopback, &py, &DURATIONS, n, rounds);
        lag_note("HTTPS, status GET 0.42 s", &HTTPS_DURATIONS);
        let tls_lags = lag::run(&tls, &py, &HTTPS_DURATIONS, n, rounds);
        eprintln!("4/7 a normal and a slow day: {day_n} searches per client and day");
        let day_runs = days::run(&day_servers, &day_urls, &certs.ca, &py, day_n, day_gap);
        (lags, tls_lags, day_runs)
    };
    point_at(&url);
    for d in DURATIONS {
        rows.lag(d, &lags, None);
    }
    rows.ten_minutes(&lags);
    rows.relay(&lags);
    for d in HTTPS_DURATIONS {
        rows.lag(d, &tls_lags, Some(STATUS_LATENCY));
    }
    for day in &day_runs {
        rows.day(day);
    }

    // 5. get_data on large results: ours in a child process (its peak RSS), curl on the same
    // URL, pyaurorax; over loopback HTTP and over HTTPS/HTTP2; RUNS runs for each spread.
    let me = std::env::current_exe().unwrap();
    let counts: [u64; 2] = if quick { [100, 2000] } else { [1_000, 20_000] };
    for road in [&http, &https] {
        for count in counts {
            eprintln!("5/7 get_data on {count} conjunctions, {}", road.name);
            road.server
                .configure(json!({"search_seconds": 0.1, "result_count": count}));
            let reps = if quick { 1 } else { 3 };
            let ca = road.ca.as_ref().map(|p| p.to_str().unwrap().to_string());
            let (mut ours, mut curls, mut theirs) = (vec![], vec![], vec![]);
            for run in 0..RUNS {
                for _ in 0..reps {
                    let before = road.server.stats()["http_versions"].clone();
                    let mut args = vec!["child-getdata", road.url.as_str()];
                    if let Some(ca) = &ca {
                        args.push(ca);
                    }
                    let mut o = child_json(&me, &args);
                    let after = road.server.stats()["http_versions"].clone();
                    let diff =
                        |v: &str| after[v].as_u64().unwrap_or(0) - before[v].as_u64().unwrap_or(0);
                    o["http1_requests"] = json!(diff("HTTP/1.1"));
                    o["http2_requests"] = json!(diff("HTTP/2.0"));
                    o["run"] = json!(run);
                    let mut c = curl_time(o["data_url"].as_str().unwrap(), road.ca.as_deref());
                    c["run"] = json!(run);
                    curls.push(c);
                    ours.push(o);
                }
                let mut p = py.run(&["getdata", &road.url], road.ca.as_deref());
                p["run"] = json!(run);
                theirs.push(p);
            }
            rows.get_data(count, count == counts[1], road.name, &ours, &theirs, &curls);
        }
        road.server
            .configure(json!({"result_count": null, "search_seconds": 1.0}));
    }

    // 6. 1,000 concurrent searches from one process, over each road
    let n = if quick { 200 } else { 1000 };
    for road in [&http, &https] {
        eprintln!("6/7 {n} concurrent searches, {}", road.name);
        road.server.reset();
        road.server.configure(json!({"search_seconds": 1.0}));
        let before = road.server.stats();
        let mut args = vec![
            "child-concurrent".to_string(),
            road.url.clone(),
            n.to_string(),
        ];
        if let Some(ca) = &road.ca {
            args.push(ca.to_str().unwrap().to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut concurrent = child_json(&me, &args);
        let after = road.server.stats();
        let diff = |a: &Value, b: &Value| a.as_u64().unwrap_or(0) - b.as_u64().unwrap_or(0);
        concurrent["connections"] = json!(diff(
            &after["transport"]["connections"],
            &before["transport"]["connections"]
        ));
        concurrent["http2_requests"] = json!(diff(
            &after["http_versions"]["HTTP/2.0"],
            &before["http_versions"]["HTTP/2.0"]
        ));
        concurrent["requests"] = json!(diff(&after["total"], &before["total"]));
        rows.concurrent(road.name, &concurrent);
    }

    // 7. whole processes: `--version`, and one small search end to end from the same query
    // file, our command line beside pyaurorax's, against the loopback server
    eprintln!("7/7 whole processes: --version and one small search, aurorax and aurorax-cli");
    let scratch = root.join("target/bench-processes");
    std::fs::create_dir_all(&scratch).unwrap();
    http.server.reset();
    http.server
        .configure(json!({"search_seconds": PROCESS_SEARCH_SECONDS, "result_count": null}));
    let client = |program: &Path, args: &[&str]| processes::Client {
        program: program.to_path_buf(),
        args: args.iter().map(|a| a.to_string()).collect(),
    };
    let their_cli = py.cli();
    let version_reps = if quick { 1 } else { 5 };
    let version = processes::measure(
        &client(&our_cli, &["--version"]),
        &client(&their_cli, &["--version"]),
        RUNS,
        version_reps,
        &scratch,
        |_| {},
    );
    rows.processes(
        "`aurorax --version` against `aurorax-cli --version`",
        &version,
    );
    let query = processes::query_file();
    let outfile = |who: &str| scratch.join(format!("{who}.result.json"));
    let search_args = |out: &Path| {
        vec![
            "--api-base-url".to_string(),
            url.clone(),
            "search".into(),
            "conjunctions".into(),
            "search".into(),
            query.to_str().unwrap().into(),
            "--outfile".into(),
            out.to_str().unwrap().into(),
            "--quiet".into(),
        ]
    };
    let ours = processes::Client {
        program: our_cli.clone(),
        args: search_args(&outfile("ours")),
    };
    let theirs = processes::Client {
        program: their_cli,
        args: search_args(&outfile("theirs")),
    };
    // each process must have written the whole result: the same number of records, more than 0
    let mut counts = vec![];
    let search_reps = if quick { 1 } else { 3 };
    let searches = processes::measure(&ours, &theirs, RUNS, search_reps, &scratch, |ours_now| {
        let out = outfile(if ours_now { "ours" } else { "theirs" });
        counts.push(processes::records_in(&out));
        std::fs::remove_file(&out).unwrap();
    });
    assert!(
        counts[0] > 0 && counts.iter().all(|c| *c == counts[0]),
        "the result files differ in records: {counts:?}"
    );
    rows.processes(
        &format!(
            "one small conjunction search end to end (`search conjunctions search FILE --outfile OUT --quiet`, server search {PROCESS_SEARCH_SECONDS} s, result {} record(s))",
            counts[0]
        ),
        &searches,
    );

    eprintln!("took {:.0} s", started.elapsed().as_secs_f64());
    rows.finish(report::loadavg(), started.elapsed().as_secs_f64());
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
