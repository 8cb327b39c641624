#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 120) from the committed seeds, and prints
# libFuzzer's final statistics. Needs cargo-fuzz (cargo install cargo-fuzz); the stable
# toolchain accepts cargo-fuzz's nightly flags with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
for target in query_json query_parts responses; do
  mkdir -p "corpus/$target"
  echo "== $target ($seconds s)"
  cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- -max_total_time="$seconds" -max_len=4096 2>&1 \
    | grep -E "^(#[0-9]+ *DONE|Done|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" || true
done
