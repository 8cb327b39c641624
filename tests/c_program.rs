//! A C program compiled against include/aurorax.h and the cdylib runs the seed workflow
//! under valgrind: no memory error and no leak may be reported.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn target_dir() -> PathBuf {
    // tests run from target/<profile>/deps/; the cdylib sits in target/<profile>/.
    std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The SONAME build.rs gives the cdylib: libaurorax.so.MAJOR.MINOR while 0.x (0.2 and 0.3
/// are incompatible), libaurorax.so.MAJOR from 1.0 on.
fn soname() -> String {
    let (major, minor) = (
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
    );
    if major == "0" {
        format!("libaurorax.so.0.{minor}")
    } else {
        format!("libaurorax.so.{major}")
    }
}

/// A directory holding the cdylib under its SONAME, as an install does: the loader looks the
/// library up by that name.
fn soname_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(make_soname_dir).clone()
}

fn make_soname_dir() -> PathBuf {
    let built = target_dir().join("libaurorax.so");
    assert!(
        built.exists(),
        "no cdylib at {built:?}: run `cargo build` first (cargo test builds only the rlib)"
    );
    // Beside the build, not in /tmp, so that no run leaves a directory behind; each link is
    // made under a name of this process's own and renamed into place, which is atomic, so
    // two runs at once cannot trip over each other.
    let dir = target_dir().join("soname-links");
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["libaurorax.so".to_string(), soname()] {
        let staged = dir.join(format!("{name}.{}", std::process::id()));
        let _ = std::fs::remove_file(&staged);
        std::os::unix::fs::symlink(&built, &staged).unwrap();
        std::fs::rename(&staged, dir.join(name)).unwrap();
    }
    dir
}

fn compile(source: &str, out: &Path) {
    compile_with("cc", &[], source, out)
}

fn compile_with(compiler: &str, flags: &[&str], source: &str, out: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_dir = soname_dir();
    let status = Command::new(compiler)
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-g",
            "-D_POSIX_C_SOURCE=200809L",
            "-pthread",
        ])
        .args(flags)
        .arg(format!("-I{}", root.join("include").display()))
        .arg(root.join(source))
        .arg("-o")
        .arg(out)
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-laurorax")
        .status()
        .expect("cc runs");
    assert!(status.success(), "compiling {source} failed");
}

/// Deep stacks, so the crypto suppressions (tests/c/crypto.supp) can name the TLS layer.
const VALGRIND: [&str; 8] = [
    "valgrind",
    "--error-exitcode=99",
    "--leak-check=full",
    "--errors-for-leak-kinds=definite,indirect",
    "--show-leak-kinds=definite,indirect",
    "--num-callers=40",
    "--suppressions=tests/c/crypto.supp",
    "--quiet",
];

/// Runs `command` with the library pointed at `server`; returns stdout, failing on a
/// non-zero exit with everything the program and the checker printed.
fn run(command: &[&str], exe: &Path, server: &ServerGuard, extra_env: &[(&str, &str)]) -> String {
    run_with_args(command, exe, &[], server, extra_env)
}

fn run_with_args(
    command: &[&str],
    exe: &Path,
    args: &[&str],
    server: &ServerGuard,
    extra_env: &[(&str, &str)],
) -> String {
    // Every run is bounded (coreutils timeout): a wait with no limit inside the program
    // under test must not hold the test for ever.
    let mut cmd = Command::new("timeout");
    cmd.arg("600").args(command).arg(exe);
    cmd.args(args);
    let output = cmd
        .env("AURORAX_API_URL", server.base_url())
        .envs(extra_env.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{command:?} {exe:?} does not run: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{command:?} exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status.code()
    );
    stdout
}

fn require_valgrind() {
    let present = Command::new("valgrind").arg("--version").output().is_ok();
    assert!(
        present,
        "valgrind is required (apt-get install valgrind; the README's test command installs it)"
    );
}

/// Where a compiled test program goes: beside the build, so a run that is killed or fails
/// leaves nothing in /tmp.
fn temp_exe(name: &str) -> PathBuf {
    let dir = target_dir().join("c-programs");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}-{}", std::process::id()))
}

#[test]
fn seed_workflow_in_c_runs_clean_under_valgrind() {
    require_valgrind();
    let exe = temp_exe("seed");
    compile("tests/c/seed_workflow.c", &exe);
    let server = server(0.3);
    let stdout = run(&VALGRIND, &exe, &server, &[]);
    let _ = std::fs::remove_file(&exe);
    assert!(stdout.contains("bytes of conjunctions"), "{stdout}");
    assert_eq!(route_count(&server, "submit"), 1);
}

#[test]
fn threads_hammering_handles_run_clean_under_valgrind() {
    require_valgrind();
    let exe = temp_exe("stress-vg");
    compile("tests/c/stress.c", &exe);
    let server = server(0.2);
    let stdout = run(&VALGRIND, &exe, &server, &[]);
    let _ = std::fs::remove_file(&exe);
    assert!(stdout.contains("0 failures"), "{stdout}");
    // Rounds that wait or poll submit once each; rounds that free or cancel at once may be
    // stopped before their submit (and the final shutdown may overtake cancelled ones).
    let per_case = 8 * 6 / 4;
    let submits = route_count(&server, "submit") as usize;
    assert!(
        (2 * per_case + 1..=4 * per_case + 1).contains(&submits),
        "{submits} submits"
    );
    assert!(route_count(&server, "cancel") as usize <= per_case);
}

/// Sanitizer runs need clang with its runtime (libclang-rt-14-dev); the README's test
/// command installs both. A missing tool fails the test: it never passes unchecked.
fn require_clang() {
    let present = Command::new("clang")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        present,
        "clang is required for the sanitizer runs (apt-get install clang libclang-rt-14-dev)"
    );
}

const ASAN: [&str; 2] = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer"];
const ASAN_ENV: (&str, &str) = (
    "ASAN_OPTIONS",
    "detect_leaks=1:abort_on_error=0:exitcode=98",
);
// The Rust library itself is not instrumented (stable rustc has no -Zsanitizer), so
// ThreadSanitizer checks the C side's use of what the library hands across threads.
const TSAN: [&str; 2] = ["-fsanitize=thread", "-fno-omit-frame-pointer"];
const TSAN_OPTIONS: &str = concat!(
    "exitcode=97:halt_on_error=1:suppressions=",
    env!("CARGO_MANIFEST_DIR"),
    "/tests/c/tsan.supp"
);
const TSAN_ENV: (&str, &str) = ("TSAN_OPTIONS", TSAN_OPTIONS);

#[test]
fn threads_hammering_handles_run_clean_under_address_sanitizer() {
    require_clang();
    let exe = temp_exe("stress-asan");
    compile_with("clang", &ASAN, "tests/c/stress.c", &exe);
    let server = server(0.2);
    let stdout = run(&[], &exe, &server, &[ASAN_ENV]);
    let _ = std::fs::remove_file(&exe);
    assert!(stdout.contains("0 failures"), "{stdout}");
}

/// One handle's getters from many threads, then waiters woken by cancel and free, under
/// `checker` (valgrind) or a sanitizer build.
fn shared_handles(
    name: &str,
    compiler: &str,
    flags: &[&str],
    checker: &[&str],
    env: &[(&str, &str)],
) {
    let exe = temp_exe(name);
    compile_with(compiler, flags, "tests/c/shared_handles.c", &exe);
    let quick = server(0.8);
    let stdout = run(checker, &exe, &quick, env);
    assert!(stdout.contains(" 0 failures"), "{stdout}");
    let readers_bytes: usize = stdout
        .split(", ")
        .nth(1)
        .and_then(|b| b.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        readers_bytes > 1000,
        "the readers kept and re-read the texts: {stdout}"
    );
    let endless = server(3600.0);
    let stdout = run_with_args(checker, &exe, &["--waits"], &endless, env);
    let _ = std::fs::remove_file(&exe);
    assert!(stdout.contains(" 0 failures"), "{stdout}");
    assert_eq!(
        route_count(&endless, "cancel"),
        1,
        "the cancel's DELETE went out, the frees sent none"
    );
}

#[test]
fn shared_handles_run_clean_under_valgrind() {
    require_valgrind();
    shared_handles("shared-vg", "cc", &[], &VALGRIND, &[]);
}

#[test]
fn shared_handles_run_clean_under_address_sanitizer() {
    require_clang();
    shared_handles("shared-asan", "clang", &ASAN, &[], &[ASAN_ENV]);
}

#[test]
fn shared_handles_run_clean_under_thread_sanitizer() {
    require_clang();
    shared_handles("shared-tsan", "clang", &TSAN, &[], &[TSAN_ENV]);
}

#[test]
fn a_huge_announced_size_cannot_abort_a_process_under_a_memory_limit() {
    // HPC login nodes set `ulimit -v`: sizing a buffer from an 8 GiB Content-Length would
    // abort the whole process ("memory allocation failed"); the library grows the buffer
    // as bytes arrive, retries the short body, and finishes.
    let exe = temp_exe("seed-ulimit");
    compile("tests/c/seed_workflow.c", &exe);
    let server = server(0.3);
    server.inject_fault(serde_json::json!({"route": "data", "fault": "headers", "headers": {"Content-Length": "8589934592"}}));
    let limited = format!("ulimit -v 2000000 && exec {}", exe.display());
    let stdout = run(&["sh", "-c"], Path::new(&limited), &server, &[]);
    let _ = std::fs::remove_file(&exe);
    assert!(stdout.contains("bytes of conjunctions"), "{stdout}");
}

/// The seed workflow from C over the road users take: https://localhost:PORT, HTTP/2 by
/// ALPN, the server's CA trusted through AURORAX_CA_BUNDLE.
#[test]
fn seed_workflow_in_c_over_https_runs_clean_under_valgrind() {
    require_valgrind();
    let exe = temp_exe("seed-https");
    compile("tests/c/seed_workflow.c", &exe);
    let tls = tls::tls_server(0.3);
    let stdout = run(
        &VALGRIND,
        &exe,
        &tls.server,
        &[
            ("AURORAX_API_URL", tls.url().as_str()),
            ("AURORAX_CA_BUNDLE", tls.ca().as_str()),
        ],
    );
    let _ = std::fs::remove_file(&exe);
    assert!(stdout.contains("bytes of conjunctions"), "{stdout}");
    let (h2, h1) = tls.http_versions();
    assert!(h2 >= 3 && h1 == 0, "HTTP/2: {h2}, HTTP/1.1: {h1}");
}

/// Runs the seed program with `env` (and no other trust setting); its exit status and
/// what it printed on stderr.
fn seed_with_trust(exe: &Path, tls: &tls::TlsServer, env: &[(&str, &str)]) -> (bool, String) {
    let output = Command::new("timeout")
        .arg("300")
        .arg(exe)
        .env("AURORAX_API_URL", tls.url())
        .env_remove("AURORAX_CA_BUNDLE")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Trust as curl's: the system store by default, replaced by SSL_CERT_FILE or SSL_CERT_DIR
/// as OpenSSL reads them; without the CA anywhere the search fails with AURORAX_ERR_TLS; an
/// unusable AURORAX_CA_BUNDLE refuses the search before any I/O.
#[test]
fn trust_comes_from_the_system_store_as_openssl_reads_it() {
    let exe = temp_exe("seed-trust");
    compile("tests/c/seed_workflow.c", &exe);
    let tls = tls::tls_server(0.2);
    let ca = tls.ca();

    let (ok, stderr) = seed_with_trust(&exe, &tls, &[]);
    assert!(!ok && stderr.contains("AURORAX_ERR_TLS"), "{stderr}");
    assert!(stderr.contains("unknown authority"), "{stderr}");

    let (ok, stderr) = seed_with_trust(&exe, &tls, &[("SSL_CERT_FILE", ca.as_str())]);
    assert!(ok, "SSL_CERT_FILE: {stderr}");

    // SSL_CERT_DIR: a directory laid out as c_rehash / `openssl rehash` leaves it
    let dir = tls::scratch_dir("certdir");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&ca, dir.join("test-ca.pem")).unwrap();
    let rehashed = Command::new("openssl")
        .arg("rehash")
        .arg(&dir)
        .status()
        .expect("openssl is required for this test (apt-get install openssl)");
    assert!(rehashed.success());
    let (ok, stderr) = seed_with_trust(&exe, &tls, &[("SSL_CERT_DIR", dir.to_str().unwrap())]);
    assert!(ok, "SSL_CERT_DIR: {stderr}");

    let (ok, stderr) = seed_with_trust(&exe, &tls, &[("AURORAX_CA_BUNDLE", "/nonexistent/ca.pem")]);
    assert!(
        !ok && stderr.contains("AURORAX_ERR_INVALID_ARGUMENT"),
        "{stderr}"
    );
    assert!(stderr.contains("AURORAX_CA_BUNDLE"), "{stderr}");
    let submits = tls.server.stats()["by_route"]["submit"].as_u64().unwrap();
    assert_eq!(
        submits, 2,
        "the two trusted runs; the refused ones sent nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&exe);
}

/// A closed laptop: the process is stopped for 60 s while the server runs its search, then
/// continued. The search goes on and completes, and its waits return what they should.
#[test]
fn a_search_goes_on_after_the_process_was_stopped_for_a_minute() {
    use std::io::BufRead;
    let exe = temp_exe("closed-laptop");
    compile("tests/c/closed_laptop.c", &exe);
    let server = server(20.0);
    let mut child = Command::new("timeout")
        .arg("600")
        .arg(&exe)
        .env("AURORAX_API_URL", server.base_url())
        .env("LD_LIBRARY_PATH", soname_dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a line").unwrap();
    assert!(first.starts_with("submitted "), "{first}");
    // `timeout` runs the program as its child: stop that process itself
    let pid = child.id().to_string();
    let program = String::from_utf8(
        Command::new("pgrep")
            .args(["-P", &pid])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let program = program.trim().to_string();
    assert!(!program.is_empty(), "the program's pid");
    assert!(Command::new("kill")
        .args(["-STOP", &program])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(std::time::Duration::from_secs(60));
    assert!(Command::new("kill")
        .args(["-CONT", &program])
        .status()
        .unwrap()
        .success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let _ = std::fs::remove_file(&exe);
    assert!(status.success(), "{rest:?} {stderr}");
    assert!(
        rest.iter().any(|l| l.starts_with("ready after")),
        "{rest:?}"
    );
    assert_eq!(route_count(&server, "submit"), 1);
}

/// A 2 GB result with a 64 MiB spool threshold: peak RSS while downloading and saving it
/// stays within 200 MB, the spool file is unlinked (the spool directory stays empty), and
/// the records, a column and the NDJSON file all agree.
#[test]
fn a_result_larger_than_memory_is_spooled_saved_and_still_readable() {
    let exe = temp_exe("spool-big");
    compile_with("cc", &["-D_GNU_SOURCE"], "tests/c/spool_big.c", &exe);
    let server = server(0.1);
    // about 7.8 KB a conjunction: 2 GB
    server.configure(serde_json::json!({"result_count": 262_144}));
    let spool = tls::scratch_dir("spool");
    std::fs::create_dir_all(&spool).unwrap();
    let ndjson = tls::scratch_dir("saved").with_extension("ndjson");
    let spool_s = spool.to_str().unwrap().to_string();
    let watcher_dir = spool.clone();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = done.clone();
    // the spool directory holds no file name at any moment: the file is unlinked at once
    let watcher = std::thread::spawn(move || {
        let mut seen = 0;
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            seen = seen.max(std::fs::read_dir(&watcher_dir).map_or(0, |d| d.count()));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        seen
    });
    let stdout = run_with_args(
        &[],
        &exe,
        &[ndjson.to_str().unwrap()],
        &server,
        &[("AURORAX_SPOOL_DIR", spool_s.as_str())],
    );
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let names_seen = watcher.join().unwrap();
    let _ = std::fs::remove_file(&ndjson);
    let _ = std::fs::remove_dir_all(&spool);
    let _ = std::fs::remove_file(&exe);
    let field = |name: &str| -> i64 {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().parse().unwrap()))
            .unwrap_or_else(|| panic!("{name} missing: {stdout}"))
    };
    eprintln!("{stdout}"); // the figures, for the record (cargo test -- --nocapture)
    assert!(field("bytes") > 2_000_000_000, "{stdout}");
    assert_eq!(field("records"), 262_144);
    assert_eq!(field("lines_checked"), 262_144);
    let peak_mb = field("peak_rss_kib") / 1024;
    assert!(
        peak_mb <= 200,
        "peak RSS {peak_mb} MB while downloading and saving 2 GB"
    );
    assert_eq!(names_seen, 0, "a spool file had a name");
}
