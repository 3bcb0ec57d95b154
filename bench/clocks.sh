#!/usr/bin/env bash
# Clock-engine benchmark: seeds N summoned tasks (3 clocks each) whose deadlines fall evenly
# across SPREAD seconds after start = now + LEAD, runs `whistle serve` on loopback until
# start + SPREAD + TAIL, sampling its RSS every second, stops it with SIGTERM, then measures
# firing lag per step from the database with bench/clock_lag.py.
#
# Usage: bash bench/clocks.sh [COUNT] [SPREAD]        (defaults 33334 600 ≈ 100k clocks)
# Environment: CLOCKS_BIN=path (default: the newer of /tmp/wr/release/whistle and
#   .build-release/x86_64-unknown-linux-gnu/release/whistle), CLOCKS_LEAD=90, CLOCKS_TAIL=30,
#   CLOCKS_KEEP_DATA=1 keeps the temp data dir, CLOCKS_OUT=bench/out
# Bounded: the serve phase is killed (SIGKILL) 60 s after SIGTERM if it has not exited;
# the whole run lasts about seed time + LEAD + SPREAD + TAIL.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
COUNT=${1:-33334}
SPREAD=${2:-600}
LEAD=${CLOCKS_LEAD:-90}
TAIL=${CLOCKS_TAIL:-30}
OUT=${CLOCKS_OUT:-bench/out}
for v in COUNT SPREAD LEAD TAIL; do [[ ${!v} =~ ^[0-9]+$ ]] || { echo "clocks.sh: $v must be a whole number" >&2; exit 2; }; done
(( SPREAD >= 1 && SPREAD <= 7200 && LEAD >= 5 && LEAD <= 600 )) || { echo "clocks.sh: SPREAD 1..7200, LEAD 5..600" >&2; exit 2; }

if [[ -n ${CLOCKS_BIN:-} ]]; then BIN=$CLOCKS_BIN
else
  A=.build-release/x86_64-unknown-linux-gnu/release/whistle B=/tmp/wr/release/whistle
  BIN=$A; [[ -x $B && $B -nt $A ]] && BIN=$B
fi
[[ -x $BIN ]] || { echo "clocks.sh: no binary at $BIN" >&2; exit 1; }

mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
DATA=$(mktemp -d /tmp/whistle-clocks.XXXXXX)
RSS="$OUT/clocks-rss-$STAMP.csv"
LOG="$OUT/clocks-serve-$STAMP.log"
REPORT="$OUT/clocks-report-$STAMP.json"
PID=
cleanup() {
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID" 2>/dev/null || true; sleep 2; kill -KILL "$PID" 2>/dev/null || true; fi
  [[ ${CLOCKS_KEEP_DATA:-0} == 1 ]] || rm -rf "$DATA"
}
trap cleanup EXIT
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

export WHISTLE_DATA_DIR=$DATA LOG_LEVEL=warning
unset WHISTLE_CLOCK_FILE WHISTLE_DB_PATH || true
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

log "binary $BIN ($(date -u -r "$BIN" +%FT%TZ)); data $DATA; port $PORT"
START_EPOCH=$(( $(date +%s) + LEAD ))
START_ISO=$(date -u -d "@$START_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
log "seed-clocks --count $COUNT --spread $SPREAD --start $START_ISO"
SEED_T0=$(date +%s.%N)
"$BIN" seed-clocks --count "$COUNT" --spread "$SPREAD" --start "$START_ISO" >&2
SEED_T1=$(date +%s.%N)
NOW=$(date +%s)
(( NOW < START_EPOCH )) || log "WARNING: seeding ended $((NOW - START_EPOCH)) s after start: early steps are already due"
END_EPOCH=$(( START_EPOCH + SPREAD + TAIL ))

log "serve until $(date -u -d "@$END_EPOCH" +%T) ($(( END_EPOCH - NOW )) s)"
WHISTLE_HOST=127.0.0.1 WHISTLE_PORT=$PORT "$BIN" serve >"$LOG" 2>&1 &
PID=$!
SERVE_T0=$(date +%s.%N)
echo "t,epoch,vmrss_kib,vmhwm_kib" >"$RSS"
while (( $(date +%s) < END_EPOCH )); do
  kill -0 "$PID" 2>/dev/null || { log "server exited early"; cat "$LOG" >&2; exit 1; }
  read -r rss hwm < <(awk '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{print r, h}' "/proc/$PID/status" 2>/dev/null || echo "0 0")
  now=$(date +%s.%N)
  printf '%.1f,%s,%s,%s\n' "$(echo "$now - $SERVE_T0" | bc)" "$now" "$rss" "$hwm" >>"$RSS"
  sleep 1
done
HWM=$(awk '/^VmHWM/{print $2}' "/proc/$PID/status")
log "SIGTERM (VmHWM $HWM KiB)"
kill -TERM "$PID"
for _ in $(seq 60); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
kill -0 "$PID" 2>/dev/null && { log "still running after 60 s: SIGKILL"; kill -KILL "$PID"; }
wait "$PID" 2>/dev/null || true
PID=
SERVE_END=$(date +%s.%N)

python3 bench/clock_lag.py "$DATA/whistle.sqlite" --end "$END_EPOCH" --serve-start "$SERVE_T0" --serve-end "$SERVE_END" \
  --rss "$RSS" --hwm "$HWM" --seed-seconds "$(echo "$SEED_T1 - $SEED_T0" | bc)" --json "$REPORT" \
  --meta "bin=$BIN" "count=$COUNT" "spread=$SPREAD" "start=$START_ISO" "lead=$LEAD" "tail=$TAIL"
log "report $REPORT; rss $RSS; log $LOG"
