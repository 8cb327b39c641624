#!/usr/bin/env bash
# Tests the bindings against the bundled local AuroraX server: the MATLAB MEX gateway and the
# +aurorax package under GNU Octave, the Python ctypes ABI tests, and (Julia cannot run here)
# the Julia package checked mechanically by check_ccalls.py.
# Installs octave and liboctave-dev (apt-get) when mkoctfile is missing, and tree-sitter-julia
# (pip, into build/bindings/julia-venv).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v mkoctfile >/dev/null || ! command -v curl >/dev/null; then
  echo "installing octave, liboctave-dev, curl"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq octave liboctave-dev curl >/dev/null
fi

target=${CARGO_TARGET_DIR:-$root/target}
# built every time (a no-op when fresh): a stale server would lack newer endpoints
[ -n "${AURORAX_TESTSERVER:-}" ] || cargo build -p aurorax-testserver
server=${AURORAX_TESTSERVER:-$target/debug/aurorax-testserver}
scripts/stage.sh --profile debug --prefix build/stage >/dev/null
lib=$root/build/stage/lib

passed=0 failed=0
tally() {  # reads a suite's closing "N passed, N failed" line from its log
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1) || line=""
  if [ -z "$line" ]; then failed=$((failed + 1)); echo "suite $1 printed no summary"; return; fi
  passed=$((passed + ${line%% passed*})); local f=${line#*, }; failed=$((failed + ${f%% failed}))
}
mkdir -p build/bindings
state=build/bindings/server
trap 'scripts/local-server/stop.sh "$state"' EXIT

echo "== MATLAB gateway under Octave"
mkoctfile --mex -Wall -Wextra -Werror bindings/matlab/aurorax_mex.c -Iinclude -L"$lib" -laurorax \
  -Wl,-rpath,"$lib" -o build/bindings/aurorax_mex.mex
scripts/local-server/start.sh "$server" "$state" --search-seconds 0.5
# timeout: a wait that never returns fails the suite (no summary line) instead of hanging it
AURORAX_TESTSERVER=$server scripts/local-server/with-url.sh "$state" timeout -k 10 900 octave --no-gui --no-history --quiet --eval \
  "addpath('build/bindings'); addpath('bindings/matlab'); addpath('bindings/matlab/tests'); run_tests()" \
  2>&1 | tee build/bindings/octave.log || true
scripts/local-server/stop.sh "$state"
tally build/bindings/octave.log

echo "== Python ctypes"
AURORAX_LIB=$lib/libaurorax.so AURORAX_TESTSERVER=$server python3 -m unittest -v bindings/python/test_ctypes.py \
  > build/bindings/ctypes.log 2>&1 || true
cat build/bindings/ctypes.log
ran=$(sed -n 's/^Ran \([0-9]*\) tests.*/\1/p' build/bindings/ctypes.log)
bad=$(grep -cE '^(FAIL|ERROR):' build/bindings/ctypes.log || true)
if [ -z "$ran" ]; then failed=$((failed + 1)); else passed=$((passed + ran - bad)); failed=$((failed + bad)); fi

echo "== Julia package: syntax, ccalls against the header, docstrings, project (Julia itself cannot run here)"
# tree-sitter-julia parses the .jl files; pinned, in a venv of our own. A failed install
# fails the suite (no summary line), it never skips it.
venv=build/bindings/julia-venv
if ! "$venv/bin/python" -c 'import tree_sitter, tree_sitter_julia' 2>/dev/null; then
  python3 -m venv "$venv" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q tree-sitter==0.26.1 tree-sitter-julia==0.23.1 || true
fi
"$venv/bin/python" bindings/julia/check_ccalls.py 2>&1 | tee build/bindings/julia.log || true
tally build/bindings/julia.log

echo "bindings: $passed passed, $failed failed"
[ "$failed" = 0 ]
