#!/usr/bin/env bash
# The benchmark harness in its quick form, for the test command: every row of BENCHMARKS.md
# filled with small n, no verdict judged. Fails if the harness fails or any row of the table
# it writes (target/BENCHMARKS.quick.md) has an empty cell or a figure that is not a number.
# Needs curl and the pyaurorax virtualenv (scripts/pyaurorax-venv.sh makes it; PyPI once).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
report=$root/target/BENCHMARKS.quick.md
rm -f "$report"
# The debug build the test command has already made: the quick run judges nothing, so a
# release build (minutes of CPU) would buy nothing but speed.
cargo run -q -p aurorax-bench -- --quick >/dev/null
[ -s "$report" ] || { echo "bench/quick.sh: no $report" >&2; exit 1; }
# table rows after the header and its rule
rows=$(awk '/^\| benchmark \|/{t=1; next} t && /^\|---/{next} t && /^\|/{print} t && !/^\|/{t=0}' "$report")
count=$(printf '%s\n' "$rows" | grep -c '^|' || true)
# 2 check_for_data, 6 + 1 loopback lag, 4 HTTPS lag, 3 days, 4 get_data, 2 concurrent,
# 2 whole processes (--version, one search: aurorax beside aurorax-cli)
expected=24
bad=0
if [ "$count" -ne "$expected" ]; then
    echo "bench/quick.sh: $count rows in the table, expected $expected" >&2
    bad=1
fi
while IFS= read -r row; do
    # cells between the outer pipes
    cells=$(printf '%s' "$row" | sed 's/^| //; s/ |$//')
    IFS='|' read -r -a parts <<<"$cells"
    if [ "${#parts[@]}" -ne 5 ]; then
        echo "bench/quick.sh: a row without 5 cells: $row" >&2; bad=1; continue
    fi
    for cell in "${parts[@]}"; do
        if [ -z "$(printf '%s' "$cell" | tr -d ' ')" ]; then
            echo "bench/quick.sh: an empty cell in: $row" >&2; bad=1
        fi
    done
    if printf '%s' "$row" | grep -qiE '(^|[^a-z])(nan|inf)([^a-z]|$)'; then
        echo "bench/quick.sh: a figure that is not a number in: $row" >&2; bad=1
    fi
done <<<"$rows"
[ "$bad" -eq 0 ] || exit 1
echo "bench/quick.sh: $count rows, every one filled ($report)"
