#!/usr/bin/env bash
# Builds the consumer with a plain compiler command from pkg-config, runs it, and checks how
# it is linked. Usage: pkg-config-build.sh PREFIX shared|static OUT_DIR SONAME VERSION
set -euo pipefail
prefix=$1 kind=$2 out=$3 soname=$4 version=$5
here=$(cd "$(dirname "$0")" && pwd)
command -v pkg-config >/dev/null || { echo "pkg-config is needed by this test" >&2; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name aurorax.pc -print -quit)")
libdir=$(pkg-config --variable=libdir aurorax)
mkdir -p "$out"
# (ldd's output is captured first: with pipefail, grep -q closing the pipe early would fail
# the pipeline on SIGPIPE)
if [ "$kind" = static ]; then
  # --static adds Libs.private; -Wl,-Bstatic picks libaurorax.a over the .so
  cc "$here/main.c" -o "$out/consumer" $(pkg-config --cflags aurorax) \
     -L"$libdir" -Wl,-Bstatic -laurorax -Wl,-Bdynamic $(pkg-config --static --libs-only-l aurorax | sed 's/-laurorax//')
  libs=$(ldd "$out/consumer")
  if grep -q libaurorax <<<"$libs"; then echo "the static build still needs libaurorax.so: $libs" >&2; exit 1; fi
else
  cc "$here/main.c" -o "$out/consumer" $(pkg-config --cflags --libs aurorax) -Wl,-rpath,"$libdir"
  libs=$(ldd "$out/consumer")
  loaded=$(sed -n "s|^[[:space:]]*$soname => \([^ ]*\) .*|\1|p" <<<"$libs")
  if [ -z "$loaded" ] || [ "$(readlink -f "$loaded")" != "$(readlink -f "$libdir/$soname")" ]; then
    echo "expected $soname from $libdir: $libs" >&2; exit 1
  fi
fi
output=$("$out/consumer")
echo "$output"
grep -q "libaurorax $version (header $version)" <<<"$output" || { echo "not libaurorax $version" >&2; exit 1; }
