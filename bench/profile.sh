#!/usr/bin/env bash
# Where the time goes: runs the release build (as built by bench/run.sh) on a fresh SQLite
# file and reports
#   1. SQL statements per request, by route (server started with --log trace, one loop and a
#      few intakes sent one at a time; counted by bench/querycount.py); 1b. the same per intake
#      under load (32 in flight), where a group commit's statements are shared;
#   2. fsync / fdatasync / pwrite64 calls per intake request (perf stat on syscall
#      tracepoints, 10 s of wrk intake; needs perf, skipped without it);
#   3. server CPU per intake request, with and without a catalogue item (the item switches
#      on the possible-duplicate check);
#   4. intake latency on one connection (no queueing: the service time).
# Usage: bash bench/profile.sh   (after bench/run.sh has built .build-release; ~1 minute)
# BENCH_BIN overrides the binary; BENCH_PORT (default 18490) the loopback port.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${BENCH_BIN:-$ROOT/.build-release/release/whistle}
PORT=${BENCH_PORT:-18490}
BASE="http://127.0.0.1:$PORT"
OUT=bench/out
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
[[ -x $BIN ]] || { echo "no executable at $BIN: run bench/run.sh first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: run bench/run.sh first (it installs it)" >&2; exit 1; }

DATA=""; PID=""
stop() {
  if [[ -n $PID ]]; then kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; PID=""; fi
}
fresh() {  # fresh NAME [serve args…]: new data dir with the fixtures, server on $PORT, log NAME
  stop
  [[ -n $DATA ]] && rm -rf "$DATA"
  DATA=$(mktemp -d "${TMPDIR:-/tmp}/whistle-profile.XXXXXX")
  export WHISTLE_DATA_DIR=$DATA WHISTLE_PORT=$PORT WHISTLE_HOST=127.0.0.1 WHISTLE_BCRYPT_COST=10
  for what in units people catalogue; do
    timeout 120 "$BIN" import "$what" "bench/fixtures/$what.csv" --env production >/dev/null 2>&1
  done
  local name=$1; shift
  "$BIN" serve --env production "$@" >"$OUT/profile-$name-server-$STAMP.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do curl -s -m 1 -o /dev/null "$BASE/healthz" && return 0; sleep 0.5; done
  echo "server did not start" >&2; exit 1
}
trap 'stop; [[ -n $DATA ]] && rm -rf "$DATA"' EXIT
if curl -s -m 1 -o /dev/null "$BASE/healthz"; then echo "something already answers on $BASE" >&2; exit 1; fi

login() {
  curl -s -m 10 -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"bench.dispatcher","password":"bench-pass-2026"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
item() {
  curl -s -m 10 "$BASE/api/v1/catalogue" -H "Authorization: Bearer $1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])'
}
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

echo "== 1. SQL statements per request (--log trace, requests one at a time)"
fresh queries --log trace
timeout 120 python3 bench/loop.py --base "$BASE" --workers 1 --max-loops 3 --duration 60 --callback >/dev/null
TOKEN=$(login); ITEM=$(item "$TOKEN")
for n in 1 2 3; do
  curl -s -m 10 -o /dev/null -X POST "$BASE/api/v1/appeals" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $TOKEN" -d "{\"channel\":\"hotline12345\",\"appellantName\":\"探针\",\"appellantPhone\":\"13900000000\",\"address\":\"幸福路$n号\",\"description\":\"profile\",\"itemId\":\"$ITEM\",\"lat\":39.9,\"lon\":116.4}"
done
stop
python3 bench/querycount.py "$OUT/profile-queries-server-$STAMP.log"

echo
echo "== 1b. SQL statements per intake under load (--log trace, 5 s of wrk -t2 -c32, with item)"
# The same count with 32 intakes in flight: the write gate stores the intakes that meet in one
# group commit together (one BEGIN/COMMIT, one counter update, one multi-row insert per table),
# so the statements a commit costs are shared. Every statement of the run over every request.
fresh load --log trace
TOKEN=$(login); ITEM=$(item "$TOKEN")
env WHISTLE_TOKEN="$TOKEN" WHISTLE_ITEM="$ITEM" BENCH_DIR=bench timeout 60 wrk -t2 -c32 -d5s -s bench/intake.lua "$BASE" \
  >"$OUT/profile-load-$STAMP.txt"
stop
python3 - "$OUT/profile-load-server-$STAMP.log" "$OUT/profile-load-$STAMP.txt" <<'PY'
import json, re, sys
sys.path.insert(0, "bench")
from querycount import BACKGROUND as background  # the pollers' statements (their BEGIN/COMMIT stay in: a few in 5 s)
heads = statements = commits = 0
for line in open(sys.argv[1], errors="replace"):
    if 'HTTPRequestHead { method: POST, uri: "/api/v1/appeals"' in line:
        heads += 1
    m = re.search(r"Executing query \[.*?sql: (\w+)", line)
    if m and not any(b.search(line) for b in background):
        statements += 1
        commits += m.group(1).upper() == "COMMIT"
r = json.loads(open(sys.argv[2]).read().split("BENCH_RESULT ", 1)[1].splitlines()[0])
print(f"{heads} intakes received ({r['requests']} answered in the measured 5 s), {statements} statements with COMMIT, "
      f"{commits} commits: {statements / max(1, heads):.2f} statements and {heads / max(1, commits):.1f} intakes per commit")
PY

echo
echo "== 2. syscalls per intake request (10 s of wrk -t2 -c32, with item)"
fresh syscalls
TOKEN=$(login); ITEM=$(item "$TOKEN")
# Fill past 50 same-item appeals first, as in run.sh's intake, so the duplicate check is at full cost.
env WHISTLE_TOKEN="$TOKEN" WHISTLE_ITEM="$ITEM" BENCH_DIR=bench timeout 30 wrk -t1 -c4 -d2s -s bench/intake.lua "$BASE" >/dev/null
if command -v perf >/dev/null && perf stat -e syscalls:sys_enter_fsync true >/dev/null 2>&1; then
  perf stat -x, -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync,syscalls:sys_enter_pwrite64 \
    -p "$PID" -o "$OUT/profile-perfstat-$STAMP.txt" -- sleep 11 &
  PERF=$!
  sleep 0.5
else
  PERF=""; echo "(perf with syscall tracepoints unavailable: syscall counts skipped)"
fi
c0=$(cpu)
env WHISTLE_TOKEN="$TOKEN" WHISTLE_ITEM="$ITEM" BENCH_DIR=bench timeout 60 wrk -t2 -c32 -d10s -s bench/intake.lua "$BASE" \
  >"$OUT/profile-intake-$STAMP.txt"
c1=$(cpu)
[[ -n $PERF ]] && wait "$PERF"
REQ=$(grep -o '"requests":[0-9]*' "$OUT/profile-intake-$STAMP.txt" | cut -d: -f2)
TICK=$(getconf CLK_TCK)
echo "intake with item: $REQ requests; server CPU $(python3 -c "print(round(($c1-$c0)/$TICK/$REQ*1000, 2))") ms per request"
if [[ -n $PERF ]]; then
  python3 - "$OUT/profile-perfstat-$STAMP.txt" "$REQ" <<'PY'
import sys
n = int(sys.argv[2])
for line in open(sys.argv[1]):
    parts = line.strip().split(",")
    if len(parts) > 2 and parts[2].startswith("syscalls:"):
        count = int(parts[0]) if parts[0].isdigit() else 0
        print(f"  {parts[2].split(':')[1]:<24}{count:>9}  = {count / n:.2f} per request")
PY
fi

echo
echo "== 3. the same without an item (no duplicate check)"
c0=$(cpu)
env WHISTLE_TOKEN="$TOKEN" WHISTLE_ITEM= BENCH_DIR=bench timeout 60 wrk -t2 -c32 -d10s -s bench/intake.lua "$BASE" \
  >"$OUT/profile-noitem-$STAMP.txt"
c1=$(cpu)
REQ=$(grep -o '"requests":[0-9]*' "$OUT/profile-noitem-$STAMP.txt" | cut -d: -f2)
echo "intake without item: $REQ requests; server CPU $(python3 -c "print(round(($c1-$c0)/$TICK/$REQ*1000, 2))") ms per request"

echo
echo "== 4. intake on one connection (wrk -t1 -c1 -d8s, with item)"
env WHISTLE_TOKEN="$TOKEN" WHISTLE_ITEM="$ITEM" BENCH_DIR=bench timeout 60 wrk -t1 -c1 -d8s -s bench/intake.lua "$BASE" \
  >"$OUT/profile-c1-$STAMP.txt"
python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read().split("BENCH_RESULT ", 1)[1].splitlines()[0])
print("%d requests, %.1f/s, p50 %.2f ms, p99 %.2f ms, non-2xx %d"
      % (r["requests"], r["rps"], r["p50_ms"], r["p99_ms"], r["errors"]["status"]))
' "$OUT/profile-c1-$STAMP.txt"
echo "(machine load meanwhile: loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
