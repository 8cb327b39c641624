#!/usr/bin/env bash
# Conformance: the released pyaurorax client against aurorax-testserver.
#   AURORAX_VENV_DIR    virtualenv to use or create (default target/pyaurorax-venv)
#   AURORAX_TESTSERVER  server binary (default $CARGO_TARGET_DIR or target, /debug/aurorax-testserver;
#                       built with cargo if missing)
# Two parts against one server: check_pyaurorax.py (prints "N passed, N failed"), then
# soak_pyaurorax.py, 100 rounds of search -> wait -> get_data (its last line, and this
# script's, is "soak: N rounds, N failures, X s"; bounded to 4 minutes).
# The exit status is non-zero if either part fails.
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

status=0
AURORAX_TESTSERVER_URL="$url" timeout 600 "$python" "$here/check_pyaurorax.py" || status=1
if ! AURORAX_TESTSERVER_URL="$url" timeout 240 "$python" "$here/soak_pyaurorax.py"; then
    echo "run.sh: the pyaurorax soak FAILED (or ran over 4 minutes)" >&2
    status=1
fi
exit "$status"
