#!/usr/bin/env bash
# Runs the scale benchmark end to end: generates and imports the registers it needs (once; they
# are kept in target/bench-data), measures, and prints a Markdown table per size.
# Usage: scripts/bench.sh [SIZES]   e.g. scripts/bench.sh 10000,100000,1000000
set -euo pipefail
cd "$(dirname "$0")/.."
export ACODESK_BENCH_SIZES="${1:-10000,100000}"
export ACODESK_BENCH_RUNS="${ACODESK_BENCH_RUNS:-5}"
cargo bench --locked --bench scale
echo "results: target/bench-data/results.md"
