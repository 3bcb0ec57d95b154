#!/usr/bin/env python3
"""Firing lag of Whistle's durable clocks, measured from the SQLite file after a run.

For every clock step event (clock.reminded / clock.overdue / clock.escalated) it finds the
clock (events carry task_id and detail.clock = the clock kind; a task has one clock of each
kind), recomputes the step's scheduled time from the clock's started_at/due_at and its frozen
plan (same arithmetic as ClockSchedule.step), and reports lag = event.at - scheduled.
Also: steps/s, scheduled steps (<= --end) that never fired, duplicate (clock, step) pairs,
and the server's memory from the RSS samples written by bench/clocks.sh.
Stdlib only.
"""
import argparse, csv, json, sqlite3, sys, time
from collections import Counter, defaultdict

APPLE_EPOCH = 978307200.0  # 2001-01-01T00:00:00Z in Unix seconds

def pct(sorted_vals, p):
    if not sorted_vals: return None
    k = max(0, min(len(sorted_vals) - 1, int(round(p / 100.0 * len(sorted_vals) + 0.5)) - 1))
    return sorted_vals[k]

def schedule(start, due, plan, index):
    """ClockSchedule.step(index).at (pauses are not used by this benchmark)."""
    window = due - start
    rem = sorted(plan["reminders"]) if window > 0 else []
    if index < len(rem): return start + window * rem[index], "remind"
    i = index - len(rem)
    chain = plan["chain"]
    if i < len(chain): return due + chain[i]["after"], "escalate"
    n = i - len(chain) + 1
    return due + chain[-1]["after"] + n * plan["repeatEvery"], "repeat"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--end", type=float, required=True, help="Unix time the run ended (steps scheduled later are not expected)")
    ap.add_argument("--serve-start", type=float); ap.add_argument("--serve-end", type=float)
    ap.add_argument("--rss"); ap.add_argument("--hwm", type=float)
    ap.add_argument("--seed-seconds", type=float)
    ap.add_argument("--json"); ap.add_argument("--meta", nargs="*", default=[])
    a = ap.parse_args()
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)

    # Find out how dates are stored rather than assume it.
    typ, sample = db.execute("SELECT typeof(started_at), started_at FROM clocks LIMIT 1").fetchone()
    if typ not in ("real", "integer"):
        sys.exit(f"clocks.started_at is stored as {typ} ({sample!r}); this script expects a number")
    offset = 0.0 if sample > 1.2e9 else APPLE_EPOCH  # < 1.2e9 would be seconds since 2001
    date_format = f"{typ}, seconds since {'1970 (Unix)' if offset == 0 else '2001 (reference date)'}"

    clocks = {}
    plans = {}
    for cid, task, kind, state, st, due, fired, plan, paused in db.execute(
            "SELECT id, task_id, kind, state, started_at, due_at, fired_steps, plan, paused_seconds FROM clocks"):
        p = plans.setdefault(plan, json.loads(plan))
        clocks[(task, kind)] = dict(start=st + offset, due=due + offset, fired=fired, plan=p, state=state, paused=paused)

    rows = db.execute("SELECT task_id, kind, at, detail FROM events "
                      "WHERE kind IN ('clock.reminded','clock.overdue','clock.escalated')").fetchall()
    lags, ats, seen = [], [], Counter()
    by_kind = Counter(); unmatched = 0
    fired_idx = defaultdict(set)
    lag_by_minute = defaultdict(list)
    for task, kind, at, detail in rows:
        d = json.loads(detail)
        c = clocks.get((task, d["clock"]))
        if c is None: unmatched += 1; continue
        step = int(d["step"]); at += offset
        sched, _ = schedule(c["start"], c["due"], c["plan"], step)
        lag = at - sched
        lags.append(lag); ats.append(at); by_kind[kind] += 1
        seen[(task, d["clock"], step)] += 1
        fired_idx[(task, d["clock"])].add(step)
        lag_by_minute[int(sched // 60)].append(lag)
    dups = sum(1 for n in seen.values() if n > 1)

    # Steps scheduled up to --end that did not fire: truly missed (clock never advanced past
    # them) vs skipped by design (a reminder superseded by a later step, see ClockSchedule.due).
    expected = missed = skipped = 0
    missed_examples = []
    for key, c in clocks.items():
        if c["paused"]: continue
        i = 0
        while True:
            sched, what = schedule(c["start"], c["due"], c["plan"], i)
            if sched > a.end: break
            expected += 1
            if i not in fired_idx.get(key, ()):
                if i < c["fired"] and what == "remind": skipped += 1
                else:
                    missed += 1
                    if len(missed_examples) < 5: missed_examples.append(dict(task=key[0], clock=key[1], step=i, scheduled=sched, fired_steps=c["fired"], state=c["state"]))
            i += 1

    lags.sort()
    span = (max(ats) - min(ats)) if ats else 0
    # Highest number of steps fired in any one second of wall time.
    per_sec = Counter(int(t) for t in ats)
    minute_p99 = {time.strftime("%H:%M", time.gmtime(m * 60)): round(pct(sorted(v), 99), 3) for m, v in sorted(lag_by_minute.items())}

    rss = []
    if a.rss:
        with open(a.rss) as f:
            rss = [(float(r["t"]), int(r["vmrss_kib"] or 0)) for r in csv.DictReader(f) if r["vmrss_kib"] not in ("", "0")]
    r = dict(
        meta=dict(m.split("=", 1) for m in a.meta),
        date_format=date_format,
        clocks=len(clocks), step_events=len(lags), unmatched_events=unmatched, by_kind=dict(by_kind),
        lag_s=dict(p50=pct(lags, 50), p90=pct(lags, 90), p99=pct(lags, 99), max=lags[-1] if lags else None,
                   min=lags[0] if lags else None, mean=sum(lags) / len(lags) if lags else None),
        lag_p99_by_scheduled_minute=minute_p99,
        first_fire=min(ats) if ats else None, last_fire=max(ats) if ats else None,
        steps_per_s_over_firing_span=len(lags) / span if span else None, max_steps_in_one_second=max(per_sec.values()) if per_sec else 0,
        expected_steps_by_end=expected, missed=missed, skipped_by_design=skipped, missed_examples=missed_examples,
        duplicates=dups,
        seed_seconds=a.seed_seconds,
        rss_kib=dict(first=rss[0][1] if rss else None, last=rss[-1][1] if rss else None,
                     min=min(v for _, v in rss) if rss else None, max=max(v for _, v in rss) if rss else None,
                     at_first_fire=None, samples=len(rss), vmhwm=a.hwm),
    )
    if rss and ats and a.serve_start:
        t0 = min(ats) - a.serve_start
        before = [v for t, v in rss if t <= t0]
        r["rss_kib"]["at_first_fire"] = before[-1] if before else rss[0][1]
    if a.json:
        with open(a.json, "w") as f: json.dump(r, f, indent=1)
    L = r["lag_s"]
    print(f"dates stored as: {date_format}")
    print(f"clocks {r['clocks']}  step events {r['step_events']} {dict(by_kind)}  unmatched {unmatched}")
    if lags:
        print(f"lag s: p50 {L['p50']:.3f}  p90 {L['p90']:.3f}  p99 {L['p99']:.3f}  max {L['max']:.3f}  min {L['min']:.3f}")
        print(f"steps/s over firing span {r['steps_per_s_over_firing_span']:.1f} ({span:.0f} s); max in one second {r['max_steps_in_one_second']}")
    print(f"expected by end {expected}  missed {missed}  skipped-by-design {skipped}  duplicates {dups}")
    print(f"rss KiB: first {r['rss_kib']['first']}  at first fire {r['rss_kib']['at_first_fire']}  last {r['rss_kib']['last']}  max {r['rss_kib']['max']}  VmHWM {a.hwm}")
    print("lag p99 by scheduled minute:", minute_p99)

if __name__ == "__main__":
    main()
