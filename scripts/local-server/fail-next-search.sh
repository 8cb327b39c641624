#!/usr/bin/env bash
# Asks the local server started by start.sh (admin endpoint) to fail the next search it receives.
# Usage: fail-next-search.sh STATE_DIR
set -euo pipefail
state=$1
ca=()
[ -f "$state/ca.pem" ] && ca=(--cacert "$state/ca.pem")
curl -sSf "${ca[@]}" -X POST "$(cat "$state/url")/_testserver/searches" \
  -H 'Content-Type: application/json' \
  -d '{"outcome": "fail", "count": 1, "message": "Search failed: database timeout (arranged by the example tests)"}'
echo
