#!/usr/bin/env bash
# Builds and runs the C/C++ examples and the packaging tests under CTest, against the
# bundled local AuroraX server. Installs cmake, pkg-config, g++, curl and valgrind if missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v g++ >/dev/null || missing+=(g++)
command -v curl >/dev/null || missing+=(curl)
command -v valgrind >/dev/null || missing+=(valgrind)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

target=${CARGO_TARGET_DIR:-$root/target}
server=${AURORAX_TESTSERVER:-$target/debug/aurorax-testserver}
[ -x "$server" ] || cargo build -p aurorax-testserver
scripts/stage.sh --profile debug --prefix build/stage
cmake -S examples-c -B build/examples-c -DCMAKE_PREFIX_PATH="$root/build/stage" -DAURORAX_TESTSERVER="$server" >/dev/null
cmake --build build/examples-c -j 2
ctest --test-dir build/examples-c --output-on-failure --no-tests=error
