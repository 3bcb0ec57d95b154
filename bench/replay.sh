#!/usr/bin/env bash
# Bulk replay of 12345 orders (issue 16): generates N historical orders (a year, ten streets,
# the mix of a real year: mostly resolved and called back, some returned, some still open) as
# JSON lines, imports a small district, then times `whistle replay orders` on a fresh database
# and once more on the same file (a rerun after a crash: nothing created twice). Prints
# orders/s, peak memory (RSS) and the time one million and 21.43 million (Beijing 2023) would take.
#
# Usage: bash bench/replay.sh [N=200000]
#   BENCH_BIN=.build-release/release/whistle  (swift build -c release --scratch-path .build-release --product whistle)
#   BENCH_BATCH=5000                           orders per transaction (the command's default)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
N=${1:-200000}
BIN=${BENCH_BIN:-.build-release/release/whistle}
BATCH=${BENCH_BATCH:-5000}
DIR=$(mktemp -d /tmp/whistle-replay-XXXX)
trap 'rm -rf "$DIR"' EXIT
export WHISTLE_DATA_DIR="$DIR" LOG_LEVEL=warning

python3 - "$DIR" <<'PY'
import sys
d = sys.argv[1]
units = ["code,name,kind,parent_code,function,stationed_in_code", "D1,清河区,district,,,"]
units += [f"S{i},第{i}街道,street,D1,," for i in range(1, 11)]
units += ["DEP-UM,区城管执法局,department,D1,urban-management,"]
open(f"{d}/units.csv", "w").write("\n".join(units) + "\n")
open(f"{d}/catalogue.csv", "w").write("class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal\n"
                                      "CITY,城市管理,CITY-01,占道经营,function:urban-management,,2h,24h,7wd\n")
open(f"{d}/categories.csv", "w").write("category,item_code,urgency\n" + "".join(f"C{i:02d},CITY-01,normal\n" for i in range(40)))
PY
python3 - "$DIR/orders.jsonl" "$N" <<'PY'
import json, random, sys, datetime
path, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
start = datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone.utc)
def iso(t): return t.strftime("%Y-%m-%dT%H:%M:%SZ")
with open(path, "w") as f:
    for i in range(n):
        t = start + datetime.timedelta(seconds=int(i * (365 * 86400 / n)))
        o = {"orderNo": f"BJ2023-{i:08d}", "receivedAt": iso(t), "category": f"C{rnd.randrange(45):02d}", "street": f"S{rnd.randrange(1, 11)}",
             "address": f"测试路{rnd.randrange(1, 999)}号", "description": "市民反映路口占道经营，影响通行", "appellantName": "市民",
             "appellantPhone": f"138{rnd.randrange(10**8):08d}"}
        r = rnd.random()
        if r < 0.05:
            o.update(returnedAt=iso(t + datetime.timedelta(hours=1)), returnReason="非本街道事项")
        elif r < 0.90:
            o.update(handledAt=iso(t + datetime.timedelta(hours=1)), resolvedAt=iso(t + datetime.timedelta(days=2)), result="已处置",
                     callbackAt=iso(t + datetime.timedelta(days=3)), satisfaction=rnd.choice(["satisfied", "satisfied", "basicallySatisfied", "dissatisfied"]))
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
PY
"$BIN" import units "$DIR/units.csv" >/dev/null
"$BIN" import catalogue "$DIR/catalogue.csv" >/dev/null
"$BIN" replay categories "$DIR/categories.csv" >/dev/null
echo "== $N orders ($(du -h "$DIR/orders.jsonl" | cut -f1)), batches of $BATCH, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
    /usr/bin/time -f "%e s elapsed, %M KB peak RSS" "$BIN" replay orders "$DIR/orders.jsonl" --batch "$BATCH" 2>&1 | grep -v "^…" | tail -3
}
echo "-- first run"; run
echo "-- again (as after a crash): nothing new"; run
sqlite3 "$DIR/whistle.sqlite" "SELECT 'appeals: ' || COUNT(*) FROM appeals; SELECT 'events: ' || COUNT(*) FROM events;" 2>/dev/null || true
