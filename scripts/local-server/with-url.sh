#!/usr/bin/env bash
# Runs a command with AURORAX_API_URL pointing at the fixture's server, and, for a server
# started with --tls, AURORAX_CA_BUNDLE naming its throwaway CA.
# Usage: with-url.sh STATE_DIR COMMAND [ARGS...]
set -euo pipefail
state=$1; shift
AURORAX_API_URL=$(cat "$state/url")
export AURORAX_API_URL
if [ -f "$state/ca.pem" ]; then
  AURORAX_CA_BUNDLE=$(cd "$state" && pwd)/ca.pem
  export AURORAX_CA_BUNDLE
fi
exec "$@"
