#!/usr/bin/env bash
# Builds libaurorax with cargo and lays out an installable prefix:
#   include/aurorax.h, lib/libaurorax.so.X.Y.Z (+ .so.X, .so links), lib/libaurorax.a,
#   lib/pkgconfig/aurorax.pc, lib/cmake/aurorax/aurorax-config{,-version}.cmake
# Usage: scripts/stage.sh [--profile debug|release] --prefix DIR
# (cargo-c does not fit our toolchain; this is what zenoh-c does: cargo builds, a script stages.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
profile=release
prefix=
while (($#)); do
  case $1 in
    --profile) profile=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    *) echo "usage: $0 [--profile debug|release] --prefix DIR" >&2; exit 2 ;;
  esac
done
[ -n "$prefix" ] || { echo "usage: $0 [--profile debug|release] --prefix DIR" >&2; exit 2; }
case $profile in debug) flag= ;; release) flag=--release ;; *) echo "profile must be debug or release" >&2; exit 2 ;; esac

cd "$root"
cargo build $flag -p aurorax --lib
target=${CARGO_TARGET_DIR:-$root/target}/$profile
version=$(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="aurorax"))')
major=${version%%.*}; rest=${version#*.}; minor=${rest%%.*}
# What the Rust standard library needs when linking libaurorax.a, as
# `cargo rustc --lib --crate-type staticlib -- --print native-static-libs` prints it for
# x86_64-unknown-linux-gnu (asking each time would rebuild the library).
native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/aurorax"
install -m 644 include/aurorax.h "$prefix/include/"
install -m 755 "$target/libaurorax.so" "$prefix/lib/libaurorax.so.$version"
ln -sfn "libaurorax.so.$version" "$prefix/lib/libaurorax.so.$major"
ln -sfn "libaurorax.so.$major" "$prefix/lib/libaurorax.so"
install -m 644 "$target/libaurorax.a" "$prefix/lib/"

fill() {
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" -e "s|@MAJOR@|$major|g" -e "s|@MINOR@|$minor|g" \
      -e "s|@NATIVE_STATIC_LIBS@|$native|g" -e "s|@NATIVE_STATIC_LIBS_CMAKE@|$(echo $native | sed 's/ /;/g')|g" "$1"
}
fill packaging/aurorax.pc.in > "$prefix/lib/pkgconfig/aurorax.pc"
fill packaging/aurorax-config.cmake.in > "$prefix/lib/cmake/aurorax/aurorax-config.cmake"
fill packaging/aurorax-config-version.cmake.in > "$prefix/lib/cmake/aurorax/aurorax-config-version.cmake"
echo "staged libaurorax $version ($profile) in $prefix"
