//! Our side of each benchmark, through the C ABI exactly as a C program calls it.

use aurorax::ffi::*;
use serde_json::{json, Value};
use std::ffi::{CStr, CString};
use std::time::{Duration, Instant};

pub const GROUND: &str = r#"[{"programs": ["themis-asi"]}]"#;
pub const SPACE: &str = r#"[{"programs": ["swarm"]}]"#;

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

pub fn point_at(url: &str) {
    assert_eq!(unsafe { aurorax_set_api_url(c(url).as_ptr()) }, 0);
}

/// A seed-like year search; `day` makes queries distinct.
pub fn start_day(day: u32) -> (String, String) {
    let d = chrono_day(day);
    (format!("{d}T00:00:00"), "2019-12-31T23:59:59".to_string())
}

fn chrono_day(day: u32) -> String {
    let (month, dom) = ((day - 1) / 28 + 1, (day - 1) % 28 + 1);
    format!("2019-{:02}-{:02}", month.min(12), dom)
}

/// The API URL is the library's global setting, read when a search starts: sets of searches
/// against different servers at once (the quick run) start theirs one at a time.
static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// `search` against `url`.
pub fn search_at(url: &str, start: &str, end: &str) -> *mut aurorax_search_t {
    let _one_at_a_time = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    point_at(url);
    search(start, end)
}

pub fn search(start: &str, end: &str) -> *mut aurorax_search_t {
    let s = unsafe {
        aurorax_conjunctions_search_async(
            c(start).as_ptr(),
            c(end).as_ptr(),
            c(GROUND).as_ptr(),
            c(SPACE).as_ptr(),
            300.0,
        )
    };
    assert!(!s.is_null(), "{}", text(aurorax_last_error()));
    s
}

/// The same search as `search`, written as a full request object (the form the AuroraX
/// website exports): every field the server's result depends on is in this text.
pub fn query_json(start: &str, end: &str) -> String {
    json!({
        "start": start,
        "end": end,
        "ground": serde_json::from_str::<Value>(GROUND).unwrap(),
        "space": serde_json::from_str::<Value>(SPACE).unwrap(),
        "events": [],
        "adhoc": [],
        "conjunction_types": ["nbtrace"],
        "max_distances": {"ground1-space1": 300},
    })
    .to_string()
}

pub fn search_json(query: &str) -> *mut aurorax_search_t {
    let s = unsafe { aurorax_conjunctions_search_async_json(c(query).as_ptr()) };
    assert!(!s.is_null(), "{}", text(aurorax_last_error()));
    s
}

pub fn text(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }
}

/// Median of the values that are numbers (a missing figure is NaN and left out).
pub fn median(v: &mut [f64]) -> f64 {
    let mut v: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The 95th percentile (nearest rank) of the values that are numbers.
pub fn p95(v: &mut [f64]) -> f64 {
    let mut v: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        f64::NAN
    } else {
        v[((v.len() as f64 * 0.95).ceil() as usize)
            .saturating_sub(1)
            .min(v.len() - 1)]
    }
}

/// Cost of one check_for_data in each of `batches` batches of 100,000 calls (ns per call),
/// in batches so the clock's cost is amortised.
pub fn check_for_data_cost(s: *mut aurorax_search_t, batches: usize) -> Vec<f64> {
    const BATCH: u32 = 100_000;
    (0..batches)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..BATCH {
                std::hint::black_box(aurorax_check_for_data(std::hint::black_box(s)));
            }
            t.elapsed().as_nanos() as f64 / BATCH as f64
        })
        .collect()
}

/// A search handle shared by threads: the C ABI allows any thread to use one handle.
struct Shared(*mut aurorax_search_t);
// SAFETY: every aurorax_* function may be called on one handle from several threads at once
// (the header's contract); the handle is freed only after the threads are joined.
unsafe impl Sync for Shared {}

impl Shared {
    fn get(&self) -> *mut aurorax_search_t {
        self.0
    }
}

/// `threads` threads call check_for_data `calls` times each, all at once (a barrier starts
/// them) on the same running search. For each thread: (wall ns per call, CPU ns per call).
pub fn check_for_data_threads(
    s: *mut aurorax_search_t,
    threads: usize,
    calls: u64,
) -> Vec<(f64, f64)> {
    let shared = Shared(s);
    let barrier = std::sync::Barrier::new(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (shared, barrier) = (&shared, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    let (wall, cpu) = (Instant::now(), thread_cpu_ns());
                    for _ in 0..calls {
                        std::hint::black_box(aurorax_check_for_data(std::hint::black_box(
                            shared.get(),
                        )));
                    }
                    let cpu = thread_cpu_ns() - cpu;
                    (
                        wall.elapsed().as_nanos() as f64 / calls as f64,
                        cpu / calls as f64,
                    )
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    })
}

/// CPU time this thread has used, in ns (the first field of /proc/thread-self/schedstat).
pub fn thread_cpu_ns() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .expect("/proc/thread-self/schedstat")
}

/// curl fetching `url` to /dev/null, timed by curl itself (`%{time_total}`: from the start of
/// the request to the last byte, no process start-up), as the engine's download is timed.
/// Over HTTPS (`ca` given): `curl --http2 --cacert CA`, the way a user would check the same URL.
pub fn curl_time(url: &str, ca: Option<&std::path::Path>) -> Value {
    let mut command = std::process::Command::new("curl");
    command.args([
        "-s",
        "-f",
        "-o",
        "/dev/null",
        "-w",
        "%{time_total} %{size_download} %{http_version}",
    ]);
    if let Some(ca) = ca {
        command.arg("--http2").arg("--cacert").arg(ca);
    }
    let out = command.arg(url).output().expect("curl runs");
    assert!(out.status.success(), "curl {url} failed");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let seconds: f64 = parts.next().unwrap().parse().unwrap();
    let bytes: f64 = parts.next().unwrap().parse().unwrap();
    let version = parts.next().unwrap_or("?").to_string();
    json!({"seconds": seconds, "bytes": bytes, "http_version": version})
}

/// Trust the local server's throwaway CA (on top of the system store), as a user behind a
/// TLS-inspecting proxy would.
pub fn trust(ca: &str) {
    assert_eq!(
        unsafe { aurorax_set_ca_bundle(c(ca).as_ptr()) },
        0,
        "{}",
        text(aurorax_last_error())
    );
}

pub fn now_utc_seconds() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// "2026-11-24T19:57:55.553065" (UTC, naive) as Unix seconds.
pub fn timestamp_seconds(t: &str) -> f64 {
    let t = t.trim_end_matches('Z');
    let (date, time) = t.split_once('T').unwrap();
    let d: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let h: Vec<i64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    let days = days_from_civil(d[0], d[1], d[2]);
    (days * 86400 + h[0] * 3600 + h[1] * 60 + h[2]) as f64
        + format!("0.{frac}").parse::<f64>().unwrap()
}

// Howard Hinnant's days-from-civil.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Threads of this process, and how many are the engine's.
pub fn thread_counts() -> (usize, usize) {
    let mut all = 0;
    let mut engine = 0;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            all += 1;
            if std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|n| n.trim() == "aurorax-engine")
            {
                engine += 1;
            }
        }
    }
    (all, engine)
}

/// Peak resident memory of this process, in kB (VmHWM).
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// When the engine saw the server's status say "done": the library's info line for it,
/// noted by the log callback (called on the engine thread right after the search is marked
/// completed). `child_getdata` is alone in its process, so one slot is enough.
static COMPLETED_AT: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

unsafe extern "C" fn note_completion(
    _level: std::ffi::c_int,
    line: *const std::ffi::c_char,
    _user: *mut std::ffi::c_void,
) {
    // the callback must not block nor call into the library: a clock read and a set
    if unsafe { CStr::from_ptr(line) }
        .to_bytes()
        .windows(COMPLETED_LINE.len())
        .any(|w| w == COMPLETED_LINE.as_bytes())
    {
        let _ = COMPLETED_AT.set(Instant::now());
    }
}

/// The words of the library's info line when a search's status says done.
const COMPLETED_LINE: &str = "the server has the result";

/// Child process: one search whose result the parent sized; reports the download, all
/// through the C ABI. The time runs from the engine seeing the status say done (its log
/// line, through the log callback) to `aurorax_wait` returning with the records in memory.
pub fn child_getdata(url: &str, ca: Option<&str>) -> Value {
    point_at(url);
    if let Some(ca) = ca {
        trust(ca);
    }
    unsafe {
        assert_eq!(
            aurorax_set_log_callback(Some(note_completion), std::ptr::null_mut()),
            0
        );
    }
    assert_eq!(aurorax_set_log_level(2), 0);
    let (start, end) = start_day(1);
    let s = search(&start, &end);
    // Diagnostics only: a watcher reads the progress counters every millisecond to see
    // when the last byte was counted.
    let shared = Shared(s);
    let done = std::sync::atomic::AtomicBool::new(false);
    let (ready_at, downloading_at, last_byte_at) = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let s = shared.get();
            let (mut downloading_at, mut last_byte_at) = (None, None);
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let (received, expected) =
                    (aurorax_get_bytes_received(s), aurorax_get_bytes_expected(s));
                if downloading_at.is_none()
                    && aurorax_get_phase(s) == aurorax_phase_t::AURORAX_PHASE_DOWNLOADING as i32
                {
                    downloading_at = Some(Instant::now());
                }
                if last_byte_at.is_none() && expected > 0 && received >= expected {
                    last_byte_at = Some(Instant::now());
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            // the download may have ended between two looks
            (
                downloading_at,
                last_byte_at.or_else(|| Some(Instant::now())),
            )
        });
        assert_eq!(aurorax_wait(s, 0.0), 0, "{}", text(aurorax_search_error(s)));
        let ready_at = Instant::now();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let (d, l) = watcher.join().unwrap();
        (
            ready_at,
            d.map(|d| ready_at.saturating_duration_since(d)),
            l.map(|l| ready_at.saturating_duration_since(l)),
        )
    });
    let completed_at = *COMPLETED_AT.get().unwrap_or_else(|| {
        panic!(
            "the library logged no line with \"{COMPLETED_LINE}\": the download time has no start"
        )
    });
    let download = ready_at.saturating_duration_since(completed_at);
    let data = aurorax_get_data(s);
    assert!(!data.is_null(), "{}", text(aurorax_search_error(s)));
    let data = unsafe { CStr::from_ptr(data) }.to_str().unwrap();
    let bytes = data.len();
    let data_url = format!("{}/data", text(aurorax_request_url(s)));
    let peak_rss_kb = peak_rss_kb();
    // Diagnostics, after the peak RSS is read: the same body split by the library's splitter
    // from memory in 64 KiB chunks, with no network and no server competing for the cores.
    let body = format!("{{\"result\":{data}}}");
    let t = Instant::now();
    let mut splitter = super::internals::RecordSplitter::new(body.len());
    for chunk in body.as_bytes().chunks(64 * 1024) {
        splitter.push(chunk).unwrap();
    }
    let split = splitter.finish().unwrap();
    let split_alone_s = t.elapsed().as_secs_f64();
    assert_eq!(split.len(), bytes);
    drop((split, body));
    let http_alone_s = http_alone(&data_url, ca);
    let result = json!({
        "seconds": download.as_secs_f64(),
        "bytes": bytes,
        "peak_rss_kb": peak_rss_kb,
        "split_alone_s": split_alone_s,
        "http_alone_s": http_alone_s,
        "data_url": data_url,
        "after_last_byte_s": last_byte_at.map(|d| d.as_secs_f64()),
        "downloading_s": downloading_at.map(|d| d.as_secs_f64()),
    });
    aurorax_free(s);
    aurorax_shutdown();
    result
}

/// Diagnostics: the library's HTTP client (reqwest, rustls, on a tokio runtime) alone on the
/// same URL, each chunk dropped as it arrives: request start to last byte, seconds.
fn http_alone(url: &str, ca: Option<&str>) -> f64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut builder = reqwest::Client::builder().use_rustls_tls();
        if let Some(ca) = ca {
            let pem = std::fs::read(ca).unwrap();
            builder = builder.add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap());
        }
        let client = builder.build().unwrap();
        let t = Instant::now();
        let mut response = client.get(url).send().await.unwrap();
        let mut received = 0usize;
        while let Some(chunk) = response.chunk().await.unwrap() {
            received += chunk.len();
        }
        assert!(received > 0);
        t.elapsed().as_secs_f64()
    })
}

/// Child process: `n` concurrent searches, every result verified byte for byte.
pub fn child_concurrent(url: &str, n: u32, ca: Option<&str>) -> Value {
    point_at(url);
    if let Some(ca) = ca {
        trust(ca);
    }
    let sampler_stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = sampler_stop.clone();
        std::thread::spawn(move || {
            let mut peak = (0, 0);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let (all, engine) = thread_counts();
                peak = (peak.0.max(all), peak.1.max(engine));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    let t = Instant::now();
    let queries: Vec<(String, String)> = (1..=n)
        .map(|i| {
            (
                format!("{}T00:00:00", chrono_day(1 + i % 300)),
                format!("{}T23:59:59", chrono_day(1 + i % 300)),
            )
        })
        .collect();
    let bodies: Vec<String> = queries.iter().map(|(a, b)| query_json(a, b)).collect();
    let searches: Vec<_> = bodies.iter().map(|q| search_json(q)).collect();
    let mut verified = 0;
    for (body, s) in bodies.iter().zip(&searches) {
        if aurorax_wait(*s, 300.0) != 0 {
            continue;
        }
        let expected = aurorax_testserver::expected_result_json(
            "conjunctions",
            &serde_json::from_str(body).unwrap(),
        );
        if text(aurorax_get_data(*s)) == expected {
            verified += 1;
        }
    }
    let wall = t.elapsed().as_secs_f64();
    sampler_stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (threads, engine_threads) = sampler.join().unwrap();
    let rss = peak_rss_kb();
    searches.into_iter().for_each(|s| aurorax_free(s));
    aurorax_shutdown();
    json!({"searches": n, "verified": verified, "seconds": wall, "peak_threads": threads, "peak_engine_threads": engine_threads, "peak_rss_kb": rss})
}
