#!/usr/bin/env bash
# The columns benchmark of issue 24: from the local server's 20,000-conjunction result
# (156 MB) to columns, in Octave (bindings/matlab/bench_columns.m: get_data('text'),
# 'columns' with nested values as JSON text, 'events') and from C (tests/cpp/bench_columns.c:
# the 7 flat fields). The library is the release build (scripts/stage.sh --profile release);
# each repetition is a fresh search. Usage: bindings/bench-columns.sh [reps]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
reps=${1:-3}
target=${CARGO_TARGET_DIR:-$root/target}
[ -n "${AURORAX_TESTSERVER:-}" ] || cargo build -q --release -p aurorax-testserver
server=${AURORAX_TESTSERVER:-$target/release/aurorax-testserver}
scripts/stage.sh --profile release --prefix build/stage-release >/dev/null
lib=$root/build/stage-release/lib
out=build/bench-columns
mkdir -p "$out"
mkoctfile --mex -O2 bindings/matlab/aurorax_mex.c -Iinclude -L"$lib" -laurorax -Wl,-rpath,"$lib" -o "$out/aurorax_mex.mex"
cc -O2 -Wall -Wextra -Werror tests/cpp/bench_columns.c -Iinclude -L"$lib" -laurorax -Wl,-rpath,"$lib" -lm -o "$out/bench_columns"
state=$out/server
trap 'scripts/local-server/stop.sh "$state"' EXIT
scripts/local-server/start.sh "$server" "$state" --search-seconds 0.1
url=$(cat "$state/url")
curl -sSf -X POST "$url/_testserver/config" -d '{"result_count": 20000}' >/dev/null
echo "== Octave $(octave --version | head -1 | awk '{print $4}')"
AURORAX_API_URL=$url octave --no-gui --no-history --quiet --eval \
  "addpath('$out'); addpath('bindings/matlab'); bench_columns($reps)"
echo "== C"
AURORAX_API_URL=$url "$out/bench_columns" "$reps"
