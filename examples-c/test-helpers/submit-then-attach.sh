#!/usr/bin/env bash
# The attach example's test: one program submits a search and exits; another attaches to
# it by the printed request id and must find the 7 conjunctions the local server gives for
# submit_only's week. Usage: submit-then-attach.sh SUBMIT_ONLY ATTACH  (AURORAX_API_URL set)
set -euo pipefail
id=$("$1")
echo "submitted $id"
[[ $id =~ ^[0-9a-f-]{36}$ ]] || { echo "not a request id: '$id'" >&2; exit 1; }
out=$("$2" "$id")
echo "$out"
grep -qx "request $id: 7 records" <<<"$out"
# A malformed id is refused before anything is sent.
if "$2" "not-a-request-id" 2>/dev/null; then echo "a malformed id was accepted" >&2; exit 1; fi
