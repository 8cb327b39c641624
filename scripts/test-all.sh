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
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "=== FAILED: $*"; fi
}

# cargo test links integration tests against the rlib only; the C programs under valgrind
# and ASan need the cdylib, which cargo build produces.
lint() { cargo fmt --all --check && cargo clippy --workspace --all-targets -- -D warnings; }
rust_tests() { cargo build --workspace && cargo test --workspace; }
step lint
step rust_tests
step testserver/conformance/run.sh
step examples-c/run-tests.sh
step bindings/run-tests.sh
step tests/cpp/run.sh

echo
echo "disk free: $(df -h --output=avail . | tail -1 | tr -d ' '); used by target/: $(du -sh target 2>/dev/null | cut -f1)"
echo "suites: $passed passed, $failed failed"
[ "$failed" = 0 ]
