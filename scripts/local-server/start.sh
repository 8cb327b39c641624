#!/usr/bin/env bash
# Starts the local AuroraX server on a free loopback port and records its URL
# and PID in STATE_DIR. Usage: start.sh SERVER_BINARY STATE_DIR [server flags...]
set -euo pipefail
server=$1 state=$2; shift 2
mkdir -p "$state"
rm -f "$state/url" "$state/pid"
"$server" --listen 127.0.0.1:0 "$@" > "$state/stdout" 2> "$state/stderr" &
echo $! > "$state/pid"
for _ in $(seq 100); do
  if url=$(head -n 1 "$state/stdout" 2>/dev/null) && [ -n "$url" ]; then
    echo "$url" > "$state/url"
    echo "local AuroraX server at $url (pid $(cat "$state/pid"))"
    exit 0
  fi
  kill -0 "$(cat "$state/pid")" 2>/dev/null || { cat "$state/stderr" >&2; exit 1; }
  sleep 0.1
done
echo "the server printed no URL within 10 s" >&2
exit 1
