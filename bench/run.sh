#!/usr/bin/env bash
# Benchmarks a release build of Whistle on a fresh SQLite file, in one run:
#   1. GET /healthz throughput                                   (wrk, bench/healthz.lua)
#   2. appeal intake, POST /api/v1/appeals: throughput, p50/p99   (wrk, bench/intake.lua)
#   3. the full loop per second: appeal → whistle with 3 responders → acknowledge, arrive,
#      complete ×3 → close (verifies) → rate ×3 → public callback  (wrk, bench/loop.lua, with
#      the same wrk options as 1 and 2, so all three ratios compare one client at one
#      concurrency; BENCH_LOOP_CLIENT=python drives it with bench/loop.py instead, the
#      client of the figures before 2026-12-08)
#   plus a diagnostic: intake without a catalogue item, which skips the item lookup and the
#   possible-duplicate check (shows what that check costs)
# then stops the server and checks with sqlite3 that every answered write is in the file.
#
# Usage: bash bench/run.sh   (from anywhere; 88 s measured with the build up to date)
# Settings (environment):
#   BENCH_DURATION=20        seconds per wrk measurement       BENCH_THREADS=2  wrk threads
#   BENCH_CONNECTIONS=32     wrk connections (the wrk loop keeps one loop going per connection)
#   BENCH_LOOP_DURATION=20   seconds of the loop measurement
#   BENCH_LOOP_CLIENT=wrk    wrk (bench/loop.lua) or python (bench/loop.py, BENCH_LOOP_WORKERS=32
#                            workers, as many as wrk has connections)
#   BENCH_PORT=18480         loopback port for the server
#   BENCH_REF=commit         build that commit (exported with git archive into .build-bench-src)
#                            instead of a copy of the working tree, e.g. BENCH_REF=HEAD to
#                            measure exactly the last commit; same .build-release scratch path
#   BENCH_BIN=path           use this binary instead of building (e.g. .build/debug/whistle)
#   BENCH_KEEP_DATA=1        keep the temporary data directory
#   BENCH_DIAG_DURATION=10   seconds for the no-item intake diagnostic; 0 skips it
#   BENCH_WAIT_QUIET=600     before measuring, wait up to this many seconds for the machine
#                            to be quiet (other processes using < 0.3 cores); 0 = don't wait
# Output: a summary on stdout, also in bench/out/summary-TIMESTAMP.{txt,json} and
# bench/out/latest.txt, with the server log and raw tool output beside them.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION=${BENCH_DURATION:-20}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
LOOP_WORKERS=${BENCH_LOOP_WORKERS:-32}
LOOP_DURATION=${BENCH_LOOP_DURATION:-$DURATION}
LOOP_CLIENT=${BENCH_LOOP_CLIENT:-wrk}
[[ $LOOP_CLIENT == wrk || $LOOP_CLIENT == python ]] || { echo "run.sh: BENCH_LOOP_CLIENT must be wrk or python" >&2; exit 2; }
DIAG_DURATION=${BENCH_DIAG_DURATION:-10}
PORT=${BENCH_PORT:-18480}
HOST=127.0.0.1
BASE="http://$HOST:$PORT"
PASSWORD=bench-pass-2026
SCRATCH=.build-release

for v in DURATION THREADS CONNECTIONS LOOP_WORKERS LOOP_DURATION DIAG_DURATION PORT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "run.sh: $v must be a whole number" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 600 && LOOP_DURATION >= 1 && LOOP_DURATION <= 600 && DIAG_DURATION <= 600 )) \
  || { echo "run.sh: durations must lie in 1..600 s" >&2; exit 2; }
(( CONNECTIONS >= THREADS && CONNECTIONS <= 1000 && LOOP_WORKERS >= 1 && LOOP_WORKERS <= 256 )) \
  || { echo "run.sh: connections must be ≥ threads and ≤ 1000; loop workers 1..256" >&2; exit 2; }

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/out
mkdir -p "$OUT"
LOG="$OUT/run-$STAMP.log"
START_TIME=$SECONDS

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------- tools
need_apt() {  # need_apt COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (no $1 on PATH)"
  local sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo -n"
  timeout 600 $sudo apt-get update -qq >>"$LOG" 2>&1 || die "apt-get update failed (see $LOG)"
  timeout 600 $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >>"$LOG" 2>&1 \
    || die "apt-get install $2 failed (see $LOG)"
  command -v "$1" >/dev/null 2>&1 || die "$1 still missing after installing $2"
}
need_apt wrk wrk
need_apt sqlite3 sqlite3
need_apt curl curl
command -v python3 >/dev/null 2>&1 || die "python3 is required"

# ---------------------------------------------------------------- build
# The release build compiles a copy of the sources in .build-bench-src (git-ignored), never
# the live tree: edits made while the compiler runs ("input file … was modified during the
# build") then cannot break or skew it. The copy keeps unchanged files untouched, so later
# builds are incremental; the scratch path .build-release never locks the main .build.
BUILD_SECONDS=0
PACKAGE="$ROOT/.build-bench-src"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null | wc -l)
if [[ -n ${BENCH_BIN:-} ]]; then
  BIN=$BENCH_BIN
  log "using BENCH_BIN=$BIN (no build)"
else
  if [[ -n ${BENCH_REF:-} ]]; then
    COMMIT=$(git -C "$ROOT" rev-parse --short "$BENCH_REF^{commit}") || die "unknown BENCH_REF $BENCH_REF"
    DIRTY=0
    log "exporting commit $COMMIT into $PACKAGE"
    rm -rf "$PACKAGE" && mkdir -p "$PACKAGE"
    git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$PACKAGE" \
      || die "git archive $COMMIT failed"
    # Package.resolved is not tracked: pin the same dependency versions as the working tree.
    [[ -f $ROOT/Package.resolved ]] && cp "$ROOT/Package.resolved" "$PACKAGE/"
    # SwiftPM refuses a manifest whose target directories are missing, even for targets this
    # build does not compile: give test targets the commit lacks an empty placeholder.
    for name in $(grep -o 'testTarget(name: *"[^"]*"' "$PACKAGE/Package.swift" | sed 's/.*"\(.*\)"/\1/'); do
      if [[ ! -d $PACKAGE/Tests/$name ]]; then
        log "commit $COMMIT lacks Tests/$name (named in Package.swift); adding an empty placeholder"
        mkdir -p "$PACKAGE/Tests/$name" && echo "// placeholder added by bench/run.sh" >"$PACKAGE/Tests/$name/Placeholder.swift"
      fi
    done
  else
    log "copying the working tree (commit $COMMIT + $DIRTY changed source paths) into $PACKAGE"
    [[ -f $PACKAGE/.bench-ref ]] && rm -rf "$PACKAGE"   # left by a BENCH_REF export
    python3 - "$ROOT" "$PACKAGE" <<'PY' || die "copying the sources failed"
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
want = set()
for top in ["Package.swift", "Package.resolved", "Sources", "Tests", "bench/MetricsBench"]:
    base = os.path.join(src, top)
    paths = [base] if os.path.isfile(base) else [os.path.join(d, f) for d, _, fs in os.walk(base) for f in fs]
    for path in paths:
        rel = os.path.relpath(path, src)
        want.add(rel)
        out = os.path.join(dst, rel)
        st = os.stat(path)
        try:
            o = os.stat(out)
            if (o.st_size, o.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
                continue
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(out), exist_ok=True)
        shutil.copy2(path, out + ".tmp")
        os.replace(out + ".tmp", out)
for d, _, fs in os.walk(dst):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), dst)
        if rel not in want:
            os.remove(os.path.join(dst, rel))
PY
  fi
  [[ -n ${BENCH_REF:-} ]] && echo "$COMMIT" >"$PACKAGE/.bench-ref"
  BIN="$ROOT/$SCRATCH/release/whistle"
  log "building: swift build -c release --product whistle --package-path $PACKAGE --scratch-path $SCRATCH (log: $OUT/build-$STAMP.log)"
  t0=$SECONDS
  if ! timeout 3600 swift build -c release --product whistle --package-path "$PACKAGE" --scratch-path "$ROOT/$SCRATCH" \
      >"$OUT/build-$STAMP.log" 2>&1; then
    tail -30 "$OUT/build-$STAMP.log" >&2
    die "release build failed (see $OUT/build-$STAMP.log)"
  fi
  BUILD_SECONDS=$((SECONDS - t0))
  log "build done in ${BUILD_SECONDS}s (commit $COMMIT$( ((DIRTY)) && echo " + $DIRTY uncommitted source files"))"
fi
[[ -x $BIN ]] || die "no executable at $BIN"

# ---------------------------------------------------------------- fresh data directory
DATA=$(mktemp -d "${TMPDIR:-/tmp}/whistle-bench.XXXXXX")
DB="$DATA/whistle.sqlite"
SERVER_PID=""
SERVER_LOG="$OUT/server-$STAMP.log"

stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
      log "server $SERVER_PID did not stop within 10 s; killing it"
      kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  if [[ ${BENCH_KEEP_DATA:-0} == 1 ]]; then log "kept data directory $DATA"; else rm -rf "$DATA"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export WHISTLE_DATA_DIR=$DATA WHISTLE_PORT=$PORT WHISTLE_HOST=$HOST WHISTLE_BCRYPT_COST=10
# /metrics is read around the loop: how busy the single writer was (its transactions' time).
METRICS_TOKEN=bench-metrics-$RANDOM$RANDOM$RANDOM
export WHISTLE_METRICS_TOKEN=$METRICS_TOKEN
unset WHISTLE_DB_PATH DATABASE_URL

log "data directory $DATA; importing bench/fixtures"
for what in units people catalogue; do
  timeout 120 "$BIN" import "$what" "bench/fixtures/$what.csv" --env production >>"$LOG" 2>&1 \
    || die "import $what failed (see $LOG)"
done

# ---------------------------------------------------------------- server
if curl -s -m 1 -o /dev/null "$BASE/healthz"; then die "something already answers on $BASE"; fi
log "starting $BIN serve --env production on $BASE"
"$BIN" serve --env production >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$SERVER_LOG" >&2; die "server exited during start"; }
  curl -s -m 1 -o /dev/null -w '%{http_code}' "$BASE/healthz" 2>/dev/null | grep -q 200 && break
  (( i == 120 )) && die "server did not answer /healthz within 60 s"
  sleep 0.5
done
log "server up (pid $SERVER_PID)"

json_field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get(sys.argv[1]) or "")' "$1"; }

TOKEN=$(curl -s -m 10 -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench.dispatcher\",\"password\":\"$PASSWORD\"}" | json_field token) || true
[[ -n $TOKEN ]] || die "could not log in as bench.dispatcher"
ITEM=$(curl -s -m 10 "$BASE/api/v1/catalogue" -H "Authorization: Bearer $TOKEN" \
  | python3 -c 'import json,sys; print(next(i["id"] for i in json.load(sys.stdin)["items"] if i["code"]=="BENCH-01-01"))') \
  || die "catalogue item BENCH-01-01 not found"

# One probe appeal: the request intake.lua sends must be accepted, with the item attached.
PROBE_BODY="{\"channel\":\"hotline12345\",\"appellantName\":\"探针\",\"appellantPhone\":\"13900000000\",\"address\":\"基准街道幸福路1号\",\"description\":\"bench-probe\",\"itemId\":\"$ITEM\",\"urgency\":\"urgent\",\"lat\":39.9,\"lon\":116.4}"
PROBE=$(curl -s -m 10 -w '\n%{http_code}' -X POST "$BASE/api/v1/appeals" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $TOKEN" -d "$PROBE_BODY")
[[ ${PROBE##*$'\n'} == 201 ]] || die "probe appeal answered ${PROBE##*$'\n'}: ${PROBE%$'\n'*}"
[[ $(printf '%s' "${PROBE%$'\n'*}" | json_field itemId) == "$ITEM" ]] || die "probe appeal lost its item: ${PROBE%$'\n'*}"

# ---------------------------------------------------------------- measurements
busy_cores() {  # CPU the whole machine uses over 2 s, in cores (the server idles meanwhile)
  python3 -c '
import os, time
def busy():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return sum(f) - f[3] - f[4]
a = busy(); time.sleep(2); print(round((busy() - a) / os.sysconf("SC_CLK_TCK") / 2, 2))'
}
QUIET_WAIT=${BENCH_WAIT_QUIET:-0}
BUSY_BEFORE=$(busy_cores)
if (( QUIET_WAIT > 0 )); then
  waited=0
  while python3 -c "import sys; sys.exit(0 if float('$BUSY_BEFORE') >= 0.3 else 1)" && (( waited < QUIET_WAIT )); do
    log "machine busy (${BUSY_BEFORE} cores used by other processes); waiting for quiet"
    sleep 10; waited=$((waited + 12)); BUSY_BEFORE=$(busy_cores)
  done
fi
log "machine load before measuring: ${BUSY_BEFORE} cores busy; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
export BUSY_BEFORE

WRK_OPTS=(-t"$THREADS" -c"$CONNECTIONS" --timeout 10s --latency)
run_wrk() {  # run_wrk NAME SCRIPT URL DURATION  → raw output in $OUT/NAME-$STAMP.txt
  local name=$1 script=$2 url=$3 secs=$4
  timeout $((secs + 60)) python3 bench/cpuwatch.py --pid "$SERVER_PID" --json "$OUT/$name-cpu-$STAMP.json" -- \
    env BENCH_DIR=bench wrk "${WRK_OPTS[@]}" -d"${secs}s" -s "$script" "$url" \
    >"$OUT/$name-$STAMP.txt" 2>&1 || { cat "$OUT/$name-$STAMP.txt" >&2; die "wrk $name failed"; }
  grep '^BENCH_RESULT ' "$OUT/$name-$STAMP.txt" | tail -1 | cut -d' ' -f2- >"$OUT/$name-$STAMP.json" \
    || die "wrk $name printed no BENCH_RESULT line"
}
check_wrk() {  # check_wrk NAME EXPECTED_STATUS(or "") — any failed request fails the run
  python3 - "$OUT/$1-$STAMP.json" "$2" <<'PY' || die "$1: requests failed (see $OUT/$1-$STAMP.txt)"
import json, sys
r = json.load(open(sys.argv[1])); want = sys.argv[2]
bad = {k: v for k, v in r["errors"].items() if v}
if r["status_counted"]:
    other = {k: v for k, v in r["status"].items() if k != want}
    if other: bad["statuses"] = other
    if sum(r["status"].values()) != r["requests"]: bad["uncounted"] = r["requests"] - sum(r["status"].values())
if r["requests"] == 0: bad["requests"] = 0
if bad:
    print(f"{sys.argv[1]}: {bad}; first error: {r.get('first_error')}", file=sys.stderr); sys.exit(1)
PY
}

log "healthz: warm-up 3 s"
run_wrk healthz-warmup bench/healthz.lua "$BASE/healthz" 3
log "healthz: wrk ${WRK_OPTS[*]} -d${DURATION}s"
BENCH_COUNT_STATUS=0 run_wrk healthz bench/healthz.lua "$BASE/healthz" "$DURATION"
check_wrk healthz ""

log "intake: wrk ${WRK_OPTS[*]} -d${DURATION}s POST /api/v1/appeals"
WHISTLE_TOKEN=$TOKEN WHISTLE_ITEM=$ITEM BENCH_TAG=bench-intake BENCH_IDS_FILE="$OUT/intake-ids-$STAMP.txt" \
  run_wrk intake bench/intake.lua "$BASE" "$DURATION"
check_wrk intake 201

if (( DIAG_DURATION > 0 )); then
  log "diagnostic: intake without an item (no duplicate check), wrk ${WRK_OPTS[*]} -d${DIAG_DURATION}s"
  WHISTLE_TOKEN=$TOKEN WHISTLE_ITEM= BENCH_TAG=bench-noitem BENCH_IDS_FILE="$OUT/noitem-ids-$STAMP.txt" \
    run_wrk noitem bench/intake.lua "$BASE" "$DIAG_DURATION"
  check_wrk noitem 201
fi

# The write gate's transaction time and batch count so far (whistle_write_commit_seconds).
writer_time() {
  curl -s -m 10 -H "Authorization: Bearer $METRICS_TOKEN" "$BASE/metrics" \
    | awk '/^whistle_write_commit_seconds_sum/ {s=$2} /^whistle_write_commit_seconds_count/ {n=$2} END {print s+0, n+0}'
}
read -r WRITER_S0 WRITER_N0 < <(writer_time)
LOOP_T0=$(date +%s.%N)
if [[ $LOOP_CLIENT == wrk ]]; then
  # The three responding units of the bench fixtures and a token of a member of each.
  RESPONDERS=$(python3 - "$BASE" "$TOKEN" "$PASSWORD" <<'PY'
import json, sys, urllib.request
base, token, password = sys.argv[1:4]
def call(path, body=None, auth=None):
    headers = {"Content-Type": "application/json"}
    if auth: headers["Authorization"] = "Bearer " + auth
    data = json.dumps(body).encode() if body is not None else None
    return json.load(urllib.request.urlopen(urllib.request.Request(base + path, data=data, headers=headers), timeout=10))
units = {u["code"]: u["id"] for u in call("/api/v1/units", auth=token)}
print(",".join(units[code] + "=" + call("/api/v1/auth/login", {"username": user, "password": password})["token"]
               for code, user in [("BD-URBAN-S1", "bench.urban"), ("BD-MARKET", "bench.market"), ("BD-HOUSING", "bench.housing")]))
PY
  ) || die "could not log in the three responders"
  log "full loop: wrk ${WRK_OPTS[*]} -d${LOOP_DURATION}s (with the public callback)"
  WHISTLE_TOKEN=$TOKEN WHISTLE_ITEM=$ITEM WHISTLE_RESPONDERS=$RESPONDERS \
    run_wrk loop bench/loop.lua "$BASE" "$LOOP_DURATION"
  python3 - "$OUT/loop-$STAMP.json" <<'PY' || die "full loop: requests failed (see $OUT/loop-$STAMP.txt)"
import json, sys
r = json.load(open(sys.argv[1]))
if r["errors"] or r["loops"] == 0:
    print(f"{sys.argv[1]}: {r['errors']} failed, {r['loops']} loops; first error: {r.get('first_error')}", file=sys.stderr); sys.exit(1)
PY
else
  log "full loop: loop.py, $LOOP_WORKERS workers for ${LOOP_DURATION}s (with the public callback)"
  timeout $((LOOP_DURATION + 180)) python3 bench/cpuwatch.py --pid "$SERVER_PID" --json "$OUT/loop-cpu-$STAMP.json" -- \
    python3 bench/loop.py --base "$BASE" --workers "$LOOP_WORKERS" \
    --duration "$LOOP_DURATION" --callback --password "$PASSWORD" --json "$OUT/loop-$STAMP.json" \
    >"$OUT/loop-$STAMP.txt" 2>&1 || { cat "$OUT/loop-$STAMP.txt" >&2; die "full loop failed"; }
fi
read -r WRITER_S1 WRITER_N1 < <(writer_time)
# Share of the loop's wall time the writer spent in transactions, and its batches.
WRITER_BUSY=$(python3 -c "print(round(($WRITER_S1 - $WRITER_S0) / ($(date +%s.%N) - $LOOP_T0), 3))")
WRITER_BATCHES=$(python3 -c "print(int($WRITER_N1 - $WRITER_N0))")
export WRITER_BUSY WRITER_BATCHES

log "stopping the server"
stop_server
grep -qiE 'fatal|critical' "$SERVER_LOG" && log "warning: the server log has fatal/critical lines ($SERVER_LOG)"

# ---------------------------------------------------------------- durability
log "checking rows in $DB"
q() { sqlite3 -batch -noheader "$DB" "$1"; }
# Every id wrk saw answered 201 must be a row; rows beyond those are requests that were in
# flight when wrk stopped counting (at most one per connection).
ids_check() {  # ids_check TAG IDS_FILE → "answered found rows"
  python3 - "$DB" "$1" "$2" <<'PY'
import os, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = {str(r[0]).lower() for r in db.execute("SELECT id FROM appeals WHERE description LIKE ? || ' %'", (sys.argv[2],))}
ids = [l.strip().lower() for l in open(sys.argv[3])] if os.path.exists(sys.argv[3]) else []
ids = [i for i in ids if i]
print(len(ids), sum(1 for i in ids if i in rows), len(rows))
PY
}
read -r IDS_ANSWERED IDS_FOUND DB_INTAKE < <(ids_check bench-intake "$OUT/intake-ids-$STAMP.txt")
read -r NOITEM_ANSWERED NOITEM_FOUND DB_NOITEM < <(ids_check bench-noitem "$OUT/noitem-ids-$STAMP.txt")
DB_LOOP_APPEALS=$(q "SELECT count(*) FROM appeals WHERE description LIKE 'bench-loop%';")
DB_LOOP_WHISTLES=$(q "SELECT count(*) FROM whistles w JOIN appeals a ON a.id = w.appeal_id WHERE a.description LIKE 'bench-loop%';")
DB_LOOP_CLOSED=$(q "SELECT count(*) FROM appeals WHERE description LIKE 'bench-loop%' AND state = 'closed';")
DB_APPEALS=$(q "SELECT count(*) FROM appeals;")
DB_WHISTLES_CLOSED=$(q "SELECT count(*) FROM whistles WHERE state = 'closed';")
DB_WHISTLES=$(q "SELECT count(*) FROM whistles;")
DB_TASKS_VERIFIED=$(q "SELECT count(*) FROM tasks WHERE state = 'verified';")
DB_RATINGS=$(q "SELECT count(*) FROM ratings;")
DB_EVENTS=$(q "SELECT count(*) FROM events;")
DB_JOURNAL=$(q "PRAGMA journal_mode;")
DB_BYTES=$(stat -c %s "$DB")
WAL_BYTES=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)

# ---------------------------------------------------------------- machine and summary
CPU_MODEL=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM=$(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
DISK=$(df -hT "$DATA" | awk 'NR==2 {print $1 " (" $2 ", " $3 " total)"}')
DISK_DEV=$(lsblk -dno NAME,ROTA,MODEL 2>/dev/null | awk '{printf "%s%s rota=%s %s", (NR>1?"; ":""), $1, $2, $3}' || true)
TOTAL_SECONDS=$((SECONDS - START_TIME))

export NOITEM_ANSWERED NOITEM_FOUND DB_NOITEM DIAG_DURATION IDS_ANSWERED IDS_FOUND STAMP OUT THREADS CONNECTIONS DURATION LOOP_WORKERS LOOP_DURATION BUILD_SECONDS TOTAL_SECONDS \
  DB_INTAKE DB_LOOP_APPEALS DB_LOOP_WHISTLES DB_LOOP_CLOSED DB_APPEALS DB_WHISTLES DB_WHISTLES_CLOSED DB_TASKS_VERIFIED \
  DB_RATINGS DB_EVENTS DB_JOURNAL DB_BYTES WAL_BYTES CPU_MODEL MEM DISK DISK_DEV BIN
export BENCH_NPROC=$(nproc) BENCH_KERNEL=$(uname -sr) BENCH_DATE=$(date -u) \
  BENCH_COMMIT=$COMMIT BENCH_DIRTY=$DIRTY

RC=0
python3 - <<'PY' >"$OUT/summary-$STAMP.txt" || RC=$?
import json, os, sys
e = os.environ; out, st = e["OUT"], e["STAMP"]
h = json.load(open(f"{out}/healthz-{st}.json"))
i = json.load(open(f"{out}/intake-{st}.json"))
l = json.load(open(f"{out}/loop-{st}.json"))
n201 = i["status"].get("201", 0)
loops = l["loops"]
checks = [
    ("intake: ids answered 201 (as wrk counted them)", int(e["IDS_ANSWERED"]), n201),
    ("intake: of those ids, rows in the file", int(e["IDS_FOUND"]), n201),
]
cmax = int(e["CONNECTIONS"])
# Rows of a step the client saw answered, and up to one more per connection: wrk stops at its
# deadline with up to -c requests in flight, which the server may still commit.
ranges = []
if l.get("client") == "wrk":
    st_ = {k: v["count"] for k, v in l["steps"].items()}
    ranges = [
        ("loop appeals in the file", int(e["DB_LOOP_APPEALS"]), st_.get("appeal", 0)),
        ("loop whistles in the file", int(e["DB_LOOP_WHISTLES"]), st_.get("whistle", 0)),
        ("whistles closed", int(e["DB_WHISTLES_CLOSED"]), st_.get("close", 0)),
        ("ratings", int(e["DB_RATINGS"]), st_.get("rating", 0)),
        ("loop appeals closed by the callback", int(e["DB_LOOP_CLOSED"]), loops),
    ]
    checks += [("tasks verified = 3 × whistles closed", int(e["DB_TASKS_VERIFIED"]), 3 * int(e["DB_WHISTLES_CLOSED"])),
               ("all appeals = probe + intake rows + no-item rows + loop appeal rows", int(e["DB_APPEALS"]),
                1 + int(e["DB_INTAKE"]) + int(e["DB_NOITEM"]) + int(e["DB_LOOP_APPEALS"]))]
else:
    checks += [
        ("loop appeals in the file = completed loops", int(e["DB_LOOP_APPEALS"]), loops),
        ("loop appeals closed by the callback", int(e["DB_LOOP_CLOSED"]), loops),
        ("all appeals = probe + intake rows + no-item rows + loops", int(e["DB_APPEALS"]),
         1 + int(e["DB_INTAKE"]) + int(e["DB_NOITEM"]) + loops),
        ("whistles closed = loops", int(e["DB_WHISTLES_CLOSED"]), loops),
        ("tasks verified = 3 × loops", int(e["DB_TASKS_VERIFIED"]), 3 * loops),
        ("ratings = 3 × loops", int(e["DB_RATINGS"]), 3 * loops),
    ]
# wrk stops counting at its deadline with up to one request in flight per connection: the
# server may still commit those, so the file can hold up to -c rows more than wrk counted.
diag = int(e["DIAG_DURATION"]) > 0
nd = json.load(open(f"{out}/noitem-{st}.json")) if diag else None
if diag:
    checks += [("no-item diagnostic: ids answered 201", int(e["NOITEM_ANSWERED"]), nd["status"].get("201", 0)),
               ("no-item diagnostic: of those ids, rows in the file", int(e["NOITEM_FOUND"]), nd["status"].get("201", 0))]
in_flight = int(e["DB_INTAKE"]) - n201
in_flight_nd = int(e["DB_NOITEM"]) - (nd["status"].get("201", 0) if diag else 0)
ok = (all(a == b for _, a, b in checks) and 0 <= in_flight <= cmax and 0 <= in_flight_nd <= cmax
      and all(0 <= got - answered <= cmax for _, got, answered in ranges))
p = print
p(f"Whistle benchmark {st}  ({e['BENCH_DATE']})")
p(f"commit {e['BENCH_COMMIT']}" + (f" + {e['BENCH_DIRTY']} uncommitted source changes" if e["BENCH_DIRTY"] != "0" else ""))
p(f"binary {e['BIN']}; build {e['BUILD_SECONDS']} s; whole run {e['TOTAL_SECONDS']} s")
p(f"machine: {e['BENCH_NPROC']} × {e['CPU_MODEL']}; {e['MEM']}; disk {e['DISK']} [{e['DISK_DEV']}]; {e['BENCH_KERNEL']}")
p(f"wrk -t{e['THREADS']} -c{e['CONNECTIONS']} -d{e['DURATION']}s; loop: "
  + (f"wrk (bench/loop.lua), same options, -d{e['LOOP_DURATION']}s" if l.get("client") == "wrk"
     else f"bench/loop.py, {e['LOOP_WORKERS']} workers × {e['LOOP_DURATION']} s"))
p("")
p(f"{'measurement':<26}{'requests':>10}{'per second':>12}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
p(f"{'GET /healthz':<26}{h['requests']:>10}{h['rps']:>12.1f}{h['p50_ms']:>10.2f}{h['p99_ms']:>10.2f}{sum(h['errors'].values()):>8}")
p(f"{'POST /api/v1/appeals':<26}{i['requests']:>10}{i['rps']:>12.1f}{i['p50_ms']:>10.2f}{i['p99_ms']:>10.2f}{sum(i['errors'].values()):>8}")
if diag:
    p(f"{'  same, without item (diag)':<26}{nd['requests']:>10}{nd['rps']:>12.1f}{nd['p50_ms']:>10.2f}{nd['p99_ms']:>10.2f}{sum(nd['errors'].values()):>8}")
p(f"{'full loop (loops)':<26}{loops:>10}{l['loops_per_s']:>12.2f}{l['loop_p50_ms']:>10.1f}{l['loop_p99_ms']:>10.1f}{l['errors']:>8}")
p(f"{'full loop (requests)':<26}{l['requests']:>10}{l['requests_per_s']:>12.1f}{l['request_p50_ms']:>10.2f}{l['request_p99_ms']:>10.2f}{l['errors']:>8}")
p("")
p("CPU while measuring, in cores of the machine's " + e["BENCH_NPROC"] + " (server / load generator / other processes):")
for name in ["healthz", "intake"] + (["noitem"] if diag else []) + ["loop"]:
    c = json.load(open(f"{out}/{name}-cpu-{st}.json"))
    p(f"  {name:<8} server {c['server_cores']:.2f}  client {c['client_cores']:.2f}  other {c['other_cores']:.2f}"
      f"  (loadavg {c['loadavg_after'][0]:.2f})")
p(f"  idle machine before measuring: {e['BUSY_BEFORE']} cores busy")
ci = json.load(open(f"{out}/intake-cpu-{st}.json")); ch = json.load(open(f"{out}/healthz-cpu-{st}.json"))
cl = json.load(open(f"{out}/loop-cpu-{st}.json"))
p(f"  server CPU per request: healthz {ch['server_cpu_s'] / h['requests'] * 1000:.3f} ms, "
  f"intake {ci['server_cpu_s'] / i['requests'] * 1000:.2f} ms, "
  + (f"intake without item {json.load(open(f'{out}/noitem-cpu-{st}.json'))['server_cpu_s'] / nd['requests'] * 1000:.2f} ms, " if diag else "")
  + f"loop request {cl['server_cpu_s'] / max(1, l['requests']) * 1000:.2f} ms")
p(f"  single writer during the loop: in transactions {float(e['WRITER_BUSY']) * 100:.0f} % of the wall time, "
  f"{e['WRITER_BATCHES']} batches ({l['requests'] / max(1, int(e['WRITER_BATCHES'])):.1f} loop requests per batch)")
p("")
p("full-loop steps:")
for step in ["appeal", "whistle", "acknowledge", "arrive", "complete", "close", "rating", "callback"]:
    s = l["steps"].get(step)
    if s and "p50_ms" in s: p(f"  {step:<12}{s['count']:>8}  p50 {s['p50_ms']:>8.2f} ms  p99 {s['p99_ms']:>8.2f} ms")
    elif s: p(f"  {step:<12}{s['count']:>8}  answered (wrk times requests, not steps)")
p("")
ratio = i["rps"] / h["rps"] if h["rps"] else float("nan")
loop_ratio = l["requests_per_s"] / h["rps"] if h["rps"] else float("nan")
p(f"intake/healthz ratio: {ratio:.3f}")
p(f"loop requests/healthz ratio: {loop_ratio:.3f}")
p(f"aim intake ≥ 1000/s durable: {'met' if i['rps'] >= 1000 else 'MISSED'} ({i['rps']:.0f}/s)")
p(f"aim intake p99 < 50 ms: {'met' if i['p99_ms'] < 50 else 'MISSED'} ({i['p99_ms']:.1f} ms)")
p("")
p(f"durability (rows counted with sqlite3 after the server stopped; journal_mode={e['DB_JOURNAL']}):")
for name, got, want in checks:
    p(f"  {'ok ' if got == want else 'BAD'} {name}: {got} (expected {want})")
for name, got, answered in ranges:
    p(f"  {'ok ' if 0 <= got - answered <= cmax else 'BAD'} {name}: {got} ({answered} answered + {got - answered} in flight at the deadline; at most -c {cmax})")
p(f"  {'ok ' if 0 <= in_flight <= int(e['CONNECTIONS']) else 'BAD'} intake rows in the file {e['DB_INTAKE']}: "
  f"{in_flight} more than wrk counted (requests still in flight when wrk stopped; at most -c {e['CONNECTIONS']})")
if diag:
    p(f"  {'ok ' if 0 <= in_flight_nd <= cmax else 'BAD'} no-item rows in the file {e['DB_NOITEM']}: {in_flight_nd} more than wrk counted")
p(f"  events {e['DB_EVENTS']}; database {int(e['DB_BYTES'])/1e6:.1f} MB, WAL left {int(e['WAL_BYTES'])/1e6:.1f} MB")
summary = {"stamp": st, "date": e["BENCH_DATE"], "commit": e["BENCH_COMMIT"], "dirty_files": int(e["BENCH_DIRTY"]),
           "healthz": h, "intake": i, "intake_without_item": nd, "loop": l, "ratio_intake_healthz": ratio, "ratio_loop_healthz": loop_ratio, "writer_busy": float(e["WRITER_BUSY"]), "writer_batches": int(e["WRITER_BATCHES"]),
           "durability": {name: {"got": got, "expected": want} for name, got, want in checks},
           "durable": ok, "seconds": {"build": int(e["BUILD_SECONDS"]), "total": int(e["TOTAL_SECONDS"])}}
json.dump(summary, open(f"{out}/summary-{st}.json", "w"), indent=2, ensure_ascii=False)
sys.exit(0 if ok else 3)
PY
cp "$OUT/summary-$STAMP.txt" "$OUT/latest.txt"
cat "$OUT/summary-$STAMP.txt"
case $RC in
  0) log "summary written to $OUT/summary-$STAMP.txt" ;;
  3) die "durability check failed: rows in the file do not match the answered writes" ;;
  *) die "summary failed (exit $RC)" ;;
esac
