#!/usr/bin/env python3
"""Process test: /metrics of a real `whistle serve`, parsed by Prometheus's own Python client
(prometheus_client.parser), not by our code. Requests, commits, sign-in failures and the
scrape-time gauges must be there, well-formed, with route patterns as labels.

Usage: tests/protocols/test_metrics.py --binary PATH/TO/whistle [--port 18160]
"""
import argparse
import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
import test_loop as base  # noqa: E402  (the browser tests' server handling)
from prometheus_client.parser import text_string_to_metric_families  # noqa: E402

TOKEN = "protocol-test-metrics-token"


def request(url, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}, **({"Content-Type": "application/json"} if data else {})))
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode(), {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), {k.lower(): v for k, v in e.headers.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18160)
    args = parser.parse_args()
    server = base.Server(os.path.abspath(args.binary), args.port)
    server.env["WHISTLE_METRICS_TOKEN"] = TOKEN
    url = f"http://127.0.0.1:{args.port}"
    try:
        server.load()
        server.start()
        status, _, _ = request(url + "/metrics")
        base.check(status == 401, f"no token: 401, got {status}")
        status, body, _ = request(url + "/api/v1/auth/login", "POST", {"username": "disp1", "password": "pw-disp1-2026x"})
        token = json.loads(body)["token"]
        auth = {"Authorization": "Bearer " + token}
        status, body, _ = request(url + "/api/v1/appeals", "POST", {"channel": "hotline12345", "appellantName": "张三",
                                  "appellantPhone": "13812345678", "address": "幸福路1号", "description": "占道"}, auth)
        base.check(status == 201, f"an appeal: {status} {body}")
        appeal = json.loads(body)["id"]
        request(url + f"/api/v1/appeals/{appeal}", headers=auth)
        request(url + "/api/v1/auth/login", "POST", {"username": "disp1", "password": "wrong"})
        status, text, headers = request(url + "/metrics", headers={"Authorization": "Bearer " + TOKEN})
        base.check(status == 200 and headers.get("content-type", "").startswith("text/plain"), f"scraped: {status} {headers.get('content-type')}")
        families = {f.name: f for f in text_string_to_metric_families(text)}
        for name, kind in [("whistle_http_requests", "counter"), ("whistle_http_request_duration_seconds", "histogram"),
                           ("whistle_write_commit_seconds", "histogram"), ("whistle_write_batch_size", "histogram"),
                           ("whistle_write_wait_seconds", "histogram"),
                           ("whistle_sign_in_failures", "counter"), ("whistle_appeals", "gauge"), ("whistle_tasks", "gauge"),
                           ("whistle_clocks_due", "gauge"), ("whistle_clock_lag_seconds", "gauge"), ("whistle_outbox_pending", "gauge"),
                           ("whistle_outbox_lag_seconds", "gauge")]:
            family = families.get(name)
            base.check(family is not None and family.type == kind, f"{name} is a {kind}: {family.type if family else None}")
        samples = families["whistle_http_requests"].samples
        base.check(any(s.labels.get("route") == "/api/v1/appeals/:id" and s.labels.get("status") == "200" for s in samples),
                   "a read counted under its route pattern")
        base.check(not any(appeal in s.labels.get("route", "") for s in samples), "no ids in labels")
        tasks = {s.labels.get("state"): s.value for s in families["whistle_tasks"].samples}
        base.check(tasks.get("summoned") == 0.0, f"every task state present, zero included: {tasks}")
        received = [s.value for s in families["whistle_appeals"].samples if s.labels.get("state") == "received"]
        base.check(received == [1.0], f"one appeal received: {received}")
        failures = [s.value for s in families["whistle_sign_in_failures"].samples if s.name.endswith("_total")]
        base.check(failures == [1.0], f"one sign-in failure: {failures}")
    finally:
        server.stop(False)
    if base.FAILURES:
        print(f"{len(base.FAILURES)} check(s) failed:")
        for f in base.FAILURES:
            print("  -", f)
        sys.exit(1)
    print("metrics: all checks passed")


if __name__ == "__main__":
    main()
