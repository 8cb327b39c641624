//! Following running searches to their end with `wait_any`, drawing progress on a terminal
//! (phase, elapsed time, bytes and rate) and, under --verbose, each new log line.

use crate::interrupt::interrupted;
use aurorax::client::{wait_any, Phase, Search};
use std::io::Write;
use std::time::{Duration, Instant};

/// One search being followed, and what its label is in progress and messages.
pub struct Job {
    pub label: String,
    pub search: Search,
}

pub struct Display {
    /// Draw a progress line (stderr is a terminal and --quiet was not given).
    pub progress: bool,
    /// Print each new log line of the requests.
    pub verbose: bool,
}

/// How following ended.
pub enum Ended {
    /// Every search ended (each one's outcome is in its handle).
    All,
    /// The timeout passed; these searches are still running.
    TimedOut(Vec<usize>),
    /// Ctrl-C: these searches were cancelled.
    Interrupted(Vec<usize>),
}

/// Follows `jobs` until all have ended, `timeout` passes or Ctrl-C; `on_end` is called for
/// each search as it ends (in the order they end).
pub fn follow(
    jobs: &[Job],
    display: &Display,
    timeout: Option<Duration>,
    mut on_end: impl FnMut(usize),
) -> Ended {
    let started = Instant::now();
    let deadline = timeout.map(|t| started + t);
    let mut pending: Vec<usize> = (0..jobs.len()).collect();
    let mut logs_seen = vec![0usize; jobs.len()];
    let mut line = ProgressLine::new(display.progress);
    // a short tick only for what must be redrawn; the Ctrl-C check needs no more than this
    let tick = if display.progress || display.verbose {
        Duration::from_millis(100)
    } else {
        Duration::from_millis(250)
    };
    loop {
        if display.verbose {
            for &i in &pending {
                print_new_logs(&jobs[i], &mut logs_seen[i], &mut line);
            }
        }
        if pending.is_empty() {
            line.clear();
            return Ended::All;
        }
        if interrupted() {
            line.clear();
            for &i in &pending {
                jobs[i].search.cancel();
            }
            return Ended::Interrupted(pending);
        }
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            line.clear();
            return Ended::TimedOut(pending);
        }
        line.draw(&summary(jobs, &pending, started.elapsed()));
        let wait = deadline.map_or(tick, |d| tick.min(d - now));
        let searches: Vec<&Search> = pending.iter().map(|&i| &jobs[i].search).collect();
        if let Ok(k) = wait_any(&searches, Some(wait)) {
            let i = pending.remove(k);
            if display.verbose {
                print_new_logs(&jobs[i], &mut logs_seen[i], &mut line);
            }
            line.clear();
            on_end(i);
        }
    }
}

/// A search's new log entries, one line each on stderr: label, time, level, summary.
fn print_new_logs(job: &Job, seen: &mut usize, line: &mut ProgressLine) {
    let logs: Vec<serde_json::Value> =
        serde_json::from_str(&job.search.logs_json()).unwrap_or_default();
    for entry in logs.iter().skip(*seen) {
        line.clear();
        eprintln!("{}: {}", job.label, log_line(entry));
    }
    *seen = (*seen).max(logs.len());
}

/// One log entry as text; a server's text is shown without control characters, so it cannot
/// steer the terminal.
pub fn log_line(entry: &serde_json::Value) -> String {
    let field = |k: &str| entry[k].as_str().unwrap_or("").to_string();
    let text = format!(
        "{}  {:<5}  {}",
        field("timestamp"),
        field("level"),
        field("summary")
    );
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn summary(jobs: &[Job], pending: &[usize], elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if jobs.len() == 1 {
        let s = &jobs[0].search;
        let mut text = format!("{}: {} {:.1} s", jobs[0].label, phase_name(s.phase()), secs);
        if s.phase() == Phase::Downloading {
            text.push_str(&bytes_text(s, secs));
        }
        if let Some(id) = s.request_id().filter(|id| *id != jobs[0].label) {
            text.push_str(&format!(" (request {id})"));
        }
        return text;
    }
    let count = |p: Phase| {
        pending
            .iter()
            .filter(|&&i| jobs[i].search.phase() == p)
            .count()
    };
    let received: u64 = jobs.iter().map(|j| j.search.bytes_received()).sum();
    format!(
        "{} searches: {} ended, {} submitting, {} running, {} downloading; {:.1} s, {}",
        jobs.len(),
        jobs.len() - pending.len(),
        count(Phase::Submitting),
        count(Phase::Running),
        count(Phase::Downloading),
        secs,
        human_bytes(received as f64)
    )
}

fn bytes_text(s: &Search, secs: f64) -> String {
    let received = s.bytes_received() as f64;
    let rate = if secs > 0.0 { received / secs } else { 0.0 };
    match s.bytes_expected() {
        Some(total) => format!(
            ", {} of {} ({}/s)",
            human_bytes(received),
            human_bytes(total as f64),
            human_bytes(rate)
        ),
        None => format!(", {} ({}/s)", human_bytes(received), human_bytes(rate)),
    }
}

pub fn phase_name(p: Phase) -> String {
    match p {
        Phase::Submitting => "submitting".into(),
        Phase::Running => "running".into(),
        Phase::Downloading => "downloading".into(),
        Phase::Ready => "ready".into(),
        Phase::Ended(status) => status.name().to_string(),
    }
}

fn human_bytes(n: f64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = n;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// One line on stderr, redrawn in place; nothing at all unless enabled.
struct ProgressLine {
    enabled: bool,
    shown: bool,
    width: usize,
}

impl ProgressLine {
    fn new(enabled: bool) -> ProgressLine {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|w| *w > 10)
            .unwrap_or(80);
        ProgressLine {
            enabled,
            shown: false,
            width,
        }
    }

    fn draw(&mut self, text: &str) {
        if !self.enabled {
            return;
        }
        // one terminal line: a wrapped line could not be redrawn in place
        let text: String = text.chars().take(self.width - 1).collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }
}
