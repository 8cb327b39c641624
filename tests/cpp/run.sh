#!/usr/bin/env bash
# Builds the C++ API tests with AddressSanitizer and UBSan and runs them under CTest against
# the local AuroraX server. CXX picks the compiler (default clang++); a missing compiler or
# sanitizer runtime fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cxx=${CXX:-clang++}
command -v "$cxx" >/dev/null || { echo "$cxx not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
command -v cmake >/dev/null || { echo "cmake not found (apt-get install cmake)" >&2; exit 1; }

# A stale server binary would test yesterday's protocol: build it unless one is given.
target=${CARGO_TARGET_DIR:-$root/target}
if [ -n "${AURORAX_TESTSERVER:-}" ]; then server=$AURORAX_TESTSERVER
else cargo build -p aurorax-testserver; server=$target/debug/aurorax-testserver; fi
# Its own prefix: examples-c/run-tests.sh empties build/stage when it reinstalls.
scripts/stage.sh --profile debug --prefix build/stage-tests-cpp
# One build directory per compiler: CMake cannot switch compilers in place.
build=build/tests-cpp-$(basename "$cxx")
cmake -S tests/cpp -B "$build" -DCMAKE_CXX_COMPILER="$(command -v "$cxx")" \
      -DCMAKE_PREFIX_PATH="$root/build/stage-tests-cpp" -DAURORAX_TESTSERVER="$server" >/dev/null
cmake --build "$build" -j 2
ctest --test-dir "$build" --output-on-failure --no-tests=error
