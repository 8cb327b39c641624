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
version=1.27.0
venv=${AURORAX_VENV_DIR:-target/pyaurorax-venv}
server=${AURORAX_TESTSERVER:-${CARGO_TARGET_DIR:-target}/debug/aurorax-testserver}

if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('pyaurorax') != '$version')" 2>/dev/null; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        # Debian's python3 ships without ensurepip until python3-venv is installed
        rm -rf "$venv"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$venv"
    fi
    t0=$(date +%s)
    "$venv/bin/pip" install -q --disable-pip-version-check "pyaurorax==$version"
    echo "run.sh: pip install pyaurorax==$version took $(( $(date +%s) - t0 )) s" >&2
fi

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

AURORAX_TESTSERVER_URL="$url" timeout 600 "$venv/bin/python" "$here/check_pyaurorax.py"
