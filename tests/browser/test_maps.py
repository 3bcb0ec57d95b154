#!/usr/bin/env python3
"""Browser test: the maps the server draws, as people see them at desktop (1280x900) and
phone (390x844) size in a real headless Chromium against a real `whistle serve`.

Boundaries for the loop's district are imported with `whistle import boundaries`; an appeal
placed in grid G1 gets a whistle to two units, one arriving with a location ~100 m from the
site and one without. Checks that the whistle, task, appeal and citizen pages draw an SVG
map with the case's point inside its grid's outline, the arrival's distance in words and
"未定位" for the one without location (the citizen sees no responder), that the leader's
dashboard draws the district coloured by open work, and that nothing is wider than the phone.
Screenshots go to artifacts/screenshots/maps/.

Usage: tests/browser/test_maps.py --binary PATH/TO/whistle [--port 18151] [--keep]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.request

from selenium.webdriver.common.by import By

import test_loop as base
from test_loop import FAILURES, Person, Server, check

SHOTS = os.path.join(base.ROOT, "artifacts", "screenshots", "maps")
PASSWORDS = {"admin": "pw-admin-2026x", "disp1": "pw-disp1-2026x", "um": "pw-um-2026x", "mr": "pw-mr-2026x",
             "supervisor": "pw-supervisor-2026x"}
SITE = (39.929, 116.449)       # lat, lon: inside G1
ARRIVAL = (39.9299, 116.4495)  # about 100 m north-east of the site


def square(lon, lat, size):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]}


BOUNDARIES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"code": code}, "geometry": geometry} for code, geometry in (
        ("D1", square(116.40, 39.90, 0.10)), ("S1", square(116.44, 39.92, 0.02)),
        ("C1", square(116.445, 39.925, 0.01)), ("G1", square(116.447, 39.927, 0.005)))]}


class MapServer(Server):
    def load(self):
        super().load()
        path = os.path.join(self.dir, "boundaries.geojson")
        with open(path, "w") as f:
            json.dump(BOUNDARIES, f, ensure_ascii=False)
        out = subprocess.run([self.binary, "import", "boundaries", path], env=self.env, check=True, capture_output=True, text=True)
        check("Imported 4 boundaries" in out.stdout, f"the CLI reports the import: {out.stdout!r}")
        # A bad file is refused, naming the feature, and changes nothing.
        bad = os.path.join(self.dir, "bad.geojson")
        with open(bad, "w") as f:
            json.dump({"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"code": "S1"}, "geometry": square(116.5, 39.9, 0.01)},
                {"type": "Feature", "properties": {"code": "NOPE"}, "geometry": square(116.5, 39.9, 0.01)}]}, f)
        refused = subprocess.run([self.binary, "import", "boundaries", bad], env=self.env, capture_output=True, text=True)
        check(refused.returncode != 0 and "Feature 2: no unit has the code NOPE" in refused.stdout + refused.stderr,
              f"a bad file is refused naming the feature: {refused.stdout!r} {refused.stderr!r}")


def api(server, method, path, token=None, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/v1{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def scene(server):
    """The case: an appeal in G1, a whistle to the agency and the market regulator, both arrived."""
    tokens = {u: api(server, "POST", "/auth/login", body={"username": u, "password": p})["token"] for u, p in PASSWORDS.items()}
    units = {u["code"]: u["id"] for u in api(server, "GET", "/units", tokens["disp1"])}
    item = api(server, "GET", "/catalogue", tokens["disp1"])["items"][0]["id"]
    appeal = api(server, "POST", "/appeals", tokens["disp1"], {
        "channel": "hotline12345", "appellantName": "张三", "appellantPhone": "13812345678", "gridId": units["G1"],
        "address": "幸福路1号", "description": "路口占道经营（地图）", "lat": SITE[0], "lon": SITE[1], "itemId": item})
    whistle = api(server, "POST", "/whistles", tokens["disp1"], {
        "appealId": appeal["id"], "itemId": item, "level": "street", "kind": "rally", "reason": "noAuthority", "title": "路口占道经营",
        "description": "路口占道经营", "address": "幸福路1号",
        "responders": [{"unitId": units["AG-UM-S1"], "role": "lead"}, {"unitId": units["DEP-MR"], "role": "support"}]})
    tasks = {t["unitId"]: t["id"] for t in whistle["tasks"]}
    um, mr = tasks[units["AG-UM-S1"]], tasks[units["DEP-MR"]]
    for task, user, place in ((um, "um", {"lat": ARRIVAL[0], "lon": ARRIVAL[1]}), (mr, "mr", {})):
        api(server, "POST", f"/tasks/{task}/acknowledge", tokens[user], {})
        api(server, "POST", f"/tasks/{task}/arrive", tokens[user], place)
    return {"appeal": appeal["id"], "whistle": whistle["id"], "task": um, "code": appeal["trackingCode"]}


POINT_IN_GRID = """
const point = document.querySelector('#case-point'), grid = document.querySelector('path[data-unit="G1"]');
if (!point || !grid) return null;
const p = point.getBoundingClientRect(), g = grid.getBoundingClientRect();
const x = p.left + p.width / 2, y = p.top + p.height / 2;
return {inside: x > g.left && x < g.right && y > g.top && y < g.bottom, x, y, g: [g.left, g.top, g.right, g.bottom]};
"""

TOO_WIDE = """
const w = document.documentElement.clientWidth;
const wide = [document.querySelector('#case-map'), document.querySelector('#case-map svg'), document.querySelector('#district-map'),
              document.querySelector('#district-map svg')].filter(e => e && e.getBoundingClientRect().right > w + 1);
return {page: document.documentElement.scrollWidth > w + 1, scrollWidth: document.documentElement.scrollWidth, width: w,
        wide: wide.map(e => e.id || e.tagName)};
"""


def shot(person, name):
    os.makedirs(SHOTS, exist_ok=True)
    person.d.save_screenshot(os.path.join(SHOTS, f"{person.size}-{name}.png"))
    maps = person.d.find_elements(By.CSS_SELECTOR, "#case-map, #district-map")
    if maps:
        person.d.execute_script("arguments[0].scrollIntoView()", maps[0])
        maps[0].screenshot(os.path.join(SHOTS, f"{person.size}-{name}-map.png"))


def fits(person, what):
    result = person.d.execute_script(TOO_WIDE)
    if person.size == "phone":
        check(not result["page"] and not result["wide"], f"{person.size} {what}: nothing wider than the phone: {result}")


def case_map(person, path, what, arrivals=True):
    person.open(path)
    # Read the map in one script once it is drawn (a live update may redraw <main> meanwhile).
    check(person.wait_until(lambda d: d.execute_script(POINT_IN_GRID)), f"{person.size} {what}: an svg map with the case's point and G1")
    where = person.d.execute_script(POINT_IN_GRID) or {}
    check(where.get("inside"), f"{person.size} {what}: the case's point is drawn inside G1: {where}")
    text = person.d.execute_script("const m = document.querySelector('#case-map'); return m ? m.innerText : '';")
    if arrivals:
        check("到场定位距现场" in text and "米" in text, f"{person.size} {what}: the arrival's distance in words: {text!r}")
        check("未定位" in text, f"{person.size} {what}: the arrival without location is flagged 未定位")
        check(len(person.d.find_elements(By.CSS_SELECTOR, "#case-map circle.arrival")) == 1, f"{person.size} {what}: one arrival point")
    else:
        check("到场" not in text and "未定位" not in text and not person.d.find_elements(By.CSS_SELECTOR, "circle.arrival"),
              f"{person.size} {what}: no responder positions for the citizen")
    fits(person, what)
    shot(person, what)


def run(server, ids, size):
    print(f"== {size}", flush=True)
    people = []
    try:
        dispatcher = Person("dispatcher", f"http://127.0.0.1:{server.port}", size)
        people.append(dispatcher)
        dispatcher.sign_in("disp1", PASSWORDS["disp1"])
        case_map(dispatcher, f"/whistles/{ids['whistle']}", "whistle")
        case_map(dispatcher, f"/appeals/{ids['appeal']}", "appeal")

        staff = Person("staff", dispatcher.base, size)
        people.append(staff)
        staff.sign_in("um", PASSWORDS["um"])
        case_map(staff, f"/tasks/{ids['task']}", "task")

        citizen = Person("citizen", dispatcher.base, size)
        people.append(citizen)
        case_map(citizen, f"/citizen/track/{ids['code']}", "citizen-track", arrivals=False)

        leader = Person("leader", dispatcher.base, size)
        people.append(leader)
        leader.sign_in("supervisor", PASSWORDS["supervisor"])
        leader.open("/dashboard")
        check(leader.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg#grid-map g.map-area")), f"{size} dashboard: the district map")
        area = leader.d.find_element(By.CSS_SELECTOR, 'svg#grid-map g.map-area[data-unit="G1"]')
        check(area.get_attribute("data-open") == "1", f"{size} dashboard: G1 has its open appeal: {area.get_attribute('data-open')}")
        check("在办 1" in leader.d.find_element(By.ID, "district-map").text, f"{size} dashboard: the street's counts are written")
        check(leader.d.find_elements(By.ID, "map-legend"), f"{size} dashboard: a legend")
        fits(leader, "dashboard")
        shot(leader, "dashboard")
    finally:
        for p in people:
            p.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18151)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    shutil.rmtree(SHOTS, ignore_errors=True)
    server = MapServer(os.path.abspath(args.binary), args.port)
    try:
        server.load()
        server.start()
        ids = scene(server)
        for size in ("desktop", "phone"):
            run(server, ids, size)
    finally:
        server.stop(args.keep)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed:")
        for f in FAILURES:
            print("  -", f)
        sys.exit(1)
    print("browser maps: all checks passed")


if __name__ == "__main__":
    main()
