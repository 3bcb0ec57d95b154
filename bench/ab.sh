#!/usr/bin/env bash
# Compares release builds on a machine whose speed drifts: each binary in turn, ROUNDS times,
# on a fresh data folder with the bench fixtures; per binary and round, 8 s of GET /healthz and
# 8 s of intake (wrk -t2 -c32, as bench/run.sh) and 8 s of the full loop (32 workers, or
# BENCH_LOOP_WORKERS), with the
# server's CPU per request read from /proc/PID/stat. Compare the CPU columns of neighbouring
# lines; the rates drift with the host.
# Usage: bash bench/ab.sh BIN_A BIN_B [ROUNDS]   (default 3 rounds; ~40 s per binary and round)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
[[ $# -ge 2 ]] || { echo "usage: bash bench/ab.sh BIN_A BIN_B [ROUNDS]" >&2; exit 1; }
ROUNDS=${3:-3}
PORT=${BENCH_PORT:-18492}; BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk missing: run bench/run.sh first (it installs it)" >&2; exit 1; }

one() {  # one BIN LABEL
  local bin=$1 label=$2 data pid token item
  data=$(mktemp -d "${TMPDIR:-/tmp}/whistle-ab.XXXXXX")
  export WHISTLE_DATA_DIR=$data WHISTLE_PORT=$PORT WHISTLE_HOST=127.0.0.1 WHISTLE_BCRYPT_COST=10
  for what in units people catalogue; do "$bin" import "$what" "bench/fixtures/$what.csv" --env production >/dev/null 2>&1; done
  "$bin" serve --env production >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -s -m 1 -o /dev/null "$BASE/healthz" && break; sleep 0.5; done
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  token=$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench.dispatcher","password":"bench-pass-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  item=$(curl -s "$BASE/api/v1/catalogue" -H "Authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  wrk -t2 -c32 -d2s "$BASE/healthz" >/dev/null
  local c0 c1 c2 c3 c4 c5 h i l
  c0=$(cpu); h=$(wrk -t2 -c32 -d8s "$BASE/healthz" | awk '/Requests\/sec/ {print $2}'); c1=$(cpu)
  env WHISTLE_TOKEN="$token" WHISTLE_ITEM="$item" BENCH_DIR=bench wrk -t1 -c4 -d2s -s bench/intake.lua "$BASE" >/dev/null
  c2=$(cpu); i=$(env WHISTLE_TOKEN="$token" WHISTLE_ITEM="$item" BENCH_DIR=bench wrk -t2 -c32 -d8s -s bench/intake.lua "$BASE" | awk '/Requests\/sec/ {print $2}'); c3=$(cpu)
  c4=$(cpu); l=$(python3 bench/loop.py --base "$BASE" --workers "${BENCH_LOOP_WORKERS:-32}" --duration 8 --callback | grep -oE '= [0-9.]+/s' | tail -1 | grep -oE '[0-9.]+'); c5=$(cpu)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  # /proc/PID/stat counts CPU in clock ticks (100 per second).
  python3 -c "
h, i, l = $h, $i, ${l:-0}
t = lambda a, b, rate: (b - a) * 10 / (rate * 8) if rate else float('nan')
print(f'$label  healthz {h:7.0f}/s {t($c0, $c1, h):.3f} ms   intake {i:6.0f}/s {t($c2, $c3, i):.3f} ms ({i / h:.3f})   loop {l:6.1f}/s {t($c4, $c5, l):.3f} ms ({l / h:.3f})')"
}

for round in $(seq 1 "$ROUNDS"); do
  one "$1" A
  one "$2" B
done
