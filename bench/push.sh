#!/usr/bin/env bash
# The 12345 exchange's push throughput (issue 16): a release build of Whistle on a fresh SQLite
# file, a hotline API key, the category mapping, then in one run:
#   1. GET /healthz                                   (wrk, bench/healthz.lua)
#   2. POST /api/v1/hotline/orders, batches of BENCH_BATCH new orders   (wrk, bench/push.lua)
# then stops the server and checks with sqlite3 that every order answered 201 is an appeal.
#
# Usage: BENCH_BIN=.build-release/release/whistle bash bench/push.sh
#   BENCH_BATCH=100  orders per push     BENCH_CONNECTIONS=4   BENCH_DURATION=15   BENCH_PORT=18490
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${BENCH_BIN:-.build-release/release/whistle}
BATCH=${BENCH_BATCH:-100}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
DURATION=${BENCH_DURATION:-15}
PORT=${BENCH_PORT:-18490}
BASE="http://127.0.0.1:$PORT"
for v in BATCH CONNECTIONS DURATION PORT; do [[ ${!v} =~ ^[0-9]+$ ]] || { echo "push.sh: $v must be a whole number" >&2; exit 2; }; done
(( BATCH >= 1 && BATCH <= 1000 )) || { echo "push.sh: BENCH_BATCH must lie in 1..1000" >&2; exit 2; }
[[ -x $BIN ]] || { echo "push.sh: no executable at $BIN (swift build -c release --scratch-path .build-release --product whistle)" >&2; exit 2; }
command -v wrk >/dev/null && command -v sqlite3 >/dev/null || { echo "push.sh: needs wrk and sqlite3 (apt-get install wrk sqlite3)" >&2; exit 2; }
DATA=$(mktemp -d /tmp/whistle-push-XXXX)
SERVER=""
cleanup() { [[ -n $SERVER ]] && kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
export WHISTLE_DATA_DIR=$DATA WHISTLE_PORT=$PORT WHISTLE_HOST=127.0.0.1 LOG_LEVEL=warning
for what in units people catalogue; do "$BIN" import "$what" "bench/fixtures/$what.csv" >/dev/null; done
printf 'category,item_code,urgency\n' >"$DATA/categories.csv"
for i in $(seq 0 39); do printf 'C%02d,BENCH-01-01,normal\n' "$i" >>"$DATA/categories.csv"; done
"$BIN" replay categories "$DATA/categories.csv" >/dev/null
KEY=$("$BIN" api-key create --name bench-12345 --purpose hotline 2>/dev/null | tail -1)
[[ $KEY == wk_* ]] || { echo "push.sh: no key created" >&2; exit 1; }
"$BIN" serve --env production >"$DATA/server.log" 2>&1 &
SERVER=$!
for i in $(seq 1 100); do curl -s -m 1 -o /dev/null "$BASE/healthz" && break; sleep 0.2; done
echo "== $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
wrk -t2 -c"$CONNECTIONS" -d3s -s bench/healthz.lua "$BASE/healthz" >/dev/null
result() { grep '^BENCH_RESULT' | sed 's/^BENCH_RESULT //'; }
H=$(BENCH_COUNT_STATUS=0 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/healthz.lua "$BASE/healthz" | result)
P=$(WHISTLE_KEY=$KEY BENCH_BATCH=$BATCH wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s -s bench/push.lua "$BASE/api/v1/hotline/orders" | result)
kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
APPEALS=$(sqlite3 "$DATA/whistle.sqlite" "SELECT COUNT(*) FROM appeals")
OUTBOX=$(sqlite3 "$DATA/whistle.sqlite" "SELECT COUNT(*) FROM hotline_orders")
python3 - "$H" "$P" "$BATCH" "$APPEALS" "$OUTBOX" "$CONNECTIONS" <<'PY'
import json, sys
h, p, batch, appeals, keys, conns = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
created = p["status"].get("201", 0)
others = {k: v for k, v in p["status"].items() if k != "201"}
print(f"/healthz       {h['rps']:9.0f} req/s   p50 {h['p50_ms']:.2f} ms  p99 {h['p99_ms']:.2f} ms  ({conns} connections)")
print(f"push ×{batch:<4}     {p['rps']:9.1f} req/s   p50 {p['p50_ms']:.1f} ms  p99 {p['p99_ms']:.1f} ms  "
      f"= {p['rps'] * batch:,.0f} orders/s")
print(f"orders answered 201: {created * batch:,}; appeals in the file: {appeals:,}; order keys: {keys:,}")
# Pushes still in flight when wrk stops are written but not counted: at most one per connection.
if others or not (created * batch <= appeals <= (created + int(conns)) * batch) or appeals != keys:
    print(f"FAILED: other answers {others}, or the file disagrees with the answers"); sys.exit(1)
PY
