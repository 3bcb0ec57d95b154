#!/usr/bin/env bash
# Server time per page with the demo district loaded: starts a release `whistle serve --demo`
# on a fresh data directory (seeding a year of history), signs in through the page login form
# with curl for each role, checks each page answers 200 with its content, then measures it
# with wrk (few connections, --latency) and prints p50/p90/p95/p99 and requests per second.
#
#   dashboard    /dashboard        as supervisor            (district supervisor, whole district)
#   console      /console          as dispatcher.liuyin     (street command centre)
#   board        /board            as dispatcher.liuyin
#   inbox        /inbox            as staff.urban.liuyin    (department staff, stationed squad)
#   case page    /whistles/<id>    as dispatcher.liuyin     (the newest whistle on its board)
#   appeal page  /appeals/<id>     as dispatcher.liuyin     (the newest appeal in its queue)
#
# Target (issue 4): p95 ≤ 100 ms per page. Latency is measured by wrk over loopback, so it is
# the server's time plus a negligible local round trip.
#
# Usage: bash bench/pages.sh
# Settings (environment):
#   BENCH_BIN=.build-release/release/whistle   the server binary (built beforehand:
#            swift build -c release --scratch-path .build-release --product whistle)
#   BENCH_DURATION=15        seconds per page               BENCH_CONNECTIONS=1  wrk connections
#   BENCH_PORT=18100         loopback port                  BENCH_KEEP_DATA=1    keep the data dir
#   BENCH_DATA=dir           reuse this data directory (already seeded: skips the two-minute seed)
#   BENCH_PAGES="dashboard console …"   measure only these
#   BENCH_QUERIES=1          afterwards, restart the server with --log trace, fetch each page
#                            three times one at a time and count its SQL statements
#                            (bench/querycount.py); 0 skips this
# Output: the table on stdout, also in bench/out/pages-TIMESTAMP.txt with the server log beside.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BIN=${BENCH_BIN:-.build-release/release/whistle}
DURATION=${BENCH_DURATION:-15}
CONNECTIONS=${BENCH_CONNECTIONS:-1}
PORT=${BENCH_PORT:-18100}
PAGES=${BENCH_PAGES:-"dashboard console board inbox whistle appeal"}
HOST=127.0.0.1
BASE="http://$HOST:$PORT"
PASSWORD=whistle2026
for v in DURATION CONNECTIONS PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "pages.sh: $v must be a whole number" >&2; exit 2; }
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/out
mkdir -p "$OUT"
REPORT="$OUT/pages-$STAMP.txt"
SERVER_LOG="$OUT/pages-server-$STAMP.log"
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

command -v wrk >/dev/null || die "wrk is required (apt-get install -y wrk)"
command -v curl >/dev/null || die "curl is required"
[[ -x $BIN ]] || die "no server binary at $BIN (build it: swift build -c release --scratch-path .build-release --product whistle)"

if [[ -n ${BENCH_DATA:-} ]]; then DATA=$BENCH_DATA; KEEP=1; else DATA=$(mktemp -d /tmp/whistle-pages-XXXXXX); KEEP=${BENCH_KEEP_DATA:-0}; fi
WORK=$(mktemp -d /tmp/whistle-pages-work-XXXXXX)
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  [[ -n $SERVER_PID ]] && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
  if [[ $KEEP == 1 ]]; then log "kept data directory $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- server with the demo district
if curl -s -m 1 -o /dev/null "$BASE/healthz"; then die "something already answers on $BASE"; fi
export WHISTLE_DATA_DIR=$DATA WHISTLE_PORT=$PORT WHISTLE_HOST=$HOST
unset WHISTLE_DB_PATH DATABASE_URL WHISTLE_CLOCK_FILE
log "starting $BIN serve --demo --env production on $BASE (data $DATA; the first start seeds a year of history)"
SEED_START=$SECONDS
"$BIN" serve --demo --env production >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 1200); do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$SERVER_LOG" >&2; die "server exited during start"; }
  curl -s -m 1 -o /dev/null -w '%{http_code}' "$BASE/healthz" 2>/dev/null | grep -q 200 && break
  (( i == 1200 )) && die "server did not answer /healthz within 10 minutes"
  sleep 0.5
done
log "server up (pid $SERVER_PID) after $((SECONDS - SEED_START)) s"

# ---------------------------------------------------------------- sign in through the form
# sign_in USER → prints the session cookie value
sign_in() {
  local jar="$WORK/jar-$1" csrf code
  curl -s -c "$jar" -b "$jar" "$BASE/login" >"$WORK/login-$1.html"
  csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$WORK/login-$1.html" | head -1 | sed 's/.*value="//; s/"$//')
  [[ -n $csrf ]] || die "no CSRF field on /login"
  code=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "username=$1" \
           --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$csrf" "$BASE/login")
  [[ $code == 303 ]] || die "signing in as $1 answered $code, not 303"
  awk '$6 == "whistle_session" { print $7 }' "$jar"
}
DISPATCHER=$(sign_in dispatcher.liuyin)
STAFF=$(sign_in staff.urban.liuyin)
SUPERVISOR=$(sign_in supervisor)
[[ -n $DISPATCHER && -n $STAFF && -n $SUPERVISOR ]] || die "a sign-in set no session cookie"

# fetch SESSION PATH → the body (fails unless 200)
fetch() {
  local code
  code=$(curl -s -o "$WORK/page.html" -w '%{http_code}' -H "Cookie: whistle_session=$1" "$BASE$2")
  [[ $code == 200 ]] || die "GET $2 answered $code"
  cat "$WORK/page.html"
}
WHISTLE=$(fetch "$DISPATCHER" /board | grep -o 'href="/whistles/[0-9A-F-]\{36\}"' | head -1 | sed 's/href="//; s/"$//')
APPEAL=$(fetch "$DISPATCHER" /console | grep -o 'href="/appeals/[0-9A-F-]\{36\}"' | head -1 | sed 's/href="//; s/"$//')
[[ -n $WHISTLE ]] || die "no whistle on the dispatcher's board"
[[ -n $APPEAL ]] || die "no appeal in the dispatcher's queue"

declare -A PATH_OF=([dashboard]=/dashboard [console]=/console [board]=/board [inbox]=/inbox [whistle]=$WHISTLE [appeal]=$APPEAL)
declare -A WHO=([dashboard]=supervisor [console]=dispatcher.liuyin [board]=dispatcher.liuyin [inbox]=staff.urban.liuyin
                [whistle]=dispatcher.liuyin [appeal]=dispatcher.liuyin)
declare -A COOKIE=([dashboard]=$SUPERVISOR [console]=$DISPATCHER [board]=$DISPATCHER [inbox]=$STAFF [whistle]=$DISPATCHER [appeal]=$DISPATCHER)
declare -A MARK=([dashboard]='id="streets"' [console]='id="queue"' [board]='id="board"' [inbox]='id="inbox"'
                 [whistle]='class="responders"' [appeal]='id="timeline"')

# ---------------------------------------------------------------- measure
{
  echo "Whistle pages, demo district; $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "binary $BIN; wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency per page, one warm-up second first"
  printf '%-10s %-20s %-52s %8s %8s %8s %8s %8s %8s %6s %s\n' page user path req/s p50_ms p90_ms p95_ms p99_ms max_ms non200 load1
} | tee "$REPORT"
for page in $PAGES; do
  path=${PATH_OF[$page]:-}; [[ -n $path ]] || die "unknown page $page"
  fetch "${COOKIE[$page]}" "$path" | grep -q "${MARK[$page]}" || die "$path does not show ${MARK[$page]}"
  wrk -t1 -c"$CONNECTIONS" -d1s -H "Cookie: whistle_session=${COOKIE[$page]}" "$BASE$path" >/dev/null 2>&1 || true
  load=$(cut -d' ' -f1 /proc/loadavg)
  result=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/pages.lua -H "Cookie: whistle_session=${COOKIE[$page]}" "$BASE$path" \
           | tee "$OUT/pages-wrk-$page-$STAMP.txt" | grep '^PAGE_RESULT') || die "wrk failed on $path"
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }
  printf '%-10s %-20s %-52s %8s %8s %8s %8s %8s %8s %6s %s\n' "$page" "${WHO[$page]}" "$path" "$(get rps)" "$(get p50_ms)" \
    "$(get p90_ms)" "$(get p95_ms)" "$(get p99_ms)" "$(get max_ms)" "$(get non200)" "$load" | tee -a "$REPORT"
done

# ---------------------------------------------------------------- SQL statements per page
if [[ ${BENCH_QUERIES:-1} == 1 ]]; then
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  TRACE_LOG="$OUT/pages-trace-$STAMP.log"
  "$BIN" serve --env production --log trace >"$TRACE_LOG" 2>&1 &
  SERVER_PID=$!
  for i in $(seq 1 120); do
    curl -s -m 1 -o /dev/null -w '%{http_code}' "$BASE/healthz" 2>/dev/null | grep -q 200 && break
    (( i == 120 )) && die "traced server did not start"
    sleep 0.5
  done
  sleep 1
  for page in $PAGES; do
    for _ in 1 2 3; do fetch "${COOKIE[$page]}" "${PATH_OF[$page]}" >/dev/null; done
  done
  echo "SQL statements per page (server with --log trace, each page fetched three times):" | tee -a "$REPORT"
  python3 bench/querycount.py "$TRACE_LOG" | grep -E '^route|^GET /(dashboard|console|board|inbox|whistles|appeals)|background' | tee -a "$REPORT"
fi
log "report in $REPORT"
