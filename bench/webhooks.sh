#!/usr/bin/env bash
# Webhook delivery lag for a burst (issue 12): seeds COUNT tasks with clocks due before
# "now", registers one webhook endpoint (a local receiver, bench/webhook_receiver.py), moves the
# server's clock past every deadline at once and measures, by the receiver's arrival times,
# how many deliveries have arrived 10, 30 and 60 s after the burst and when the last one came.
#
# Usage: BENCH_BIN=.build-release/release/whistle bash bench/webhooks.sh [COUNT]   (default 6000 tasks)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BIN=${BENCH_BIN:?set BENCH_BIN to a built whistle binary}
COUNT=${1:-6000}
PORT=${BENCH_PORT:-18495}
RPORT=${BENCH_RECEIVER_PORT:-18496}
DATA=$(mktemp -d /tmp/whistle-webhooks-XXXXXX)
OUT=bench/out; mkdir -p "$OUT"
ARRIVALS="$DATA/arrivals.txt"; : > "$ARRIVALS"
export WHISTLE_DATA_DIR="$DATA/data" WHISTLE_CLOCK_FILE="$DATA/now.txt" WHISTLE_PORT=$PORT LOG_LEVEL=error WHISTLE_BCRYPT_COST=4
T0=2026-03-02T01:00:00Z
echo "$T0" > "$WHISTLE_CLOCK_FILE"
SERVER= RECEIVER=
trap 'kill $SERVER $RECEIVER 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT

"$BIN" seed-clocks --count "$COUNT" --spread 600 --start "$T0" > "$OUT/webhooks-seed.log" 2>&1
printf 'username,name,phone,password,memberships\nbench-admin,压测管理员,13800000000,password-bench-admin,SEED-D:admin\n' > "$DATA/admin.csv"
"$BIN" import people "$DATA/admin.csv" >/dev/null
python3 bench/webhook_receiver.py "$RPORT" "$ARRIVALS" & RECEIVER=$!
"$BIN" serve > "$OUT/webhooks-server.log" 2>&1 & SERVER=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench-admin","password":"password-bench-admin"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["token"])')
curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/admin/endpoints" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"channel\":\"webhook\",\"url\":\"http://127.0.0.1:$RPORT/hook\",\"secret\":\"bench-secret-0123456789\"}" >/dev/null

# The burst: every deadline (and the first escalation step) is now in the past.
BURST=$(python3 -c 'import time; print(f"{time.time():.6f}")')
echo "2026-03-02T03:00:00Z" > "$WHISTLE_CLOCK_FILE"
echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); tasks seeded: $COUNT"
last=-1; still=0
for i in $(seq 1 600); do
  sleep 1
  n=$(wc -l < "$ARRIVALS")
  if [[ $n == "$last" ]]; then still=$((still + 1)); else still=0; fi
  last=$n
  (( still >= 10 && n > 0 )) && break
done
python3 - "$ARRIVALS" "$BURST" <<'PY'
import sys
times = sorted(float(l.split()[0]) for l in open(sys.argv[1]) if l.strip())
burst = float(sys.argv[2])
lag = [t - burst for t in times]
def by(s): return sum(1 for x in lag if x <= s)
print(f"deliveries: {len(lag)}; arrived by 10 s: {by(10)}, by 30 s: {by(30)}, by 60 s: {by(60)}; "
      f"last after {max(lag):.1f} s; {len(lag) / max(lag):.0f} deliveries/s overall")
PY
