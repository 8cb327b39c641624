#!/usr/bin/env bash
# Runs every test of the project against the bundled local AuroraX server (loopback only):
#   0. cargo fmt --check and cargo clippy -D warnings over the workspace;
#   1. cargo test --workspace: the library through its C ABI (lifecycle, v2 workflow,
#      hostile servers, soak, proxies, logging, security, C programs under valgrind, ASan
#      and TSan), the header's freshness, and the local server's own tests;
#   2. the released pyaurorax client against the local server (protocol conformance);
#   3. the CMake build and install of the library (packaging tests: SONAME, DESTDIR install,
#      find_package, pkg-config, add_subdirectory, FetchContent) and the C/C++ examples, under CTest;
#   4. the MATLAB gateway under Octave, Python ctypes, and the Julia ccall check.
#   5. The C++ API (include/aurorax.hpp) under AddressSanitizer and UBSan, under CTest.
#   6. The Rust library itself under AddressSanitizer with LeakSanitizer (nightly rustc,
#      -Zsanitizer=address, its own target directory): the fast integration tests and the
#      library's unit tests, then the shared-handles C program against the cdylib built so.
#   7. Every fuzz target built and run for AURORAX_FUZZ_SECONDS (default 25) each from its
#      committed corpus (fuzz/run.sh), beside the suites above; a crash fails the run.
#   8. The benchmark harness in its quick form (bench/quick.sh, on the debug build): every row
#      of the table filled, no verdict judged.
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

target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
has_nightly() {
  cargo +nightly --version >/dev/null 2>&1 && return 0
  echo "the nightly Rust toolchain is missing (rustup toolchain install nightly): the sanitizer and fuzzing steps need it" >&2
  return 1
}

# cargo test links integration tests against the rlib only; the C programs under valgrind
# and ASan need the cdylib, which cargo build produces.
lint() { cargo fmt --all --check && cargo clippy --workspace --all-targets -- -D warnings; }
# The long outage tests spend minutes waiting out outages, not computing: they run beside
# the other suites (their binary started directly, as cargo would hold its build lock), and
# the workspace run skips them.
long_outages="outages_of_30_s_in_every_form_are_survived outages_of_3_minutes_in_every_form_are_survived"
rust_tests() {
  cargo build --workspace && cargo test --workspace --no-run || return 1
  local exe
  exe=$(cargo test -p aurorax --test outages --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys; print([m["executable"] for m in map(json.loads, sys.stdin) if m.get("executable")][0])') || return 1
  outages_log=$(mktemp)
  # shellcheck disable=SC2086
  ("$exe" --exact $long_outages >"$outages_log" 2>&1) &
  outages_pid=$!
  local skips=()
  for t in $long_outages; do skips+=(--skip "$t"); done
  cargo test --workspace -- "${skips[@]}"
}
# exactly the long outage tests must have run, and passed
long_outage_tests() {
  [ -n "${outages_pid:-}" ] || { echo "the long outage tests never started"; return 1; }
  local rc=0 out
  wait "$outages_pid" || rc=$?
  out=$(cat "$outages_log"); rm -f "$outages_log"
  echo "$out"
  [ "$rc" = 0 ] && grep -q "test result: ok. 2 passed;" <<<"$out"
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
  out=$(cargo +nightly test -p aurorax --target $triple --test c_program -- --exact \
    shared_handles_run_clean_under_address_sanitizer 2>&1) || { echo "$out"; exit 1; }
  echo "$out"
  grep -q "test result: ok. 1 passed;" <<<"$out" || { echo "the shared-handles test did not run"; exit 1; }
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
step rust_tests
# Fuzzing takes a core for a few minutes: it runs beside the suites below (the tests check
# orders of events, not speeds), its output kept until it ends.
fuzz_log=$(mktemp)
(fuzzing >"$fuzz_log" 2>&1) &
fuzz_pid=$!
trap 'kill "$fuzz_pid" ${outages_pid:-} 2>/dev/null || true' EXIT
step asan_tests
step testserver/conformance/run.sh
step examples-c/run-tests.sh
step bindings/run-tests.sh
step tests/cpp/run.sh
# the benchmark harness in its quick form: every row filled, nothing judged, so it cannot rot
step bench/quick.sh
step long_outage_tests
echo; echo "=== fuzzing (fuzz/run.sh)"
if wait "$fuzz_pid"; then cat "$fuzz_log"; passed=$((passed + 1))
else cat "$fuzz_log"; failed=$((failed + 1)); echo "=== FAILED: fuzzing"; fi
rm -f "$fuzz_log"

echo
echo "disk free: $(df -h --output=avail . | tail -1 | tr -d ' '); used by $target: $(du -sh "$target" 2>/dev/null | cut -f1)"
echo "suites: $passed passed, $failed failed, in $((SECONDS / 60)) min $((SECONDS % 60)) s"
[ "$failed" = 0 ]
