#!/usr/bin/env bash
# Builds and installs libaurorax through its CMake project and runs the packaging tests
# (CTest: SONAME, DESTDIR install, find_package, pkg-config from a moved tree,
# add_subdirectory, FetchContent), then builds the C/C++ examples against the installed
# prefix and runs them under CTest against the bundled local AuroraX server.
# Installs cmake, pkg-config, g++, curl, valgrind, git and binutils if missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v g++ >/dev/null || missing+=(g++)
command -v curl >/dev/null || missing+=(curl)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v git >/dev/null || missing+=(git)            # the FetchContent test clones this repo
command -v readelf >/dev/null || missing+=(binutils)   # SONAME and NEEDED checks
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

target=${CARGO_TARGET_DIR:-$root/target}
server=${AURORAX_TESTSERVER:-$target/debug/aurorax-testserver}
[ -x "$server" ] || cargo build -p aurorax-testserver

# Debug: cargo's dev profile in the usual target directory, which cargo test has warmed
# (a release build would cost minutes).
cmake -S . -B build/cmake -DCMAKE_BUILD_TYPE=Debug -DAURORAX_CARGO_TARGET_DIR="$target" \
      -DCMAKE_INSTALL_PREFIX="$root/build/stage" >/dev/null
cmake --build build/cmake
failed=0
ctest --test-dir build/cmake --output-on-failure --no-tests=error || failed=1

rm -rf build/stage
cmake --install build/cmake >/dev/null
cmake -S examples-c -B build/examples-c -DCMAKE_PREFIX_PATH="$root/build/stage" -DAURORAX_TESTSERVER="$server" >/dev/null
cmake --build build/examples-c -j 2
ctest --test-dir build/examples-c --output-on-failure --no-tests=error || failed=1
exit $failed
