#!/usr/bin/env bash
# Runs every test of the project against the bundled local AuroraX server (loopback only).
# Installs what a fresh Debian machine lacks (valgrind, ...) when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v cc >/dev/null || missing+=(gcc)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v clang >/dev/null || missing+=(clang)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "please install: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
  fi
fi

cargo build --workspace --all-targets
cargo test --workspace

# The released Python client (pyaurorax) against the local server: proves the server speaks
# the real protocol. Creates a virtualenv under target/ on first use (needs PyPI).
testserver/conformance/run.sh

# C and C++ examples under CTest (each against the local server, some under valgrind), and
# the installed package consumed through find_package and pkg-config, shared and static.
examples-c/run-tests.sh

# MATLAB gateway under Octave, Python ctypes, Julia ccall check.
bindings/run-tests.sh
