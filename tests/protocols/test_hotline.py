#!/usr/bin/env python3
"""Process test of the 12345 work-order exchange (issue 16): a real `whistle serve`, a fake
hotline platform (a local HTTP server that checks each delivery's signature and fails now and
then), and the platform's pushes and callback over HTTP.

- a batch pushed twice creates each appeal once; a changed order is refused (409) and an order
  whose steps go back in time is refused (422), nothing written;
- the statuses of each order reach the platform in order, every sequence number once, despite
  failed deliveries and a server killed (SIGKILL) and started again;
- the platform's 回访 comes back and is sent on as the last status.

Usage: tests/protocols/test_hotline.py --binary PATH/TO/whistle [--port 18162]
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
import test_loop as base  # noqa: E402  (the browser tests' server handling)

SECRET = "platform-secret-0123456789"
check = base.check


class Platform:
    """The fake 12345 platform: records the statuses it accepts per order; refuses the first
    attempt at every even sequence number (503), and any request whose signature is wrong."""

    def __init__(self, port):
        self.lock = threading.Lock()
        self.accepted = {}      # orderNo -> [(sequence, status)] in arrival order
        self.seen_keys = set()
        self.refused_once = set()
        self.bad_signatures = 0
        platform = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                stamp = self.headers.get("X-Whistle-Timestamp", "")
                expected = "sha256=" + hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Whistle-Signature", "")):
                    with platform.lock:
                        platform.bad_signatures += 1
                    return self.answer(401)
                update = json.loads(body)
                key = self.headers.get("Idempotency-Key")
                with platform.lock:
                    attempt = (update["orderNo"], update["sequence"])
                    if update["sequence"] % 2 == 0 and attempt not in platform.refused_once:
                        platform.refused_once.add(attempt)
                        return self.answer(503)
                    if key not in platform.seen_keys:  # at least once: a repeat is acknowledged, not recorded
                        platform.seen_keys.add(key)
                        platform.accepted.setdefault(update["orderNo"], []).append((update["sequence"], update["status"]))
                self.answer(200)

            def answer(self, status):
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def statuses(self, order):
        with self.lock:
            return list(self.accepted.get(order, []))


def request(url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers=dict(headers or {}, **({"Content-Type": "application/json"} if data else {})))
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def order(no, **extra):
    o = {"orderNo": no, "receivedAt": "2026-03-02T00:30:00Z", "category": "C01", "street": "S1", "address": "幸福路1号",
         "description": "路口占道经营，影响通行", "appellantName": "张三", "appellantPhone": "13812345678"}
    o.update(extra)
    return o


def wait_for(condition, server, seconds=60):
    """Moves the server's clock on (past the outbox's backoff) until `condition` holds."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition():
            return True
        server.advance(30)
        time.sleep(0.3)
    return condition()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18162)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    platform = Platform(args.port + 100)
    server = base.Server(os.path.abspath(args.binary), args.port)
    url = f"http://127.0.0.1:{args.port}/api/v1"
    try:
        server.load()
        server.start()
        _, body = request(url + "/auth/login", "POST", {"username": "admin", "password": "pw-admin-2026x"})
        admin = {"Authorization": "Bearer " + body["token"]}
        status, body = request(url + "/admin/api-keys", "POST", {"name": "北京12345", "purpose": "hotline"}, admin)
        check(status == 201, f"a hotline key: {status} {body}")
        key = {"X-Api-Key": body["secret"]}
        status, body = request(url + "/admin/endpoints", "POST", {"channel": "hotline", "secret": SECRET,
                                                                 "url": f"http://127.0.0.1:{args.port + 100}/status"}, admin)
        check(status == 201, f"the platform's endpoint: {status} {body}")
        status, body = request(url + "/admin/hotline-categories", "PUT",
                               {"categories": [{"category": "C01", "itemCode": "CITY-01", "urgency": "urgent"}]}, admin)
        check(status == 200, f"the mapping: {status} {body}")

        # Three orders: two new, one resolved already in the old system.
        batch = [order("BJ-A"), order("BJ-B"), order("BJ-C", handledAt="2026-03-02T00:40:00Z",
                                                        resolvedAt="2026-03-02T00:50:00Z", result="已处置")]
        status, first = request(url + "/hotline/orders", "POST", {"orders": batch}, key)
        check(status == 201 and len(first["created"]) == 3, f"pushed: {status} {first}")
        appeals = {c["orderNo"]: c["appealId"] for c in first.get("created", [])}
        status, again = request(url + "/hotline/orders", "POST", {"orders": batch}, key)
        check(status == 200 and again["created"] == [] and sorted(again["repeated"]) == ["BJ-A", "BJ-B", "BJ-C"],
              f"pushed again: nothing new: {status} {again}")
        status, body = request(url + "/hotline/orders", "POST", {"orders": [order("BJ-D"), order("BJ-A", description="改过的内容")]}, key)
        check(status == 409 and body.get("code") == "hotline.order_changed" and "BJ-A" in body.get("detail", ""),
              f"a changed order: 409 naming it: {status} {body}")
        status, body = request(url + "/hotline/orders", "POST", {"orders": [order("BJ-E", resolvedAt="2026-03-01T00:00:00Z")]}, key)
        check(status == 422 and body.get("code") == "hotline.order_invalid", f"steps back in time: 422: {status} {body}")
        status, _ = request(url + "/hotline/orders/BJ-D", headers=key)
        check(status == 404, f"the refused batch wrote nothing: BJ-D unknown ({status})")

        # The street works two of them: A handled by its community, completed; B returned (退单).
        _, body = request(url + "/auth/login", "POST", {"username": "disp1", "password": "pw-disp1-2026x"})
        disp = {"Authorization": "Bearer " + body["token"]}
        _, units = request(url + "/units", headers=disp)
        community = next(u["id"] for u in units if u.get("code") == "C1")
        status, body = request(url + f"/appeals/{appeals.get('BJ-A')}/handle-locally", "POST", {"handlingUnitId": community}, disp)
        check(status == 200, f"handled locally: {status} {body}")

        # Killed mid-way (SIGKILL: no orderly shutdown) and started again: nothing lost, nothing out of order.
        time.sleep(0.5)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
        server.start()
        status, body = request(url + f"/appeals/{appeals.get('BJ-A')}/complete", "POST", {"result": "已劝离占道商贩"}, disp)
        check(status == 200, f"completed: {status} {body}")
        status, body = request(url + f"/appeals/{appeals.get('BJ-B')}/dismiss", "POST", {"reason": "属市级事权，退回热线"}, disp)
        check(status == 200, f"returned: {status} {body}")
        status, body = request(url + "/hotline/orders/BJ-B/callback", "POST", {"satisfaction": "satisfied"}, key)
        check(status == 409, f"no 回访 of a returned order: {status} {body}")
        status, body = request(url + "/hotline/orders/BJ-A/callback", "POST", {"satisfaction": "satisfied", "comment": "处理及时"}, key)
        check(status == 200 and body.get("state") == "closed", f"the platform's 回访: {status} {body}")

        expected = {"BJ-A": ["received", "dispatched", "handled", "result", "callback"],
                    "BJ-B": ["received", "returned"],
                    "BJ-C": ["received", "dispatched", "handled", "result"]}
        done = wait_for(lambda: all(len(platform.statuses(o)) >= len(s) for o, s in expected.items()), server)
        check(done, f"every status arrived: {platform.accepted}")
        for o, statuses in expected.items():
            got = platform.statuses(o)
            check([s for _, s in got] == statuses, f"{o}: statuses in order: {got}")
            check([n for n, _ in got] == list(range(1, len(statuses) + 1)), f"{o}: each sequence number once, in order: {got}")
        check(len(platform.refused_once) >= 4, f"the platform refused some first attempts: {len(platform.refused_once)}")
        check(platform.bad_signatures == 0, f"every delivery signed: {platform.bad_signatures} bad")
        status, body = request(url + "/hotline/orders/BJ-A", headers=key)
        check(status == 200 and all(s["delivered"] for s in body.get("statuses", [])), f"the order says delivered: {body}")
    finally:
        server.stop(args.keep)
        platform.server.shutdown()
    if base.FAILURES:
        print(f"{len(base.FAILURES)} check(s) failed:")
        for f in base.FAILURES:
            print("  -", f)
        sys.exit(1)
    print("test_hotline: all checks passed")


if __name__ == "__main__":
    main()
