#!/usr/bin/env bash
# Ensures a virtualenv with the released Python client (pyaurorax 1.27.0) and prints the path
# of its python. Used by the conformance check and the benchmarks.
#   AURORAX_VENV_DIR   where the virtualenv lives (default target/pyaurorax-venv)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
version=1.27.0
venv=${AURORAX_VENV_DIR:-target/pyaurorax-venv}
# The test command prepares it from two suites at once (conformance, the quick benchmark):
# one makes it while the other waits, instead of both deleting and filling the same directory.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
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
    "$venv/bin/pip" install -q --disable-pip-version-check "pyaurorax==$version" >&2
    echo "pyaurorax-venv.sh: pip install pyaurorax==$version took $(( $(date +%s) - t0 )) s" >&2
fi
echo "$(cd "$venv" && pwd)/bin/python"
