#!/usr/bin/env bash
# Prints the stats JSON of the server started by start.sh (its own CA trusted for --tls).
# Usage: stats.sh STATE_DIR
set -euo pipefail
state=$1
ca=()
[ -f "$state/ca.pem" ] && ca=(--cacert "$state/ca.pem")
curl -sSf "${ca[@]}" "$(cat "$state/url")/_testserver/stats"
