#!/usr/bin/env bash
# fuzz/run.sh [SECONDS [TARGET...]]
# Builds every fuzz target (cargo fuzz list) and runs each (or the TARGETs named) for SECONDS
# (default 120) from its committed corpus, fuzz/seeds/<target> (a target without one fails
# the run). AddressSanitizer is on. A crash, a failed assertion, a leak or a timeout of one
# input fails the run (non-zero exit); the input is left in fuzz/artifacts/<target>/ and the
# report's key lines are printed. New inputs found go to a temporary directory, not into the seeds.
# Needs the nightly toolchain and cargo-fuzz (scripts/test-all.sh installs cargo-fuzz).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-120}
# Its own target directory: sanitizer flags must not invalidate the normal build.
target_dir=${AURORAX_FUZZ_TARGET_DIR:-$PWD/../target/fuzz}
cargo +nightly fuzz build -O --target-dir "$target_dir"
if (($# > 1)); then targets=("${@:2}"); else mapfile -t targets < <(cargo +nightly fuzz list); fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for target in "${targets[@]}"; do
  echo "== $target ($seconds s)"
  if [ ! -d "seeds/$target" ] || [ -z "$(ls -A "seeds/$target")" ]; then
    echo "no committed corpus in fuzz/seeds/$target"; failed+=("$target"); continue
  fi
  mkdir -p "$scratch/$target"
  log="$scratch/$target.log"
  if cargo +nightly fuzz run -O --target-dir "$target_dir" "$target" "$scratch/$target" "seeds/$target" \
      -- -max_total_time="$seconds" -max_len=4096 -timeout=10 >"$log" 2>&1; then
    grep -E "^Done [0-9]+ runs" "$log" || { echo "no libFuzzer summary"; tail -20 "$log"; failed+=("$target"); }
  else
    grep -E "panicked at|==[0-9]+==ERROR|^SUMMARY|Test unit written|^Base64" -A2 "$log" | head -40
    failed+=("$target")
  fi
done
if ((${#failed[@]})); then
  echo "fuzzing failed: ${failed[*]}"
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, no findings"
