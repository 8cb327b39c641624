#!/usr/bin/env bash
# Tests the bindings against the bundled local AuroraX server: the MATLAB MEX gateway (and a
# syntax-only compile of its MATLAB branch) and the
# +aurorax package under GNU Octave, the Python ctypes ABI tests, and (Julia cannot run here)
# the Julia package checked mechanically by check_ccalls.py.
# Octave and ctypes also search over HTTPS: each gets a second local server started with
# --tls (scripts/local-server/start.sh; its URL and CA in $AURORAX_TLS_STATE), and after
# each the server's stats must show HTTP/2.0 requests and no HTTP/1.1 one.
# Every suite's exit status counts as well as its summary line.
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
# A suite's exit status counts too: a crash at exit (a signal, an abort in a destructor, a
# timeout) fails the run even after a clean summary. Status 1 is how a suite that counted
# failures exits, so it adds nothing when the summary already reported them.
exit_status() {  # NAME RC FAILURES_IN_ITS_SUMMARY
  if [ "$2" != 0 ] && { [ "$2" != 1 ] || [ "$3" = 0 ]; }; then
    failed=$((failed + 1)); echo "FAIL $1 exited with status $2"
  fi
}
# After a binding's HTTPS search: the TLS server saw /api/ requests, all over HTTP/2.
expect_http2() {  # NAME STATE
  local stats h1 h2
  stats=$(scripts/local-server/stats.sh "$2") || stats=""
  h1=$(sed -nE 's/.*"HTTP\/1\.1": *([0-9]+).*/\1/p' <<<"$stats")
  h2=$(sed -nE 's/.*"HTTP\/2\.0": *([0-9]+).*/\1/p' <<<"$stats")
  if [ -n "$h1" ] && [ -n "$h2" ] && [ "$h2" -gt 0 ] && [ "$h1" = 0 ]; then
    passed=$((passed + 1)); echo "PASS $1: HTTP/2.0 $h2, HTTP/1.1 $h1 on the TLS server"
  else
    failed=$((failed + 1)); echo "FAIL $1: expected HTTP/2.0 > 0 and HTTP/1.1 = 0 on the TLS server, stats: ${stats:-none}"
  fi
}
failures_in() { local l; l=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -1) || true; l=${l#*, }; echo "${l%% failed}"; }

mkdir -p build/bindings
state=build/bindings/server
tls_state=$root/build/bindings/server-tls   # absolute: the tests read its url and ca.pem
trap 'scripts/local-server/stop.sh "$state"; scripts/local-server/stop.sh "$tls_state"' EXIT
# A fresh HTTPS server (HTTP/2 and HTTP/1.1 by ALPN, its own throwaway CA) for each binding,
# so that each one's HTTP/2 check sees only its own traffic.
start_tls() { scripts/local-server/start.sh "$server" "$tls_state" --tls --search-seconds 0.5; }

echo "== MATLAB gateway under Octave"
mkoctfile --mex -Wall -Wextra -Werror bindings/matlab/aurorax_mex.c -Iinclude -L"$lib" -laurorax \
  -Wl,-rpath,"$lib" -o build/bindings/aurorax_mex.mex
# The gateway's MATLAB branch (UTF-16 text, MException errors) is not what Octave builds:
# compile it too, for syntax and warnings only, against Octave's mex.h with HAVE_OCTAVE
# undefined (mxArrayToUTF8String, MATLAB-only, stands in as mxArrayToString).
mkdir -p build/bindings/matlab-branch
printf '#include "%s"\n#undef HAVE_OCTAVE\n#define mxArrayToUTF8String mxArrayToString\n' \
  "$(mkoctfile -p OCTINCLUDEDIR)/mex.h" \
  > build/bindings/matlab-branch/mex.h
if cc -std=c11 -fsyntax-only -Wall -Wextra -Werror -Ibuild/bindings/matlab-branch $(mkoctfile -p INCFLAGS) -Iinclude \
     bindings/matlab/aurorax_mex.c; then
  passed=$((passed + 1)); echo "PASS the gateway's MATLAB branch compiles (syntax, -Wall -Wextra -Werror)"
else
  failed=$((failed + 1)); echo "FAIL the gateway's MATLAB branch does not compile"
fi
scripts/local-server/start.sh "$server" "$state" --search-seconds 0.5
start_tls
# timeout: a wait that never returns fails the suite (no summary line) instead of hanging it
rc=0
AURORAX_TESTSERVER=$server AURORAX_TLS_STATE=$tls_state scripts/local-server/with-url.sh "$state" \
  timeout -k 10 900 octave --no-gui --no-history --quiet --eval \
  "addpath('build/bindings'); addpath('bindings/matlab'); addpath('bindings/matlab/tests'); run_tests()" \
  2>&1 | tee build/bindings/octave.log || rc=$?
scripts/local-server/stop.sh "$state"
tally build/bindings/octave.log
exit_status octave "$rc" "$(failures_in build/bindings/octave.log)"
expect_http2 "Octave's HTTPS search" "$tls_state"
scripts/local-server/stop.sh "$tls_state"

echo "== Python ctypes"
start_tls
rc=0
AURORAX_LIB=$lib/libaurorax.so AURORAX_TESTSERVER=$server AURORAX_TLS_STATE=$tls_state \
  timeout -k 10 900 python3 -m unittest -v bindings/python/test_ctypes.py > build/bindings/ctypes.log 2>&1 || rc=$?
cat build/bindings/ctypes.log
ran=$(sed -n 's/^Ran \([0-9]*\) tests.*/\1/p' build/bindings/ctypes.log)
bad=$(grep -cE '^(FAIL|ERROR):' build/bindings/ctypes.log || true)
if [ -z "$ran" ]; then failed=$((failed + 1)); echo "the ctypes tests printed no summary"
else passed=$((passed + ran - bad)); failed=$((failed + bad)); fi
exit_status "python ctypes" "$rc" "${bad:-0}"
expect_http2 "ctypes' HTTPS search" "$tls_state"
scripts/local-server/stop.sh "$tls_state"

echo "== Julia package: syntax, ccalls against the header, docstrings, project (Julia itself cannot run here)"
# tree-sitter-julia parses the .jl files; pinned, in a venv of our own. A failed install
# fails the suite (no summary line), it never skips it.
venv=build/bindings/julia-venv
if ! "$venv/bin/python" -c 'import tree_sitter, tree_sitter_julia' 2>/dev/null; then
  python3 -m venv "$venv" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && python3 -m venv "$venv"; }
  "$venv/bin/pip" install -q tree-sitter==0.26.1 tree-sitter-julia==0.23.1 || true
fi
rc=0
"$venv/bin/python" bindings/julia/check_ccalls.py 2>&1 | tee build/bindings/julia.log || rc=$?
tally build/bindings/julia.log
exit_status "the Julia check" "$rc" "$(failures_in build/bindings/julia.log)"

echo "bindings: $passed passed, $failed failed"
[ "$failed" = 0 ]
