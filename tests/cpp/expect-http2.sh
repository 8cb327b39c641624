#!/usr/bin/env bash
# Runs one C++ test case against the HTTPS server in STATE_DIR (with-url.sh gives it the URL
# and the CA), then checks the server's stats (stats.sh): the case's requests came over
# HTTP/2 (ALPN), none over HTTP/1.1.
# Usage: expect-http2.sh STATE_DIR TEST_BINARY CASE
set -euo pipefail
scripts=$(cd "$(dirname "$0")/../../scripts/local-server" && pwd)
state=$1 binary=$2 case=$3
"$scripts/with-url.sh" "$state" "$binary" "$case"
stats=$("$scripts/stats.sh" "$state")
h1=$(sed -nE 's/.*"HTTP\/1\.1": *([0-9]+).*/\1/p' <<<"$stats")
h2=$(sed -nE 's/.*"HTTP\/2\.0": *([0-9]+).*/\1/p' <<<"$stats")
echo "TLS server: HTTP/2.0 ${h2:-?}, HTTP/1.1 ${h1:-?}"
if [ -z "$h1" ] || [ -z "$h2" ] || [ "$h2" -eq 0 ] || [ "$h1" != 0 ]; then
  echo "expected HTTP/2.0 > 0 and HTTP/1.1 = 0; stats: $stats" >&2
  exit 1
fi
