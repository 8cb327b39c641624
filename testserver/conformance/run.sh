#!/usr/bin/env bash
# Conformance: the released pyaurorax client against aurorax-testserver.
#   AURORAX_VENV_DIR    virtualenv to use or create (default target/pyaurorax-venv)
#   AURORAX_TESTSERVER  server binary (default $CARGO_TARGET_DIR or target, /debug/aurorax-testserver;
#                       built with cargo if missing)
# Three parts: check_pyaurorax.py against a plain-HTTP server (prints "N passed, N failed"),
# the same checks against a second server over HTTPS (scripts/local-server/start.sh --tls:
# https://localhost:PORT with a throwaway CA, which pyaurorax trusts through
# REQUESTS_CA_BUNDLE as a user would; prints its own "N passed, N failed"), then
# soak_pyaurorax.py against the plain server, 100 rounds of search -> wait -> get_data (its
# last line, and this script's, is "soak: N rounds, N failures, X s"; bounded to 10 minutes).
# The exit status is non-zero if any part fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
server=${AURORAX_TESTSERVER:-${CARGO_TARGET_DIR:-target}/debug/aurorax-testserver}
python=$(scripts/pyaurorax-venv.sh)

if [ ! -x "$server" ]; then
    cargo build -q -p aurorax-testserver
fi

state=$(mktemp -d)
tls_state=$(mktemp -d)
trap 'scripts/local-server/stop.sh "$state"; scripts/local-server/stop.sh "$tls_state";
      rm -rf "$state" "$tls_state"' EXIT
if ! scripts/local-server/start.sh "$server" "$state" --search-seconds 0.5; then
    echo "run.sh: the server did not start" >&2; echo "0 passed, 1 failed"; exit 1
fi
url=$(cat "$state/url")

status=0
echo "== pyaurorax over HTTP: $url"
AURORAX_TESTSERVER_URL="$url" timeout 600 "$python" "$here/check_pyaurorax.py" || status=1

echo "== pyaurorax over HTTPS"
if scripts/local-server/start.sh "$server" "$tls_state" --tls --search-seconds 0.5; then
    tls_url=$(cat "$tls_state/url")
    AURORAX_TESTSERVER_URL="$tls_url" REQUESTS_CA_BUNDLE="$tls_state/ca.pem" \
        timeout 600 "$python" "$here/check_pyaurorax.py" || status=1
else
    echo "run.sh: the HTTPS server did not start" >&2; echo "0 passed, 1 failed"; status=1
fi
if ! AURORAX_TESTSERVER_URL="$url" timeout 600 "$python" "$here/soak_pyaurorax.py"; then
    echo "run.sh: the pyaurorax soak FAILED (or ran over 10 minutes)" >&2
    status=1
fi
exit "$status"
