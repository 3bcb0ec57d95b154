#!/usr/bin/env python3
"""Process test: Open311 GeoReport v2 spoken by third-party client libraries from PyPI against
a real `whistle serve`.

- `georeport` (PyPI, "Python wrapper for the Open311 GeoReport v2 API") reads: the service
  list and a service definition, requests and one request, in JSON and in XML (its XML path
  parses with xmltodict). It cannot file requests.
- `civicbot` (PyPI; its `civicbot.open311.Open311Client` is a GeoReport v2 client) files a
  request, after checking the form against the live service list and definition, and
  resolves a token.

The district, its people and its catalogue (one item public through the CSV's `public`
column, one not) are imported with the CLI, and the API key is made with
`whistle api-key create`, as an operator would.

Usage: tests/protocols/test_open311.py --binary PATH/TO/whistle [--port 18190] [--keep]
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from georeport import GeoReport
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint

UNITS = """code,name,kind,parent_code,function,stationed_in_code
D1,清河区,district,,,
S1,三里屯街道,street,D1,,
C1,幸福社区,community,S1,,
G1,幸福一网格,grid,C1,,
DEP-UM,区城管执法局,department,D1,urban-management,
AG-UM-S1,三里屯城管执法队,agency,DEP-UM,urban-management,S1
"""
PEOPLE = """username,name,phone,password,memberships
admin,管理员,13800000000,pw-admin-2026x,D1:admin
disp1,调度员王芳,13800000001,pw-disp1-2026x,S1:dispatcher
"""
CATALOGUE = """class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal,public
CITY,城市管理,CITY-01,占道经营,function:urban-management,,2h,24h,7wd,true
CITY,城市管理,CITY-02,违法建设,function:urban-management,,2h,24h,7wd,false
"""

PASSED, FAILURES = [], []


def check(condition, message):
    (PASSED if condition else FAILURES).append(message)
    if not condition:
        print("  FAIL:", message, flush=True)
    return condition


class Server:
    """A real `whistle serve` on its own data folder (as tests/browser/test_loop.py runs one)."""

    def __init__(self, binary, port):
        self.binary, self.port = binary, port
        self.dir = tempfile.mkdtemp(prefix="whistle-open311-")
        self.env = dict(os.environ, WHISTLE_DATA_DIR=self.dir, WHISTLE_PORT=str(port), WHISTLE_BCRYPT_COST="4", LOG_LEVEL="warning")
        self.process = None

    def run(self, *args):
        return subprocess.run([self.binary, *args], env=self.env, check=True, capture_output=True, text=True).stdout

    def load(self):
        for what, text in (("units", UNITS), ("people", PEOPLE), ("catalogue", CATALOGUE)):
            path = os.path.join(self.dir, what + ".csv")
            with open(path, "w") as f:
                f.write(text)
            self.run("import", what, path)

    def start(self):
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("the server did not start; see " + self.log.name)

    def stop(self, keep):
        if self.process:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def one(value):
    """xmltodict gives a lone element as a dict and several as a list."""
    return value if isinstance(value, list) else [value]


def exercise(root, secret):
    reader = GeoReport(root, jurisdiction="D1")
    xml_reader = GeoReport(root, jurisdiction="D1", output_format="xml")
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    writer = Open311Client(Endpoint(id="whistle", name="Whistle", base_url=root, write=True), transport, jurisdiction_id="D1")

    print("== services (georeport, JSON and XML)")
    services = reader.get_service_list()
    check([s["service_code"] for s in services] == ["CITY-01"], f"only the public item is a service: {services}")
    check(services[0]["service_name"] == "占道经营" and services[0]["group"] == "城市管理", f"service fields: {services[0]}")
    check(services[0]["metadata"] is True and services[0]["type"] == "realtime", "metadata and type")
    xml_services = one(xml_reader.get_service_list())
    check([s["service_code"] for s in xml_services] == ["CITY-01"], f"the XML service list: {xml_services}")
    definition = reader.get_service_definition("CITY-01")
    urgency = next((a for a in definition["attributes"] if a["code"] == "urgency"), None)
    check(urgency is not None and urgency["datatype"] == "singlevaluelist", f"the urgency attribute: {definition}")
    check(urgency and [v["key"] for v in urgency["values"]] == ["normal", "urgent", "emergency"], "urgency's values")
    xml_definition = xml_reader.get_service_definition("CITY-01")
    check(xml_definition["service_code"] == "CITY-01"
          and one(xml_definition["attributes"]["attribute"])[0]["code"] == "urgency", f"the XML definition: {xml_definition}")

    print("== a request filed (civicbot, checked against the live definition)")
    sent = writer.create_request("CITY-01", dry_run=False, confirm=CONFIRM_TOKEN, api_key=secret, validate_remote=True,
                                 address_string="工体北路 8 号 <东门> & 北侧", description="人行道上摆摊占道，行人只能走机动车道",
                                 first_name="四", last_name="李", phone="13912345678", email="li@example.com",
                                 attributes={"urgency": "urgent"})
    receipt = sent.response[0]
    request_id, token = receipt.get("service_request_id"), receipt.get("token")
    check(bool(request_id) and request_id.startswith("A"), f"the receipt names the request: {receipt}")
    check(receipt.get("service_notice") == "已转三里屯街道受理", f"the notice: {receipt}")

    print("== read back (georeport)")
    request = reader.get_service_request(request_id)
    check(request["service_request_id"] == request_id and request["status"] == "open", f"the request: {request}")
    check(request["agency_responsible"] == "三里屯街道", "the street has it")
    check(request["service_code"] == "CITY-01" and request["address"] == "工体北路 8 号 <东门> & 北侧", "code and address")
    check(request["requested_datetime"].endswith("+08:00") and request["expected_datetime"], "times with their offset")
    for secret_value in ("李四", "13912345678", "li@example.com", token):
        check(secret_value not in str(request), f"{secret_value} stays private")
    listed = reader.get_service_requests(status="open", service_code="CITY-01")
    check(request_id in [r["service_request_id"] for r in listed], "the open list holds it")
    check(reader.get_service_requests(status="closed") == [], "nothing is closed")
    xml_request = one(xml_reader.get_service_request(request_id))[0]
    check(xml_request["address"] == "工体北路 8 号 <东门> & 北侧" and xml_request["status"] == "open", f"XML request: {xml_request}")

    print("== token (civicbot)")
    tokens = writer.get_token(token)
    check(tokens and tokens[0]["service_request_id"] == request_id, f"the token stands for the request: {tokens}")

    print("== refusals")
    for key, status in (("wk_not-a-key", 403),):
        try:
            writer.create_request("CITY-01", dry_run=False, confirm=CONFIRM_TOKEN, api_key=key, address_string="x",
                                  description="x", phone="13912345679")
            check(False, "a wrong key is refused")
        except HttpError as error:
            check(error.status == status and f'"code":{status}' in error.body, f"an Open311 error list: {error.body}")
    try:
        writer.create_request("CITY-02", dry_run=False, confirm=CONFIRM_TOKEN, api_key=secret, address_string="x",
                              description="x", phone="13912345679")
        check(False, "an item that is not public is no service")
    except HttpError as error:
        check(error.status == 404, f"not public: {error.status} {error.body}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18190)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    server = Server(os.path.abspath(args.binary), args.port)
    try:
        server.load()
        created = server.run("api-key", "create", "--name", "市民通 App", "--purpose", "open311")
        secret = created.strip().splitlines()[-1]
        check(secret.startswith("wk_"), f"the CLI prints the secret last: {created}")
        server.start()
        exercise(f"http://127.0.0.1:{args.port}/open311/v2", secret)
    finally:
        server.stop(args.keep)
    print(f"{len(PASSED)} passed, {len(FAILURES)} failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
