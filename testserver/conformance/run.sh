#!/usr/bin/env bash
# Conformance: the released pyaurorax client against aurorax-testserver.
#   AURORAX_VENV_DIR    virtualenv to use or create (default target/pyaurorax-venv)
#   AURORAX_TESTSERVER  server binary (default $CARGO_TARGET_DIR or target, /debug/aurorax-testserver;
#                       built with cargo if missing)
# The last line printed is "N passed, N failed"; the exit status is non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
server=${AURORAX_TESTSERVER:-${CARGO_TARGET_DIR:-target}/debug/aurorax-testserver}
python=$(scripts/pyaurorax-venv.sh)

if [ ! -x "$server" ]; then
    cargo build -q -p aurorax-testserver
fi

out=$(mktemp)
"$server" --listen 127.0.0.1:0 --search-seconds 0.5 >"$out" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
    [ -s "$out" ] && break
    sleep 0.1
done
url=$(head -n 1 "$out")
case "$url" in
    http://*) ;;
    *) echo "run.sh: server did not print its URL" >&2; echo "0 passed, 1 failed"; exit 1 ;;
esac

AURORAX_TESTSERVER_URL="$url" timeout 600 "$python" "$here/check_pyaurorax.py"
