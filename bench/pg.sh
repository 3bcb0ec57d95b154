#!/usr/bin/env bash
# Appeal intake (POST /api/v1/appeals, wrk + bench/intake.lua) and the full loop (appeal →
# whistle with 3 responders → 报到, arrival, completion ×3 → close → rating ×3 → citizen's
# callback; bench/loop.py) in one run on three set-ups:
#   sqlite     one node on a fresh SQLite file
#   pg-1       one node on PostgreSQL (a fresh schema of scripts/pg-test-cluster's database)
#   pg-2       two nodes on the same PostgreSQL schema, the load split evenly between them
# Same binary, same fixtures (bench/fixtures), same total connections. Prints throughput and
# p50/p99 per set-up (for pg-2: the sum of the two nodes' throughput and the worse of their
# percentiles). The loop's p50/p99 are of single requests within loops, and of whole loops.
#
# Usage: BENCH_BIN=.build/release/whistle bash bench/pg.sh     (default: .build/debug/whistle)
# Settings: BENCH_DURATION=15 seconds per measurement, BENCH_CONNECTIONS=16,
# BENCH_LOOP_WORKERS=8 (loop threads in all, split over the nodes), BENCH_PORT=18310
# (and the next port), the cluster's settings (WHISTLE_PG_PORT…, see scripts/pg-test-cluster).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${BENCH_BIN:-.build/debug/whistle}
DURATION=${BENCH_DURATION:-15}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
LOOP_WORKERS=${BENCH_LOOP_WORKERS:-8}
PORT=${BENCH_PORT:-18310}
PASSWORD=bench-pass-2026
[[ -x $BIN ]] || { echo "no executable at $BIN" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is required (apt-get install -y wrk)" >&2; exit 2; }
URL=$(./scripts/pg-test-cluster start)
PSQL=(env PGOPTIONS="-c client_min_messages=warning" psql "$URL" -v ON_ERROR_STOP=1 -qAt)
DATA=$(mktemp -d "${TMPDIR:-/tmp}/whistle-pgbench.XXXXXX")
PIDS=()
stop_nodes() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; PIDS=(); }
trap 'stop_nodes; rm -rf "$DATA"' EXIT
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# setup NAME NODES [postgres]: fresh data, fixtures imported, NODES servers started.
setup() {
  local name=$1 nodes=$2 pg=${3:-}
  export WHISTLE_DATA_DIR="$DATA/$name" WHISTLE_BCRYPT_COST=4 LOG_LEVEL=warning
  unset DATABASE_URL WHISTLE_DB_SCHEMA
  if [[ -n $pg ]]; then
    "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS bench_$name CASCADE; CREATE SCHEMA bench_$name"
    export DATABASE_URL=$URL WHISTLE_DB_SCHEMA=bench_$name
  fi
  for what in units people catalogue; do "$BIN" import "$what" "bench/fixtures/$what.csv" >/dev/null 2>&1; done
  for i in $(seq 0 $((nodes - 1))); do
    WHISTLE_PORT=$((PORT + i)) "$BIN" serve >"$DATA/$name-node$i.log" 2>&1 &
    PIDS+=($!)
  done
  for i in $(seq 0 $((nodes - 1))); do
    for _ in $(seq 1 300); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$((PORT + i))/healthz" && break; sleep 0.2; done
  done
  TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench.dispatcher\",\"password\":\"$PASSWORD\"}" | json token)
  ITEM=$(curl -s "http://127.0.0.1:$PORT/api/v1/catalogue" -H "Authorization: Bearer $TOKEN" \
    | python3 -c 'import json,sys; print(next(i["id"] for i in json.load(sys.stdin)["items"] if i["code"]=="BENCH-01-01"))')
}

# measure NAME NODES: the intake load split over the nodes; one result line.
measure() {
  local name=$1 nodes=$2 per=$((CONNECTIONS / $2)) outs=() wpids=()
  for i in $(seq 0 $((nodes - 1))); do   # warm-up
    WHISTLE_TOKEN=$TOKEN WHISTLE_ITEM=$ITEM BENCH_DIR=bench wrk -t1 -c"$per" -d3s -s bench/intake.lua \
      "http://127.0.0.1:$((PORT + i))" >/dev/null 2>&1 &
    wpids+=($!)
  done
  wait "${wpids[@]}"; wpids=()
  for i in $(seq 0 $((nodes - 1))); do
    WHISTLE_TOKEN=$TOKEN WHISTLE_ITEM=$ITEM BENCH_DIR=bench BENCH_TAG="bench-$name" \
      wrk -t1 -c"$per" -d"${DURATION}s" --timeout 10s --latency -s bench/intake.lua "http://127.0.0.1:$((PORT + i))" \
      >"$DATA/$name-wrk$i.txt" 2>&1 &
    wpids+=($!)
    outs+=("$DATA/$name-wrk$i.txt")
  done
  wait "${wpids[@]}"
  python3 - "$name" "${outs[@]}" <<'PY'
import json, sys
name, files = sys.argv[1], sys.argv[2:]
rs = [json.loads(next(l for l in open(f) if l.startswith("BENCH_RESULT")).split(" ", 1)[1]) for f in files]
rps = sum(r["rps"] for r in rs)
ok = sum(r["status"].get("201", 0) for r in rs); total = sum(r["requests"] for r in rs)
print(f"{name:8} {rps:8.1f} req/s   p50 {max(r['p50_ms'] for r in rs):7.1f} ms   p99 {max(r['p99_ms'] for r in rs):7.1f} ms"
      f"   201: {ok}/{total}")
PY
}

# measure_loop NAME NODES: the full loop, workers split over the nodes; one result line.
measure_loop() {
  local name=$1 nodes=$2 per=$((LOOP_WORKERS / $2)) outs=() lpids=()
  for i in $(seq 0 $((nodes - 1))); do
    python3 bench/loop.py --base "http://127.0.0.1:$((PORT + i))" --workers "$per" --duration "$DURATION" \
      --callback --password "$PASSWORD" --json "$DATA/$name-loop$i.json" >"$DATA/$name-loop$i.txt" 2>&1 &
    lpids+=($!)
    outs+=("$DATA/$name-loop$i.json")
  done
  local failed=0
  for p in "${lpids[@]}"; do wait "$p" || failed=1; done
  if (( failed )); then cat "$DATA/$name"-loop*.txt >&2; echo "full loop failed on $name" >&2; exit 1; fi
  python3 - "$name" "${outs[@]}" <<'PY'
import json, sys
name, files = sys.argv[1], sys.argv[2:]
rs = [json.load(open(f)) for f in files]
print(f"{name:8} {sum(r['loops_per_s'] for r in rs):6.2f} loops/s  {sum(r['requests_per_s'] for r in rs):7.1f} req/s"
      f"   request p50 {max(r['request_p50_ms'] for r in rs):6.1f} ms  p99 {max(r['request_p99_ms'] for r in rs):7.1f} ms"
      f"   loop p50 {max(r['loop_p50_ms'] for r in rs):7.1f} ms  p99 {max(r['loop_p99_ms'] for r in rs):7.1f} ms"
      f"   loops: {sum(r['loops'] for r in rs)}, errors: {sum(r['errors'] for r in rs)}")
PY
}

echo "intake, ${DURATION}s, ${CONNECTIONS} connections in all, binary $BIN, $(nproc) cores, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
setup sqlite 1;      measure sqlite 1; stop_nodes
setup pg1 1 pg;      measure pg-1 1;   stop_nodes
setup pg2 2 pg;      measure pg-2 2;   stop_nodes

echo "full loop, ${DURATION}s, ${LOOP_WORKERS} loop workers in all, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
setup sqlite-loop 1;     measure_loop sqlite 1; stop_nodes
setup pg1loop 1 pg;      measure_loop pg-1 1;   stop_nodes
setup pg2loop 2 pg;      measure_loop pg-2 2;   stop_nodes
