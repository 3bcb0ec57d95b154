#!/usr/bin/env bash
# Metrics benchmark (issue 5): generates 1,000,000 appeals and 200,000 whistles of history
# into a SQLite file (reused if present; METRICS_BENCH_SCALE=0.1 for a tenth), backfills the
# stored days, and times the ranking, the dashboard metrics and page, and the notice for a
# quarter and a year: cold (new connection), right after one new event, and warm.
# Release build, in its own scratch path (see BENCHMARKS.md, section "Metrics").
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-release --product whistle-metrics-bench
.build-release/release/whistle-metrics-bench 2>&1 | grep -E "^(BENCH|generated)|rror"
