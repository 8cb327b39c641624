#!/usr/bin/env bash
# Starts the local AuroraX server on a free loopback port and records its URL
# and PID in STATE_DIR. Usage: start.sh SERVER_BINARY STATE_DIR [--tls] [server flags...]
# With --tls it serves HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with a throwaway CA made now in
# STATE_DIR/certs: the URL recorded is https://localhost:PORT (the name the certificate is
# checked against) and STATE_DIR/ca.pem is the CA to trust (with-url.sh passes it on).
set -euo pipefail
server=$1 state=$2; shift 2
mkdir -p "$state"
rm -f "$state/url" "$state/pid" "$state/ca.pem"
tls=()
if [ "${1:-}" = --tls ]; then
  shift
  rm -rf "$state/certs"
  "$server" --write-test-certs "$state/certs" >/dev/null
  cp "$state/certs/ca.pem" "$state/ca.pem"
  tls=(--tls-cert "$state/certs/server.pem" --tls-key "$state/certs/server.key")
fi
"$server" --listen 127.0.0.1:0 "${tls[@]}" "$@" > "$state/stdout" 2> "$state/stderr" &
echo $! > "$state/pid"
# up to 300 s: only a hang ends the wait (a server that exits is seen at once)
for _ in $(seq 3000); do
  if url=$(head -n 1 "$state/stdout" 2>/dev/null) && [ -n "$url" ]; then
    # a DNS name, as real users have: the certificate is checked against it
    if [ ${#tls[@]} -gt 0 ]; then url="https://localhost:${url##*:}"; fi
    echo "$url" > "$state/url"
    echo "local AuroraX server at $url (pid $(cat "$state/pid"))"
    exit 0
  fi
  kill -0 "$(cat "$state/pid")" 2>/dev/null || { cat "$state/stderr" >&2; exit 1; }
  sleep 0.1
done
echo "the server printed no URL within 300 s" >&2
exit 1
