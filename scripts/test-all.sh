#!/usr/bin/env bash
# Runs every test of the project against the bundled local AuroraX server (loopback only):
#   0. cargo fmt --check and cargo clippy -D warnings over the workspace;
#   1. one build of every test executable, then each suite from its binary (as cargo test
#      would, and the doc tests): the library through its C ABI (lifecycle, v2 workflow,
#      hostile servers, proxies, logging, security), the header's freshness, the command line
#      and the local server's own tests. Beside them and the steps after: the long outage
#      tests (minutes of waiting), the 20,000-search soak, and the C programs under valgrind,
#      ASan and TSan;
#   2. beside 1 and the steps after, once the tests are built: the released pyaurorax client
#      against the local server (protocol conformance; mostly pyaurorax's 1 s sleeps);
#   3. the CMake build and install of the library (packaging tests: SONAME, DESTDIR install,
#      find_package, pkg-config, add_subdirectory, FetchContent) and the C/C++ examples, under CTest;
#   4. the MATLAB gateway under Octave, Python ctypes, and the Julia ccall check.
#   5. The C++ API (include/aurorax.hpp) under AddressSanitizer and UBSan, under CTest.
#   6. Beside 1-5: the Rust library itself under AddressSanitizer with LeakSanitizer (nightly
#      rustc, -Zsanitizer=address, its own target directory): the fast integration tests and
#      the library's unit tests, then the shared-handles C program against the cdylib built so.
#   7. Beside 1-5: every fuzz target built and run for AURORAX_FUZZ_SECONDS (default 25) each
#      from its committed corpus (fuzz/run.sh); a crash fails the run.
#   8. Beside 2-5: the benchmark harness in its quick form (bench/quick.sh, on the debug
#      build): every row of the table filled, no verdict judged.
# Whatever ran beside is waited for and reported at the end; any failure fails the run.
# The nightly toolchain is required (rustup toolchain install nightly): without it the
# sanitizer and fuzzing steps fail, they are not skipped. cargo-fuzz is installed if missing.
# Installs what a fresh Debian machine lacks with apt-get (run as root, or install the
# packages it names first).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
need() { command -v "$1" >/dev/null || missing+=("$2"); }
need cc gcc
need g++ g++
need clang clang
# the sanitizer runtimes (ASan, UBSan, TSan) clang links the C test programs with
compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.tsan-*.a" >/dev/null || missing+=(libclang-rt-14-dev)
need valgrind valgrind
need cmake cmake
need pkg-config pkg-config
need git git            # the FetchContent test clones this repository (file://)
need readelf binutils   # the SONAME checks
need curl curl
need openssl openssl
[ -x /usr/bin/time ] || missing+=(time)   # GNU time: peak memory of whole processes (bench)
need mkoctfile liboctave-dev
need octave octave
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then
    echo "please install: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Disk is the resource a clean run most often lacks: say what there was, before and after.
echo "disk free: $(df -h --output=avail . | tail -1 | tr -d ' ')"
passed=0 failed=0
step() {
  echo; echo "=== $*"
  local began=$SECONDS
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "=== FAILED: $*"; fi
  echo "=== $1: $((SECONDS - began)) s"
}
# A step that mostly waits, or holds a core the steps after it can share, runs beside them:
# `beside NAME COMMAND...` starts it with its output kept; `joined NAME` waits for it, then
# prints the output and counts it like a step. (The tests check orders of events, not speeds.)
declare -A beside_pid beside_log
beside_names=()
beside() {
  local name=$1; shift
  beside_names+=("$name")
  beside_log[$name]=$(mktemp)
  ( began=$(date +%s); rc=0; "$@" || rc=$?
    echo "=== $name: $(($(date +%s) - began)) s (beside)"; exit $rc ) >"${beside_log[$name]}" 2>&1 &
  beside_pid[$name]=$!
  echo; echo "=== $name: started beside the steps below"
}
joined() {
  local name=$1 rc=0
  wait "${beside_pid[$name]}" || rc=$?
  unset "beside_pid[$name]"   # ended: the exit trap must not kill whatever reuses its pid
  echo; echo "=== $name"; cat "${beside_log[$name]}"; rm -f "${beside_log[$name]}"
  if [ "$rc" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "=== FAILED: $name"; fi
}
# on an early exit, nothing started beside is left running (test binaries, cargo, rustc)
kill_tree() { local child; for child in $(pgrep -P "$1"); do kill_tree "$child"; done; kill "$1" 2>/dev/null || true; }
trap 'for p in "${beside_pid[@]}"; do kill_tree "$p"; done' EXIT

target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
has_nightly() {
  cargo +nightly --version >/dev/null 2>&1 && return 0
  echo "the nightly Rust toolchain is missing (rustup toolchain install nightly): the sanitizer and fuzzing steps need it" >&2
  return 1
}

lint() { cargo fmt --all --check && cargo clippy --workspace --all-targets -- -D warnings; }

# One build of every test executable, listed (source, executable, package directory) from
# cargo's own report, so the suites can run from their binaries: cargo holds its build lock
# while it runs tests, and the slow suites run beside the others. cargo test links integration
# tests against the rlib only; the C programs under valgrind and ASan need the cdylib, which
# cargo build produces.
test_list=$target/test-executables.tsv
build_tests() {
  mkdir -p "$target"
  cargo build --workspace || return 1
  cargo test --workspace --no-run --message-format=json-render-diagnostics >"$target/no-run.json" || return 1
  python3 - "$target/no-run.json" "$PWD" >"$test_list" <<'PY' || return 1
import json, os, sys
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(os.path.relpath(m["target"]["src_path"], sys.argv[2]), m["executable"],
              os.path.dirname(m["manifest_path"]), sep="\t")
PY
  echo "$(wc -l <"$test_list") test executables"
}
# run_tests SOURCE [ARGS...]: the test executable built from SOURCE (tests/soak.rs,
# src/lib.rs, cli/tests/cli.rs...), from its package's directory as cargo test would.
run_tests() {
  local source=$1 exe dir; shift
  IFS=$'\t' read -r _ exe dir < <(awk -F'\t' -v s="$source" '$1 == s' "$test_list")
  [ -n "${exe:-}" ] || { echo "no test executable was built from $source"; return 1; }
  echo "     Running $source"
  (cd "$dir" && "$exe" "$@" </dev/null)
}
# exactly N COMMAND...: COMMAND runs tests, and exactly N must have run and passed (a
# renamed test would otherwise pass by running none). run_tests_exactly N SOURCE ARGS...
# does so for run_tests.
exactly() {
  local n=$1 out rc=0; shift
  out=$("$@" 2>&1) || rc=$?
  echo "$out"
  [ "$rc" = 0 ] && grep -q "test result: ok. $n passed;" <<<"$out" ||
    { echo "expected exactly $n passing tests from $*"; return 1; }
}
run_tests_exactly() { local n=$1; shift; exactly "$n" run_tests "$@"; }

# The long outage tests spend minutes waiting out outages, not computing; the soak and the
# C programs (valgrind, a process stopped for a minute) take minutes of one core each. They
# run beside the other suites.
long_outages=(outages_of_30_s_in_every_form_are_survived outages_of_3_minutes_in_every_form_are_survived)
apart=(tests/soak.rs tests/c_program.rs)
rust_tests() {
  local source failing=() skips=()
  for t in "${long_outages[@]}"; do skips+=(--skip "$t"); done
  while IFS=$'\t' read -r -u 3 source _; do
    [[ " ${apart[*]} " == *" $source "* ]] && continue
    if [ "$source" = tests/outages.rs ]; then run_tests "$source" "${skips[@]}" || failing+=("$source")
    else run_tests "$source" || failing+=("$source"); fi
  done 3<"$test_list"
  cargo test --workspace --doc || failing+=(doctests)
  ((${#failing[@]} == 0)) || { echo "failing: ${failing[*]}"; return 1; }
}

# The library under AddressSanitizer + LeakSanitizer (on by default with ASan on Linux; a
# report makes the test binary exit non-zero). --target keeps the flags off build scripts and
# proc macros; target/asan keeps the instrumented build apart from the normal one.
# (Each command ends the step on failure: `set -e` does not act inside a step, which runs in
# an `if`.)
asan_tests() (
  has_nightly || exit 1
  export RUSTFLAGS=-Zsanitizer=address CARGO_TARGET_DIR="$target/asan" ASAN_OPTIONS=detect_leaks=1
  triple=x86_64-unknown-linux-gnu
  # the cdylib the C program loads, instrumented the same way
  cargo +nightly build -p aurorax --lib --target $triple || exit 1
  cargo +nightly test -p aurorax --target $triple --no-fail-fast --lib --test workflow --test every_search_ends \
    --test failures --test hostile_server --test hostile_answers --test transport --test faults \
    --test search_lifecycle --test trickle --test discovery --test security || exit 1
  # exactly one test must have run: a renamed test would otherwise pass by running none
  exactly 1 cargo +nightly test -p aurorax --target $triple --test c_program -- --exact \
    shared_handles_run_clean_under_address_sanitizer || exit 1
)

fuzzing() {
  has_nightly || return 1
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz 0.13.2"
    cargo install cargo-fuzz --version 0.13.2 --locked || return 1
  fi
  AURORAX_FUZZ_TARGET_DIR="$target/fuzz" fuzz/run.sh "${AURORAX_FUZZ_SECONDS:-25}"
}

step lint
# Fuzzing and the instrumented build each take a core for minutes, in target directories of
# their own: they run beside everything below.
beside fuzzing fuzzing
beside asan_tests asan_tests
step build_tests
if [ -s "$test_list" ]; then
  # one after the other: together they are twelve 156 MB results and outages at once
  beside long_outage_tests run_tests_exactly 2 tests/outages.rs --exact --test-threads=1 "${long_outages[@]}"
  for source in "${apart[@]}"; do beside "$source" run_tests "$source"; done
fi
# it needs the local server's binary; pyaurorax spends most of it asleep between polls
beside testserver/conformance/run.sh testserver/conformance/run.sh
step rust_tests
# the benchmark harness in its quick form: every row filled, nothing judged (so its figures
# may be taken beside other work), so it cannot rot
beside bench/quick.sh bench/quick.sh
step examples-c/run-tests.sh
step bindings/run-tests.sh
step tests/cpp/run.sh
for name in "${beside_names[@]}"; do joined "$name"; done

echo
echo "disk free: $(df -h --output=avail . | tail -1 | tr -d ' '); used by $target: $(du -sh "$target" 2>/dev/null | cut -f1)"
echo "suites: $passed passed, $failed failed, in $((SECONDS / 60)) min $((SECONDS % 60)) s"
[ "$failed" = 0 ]
