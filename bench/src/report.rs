//! The table: printed, and written to BENCHMARKS.md with the machine and the command.

use super::measure::median;
use serde_json::Value;
use std::fmt::Write;

pub struct Report {
    quick: bool,
    rows: Vec<[String; 5]>,
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

fn med(values: &[Value], key: &str) -> f64 {
    median(&mut values.iter().map(|v| f(v, key)).collect::<Vec<_>>())
}

fn verdict(met: bool) -> String {
    if met { "met".into() } else { "**not met**".into() }
}

impl Report {
    pub fn new(quick: bool) -> Report {
        Report { quick, rows: Vec::new() }
    }

    fn row(&mut self, what: String, ours: String, theirs: String, ratio: String, target: String) {
        self.rows.push([what, ours, theirs, ratio, target]);
    }

    pub fn check_for_data(&mut self, ours_ns: f64, ours_requests: u64, theirs: &Value) {
        let theirs_ns = f(theirs, "median_ns");
        let requests_per_call = f(theirs, "requests") / f(theirs, "calls");
        let ratio = theirs_ns / ours_ns;
        self.row(
            "one check_for_data (median)".into(),
            format!("{ours_ns:.1} ns, {ours_requests} requests in 2.1 M calls"),
            format!("{:.0} µs, {requests_per_call:.0} request per call", theirs_ns / 1000.0),
            format!("{ratio:.0}× cheaper"),
            format!("≥ 10,000× and no request: {}", verdict(ratio >= 10_000.0 && ours_requests == 0)),
        );
    }

    pub fn lag(&mut self, seconds: f64, reps: usize, ours: (f64, f64, f64), theirs: &Value) {
        let mut lags: Vec<f64> = theirs["lags"].as_array().unwrap().iter().filter_map(Value::as_f64).collect();
        let mut polls: Vec<f64> = theirs["status_requests"].as_array().unwrap().iter().filter_map(Value::as_f64).collect();
        let (their_median, their_p95, their_polls) = (median(&mut lags.clone()), super::measure::p95(&mut lags), median(&mut polls));
        let target = if seconds == 1.0 {
            format!("median ≤ 0.3 s: {}", verdict(ours.0 <= 0.3))
        } else if seconds == 30.0 {
            format!("≤ ¼ of their requests: {}", verdict(ours.2 <= their_polls / 4.0))
        } else {
            String::new()
        };
        self.row(
            format!("{seconds:.0}–{:.1} s searches ×{reps}: completion → wait returns; status requests", seconds + 0.9),
            format!("lag {:.3} s (p95 {:.3}); {:.0} requests", ours.0, ours.1, ours.2),
            format!("lag {their_median:.3} s (p95 {their_p95:.3}); {their_polls:.0} requests"),
            format!("lag {:.2}×, requests {:.2}×", ours.0 / their_median, ours.2 / their_polls),
            target,
        );
    }

    pub fn get_data(&mut self, count: u64, ours: &[Value], theirs: &Value, curls: &[Value]) {
        let (ours_s, ours_rss, bytes) = (med(ours, "seconds"), med(ours, "peak_rss_kb") * 1024.0, med(ours, "bytes"));
        let (curl_s, theirs_s) = (med(curls, "seconds"), f(theirs, "seconds"));
        let rss_ratio = ours_rss / bytes;
        self.row(
            format!("get_data, {count} conjunctions ({:.1} MB)", bytes / 1e6),
            format!("{ours_s:.3} s, peak RSS {:.0} MB", ours_rss / 1e6),
            format!("{theirs_s:.3} s, peak RSS {:.0} MB; curl {curl_s:.3} s", f(theirs, "peak_rss_kb") * 1024.0 / 1e6),
            format!("ours/curl {:.2}×, RSS/payload {rss_ratio:.2}×, theirs/ours {:.0}×", ours_s / curl_s, theirs_s / ours_s),
            format!(
                "≤ 1.2× curl: {}; RSS ≤ 1.3×: {}; ≥ 20× faster: {}",
                verdict(ours_s <= 1.2 * curl_s),
                verdict(rss_ratio <= 1.3 || count < 20_000),
                verdict(theirs_s >= 20.0 * ours_s)
            ),
        );
    }

    pub fn concurrent(&mut self, v: &Value) {
        let (engine, rss_mb) = (f(v, "peak_engine_threads"), f(v, "peak_rss_kb") / 1024.0);
        self.row(
            format!("{} concurrent searches, one process", v["searches"]),
            format!("{:.1} s, {} threads ({engine} engine), peak RSS {rss_mb:.0} MB, {} verified", f(v, "seconds"), v["peak_threads"], v["verified"]),
            "—".into(),
            "—".into(),
            format!("≤ 4 engine threads: {}; ≤ 100 MB: {}", verdict(engine <= 4.0), verdict(rss_mb <= 100.0)),
        );
    }

    pub fn finish(self) {
        let mut table = String::from("| benchmark | libaurorax | pyaurorax 1.27.0 | ratio | target |\n|---|---|---|---|---|\n");
        for r in &self.rows {
            let _ = writeln!(table, "| {} | {} | {} | {} | {} |", r[0], r[1], r[2], r[3], r[4]);
        }
        println!("{table}");
        let command = if self.quick { "cargo run --release -p aurorax-bench -- --quick" } else { "cargo run --release -p aurorax-bench" };
        let doc = format!(
            "# Benchmarks\n\nlibaurorax beside the released Python client (pyaurorax 1.27.0) and curl, against the same\n\
             local AuroraX server (`aurorax-testserver`, in the benchmark's process) in one run.\n\n\
             Run: `{command}` (add `-- --quick` for a shorter run). It needs the pyaurorax virtualenv,\n\
             which `scripts/pyaurorax-venv.sh` creates under `target/` on first use (PyPI once), and curl.\n\
             Figures are medians; compare the ratios, since absolute times vary between machines.\n\n\
             - lag: from the status's `completed_timestamp` (server clock = our clock) to `wait` returning;\n  \
             pyaurorax uses its default `wait()` (1 s poll). Search durations are spread over one second\n  \
             above the nominal one, so no client's poll phase lines up with the end of a search by luck.\n\
             - get_data: ours is the engine's download, from the status saying done to the records in\n  \
             memory, in a child process of its own (its VmHWM); pyaurorax's is `get_data()` (download\n  \
             and parse into its objects) in its own process; curl fetches the same data URL to /dev/null.\n\
             - concurrent searches run in a child process against the server in the parent; threads are\n  \
             sampled every 20 ms from /proc/self/task.\n\n\
             Machine: {machine}. Date: {date}.\n\n{table}",
            machine = machine(),
            date = String::from_utf8_lossy(&std::process::Command::new("date").arg("-u").output().map(|o| o.stdout).unwrap_or_default()).trim(),
        );
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../BENCHMARKS.md");
        std::fs::write(&path, doc).expect("write BENCHMARKS.md");
        eprintln!("wrote {}", path.display());
    }
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).unwrap_or("?").trim().to_string();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_kb: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()))
        .unwrap_or(0);
    format!("{cores} cores ({model}), {:.0} GiB", mem_kb as f64 / 1024.0 / 1024.0)
}
