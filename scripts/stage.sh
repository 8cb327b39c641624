#!/usr/bin/env bash
# Installs libaurorax into a prefix through the top-level CMake project (kept for the scripts
# that call it; see the README for the CMake route itself). The same as:
#   cmake -S . -B build/stage-<profile> -DCMAKE_BUILD_TYPE=Debug|Release -DAURORAX_BUILD_TESTS=OFF
#   cmake --build build/stage-<profile> && cmake --install build/stage-<profile> --prefix DIR
# with cargo's target directory shared with plain `cargo build` (CARGO_TARGET_DIR or target/).
# Usage: scripts/stage.sh [--profile debug|release] --prefix DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
profile=release
prefix=
usage() { echo "usage: $0 [--profile debug|release] --prefix DIR" >&2; exit 2; }
while (($#)); do
  case $1 in
    --profile) profile=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    *) usage ;;
  esac
done
[ -n "$prefix" ] || usage
case $profile in debug) type=Debug ;; release) type=Release ;; *) echo "profile must be debug or release" >&2; exit 2 ;; esac
command -v cmake >/dev/null || { echo "please install cmake" >&2; exit 1; }

cd "$root"
build=build/stage-$profile
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=$type -DAURORAX_BUILD_TESTS=OFF \
      -DAURORAX_CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}" >/dev/null
cmake --build "$build"
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
cmake --install "$build" --prefix "$prefix" >/dev/null
echo "staged libaurorax ($profile) in $prefix"
