#!/usr/bin/env python3
"""schemathesis against a live `whistle serve`: every operation of docs/openapi.json fuzzed
with valid and invalid data; 0 server errors (5xx) and every answer conforming to the
document (its status's schema, or the problem document for an error).

A small district is imported with `whistle import` (faster than the demo) and given some
work through the API (appeals, a whistle, an acknowledged and a verified task) so the
lists and the detail answers have something to conform with. The run signs in as the
district's administrator, who may call every route.

Usage: tests/protocols/schemathesis_run.py --binary PATH/TO/whistle [--port 18190]
       [--max-examples 8] [--keep]
Environment: SCHEMATHESIS (the command, default `schemathesis`).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCUMENT = os.path.join(ROOT, "docs", "openapi.json")
UNITS = """code,name,kind,parent_code,function,stationed_in_code
D1,清河区,district,,,
S1,三里屯街道,street,D1,,
C1,幸福社区,community,S1,,
G1,幸福一网格,grid,C1,,
DEP-UM,区城管执法局,department,D1,urban-management,
AG-UM-S1,三里屯城管执法队,agency,DEP-UM,urban-management,S1
DEP-MR,区市场监管局,department,D1,market-regulation,
"""
PEOPLE = """username,name,phone,password,memberships
admin,管理员,13800000000,pw-admin-2026x,D1:admin
disp1,调度员王芳,13800000001,pw-disp1-2026x,S1:dispatcher
um,城管队员李强,13800000003,pw-um-2026x,AG-UM-S1:unitStaff
mr,市场监管员赵敏,13800000005,pw-mr-2026x,DEP-MR:unitStaff
"""
CATALOGUE = """class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal
CITY,城市管理,CITY-01,占道经营,function:urban-management,function:market-regulation,2h,24h,7wd
"""


class Server:
    def __init__(self, binary, port):
        self.binary, self.port = binary, port
        self.base = f"http://127.0.0.1:{port}"
        self.dir = tempfile.mkdtemp(prefix="whistle-schemathesis-")
        self.env = dict(os.environ, WHISTLE_DATA_DIR=self.dir, WHISTLE_PORT=str(port), WHISTLE_BCRYPT_COST="4",
                        LOG_LEVEL="warning")
        self.process = None

    def load(self):
        for what, text in (("units", UNITS), ("people", PEOPLE), ("catalogue", CATALOGUE)):
            path = os.path.join(self.dir, what + ".csv")
            with open(path, "w") as f:
                f.write(text)
            subprocess.run([self.binary, "import", what, path], env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("the server did not start; see " + self.log.name)

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path}: {error.code} {error.read().decode()}") from None

    def login(self, username):
        return self.call("POST", "/api/v1/auth/login", {"username": username, "password": f"pw-{username}-2026x"})["token"]

    def stop(self, keep):
        if self.process:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if keep:
            print("kept:", self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def give_work(server):
    """A citizen's appeal, and an appeal whistled to two departments: one acknowledged, one completed and verified."""
    disp, um, mr = server.login("disp1"), server.login("um"), server.login("mr")
    units = {u["code"]: u["id"] for u in server.call("GET", "/api/v1/units", token=disp)}
    item = server.call("GET", "/api/v1/catalogue", token=disp)["items"][0]["id"]
    server.call("POST", "/api/v1/public/appeals", {"channel": "citizenOnline", "appellantName": "张三",
                                                   "appellantPhone": "13900000000", "streetId": units["S1"],
                                                   "address": "幸福路2号", "description": "夜间施工扰民"})
    appeal = server.call("POST", "/api/v1/appeals", {
        "channel": "hotline12345", "appellantName": "李四", "appellantPhone": "13900000001", "address": "幸福路1号",
        "description": "早市占道经营", "itemId": item, "gridId": units["G1"]}, token=disp)
    whistle = server.call("POST", "/api/v1/whistles", {
        "title": "占道经营", "description": "早市占道", "address": "幸福路1号", "kind": "rally", "reason": "noAuthority",
        "appealId": appeal["id"], "itemId": item,
        "responders": [{"unitId": units["AG-UM-S1"]}, {"unitId": units["DEP-MR"]}]}, token=disp)
    tasks = {t["unitId"]: t["id"] for t in whistle["tasks"]}
    um_task, mr_task = tasks[units["AG-UM-S1"]], tasks[units["DEP-MR"]]
    server.call("POST", f"/api/v1/tasks/{um_task}/acknowledge", token=um)
    server.call("POST", f"/api/v1/tasks/{mr_task}/acknowledge", token=mr)
    server.call("POST", f"/api/v1/tasks/{mr_task}/arrive", {"lat": 39.93, "lon": 116.45}, token=mr)
    server.call("POST", f"/api/v1/tasks/{mr_task}/complete", {"result": "已清理"}, token=mr)
    server.call("POST", f"/api/v1/tasks/{mr_task}/verify", token=disp)
    citizen = server.call("POST", "/api/v1/public/appeals", {
        "channel": "citizenOnline", "appellantName": "王五", "appellantPhone": "13900000002", "streetId": units["S1"],
        "address": "幸福路3号", "description": "路灯不亮"})
    return {"appeal": appeal["id"], "whistle": whistle["id"], "task": mr_task, "unit": units["S1"],
            "code": citizen["trackingCode"]}


def config(work, folder, hotline_key=None):
    """schemathesis.toml: the detail routes read the work given above instead of random ids
    (random ones only ever meet 404), so their answers are checked against the document too."""
    pins = [("/api/v1/appeals/{id}", "appeal"), ("/api/v1/appeals/{id}/timeline", "appeal"),
            ("/api/v1/whistles/{id}", "whistle"), ("/api/v1/whistles/{id}/timeline", "whistle"),
            ("/api/v1/tasks/{id}", "task"), ("/api/v1/units/{id}", "unit"), ("/api/v1/units/{id}/on-time", "unit"),
            ("/api/v1/public/appeals/{code}", "code")]
    lines = []
    for path, key in pins:
        name = "code" if key == "code" else "id"
        lines += ["[[operations]]", f'include-path = "{path}"', 'include-method = "GET"',
                  f'parameters = {{ "path.{name}" = "{work[key]}" }}', ""]
    if hotline_key:
        # The document's `apiKey` scheme (X-Api-Key): the 12345 exchange's routes.
        lines += ["[auth.openapi.apiKey]", f'api_key = "{hotline_key}"', ""]
    path = os.path.join(folder, "schemathesis.toml")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18190)
    parser.add_argument("--max-examples", type=int, default=8)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    server = Server(args.binary, args.port)
    status = 1
    try:
        server.load()
        # The 12345 exchange's routes take the platform's key, not a session: give them one.
        created = subprocess.run([server.binary, "api-key", "create", "--name", "schemathesis", "--purpose", "hotline"],
                                 env=server.env, check=True, capture_output=True, text=True).stdout
        hotline_key = created.strip().splitlines()[-1]
        server.start()
        work = give_work(server)
        token = server.login("admin")
        command = os.environ.get("SCHEMATHESIS", "schemathesis").split() + [
            "--config-file", config(work, server.dir, hotline_key), "run", DOCUMENT, "--url", server.base, "-H", f"Authorization: Bearer {token}",
            "--checks", "not_a_server_error,response_schema_conformance",
            "--max-examples", str(args.max_examples), "--seed", "16", "--workers", "1",
            "--phases", "examples,coverage,fuzzing", "--generation-database", "none",
            # Signing out would revoke the token the rest of the run uses.
            "--exclude-path", "/api/v1/auth/logout",
            # Nor may it revoke the key the exchange's operations use.
            "--exclude-operation-id", "revokeApiKey",
            "--request-timeout", "30", "--no-color",
        ]
        print("$", " ".join(c if "Bearer" not in c and "X-Api-Key" not in c else c.split(":")[0] + ": …" for c in command), flush=True)
        status = subprocess.run(command, cwd=server.dir).returncode
        alive = server.process.poll() is None
        if not alive:
            print("FAIL: the server died during the run; see", server.log.name)
            status = status or 1
    finally:
        server.stop(args.keep or status != 0)
    sys.exit(status)


if __name__ == "__main__":
    main()
