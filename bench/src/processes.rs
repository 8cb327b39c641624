//! Whole processes, as a user types them (issue 23 §6): `aurorax --version` beside
//! pyaurorax's `aurorax-cli --version`, and one small conjunction search end to end from
//! the same query file against the same local server, each writing its result with
//! `--outfile`. The server runs in the harness, started before any timing; our command line
//! is the release build, built before any timing.
//!
//! Each process is timed from just before it is spawned to the moment it is reaped (wall
//! time: start-up, imports, requests, writing the file, exit). It runs under GNU time, which
//! reports its peak resident memory (`%M`, the kernel's `ru_maxrss` for that one child).
//! Not wait4 from the harness itself: a child's `ru_maxrss` also counts the memory of the
//! process it was forked from (the harness, tens of MB after the get_data rows), while GNU
//! time forks it from a process of about 1 MB. GNU time's own start (about 1 ms) is inside
//! both clients' wall times.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// One process: wall seconds, peak RSS in kB.
#[derive(Clone, Copy, Debug)]
pub struct Timed {
    pub seconds: f64,
    pub peak_rss_kb: u64,
}

/// Ours and theirs, run after run: `pairs[run]` holds that run's processes of each client.
pub struct Pairs {
    pub ours: Vec<Vec<Timed>>,
    pub theirs: Vec<Vec<Timed>>,
}

/// A command: the program and its arguments.
pub struct Client {
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// `aurorax` beside the harness, built now by cargo in the harness's own profile (release
/// for a full run, whose figures count; the quick run of the test command uses the debug
/// build it already has). Not timed.
pub fn build_our_cli() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let profile: &[&str] = if cfg!(debug_assertions) {
        &[]
    } else {
        &["--release"]
    };
    let status = Command::new(cargo)
        .args(["build", "-q", "-p", "aurorax-cli"])
        .args(profile)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build -p aurorax-cli failed");
    let me = std::env::current_exe().unwrap();
    let ours = me.with_file_name("aurorax");
    assert!(
        ours.is_file(),
        "{} is not there after the build (is CARGO_TARGET_DIR the harness's?)",
        ours.display()
    );
    ours
}

/// GNU time: it forks the measured program from its own small process and reports that
/// child's peak RSS (`%M`, from wait4's `ru_maxrss`).
const GNU_TIME: &str = "/usr/bin/time";

/// Runs `client` once under GNU time, with its output to /dev/null and its stderr to
/// `stderr_to`; panics (with that stderr) unless it exits 0.
pub fn run_once(client: &Client, stderr_to: &Path) -> Timed {
    assert!(
        Path::new(GNU_TIME).is_file(),
        "{GNU_TIME} (GNU time) is needed for the peak RSS of whole processes: apt-get install time"
    );
    let rss_file = stderr_to.with_extension("rss");
    let stderr = std::fs::File::create(stderr_to).unwrap();
    let t = Instant::now();
    let status = Command::new(GNU_TIME)
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(&client.program)
        .args(&client.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .status()
        .expect("GNU time runs");
    let seconds = t.elapsed().as_secs_f64();
    assert!(
        status.success(),
        "{} {:?} failed ({status}): {}",
        client.program.display(),
        client.args,
        std::fs::read_to_string(stderr_to).unwrap_or_default()
    );
    let rss = std::fs::read_to_string(&rss_file).unwrap_or_default();
    let peak_rss_kb = rss.trim().parse().unwrap_or_else(|_| {
        panic!(
            "GNU time wrote no peak RSS to {}: {rss:?}",
            rss_file.display()
        )
    });
    Timed {
        seconds,
        peak_rss_kb,
    }
}

/// `runs` runs of `reps` processes of each client, alternating, the first of each pair
/// swapped every time so neither always starts on a cache the other warmed. `check` runs
/// after every process (outside the timing).
pub fn measure(
    ours: &Client,
    theirs: &Client,
    runs: usize,
    reps: usize,
    scratch: &Path,
    mut check: impl FnMut(bool),
) -> Pairs {
    let mut pairs = Pairs {
        ours: vec![],
        theirs: vec![],
    };
    let err = scratch.join("stderr.txt");
    for _ in 0..runs {
        let (mut o, mut t) = (vec![], vec![]);
        for rep in 0..reps {
            for ours_now in [rep % 2 == 0, rep % 2 == 1] {
                if ours_now {
                    o.push(run_once(ours, &err));
                } else {
                    t.push(run_once(theirs, &err));
                }
                check(ours_now);
            }
        }
        pairs.ours.push(o);
        pairs.theirs.push(t);
    }
    pairs
}

/// The query file both clients search with: a conjunction search in the shape the AuroraX
/// website exports (cli/tests/queries/website_conjunctions.json), one day of THEMIS ASI
/// against Swarm.
pub fn query_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/tests/queries/website_conjunctions.json")
}

/// Records in a result file: a JSON array (both clients write one).
pub fn records_in(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(records)) => records.len(),
        _ => panic!("{} is not a JSON array", path.display()),
    }
}
