#!/usr/bin/env python3
"""Full-loop load generator for Whistle (Python 3 standard library only).

One loop is the whole 街乡吹哨、部门报到 cycle for one appeal:

    dispatcher  POST /appeals                       (appeal received)
    dispatcher  POST /whistles                      (whistle blown on it, 3 responders)
    each staff  POST /tasks/T/acknowledge, /arrive, /complete
    dispatcher  POST /whistles/W/close              (verifies every task, resolves the appeal)
    dispatcher  POST /tasks/T/rating                (one per responder)
    citizen     POST /public/appeals/CODE/callback  (with --callback)

N worker threads each run loops back to back for a fixed time (each on its own keep-alive
connection) and finish the loop they are in. Any answer other than the expected 2xx, or a
response that does not show the expected state, stops every worker and the script exits
non-zero after printing the response.

Prints a human summary and, with --json FILE, writes the figures as JSON.
"""

import argparse
import concurrent.futures
import http.client
import json
import math
import sys
import threading
import time
import urllib.parse

PASSWORD_DEFAULT = "bench-pass-2026"


class Failure(Exception):
    pass


class Client:
    """One keep-alive HTTP/1.1 connection; records each request's latency by step name."""

    def __init__(self, base, timeout):
        u = urllib.parse.urlsplit(base)
        if u.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"refusing non-loopback address {base}")
        self.host, self.port, self.timeout = u.hostname, u.port or 80, timeout
        self.conn = None
        self.samples = {}  # step -> [seconds]

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def call(self, step, method, path, body=None, token=None, expect=(200, 201)):
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = "Bearer " + token
        if self.conn is None:
            self._connect()
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (http.client.HTTPException, OSError) as e:
            self.conn.close()
            self.conn = None
            raise Failure(f"{step}: {method} {path}: connection error {type(e).__name__}: {e}")
        elapsed = time.perf_counter() - start
        if resp.status not in expect:
            raise Failure(f"{step}: {method} {path} -> {resp.status}\n"
                          f"{raw.decode('utf-8', 'replace')[:2000]}")
        self.samples.setdefault(step, []).append(elapsed)
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return json.loads(raw) if raw else None

    def close(self):
        if self.conn is not None:
            self.conn.close()


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


def login(client, username, password):
    r = client.call("login", "POST", "/api/v1/auth/login", {"username": username, "password": password})
    return r["token"]


def setup(args):
    """Tokens for the dispatcher and the three responders; unit and item ids by code."""
    c = Client(args.base, args.timeout)
    try:
        tokens = {"dispatcher": login(c, args.dispatcher, args.password)}
        units = c.call("setup", "GET", "/api/v1/units", token=tokens["dispatcher"])
        if isinstance(units, dict):
            units = units.get("items", [])
        by_code = {u["code"]: u["id"] for u in units}
        responders = []
        for spec in args.responder:
            code, username = spec.split("=", 1)
            if code not in by_code:
                raise Failure(f"setup: unit {code} not found in GET /api/v1/units ({sorted(by_code)})")
            responders.append({"code": code, "unitId": by_code[code], "username": username,
                               "token": login(c, username, args.password)})
        cat = c.call("setup", "GET", "/api/v1/catalogue", token=tokens["dispatcher"])
        items = {i["code"]: i["id"] for i in cat["items"]}
        if args.item not in items:
            raise Failure(f"setup: catalogue item {args.item} not found ({sorted(items)})")
        return tokens["dispatcher"], responders, items[args.item]
    finally:
        c.close()


def check(cond, what, payload):
    if not cond:
        raise Failure(f"unexpected response: {what}\n{json.dumps(payload, ensure_ascii=False)[:2000]}")


def one_loop(c, n, dispatcher, responders, item_id, callback):
    appeal = c.call("appeal", "POST", "/api/v1/appeals", {
        "channel": "hotline12345", "appellantName": f"循环{n}", "appellantPhone": f"137{n % 100000000:08d}",
        "address": f"基准街道幸福路{n % 500 + 1}号", "description": "bench-loop 路口占道经营，影响通行",
        # docs/API.md's spelling only: unknown fields are refused since issue 13.
        "itemId": item_id, "urgency": "urgent", "lat": 39.9, "lon": 116.4,
    }, token=dispatcher, expect=(201,))
    check(appeal.get("itemId") == item_id, "appeal lost its itemId", appeal)
    people = [{"unitId": r["unitId"], "role": "lead" if i == 0 else "support"}
              for i, r in enumerate(responders)]
    whistle = c.call("whistle", "POST", "/api/v1/whistles", {
        "appealId": appeal["id"], "kind": "rally", "reason": "jointEnforcement",
        "responders": people,
    }, token=dispatcher, expect=(201,))
    tasks = whistle.get("tasks") or []
    check(whistle.get("appealId") == appeal["id"] and len(tasks) == len(responders),
          "whistle not on the appeal or wrong number of tasks", whistle)
    token_of = {r["unitId"]: r["token"] for r in responders}
    for t in tasks:
        tok = token_of[t["unitId"]]
        c.call("acknowledge", "POST", f"/api/v1/tasks/{t['id']}/acknowledge", token=tok, expect=(200,))
        c.call("arrive", "POST", f"/api/v1/tasks/{t['id']}/arrive", {"lat": 39.9, "lon": 116.4}, token=tok,
               expect=(200,))
        done = c.call("complete", "POST", f"/api/v1/tasks/{t['id']}/complete", {"result": "摊位已清理"},
                      token=tok, expect=(200,))
        check(done.get("state") == "completed", "task not completed", done)
    closed = c.call("close", "POST", f"/api/v1/whistles/{whistle['id']}/close", {"note": "核查属实"},
                    token=dispatcher, expect=(200,))
    check(closed.get("state") == "closed" and all(t.get("state") == "verified" for t in closed.get("tasks", [])),
          "close did not verify every task", closed)
    for t in tasks:
        c.call("rating", "POST", f"/api/v1/tasks/{t['id']}/rating", {"grade": "good", "comment": "响应迅速"},
               token=dispatcher, expect=(201,))
    if callback:
        code = appeal.get("trackingCode")
        check(bool(code), "no trackingCode in the dispatcher's view of the appeal", appeal)
        pub = c.call("callback", "POST", f"/api/v1/public/appeals/{code}/callback", {"satisfaction": "satisfied"},
                     expect=(200,))
        check(pub.get("state") == "closed", "callback did not close the appeal", pub)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds to start new loops")
    ap.add_argument("--max-loops", type=int, default=100000, help="upper bound on loops in all")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request socket timeout, seconds")
    ap.add_argument("--callback", action="store_true", help="end each loop with the citizen's public callback")
    ap.add_argument("--dispatcher", default="bench.dispatcher")
    ap.add_argument("--password", default=PASSWORD_DEFAULT)
    ap.add_argument("--item", default="BENCH-01-01", help="catalogue item code")
    ap.add_argument("--responder", action="append",
                    help="UNITCODE=username, once per responder (default: the bench fixtures' three)")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    if not args.responder:
        args.responder = ["BD-URBAN-S1=bench.urban", "BD-MARKET=bench.market", "BD-HOUSING=bench.housing"]
    if not (1 <= args.workers <= 256 and 0 < args.duration <= 3600):
        raise SystemExit("workers must be 1..256 and duration 0..3600 s")

    try:
        dispatcher, responders, item_id = setup(args)
    except Failure as e:
        print(f"loop.py: setup failed: {e}", file=sys.stderr)
        return 1

    stop = threading.Event()
    lock = threading.Lock()
    started = [0]
    failures = []

    def worker(index):
        c = Client(args.base, args.timeout)
        loops = []
        try:
            while not stop.is_set() and time.perf_counter() < deadline:
                with lock:
                    if started[0] >= args.max_loops:
                        break
                    started[0] += 1
                    n = started[0]
                t0 = time.perf_counter()
                one_loop(c, n, dispatcher, responders, item_id, args.callback)
                loops.append(time.perf_counter() - t0)
        except Failure as e:
            with lock:
                failures.append(f"worker {index}: {e}")
            stop.set()
        except Exception as e:  # a bug here must not look like a clean run
            with lock:
                failures.append(f"worker {index}: {type(e).__name__}: {e}")
            stop.set()
        finally:
            c.close()
        return loops, c.samples

    t_start = time.perf_counter()
    deadline = t_start + args.duration
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(worker, range(args.workers)))
    wall = time.perf_counter() - t_start

    if failures:
        print("loop.py: FAILED — a request did not succeed:", file=sys.stderr)
        for f in failures:
            print("  " + f.replace("\n", "\n    "), file=sys.stderr)
        return 1

    loop_times = sorted(t for loops, _ in results for t in loops)
    steps = {}
    for _, samples in results:
        for step, values in samples.items():
            steps.setdefault(step, []).extend(values)
    all_requests = sorted(v for values in steps.values() for v in values)
    ms = lambda s: round(s * 1000, 3)
    per_step = {}
    for step, values in steps.items():
        values.sort()
        per_step[step] = {"count": len(values), "p50_ms": ms(percentile(values, 50)),
                          "p99_ms": ms(percentile(values, 99)), "mean_ms": ms(sum(values) / len(values))}
    out = {
        "workers": args.workers, "duration_s": round(wall, 3), "callback": args.callback,
        "loops": len(loop_times), "loops_per_s": round(len(loop_times) / wall, 2),
        "loop_p50_ms": ms(percentile(loop_times, 50)), "loop_p99_ms": ms(percentile(loop_times, 99)),
        "requests": len(all_requests), "requests_per_s": round(len(all_requests) / wall, 1),
        "request_p50_ms": ms(percentile(all_requests, 50)), "request_p99_ms": ms(percentile(all_requests, 99)),
        "requests_per_loop": round(len(all_requests) / len(loop_times), 2) if loop_times else None,
        "errors": 0, "steps": per_step,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2, ensure_ascii=False)
    print(f"full loop: {out['loops']} loops in {out['duration_s']} s with {args.workers} workers "
          f"= {out['loops_per_s']} loops/s; loop p50 {out['loop_p50_ms']} ms, p99 {out['loop_p99_ms']} ms")
    print(f"  {out['requests']} requests ({out['requests_per_loop']} per loop) = {out['requests_per_s']}/s; "
          f"request p50 {out['request_p50_ms']} ms, p99 {out['request_p99_ms']} ms; errors 0")
    for step in ["appeal", "whistle", "acknowledge", "arrive", "complete", "close", "rating", "callback"]:
        if step in per_step:
            s = per_step[step]
            print(f"  {step:<12} n={s['count']:<7} p50 {s['p50_ms']:>8} ms  p99 {s['p99_ms']:>8} ms")
    if not loop_times:
        print("loop.py: no loop completed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
