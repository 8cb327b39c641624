#!/usr/bin/env bash
# The seed example end to end, offline: builds libaurorax and the local AuroraX API server,
# installs the library into build/stage, builds the C examples against it, starts the
# server on a free loopback port over HTTPS (a throwaway CA made for the run, passed to the
# library through AURORAX_CA_BUNDLE; HTTP/2 by ALPN, as the real API is reached), runs
# examples-c/seed_check_for_data.c against it, prints the protocol the server saw, and
# stops the server. Installs cmake and g++ with apt-get if they are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
if ((${#missing[@]})); then
  if [ "$(id -u)" != 0 ]; then echo "please install: ${missing[*]}" >&2; exit 1; fi
  echo "installing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "== building libaurorax and the local AuroraX server (cargo, debug profile)"
cargo build -q -p aurorax-testserver
scripts/stage.sh --profile debug --prefix build/stage >/dev/null
echo "== building the C examples against build/stage"
cmake -S examples-c -B build/examples-c -DCMAKE_PREFIX_PATH="$root/build/stage" \
      -DAURORAX_TESTSERVER="${CARGO_TARGET_DIR:-$root/target}/debug/aurorax-testserver" >/dev/null
cmake --build build/examples-c -j 2 --target seed_check_for_data >/dev/null

state=build/example-server
trap 'scripts/local-server/stop.sh "$state"' EXIT
scripts/local-server/start.sh "${CARGO_TARGET_DIR:-$root/target}/debug/aurorax-testserver" "$state" --tls --search-seconds 2
echo "== running the seed search (examples-c/seed_check_for_data.c)"
scripts/local-server/with-url.sh "$state" build/examples-c/seed_check_for_data
echo "== the road taken (the server's counts of /api/ requests by protocol)"
scripts/local-server/stats.sh "$state" | python3 -c 'import json, sys
v = json.load(sys.stdin)["http_versions"]
print("  ".join(f"{k}: {n} requests" for k, n in v.items() if n))'
