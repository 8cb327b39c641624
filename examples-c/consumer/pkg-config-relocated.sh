#!/usr/bin/env bash
# Installs libaurorax (DESTDIR + prefix), moves the installed tree somewhere it was never
# installed for, and builds and runs the consumer with pkg-config from there, shared and
# static: aurorax.pc finds its prefix from its own directory (${pcfiledir}).
# Usage: pkg-config-relocated.sh BUILD_DIR WORK_DIR SONAME VERSION [CONFIG]
set -euo pipefail
build=$1 work=$2 soname=$3 version=$4 config=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
command -v pkg-config >/dev/null || { echo "pkg-config is needed by this test" >&2; exit 1; }
rm -rf "$work"
DESTDIR="$work/destdir" cmake --install "$build" --prefix /usr/local ${config:+--config "$config"} >/dev/null
mv "$work/destdir/usr/local" "$work/moved"
rm -rf "$work/destdir"
prefix=$work/moved
pc=$(find "$prefix" -name aurorax.pc)
if grep -v '^#' "$pc" | grep -E '(=| -[IL])/'; then echo "absolute path in $pc" >&2; exit 1; fi
export PKG_CONFIG_PATH=$(dirname "$pc")
got=$(readlink -f "$(pkg-config --variable=prefix aurorax)")
[ "$got" = "$(readlink -f "$prefix")" ] || { echo "aurorax.pc resolves its prefix to $got, not $prefix" >&2; exit 1; }
for kind in shared static; do
  "$here/pkg-config-build.sh" "$prefix" "$kind" "$work/$kind" "$soname" "$version"
done
