#!/usr/bin/env bash
# Reads the local server's counts and fails unless its /api/ requests came over HTTP/2 only.
# Usage: expect-http2.sh STATE_DIR
set -euo pipefail
here=$(dirname "$0")
stats=$("$here/../../scripts/local-server/stats.sh" "$1")
read -r h2 h1 < <(python3 -c 'import json,sys; v=json.load(sys.stdin)["http_versions"]; print(v["HTTP/2.0"], v["HTTP/1.1"])' <<<"$stats")
echo "requests over HTTP/2: $h2, over HTTP/1.1: $h1"
[ "$h2" -gt 0 ] && [ "$h1" -eq 0 ]
