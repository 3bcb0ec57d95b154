#!/usr/bin/env bash
# The sign-in flood of issue 12 against one server, in one run: GET /healthz latency alone,
# then the same while 16 connections post wrong passwords for unknown usernames
# (bench/login.lua), then the flood's own answers (401 vs 429). The ratio of /healthz p50
# under the flood to /healthz p50 alone is the figure for BENCHMARKS.md.
#
# Usage: BENCH_BIN=.build-release/release/whistle bash bench/login-flood.sh
# Settings: BENCH_DURATION=20 (seconds per measurement), BENCH_PORT=18490,
#           BENCH_FLOOD_CONNECTIONS=16, WHISTLE_BCRYPT_COST (default 10, as in production)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${BENCH_BIN:?set BENCH_BIN to a built whistle binary (a release build: swift build -c release --scratch-path .build-release)}
DURATION=${BENCH_DURATION:-20}
PORT=${BENCH_PORT:-18490}
FLOOD=${BENCH_FLOOD_CONNECTIONS:-16}
BASE="http://127.0.0.1:$PORT"
DATA=$(mktemp -d /tmp/whistle-login-flood-XXXXXX)
OUT=bench/out; mkdir -p "$OUT"
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT

WHISTLE_DATA_DIR="$DATA" WHISTLE_PORT=$PORT LOG_LEVEL=error WHISTLE_BCRYPT_COST=${WHISTLE_BCRYPT_COST:-10} \
  "$BIN" serve > "$OUT/login-flood-server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 200); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

healthz() { BENCH_DIR=bench BENCH_COUNT_STATUS=0 wrk -t1 -c1 -d"${DURATION}s" --latency -s bench/healthz.lua "$BASE/healthz" | grep BENCH_RESULT | sed 's/BENCH_RESULT //'; }

echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "healthz alone:        $(healthz)"
BENCH_DIR=bench wrk -t2 -c"$FLOOD" -d"$((DURATION + 4))s" --latency -s bench/login.lua "$BASE/api/v1/auth/login" \
  > "$OUT/login-flood-wrk.txt" 2>&1 &
FLOODER=$!
sleep 2
echo "healthz under flood:  $(healthz)"
wait $FLOODER
echo "the flood's answers:  $(grep BENCH_RESULT "$OUT/login-flood-wrk.txt" | sed 's/BENCH_RESULT //')"
