#!/usr/bin/env bash
# Stops the server started by start.sh (CTest fixture cleanup, scripts).
set -euo pipefail
state=$1
[ -f "$state/pid" ] || exit 0
pid=$(cat "$state/pid")
kill "$pid" 2>/dev/null || true
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
rm -f "$state/pid" "$state/url"
