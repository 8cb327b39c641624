//! The table: printed, and written to BENCHMARKS.md with the machine, its load and the
//! command. Every verdict is computed here from a measured (or, where the row says so,
//! computed) figure against its target; nothing else decides one.

use super::lag::{LagRun, Sample};
use super::measure::{median, p95};
use super::schedule;
use serde_json::Value;
use std::fmt::Write;

/// p95 is printed only with at least this many samples.
pub const MIN_N_FOR_P95: usize = 20;
/// The cap on status requests in any one second.
const MAX_REQUESTS_PER_SECOND: usize = 4;

pub struct Report {
    quick: bool,
    load_before: String,
    rows: Vec<[String; 5]>,
    not_met: Vec<String>,
    behind: Vec<String>,
    /// Searches whose status requests the relay and the server counted differently.
    relay_mismatches: usize,
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

fn med(values: &[Value], key: &str) -> f64 {
    median(&mut values.iter().map(|v| f(v, key)).collect::<Vec<_>>())
}

/// "median 0.21 s, p95 0.40 s (n = 21)", or "median 0.21 s (n = 3; p95: n too small)".
fn dist(values: &[f64], unit: &str, digits: usize) -> String {
    let n = values.iter().filter(|x| !x.is_nan()).count();
    let m = median(&mut values.to_vec());
    if n >= MIN_N_FOR_P95 {
        format!(
            "median {m:.digits$}{unit}, p95 {:.digits$}{unit} (n = {n})",
            p95(&mut values.to_vec())
        )
    } else {
        format!("median {m:.digits$}{unit} (n = {n}; p95: n too small)")
    }
}

/// `dist` with the range, for small samples of times: "median 0.47 s (n = 5; …), range 0.44–0.52 s".
fn dist_range(values: &[f64], unit: &str, digits: usize) -> String {
    let finite: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if finite.len() > 1 {
        format!(
            "{}, range {lo:.digits$}–{hi:.digits$}{unit}",
            dist(values, unit, digits)
        )
    } else {
        dist(values, unit, digits)
    }
}

fn secs(x: f64) -> String {
    if x == x.trunc() {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

impl Report {
    pub fn new(quick: bool, load_before: String) -> Report {
        Report {
            quick,
            load_before,
            rows: Vec::new(),
            not_met: Vec::new(),
            behind: Vec::new(),
            relay_mismatches: 0,
        }
    }

    fn row(&mut self, what: String, ours: String, theirs: String, ratio: String, target: String) {
        self.rows.push([what, ours, theirs, ratio, target]);
    }

    /// "target: met" or "target: **not met**" (and the figure goes into the not-met list).
    fn judge(&mut self, target: &str, met: bool, figure: String) -> String {
        if met {
            format!("{target}: met")
        } else {
            self.not_met.push(format!("{target}: {figure}"));
            format!("{target}: **not met**")
        }
    }

    fn behind_if(&mut self, behind: bool, what: String) {
        if behind {
            self.behind.push(what);
        }
    }

    pub fn check_for_data(&mut self, ours_ns: f64, ours_requests: u64, calls: u64, theirs: &Value) {
        let theirs_ns = f(theirs, "median_ns");
        let requests_per_call = f(theirs, "requests") / f(theirs, "calls");
        self.row(
            "one check_for_data on a finished search, 1 thread".into(),
            format!("median {ours_ns:.1} ns over 21 batches of {} calls; {ours_requests} requests in {:.1} M calls", calls / 21, calls as f64 / 1e6),
            format!("median {:.0} µs (n = {:.0}), {requests_per_call:.0} request per call", theirs_ns / 1000.0, f(theirs, "calls")),
            format!("{:.0}× cheaper", theirs_ns / ours_ns),
            "n/a (no target; the 8-thread row below has one)".into(),
        );
    }

    /// Per thread (wall ns per call, CPU ns per call).
    pub fn check_for_data_threads(
        &mut self,
        per_thread: &[(f64, f64)],
        calls: u64,
        cores: usize,
        still_running: bool,
    ) {
        let threads = per_thread.len();
        let cpu: Vec<f64> = per_thread.iter().map(|t| t.1).collect();
        let wall: Vec<f64> = per_thread.iter().map(|t| t.0).collect();
        let worst_cpu = cpu.iter().cloned().fold(0.0, f64::max);
        let worst_wall = wall.iter().cloned().fold(0.0, f64::max);
        let verdict = self.judge(
            "≤ 50 ns per call (slowest thread's CPU time per call)",
            worst_cpu <= 50.0 && still_running,
            format!(
                "{worst_cpu:.1} ns{}",
                if still_running {
                    ""
                } else {
                    " (and the search was not running throughout)"
                }
            ),
        );
        self.row(
            format!("check_for_data, {threads} threads at once on a running search, {:.0} M calls each", calls as f64 / 1e6),
            format!(
                "CPU time per call: slowest thread {worst_cpu:.1} ns, median {:.1} ns; wall time per call per thread: slowest {worst_wall:.1} ns, median {:.1} ns ({threads} threads share {cores} cores); search running throughout: {}",
                median(&mut cpu.clone()),
                median(&mut wall.clone()),
                if still_running { "yes" } else { "no" }
            ),
            "n/a (each call is an HTTP request: row above)".into(),
            "n/a".into(),
            verdict,
        );
    }

    pub fn lag(&mut self, nominal: f64, run: &LagRun) {
        let pick = |samples: &[Sample]| {
            samples
                .iter()
                .filter(|s| s.nominal == nominal)
                .cloned()
                .collect::<Vec<_>>()
        };
        let (ours, theirs) = (pick(&run.ours), pick(&run.theirs));
        let lags = |v: &[Sample]| v.iter().map(|s| s.lag).collect::<Vec<f64>>();
        let requests = |v: &[Sample]| v.iter().map(|s| s.requests as f64).collect::<Vec<f64>>();
        let per_second = |v: &[Sample]| {
            v.iter()
                .map(|s| schedule::max_per_second(&s.request_times))
                .max()
                .unwrap_or(0)
        };
        let (our_lag, their_lag) = (median(&mut lags(&ours)), median(&mut lags(&theirs)));
        let (our_req, their_req) = (median(&mut requests(&ours)), median(&mut requests(&theirs)));
        let (our_ps, their_ps) = (per_second(&ours), per_second(&theirs));
        let lo = ours.iter().map(|s| s.seconds).fold(f64::INFINITY, f64::min);
        let hi = ours.iter().map(|s| s.seconds).fold(0.0, f64::max);
        let n = ours.len();

        let bound = if nominal == 1.0 {
            0.3
        } else {
            (0.1 * nominal).max(0.5)
        };
        let mut targets = vec![self.judge(
            &format!("{} s: median lag ≤ {bound:.2} s", secs(nominal)),
            our_lag <= bound,
            format!("{our_lag:.3} s (n = {n})"),
        )];
        targets.push(self.judge(
            &format!(
                "{} s: ≤ {MAX_REQUESTS_PER_SECOND} status requests in any 1 s",
                secs(nominal)
            ),
            our_ps <= MAX_REQUESTS_PER_SECOND,
            format!("{our_ps} in one second"),
        ));
        if nominal >= 60.0 {
            let pairs = ours
                .iter()
                .zip(&theirs)
                .filter(|(o, t)| o.requests <= t.requests)
                .count();
            targets.push(self.judge(
                &format!(
                    "{} s: status requests ≤ pyaurorax's for every search",
                    secs(nominal)
                ),
                pairs == n,
                format!("{pairs} of {n} searches (same duration, same time)"),
            ));
        }
        let p95_ours = p95(&mut lags(&ours));
        let p95_theirs = p95(&mut lags(&theirs));
        self.behind_if(our_lag > their_lag, format!("{} s searches: median lag {our_lag:.3} s against pyaurorax's {their_lag:.3} s (n = {n})", secs(nominal)));
        self.behind_if(
            n >= MIN_N_FOR_P95 && p95_ours > p95_theirs,
            format!("{} s searches: p95 lag {p95_ours:.3} s against pyaurorax's {p95_theirs:.3} s (n = {n})", secs(nominal)),
        );
        self.behind_if(our_req > their_req, format!("{} s searches: median {our_req:.0} status requests against pyaurorax's {their_req:.0}", secs(nominal)));
        self.behind_if(our_ps > their_ps, format!("{} s searches: up to {our_ps} status requests in one second against pyaurorax's {their_ps}", secs(nominal)));

        self.row(
            format!("{} s searches ({lo:.2}–{hi:.2} s), both clients at once: completion → wait returns; status requests per search", secs(nominal)),
            format!("lag {}; requests {}, at most {our_ps} in any 1 s", dist(&lags(&ours), " s", 3), dist(&requests(&ours), "", 0)),
            format!("lag {}; requests {}, at most {their_ps} in any 1 s", dist(&lags(&theirs), " s", 3), dist(&requests(&theirs), "", 0)),
            format!("lag {:.2}×, requests {:.2}×", our_lag / their_lag, our_req / their_req),
            targets.join("; "),
        );
    }

    pub fn relay(&mut self, run: &LagRun) {
        self.relay_mismatches = run.relay_mismatches;
    }

    /// The 10-minute search, computed from the schedule and checked against the 60 s searches.
    pub fn ten_minutes(&mut self, run: &LagRun) {
        const T: f64 = 600.0;
        let ours60: Vec<&Sample> = run.ours.iter().filter(|s| s.nominal == 60.0).collect();
        let theirs60: Vec<&Sample> = run.theirs.iter().filter(|s| s.nominal == 60.0).collect();
        // ours: the schedule, checked against what each 60 s search measured
        let mut matches = 0;
        let mut computed_lags = vec![];
        for s in &ours60 {
            let (count, lag) = schedule::for_search(s.query_duration.unwrap_or(s.seconds));
            if (count as i64 - s.requests as i64).abs() <= 1 {
                matches += 1;
            }
            computed_lags.push(lag);
        }
        let computed_60 = median(&mut computed_lags);
        let measured_60 = median(&mut ours60.iter().map(|s| s.lag).collect::<Vec<_>>());
        let mut spread_lags: Vec<f64> = (0..=100)
            .map(|i| schedule::for_search(T + super::lag::spread(T) * (i as f64 / 100.0 - 0.5)).1)
            .collect();
        let our_lag = median(&mut spread_lags);
        let (our_count, _) = schedule::for_search(T);
        let our_ps = schedule::max_per_second(&schedule::poll_times(T));
        // pyaurorax: one request at once, then one per period (1 s sleep + its request)
        let mut periods: Vec<f64> = theirs60
            .iter()
            .flat_map(|s| {
                s.request_times
                    .windows(2)
                    .map(|w| w[1] - w[0])
                    .collect::<Vec<_>>()
            })
            .collect();
        let period = median(&mut periods);
        let their_count = |d: f64| 1.0 + (d / period).ceil();
        let their_matches = theirs60
            .iter()
            .filter(|s| (their_count(s.seconds) - s.requests as f64).abs() <= 1.0)
            .count();
        let their_600 = their_count(T);

        let n = ours60.len();
        let verified = n > 0 && matches == n && their_matches == theirs60.len();
        let mut targets = vec![];
        let computed = if verified {
            ""
        } else {
            " (computed, but the schedule did not match the 60 s measurement)"
        };
        targets.push(self.judge(
            &format!("600 s: median lag ≤ 60 s{computed}"),
            verified && our_lag <= 60.0,
            format!("{our_lag:.2} s"),
        ));
        targets.push(self.judge(
            &format!("600 s: ≤ {MAX_REQUESTS_PER_SECOND} status requests in any 1 s"),
            verified && our_ps <= MAX_REQUESTS_PER_SECOND,
            format!("{our_ps}"),
        ));
        targets.push(self.judge(
            "600 s: status requests ≤ pyaurorax's",
            verified && our_count as f64 <= their_600,
            format!("{our_count} against {their_600:.0}"),
        ));
        targets.push(self.judge(
            "600 s: status requests ≤ ⅓ of pyaurorax's",
            verified && our_count as f64 <= their_600 / 3.0,
            format!("{our_count} against {their_600:.0}"),
        ));
        self.row(
            "600 s search, **computed** from the schedule (not measured)".into(),
            format!(
                "lag: median {our_lag:.2} s over durations of 540–660 s; {our_count} status requests, at most {our_ps} in any 1 s. Check against the 60 s row: the schedule's request count is within 1 of the measured one for {matches} of {n} searches; its median lag for their durations is {computed_60:.3} s, measured {measured_60:.3} s"
            ),
            format!(
                "{their_600:.0} status requests (one at once, then one per {period:.4} s, the median gap measured at 60 s); that count is within 1 of the measured one for {their_matches} of {} 60 s searches",
                theirs60.len()
            ),
            format!("requests {:.2}×", our_count as f64 / their_600),
            targets.join("; "),
        );
    }

    pub fn get_data(&mut self, count: u64, ours: &[Value], theirs: &[Value], curls: &[Value]) {
        let seconds = |v: &[Value]| v.iter().map(|x| f(x, "seconds")).collect::<Vec<f64>>();
        let (ours_s, curl_s, theirs_s) = (
            med(ours, "seconds"),
            med(curls, "seconds"),
            med(theirs, "seconds"),
        );
        let (ours_rss, theirs_rss, bytes) = (
            med(ours, "peak_rss_kb") * 1024.0,
            med(theirs, "peak_rss_kb") * 1024.0,
            med(ours, "bytes"),
        );
        let rss_ratio = ours_rss / bytes;
        let size = format!("{:.1} MB", bytes / 1e6);
        let target = if count >= 20_000 {
            let a = self.judge(
                &format!("get_data {size}: ≤ 1.1× curl's time"),
                ours_s <= 1.1 * curl_s,
                format!(
                    "{:.2}× ({ours_s:.3} s against {curl_s:.3} s)",
                    ours_s / curl_s
                ),
            );
            let b = self.judge(
                &format!("get_data {size}: peak RSS ≤ 1.1× the payload"),
                rss_ratio <= 1.1,
                format!("{rss_ratio:.2}× ({:.0} MB for {size})", ours_rss / 1e6),
            );
            format!("{a}; {b}")
        } else {
            "n/a (the targets are for the 156 MB result)".into()
        };
        self.behind_if(
            ours_s > curl_s,
            format!(
                "get_data {size}: {ours_s:.3} s against curl's {curl_s:.3} s ({:.2}×)",
                ours_s / curl_s
            ),
        );
        self.behind_if(
            ours_s > theirs_s,
            format!("get_data {size}: {ours_s:.3} s against pyaurorax's {theirs_s:.3} s"),
        );
        self.behind_if(
            ours_rss > theirs_rss,
            format!(
                "get_data {size}: peak RSS {:.0} MB against pyaurorax's {:.0} MB",
                ours_rss / 1e6,
                theirs_rss / 1e6
            ),
        );
        self.row(
            format!("get_data, {count} conjunctions ({size}): download + cut, status done → records in memory"),
            format!(
                "{}, peak RSS {:.0} MB (median of n = {}). Diagnostics: {:.3} s of it after the last byte is counted; the splitter alone on the same body from memory: {:.3} s; the same HTTP client alone on the same URL, dropping each chunk: {:.3} s",
                dist_range(&seconds(ours), " s", 3),
                ours_rss / 1e6,
                ours.len(),
                med(ours, "after_last_byte_s"),
                med(ours, "split_alone_s"),
                med(ours, "http_alone_s")
            ),
            format!(
                "pyaurorax get_data() {}, peak RSS {:.0} MB{}; curl {}",
                dist_range(&seconds(theirs), " s", 3),
                theirs_rss / 1e6,
                match theirs.iter().map(|t| f(t, "failed_attempts")).sum::<f64>() {
                    0.0 => String::new(),
                    k => format!(" ({k:.0} attempt(s) reset by the server mid-body and retried, not timed)"),
                },
                dist_range(&seconds(curls), " s", 3)
            ),
            format!("ours/curl {:.2}×, RSS/payload {rss_ratio:.2}×, pyaurorax/ours {:.0}×", ours_s / curl_s, theirs_s / ours_s),
            target,
        );
    }

    pub fn concurrent(&mut self, v: &Value) {
        let (engine, rss_mb) = (f(v, "peak_engine_threads"), f(v, "peak_rss_kb") / 1024.0);
        self.row(
            format!("{} concurrent searches, one process (n = 1)", v["searches"]),
            format!(
                "{:.1} s, {} threads ({engine} engine), peak RSS {rss_mb:.0} MB, {} verified",
                f(v, "seconds"),
                v["peak_threads"],
                v["verified"]
            ),
            "n/a".into(),
            "n/a".into(),
            "n/a (no target in this issue)".into(),
        );
    }

    pub fn finish(self, load_after: String) {
        let mut table = String::from("| benchmark | libaurorax | pyaurorax 1.27.0 (and curl) | ratio | target: verdict |\n|---|---|---|---|---|\n");
        for r in &self.rows {
            let _ = writeln!(
                table,
                "| {} | {} | {} | {} | {} |",
                r[0], r[1], r[2], r[3], r[4]
            );
        }
        let list = |items: &[String]| {
            if items.is_empty() {
                "- none\n".to_string()
            } else {
                items.iter().map(|i| format!("- {i}\n")).collect()
            }
        };
        let not_met = list(&self.not_met);
        let behind = list(&self.behind);
        println!("{table}\nNot met:\n{not_met}\nBehind:\n{behind}");
        let command = if self.quick {
            "cargo run --release -p aurorax-bench -- --quick"
        } else {
            "cargo run --release -p aurorax-bench"
        };
        let quick_note = if self.quick {
            "\n**This is a `--quick` smoke run: small n, so its figures and verdicts mean little.**\n"
        } else {
            ""
        };
        let doc = format!(
            "# Benchmarks\n\n\
             libaurorax beside the released Python client (pyaurorax 1.27.0) and curl, against the same\n\
             local AuroraX server (`aurorax-testserver`, in the benchmark's process), in one run.\n\
             Written by `{command}` (`-- --quick`: a smoke run with small n that still fills every row,\n\
             written to `target/BENCHMARKS.quick.md` instead).\n\
             It needs the pyaurorax virtualenv, which `scripts/pyaurorax-venv.sh` creates under `target/`\n\
             on first use (PyPI once), and curl.\n{quick_note}\n\
             Machine: {machine}. Date: {date}.\n\
             Load (`/proc/loadavg`) before the run: {load_before}; after: {load_after}.\n\n\
             {table}\n\
             ## Targets not met\n\n{not_met}\n\
             ## Where libaurorax is behind (every measured comparison it loses, target or not)\n\n{behind}\n\
             ## How each figure is taken\n\n\
             - Verdicts are computed by `bench/src/report.rs` from the figure in the same row against\n  \
             the target; \"n/a\" where no target applies. p95 is printed only for n ≥ {MIN_N_FOR_P95}.\n\
             - Lag: from the status's `completed_timestamp` (server clock = our clock) to `wait`\n  \
             returning. Both clients run at the same time against the same server: for each search the\n  \
             harness sets the server's `search_seconds`, starts ours and waits for its request id, then\n  \
             has pyaurorax submit one with the same duration, which a thread follows with pyaurorax's\n  \
             default `wait()` (a status request at once, then one per second) from the moment it is\n  \
             submitted. The durations of a row are spread evenly around the nominal one (the row gives\n  \
             the range) over max(1 s, 20 % of it): at least 1 s so pyaurorax's 1 s poll meets the end of a\n  \
             search at every phase, at least 20 % so ours (interval up to 10 % of the elapsed time) does\n  \
             too; so neither client's figure depends on a lucky phase. The searches of a row run in\n  \
             {rounds} of concurrent searches (all six durations together). Both clients reach the server\n  \
             through the relay described below.\n\
             - Status requests: the server counts them per request id (`by_request`), so each client is\n  \
             charged exactly its own; nothing in the harness makes a status request of its own. \"In any\n  \
             1 s\": both clients reach the server through a byte-for-byte relay in the harness\n  \
             (`bench/src/proxy.rs`) that notes when each status request line passes; the row gives the\n  \
             most requests of one search inside any window shorter than 1 s. The relay's count differed\n  \
             from the server's for {relay_mismatches} searches in this run.\n\
             - 600 s: not measured. Computed from the poll schedule the library uses ({source}):\n  \
             the requests up to and including the first one at or after the end of the search, and the\n  \
             lag to that one (request round trips and wake-ups left out), over durations spread over\n  \
             540–660 s (spread as in the measured rows). pyaurorax's count is one request\n  \
             at once and then one per its measured request period at 60 s. The row says whether both\n  \
             counts match the 60 s measurement (within one request for every search); a verdict is\n  \
             \"met\" only if they do.\n\
             - get_data: ours is the engine's download in a child process of its own (`Search::download_time`:\n  \
             from the status saying done, through the request, the body and cutting the records, to the\n  \
             records in memory; its peak RSS is the child's VmHWM, the whole process). curl fetches the\n  \
             same data URL to /dev/null, timed by curl's own `%{{time_total}}` (request start to last\n  \
             byte): neither time includes a process start-up. pyaurorax's is `get_data()` (download and\n  \
             parse into its objects) timed inside its own process, with that process's peak RSS. Ours\n  \
             and curl alternate, on the same server, which renders the body as it streams it (in the\n  \
             harness's process, on the same cores). Diagnostics in the row, not part of any verdict:\n  \
             how much of our time comes after the last byte is counted (the counter `aurorax_get_bytes_received`\n  \
             reads, looked at every millisecond), and the library's record splitter alone on the same body from\n  \
             memory in 64 KiB chunks; and the library's HTTP client (reqwest with rustls, on a\n  \
             one-thread tokio runtime) fetching the same URL and dropping each chunk, timed like curl.\n\
             - check_for_data, {threads} threads: a barrier starts them together on one search the server is\n  \
             still running (its `search_seconds` is 600; cancelled afterwards). Per thread: CPU time\n  \
             (/proc/thread-self/schedstat) / calls, and wall time / calls. The verdict uses the slowest\n  \
             thread's CPU time per call, the cost of a call; wall time per thread also counts the time a\n  \
             thread waits for one of the {cores} cores while the other threads run, so it is about\n  \
             {threads}/{cores} × the CPU figure on this machine.\n\
             - 1 thread: the median of 21 batches of 100,000 calls on a finished search; pyaurorax's\n  \
             `check_for_data()` is one status request per call.\n\
             - Concurrent searches run in a child process against the server in the parent; threads are\n  \
             sampled every 20 ms from /proc/self/task.\n",
            machine = machine(),
            cores = cores(),
            threads = super::CHECK_THREADS,
            rounds = if self.quick { "one round".to_string() } else { format!("{} rounds", super::LAG_ROUNDS) },
            relay_mismatches = self.relay_mismatches,
            source = schedule::SOURCE,
            load_before = self.load_before,
            date = String::from_utf8_lossy(&std::process::Command::new("date").arg("-u").output().map(|o| o.stdout).unwrap_or_default()).trim(),
        );
        // A smoke run does not replace the figures of the last full run.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let path = if self.quick {
            root.join("target/BENCHMARKS.quick.md")
        } else {
            root.join("BENCHMARKS.md")
        };
        std::fs::write(&path, doc).expect("write the benchmark report");
        eprintln!("wrote {}", path.display());
    }
}

pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0)
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string();
    let mem_kb: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0);
    format!(
        "{} cores ({model}), {:.0} GiB",
        cores(),
        mem_kb as f64 / 1024.0 / 1024.0
    )
}
