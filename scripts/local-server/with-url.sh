#!/usr/bin/env bash
# Runs a command with AURORAX_API_URL pointing at the fixture's server.
# Usage: with-url.sh STATE_DIR COMMAND [ARGS...]
set -euo pipefail
state=$1; shift
AURORAX_API_URL=$(cat "$state/url")
export AURORAX_API_URL
exec "$@"
