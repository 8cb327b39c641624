#!/usr/bin/env bash
# Builds the consumer with a plain compiler command from pkg-config, then runs it.
# Usage: pkg-config-build.sh PREFIX shared|static OUT_DIR
set -euo pipefail
prefix=$1 kind=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
mkdir -p "$out"
if [ "$kind" = static ]; then
  # --static adds Libs.private; -Wl,-Bstatic picks libaurorax.a over the .so
  cc "$here/main.c" -o "$out/consumer" $(pkg-config --cflags aurorax) \
     -L"$prefix/lib" -Wl,-Bstatic -laurorax -Wl,-Bdynamic $(pkg-config --static --libs-only-l aurorax | sed 's/-laurorax//')
  # (ldd's output is captured first: with pipefail, grep -q closing the pipe early would
  # fail the pipeline on SIGPIPE)
  libs=$(ldd "$out/consumer")
  if grep -q libaurorax <<<"$libs"; then echo "the static build still needs libaurorax.so" >&2; exit 1; fi
else
  cc "$here/main.c" -o "$out/consumer" $(pkg-config --cflags --libs aurorax) -Wl,-rpath,"$prefix/lib"
  libs=$(ldd "$out/consumer")
  grep -q "libaurorax.so.0 => $prefix/lib" <<<"$libs" || { echo "not linked to $prefix/lib: $libs" >&2; exit 1; }
fi
"$out/consumer"
