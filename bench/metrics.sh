#!/usr/bin/env bash
# Metrics benchmark (issue 5): generates 1,000,000 appeals and 200,000 whistles of history
# into a SQLite file (reused if present; METRICS_BENCH_SCALE=0.1 for a tenth) and times the
# ranking, the dashboard metrics and the notice for a quarter and a year, cold and warm.
# Runs inside the test target (debug build unless you pass -c release in SWIFT_TEST_FLAGS).
set -euo pipefail
cd "$(dirname "$0")/.."
METRICS_BENCH=1 swift test ${SWIFT_TEST_FLAGS:-} --filter MetricsBenchmark 2>&1 | grep -E "^(BENCH|generated)|error|failed"
