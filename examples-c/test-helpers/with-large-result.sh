#!/usr/bin/env bash
# The progress example's test: makes the local server return COUNT records per search for
# the run (about 7.8 KB each), restores it afterwards, and checks the phases the example
# printed: in order, with the download and its bar seen.
# Usage: with-large-result.sh COUNT PROGRESS  (AURORAX_API_URL set; AURORAX_CA_BUNDLE for HTTPS)
set -euo pipefail
count=$1 progress=$2
ca=()
[ -n "${AURORAX_CA_BUNDLE:-}" ] && ca=(--cacert "$AURORAX_CA_BUNDLE")
admin() { curl -sSf "${ca[@]}" --max-time 10 -X POST "$AURORAX_API_URL/_testserver/config" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
admin "{\"result_count\": $count}"
trap 'admin "{\"result_count\": null}"' EXIT
out=$("$progress")
echo "$out"
phases=$(grep '^phase: ' <<<"$out" | cut -d' ' -f2 | tr '\n' ' ')
case $phases in
  "submitting running downloading ready " | "running downloading ready ") ;;
  *) echo "phases out of order or missing: $phases" >&2; exit 1 ;;
esac
grep -q '100%' <<<"$out" || { echo "the bar never reached 100%" >&2; exit 1; }
grep -q "^$count records" <<<"$out" || { echo "expected $count records" >&2; exit 1; }
