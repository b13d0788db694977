#!/usr/bin/env bash
# A bounded fuzz run of every target, as CI runs it: seeds the corpora, builds on the
# nightly toolchain, then runs each target for SECONDS (default 20) on one core.
# A crash, a leak or a time-out fails the run and prints the reproducer's path.
#
# Usage: bash fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-20}"

python3 seed_corpus.py
cargo +nightly fuzz build

# No target found would pass without fuzzing anything.
targets=$(cargo +nightly fuzz list)
if [ -z "$targets" ]; then
    echo "fuzz: cargo fuzz list found no target" >&2
    exit 1
fi

failed=0
for target in $targets; do
    mkdir -p "artifacts/$target" target
    log="target/smoke-$target.log"
    marker="target/smoke-$target.start"
    touch "$marker"
    if cargo +nightly fuzz run "$target" -- \
        -max_total_time="$secs" -dict=cookie.dict -timeout=10 -rss_limit_mb=4096 \
        >"$log" 2>&1; then
        runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo '?')
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 || true)
        echo "fuzz $target: ok, $runs runs in ${secs} s, $cov"
    else
        failed=1
        echo "fuzz $target: FAILED"
        tail -n 40 "$log"
        for artifact in $(find "artifacts/$target" -type f -newer "$marker"); do
            echo "fuzz $target: reproducer: $PWD/$artifact"
            echo "fuzz $target: replay with: (cd fuzz && cargo +nightly fuzz run $target $artifact)"
        done
    fi
done
exit "$failed"
