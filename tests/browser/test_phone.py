#!/usr/bin/env python3
"""Browser test: phones first (issue 15, items 4 and 7) at 390x844 in headless Chromium.

A grid worker who belongs to a community and two grids reports from the phone: the form
proposes their own grid and an urgency, the header's unit switch fits, their reports are
listed with where each stands. Offline (the browser's network switched off), a quick report
with a photo is kept and the page says so; back online it is sent with its photo, the page
says 已发送, and it is in the list; the quick report page opens without a connection. A responder works a task on the phone: each step a card of its own; 到场
made offline is sent when the connection returns; tapped twice, the refused repeat stays on
the page with the server's reason until discarded. On board, task page, dashboard, console
and inbox nothing is wider than the screen and no short text breaks one character per
line; tables are labelled cards. The manifest, its icons and the service worker load.

Screenshots: artifacts/screenshots/phone-first/.

Usage: tests/browser/test_phone.py --binary PATH/TO/whistle [--port 18151] [--keep]
"""
import argparse
import json
import os
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import test_loop as base
from test_loop import check, FAILURES, TRANSIENT

FOLDER = "phone-first"
UNITS = base.UNITS + "G2,幸福二网格,grid,C1,,\n"
PEOPLE = base.PEOPLE.replace("grid,网格员陈静,13800000006,pw-grid-2026x,G1:gridWorker",
                             "grid,网格员陈静,13800000006,pw-grid-2026x,C1:gridWorker;G2:gridWorker;G1:gridWorker")

# Elements wider than the screen (not inside a box that scrolls or clips them within it).
OVERFLOW_JS = """
var w=document.documentElement.clientWidth,bad=[];
if(document.documentElement.scrollWidth>w+1)bad.push('page scrollWidth '+document.documentElement.scrollWidth+' > '+w);
document.querySelectorAll('body *').forEach(function(e){var r=e.getBoundingClientRect();if(!r.width&&!r.height)return;
  if(r.right<=w+1&&r.left>=-1)return;
  for(var p=e.parentElement;p;p=p.parentElement){var s=getComputedStyle(p);if(s.overflowX!=='visible'||s.clip!=='auto')return;}
  bad.push(e.tagName.toLowerCase()+(e.id?'#'+e.id:'')+(e.className&&e.className.baseVal===undefined?'.'+e.className:'')+' '+Math.round(r.left)+'..'+Math.round(r.right));});
return bad.slice(0,8);
"""
# Short texts (2 to 8 characters) shown on more than one line: a word broken per character.
BROKEN_JS = """
var root=document.getElementById('main')||document.body,bad=[],walker=document.createTreeWalker(root,NodeFilter.SHOW_TEXT);
while(walker.nextNode()){var n=walker.currentNode,t=n.textContent.trim();if(t.length<2||t.length>8)continue;
  var p=n.parentElement;if(!p||p.closest('thead,option,select,script,style,[hidden],details:not([open])>*:not(summary)'))continue;
  var r=document.createRange();r.selectNodeContents(n);var tops={};
  Array.prototype.forEach.call(r.getClientRects(),function(x){if(x.width>0)tops[Math.round(x.top)]=1;});
  if(Object.keys(tops).length>1)bad.push(t);}
return bad.slice(0,8);
"""


class Phone(base.Person):
    def __init__(self, name, url):
        super().__init__(name, url, "phone")

    def shot(self, name):
        folder = os.path.join(base.SHOTS, FOLDER)
        os.makedirs(folder, exist_ok=True)
        self.d.save_screenshot(os.path.join(folder, name + ".png"))

    def offline(self, off):
        self.d.execute_cdp_cmd("Network.enable", {})
        self.d.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    def fits(self, what):
        """Nothing wider than the screen, no short text broken per character, on this page."""
        wide = self.d.execute_script(OVERFLOW_JS)
        check(not wide, f"{what}: nothing wider than the 390 px screen: {wide}")
        broken = self.d.execute_script(BROKEN_JS)
        check(not broken, f"{what}: no short text broken over lines: {broken}")

    def status(self):
        try:
            return self.d.find_element(By.ID, "offline-status").text
        except Exception:
            return ""


def api(url, path, body=None, token=None):
    request = urllib.request.Request(url + "/api/v1" + path, method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def run(server, photo):
    url = f"http://127.0.0.1:{server.port}"
    grid, staff, disp = Phone("grid", url), Phone("staff", url), Phone("dispatcher", url)
    try:
        # 1. The grid worker: own grid proposed, urgency, a header that fits.
        grid.sign_in("grid", "pw-grid-2026x")
        grid.open("/grid/report")
        check(grid.wait_text("网格快报 · 幸福一网格", where="h1"), "the quick report proposes the worker's own first grid, not their community")
        grid.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, "#quick input[name=urgency]") and d.find_elements(By.CSS_SELECTOR, ".unit-switch select"), 10)
        chosen = grid.d.execute_script("var s=document.querySelector('#quick select[name=gridId]');return s?s.options[s.selectedIndex].text+'|'+s.options.length:'';")
        check(chosen == "幸福一网格|2", f"a choice of the worker's two grids, the first chosen: {chosen!r}")
        urgencies = [e.get_attribute("value") for e in grid.d.find_elements(By.CSS_SELECTOR, "#quick input[name=urgency]")]
        check(urgencies == ["normal", "urgent", "emergency"], f"an urgency choice: {urgencies}")
        header = grid.d.execute_script("var h=document.querySelector('header.top').getBoundingClientRect(),s=document.querySelector('.unit-switch select').getBoundingClientRect();"
                                       "return [h.height,s.right,s.height,innerWidth];")
        check(header[1] <= header[3] and header[2] < 60 and header[0] < 170, f"the header and its unit switch fit a phone: {header}")
        grid.fits("quick report")
        grid.shot("01-quick-report")

        grid.fill("text", "井盖缺失，已设置警示", "#quick")
        grid.click("#quick input[name=urgency][value=urgent]")
        grid.submit("#quick")
        check(grid.wait_text("已上报"), "an online quick report is received")
        appeal_id = grid.d.current_url.rsplit("/", 1)[-1]
        check("急" in grid.text(), "the report shows its urgency")
        grid.open("/grid/report")
        mine = grid.d.find_element(By.ID, "my-reports").text
        check("井盖缺失" in mine and "已受理" in mine and "急" in mine, f"my reports list it with its state: {mine!r}")

        # 2. Offline: the report (with its photo) is kept and said so, then sent.
        grid.d.execute_script("return navigator.serviceWorker && navigator.serviceWorker.ready.then(function(){return 1;})")
        grid.offline(True)
        check(grid.wait_until(lambda d: d.execute_script("return navigator.onLine") is False, 5), "the browser is offline")
        grid.fill("text", "路灯不亮（离线上报）", "#quick")
        grid.d.find_element(By.CSS_SELECTOR, "#quick input[type=file]").send_keys(photo)
        grid.click("#quick button[type=submit]")
        check(grid.wait_until(lambda d: "已离线保存，联网后自动发送" in grid.status(), 10), f"saved offline, said so: {grid.status()!r}")
        check(grid.d.current_url.endswith("/grid/report"), "the page stays (nothing lost to a browser error page)")
        grid.shot("02-saved-offline")
        grid.offline(False)
        check(grid.wait_until(lambda d: "已发送" in grid.status(), 15), f"sent when back online, said so: {grid.status()!r}")
        grid.shot("03-sent")
        offline_id = grid.d.execute_script("var a=document.querySelector('#offline-status p.sent a');return a?a.getAttribute('href').split('/').pop():'';")
        grid.open("/grid/report")
        check("路灯不亮（离线上报）" in grid.d.find_element(By.ID, "my-reports").text, "the report made offline is in my reports")
        # The service worker kept the page: without a connection the quick report still opens.
        controlled = grid.d.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
        check(controlled, "the service worker controls the field pages")
        kept = grid.d.execute_async_script("var done=arguments[0];caches.open('whistle-pages').then(function(c){return c.match('/grid/report');})"
                                           ".then(function(r){return r?r.text():'';}).then(function(t){done(t.indexOf('id=\"quick\"')>=0);},function(){done(false);});")
        check(kept, "the phone keeps a copy of the quick report page")
        grid.offline(True)
        grid.wait_until(lambda d: d.execute_script("return navigator.onLine") is False, 5)
        try:
            grid.open("/grid/report")
        except Exception:
            pass
        check(grid.wait_until(lambda d: d.find_elements(By.CSS_SELECTOR, "#quick button[type=submit]"), 10),
              "offline, the quick report opens from the phone's copy")
        grid.shot("04-opened-offline")
        grid.offline(False)
        grid.wait_until(lambda d: d.execute_script("return navigator.onLine") is True, 5)

        # 3. Manifest, icons, service worker.
        manifest = grid.d.execute_async_script("var done=arguments[0];fetch('/manifest.webmanifest').then(function(r){return r.json();})"
                                               ".then(function(m){return Promise.all(m.icons.map(function(i){return fetch(i.src).then(function(r){return r.status+' '+r.headers.get('content-type');});}))"
                                               ".then(function(icons){done({name:m.name,display:m.display,icons:icons});});},function(e){done(String(e));});")
        check(isinstance(manifest, dict) and manifest.get("name") == "吹哨报到" and manifest.get("display") == "standalone"
              and all(i.startswith("200 image/") for i in manifest.get("icons", [])) and len(manifest.get("icons", [])) == 3,
              f"the manifest and its icons load: {manifest}")
        worker = grid.d.execute_async_script("var done=arguments[0];navigator.serviceWorker.ready.then(function(r){done(r.scope+' '+(r.active&&r.active.scriptURL));});setTimeout(function(){done('none');},8000);")
        check(worker == f"{url}/ {url}/sw.js", f"the service worker runs from the root scope: {worker!r}")
        grid.sign_out()

        # 4. A whistle on the first report (through the API), for the responder's phone.
        token = api(url, "/auth/login", {"username": "disp1", "password": "pw-disp1-2026x"})["token"]
        units = api(url, "/units", token=token)
        units = units.get("items", units) if isinstance(units, dict) else units
        ids = {u["code"]: u["id"] for u in units}
        whistle = api(url, "/whistles", {"appealId": appeal_id, "kind": "rally", "reason": "jointEnforcement", "title": "柳荫街井盖缺失",
                                         "responders": [{"unitId": ids["AG-UM-S1"], "role": "lead"}, {"unitId": ids["DEP-MR"]}]}, token)
        number = whistle["number"]

        # 5. The responder: inbox, the task's steps as cards, 到场 made offline.
        staff.sign_in("um", "pw-um-2026x")
        staff.open("/inbox")
        check(staff.wait_text(number), "the task is in the inbox")
        staff.fits("inbox")
        staff.shot("05-inbox")
        staff.click(f"#inbox li[data-number='{number}'] a.number")
        check(staff.wait_text("报到单位与时限"), "the task page opens")
        steps(staff, "summoned", {"step-acknowledge", "step-objection"})
        staff.fits("task page")
        staff.shot("06-task-summoned")
        staff.submit("#step-acknowledge form")
        check(staff.wait_text("已报到"), "acknowledged")
        steps(staff, "acknowledged", {"step-arrive", "filing"})
        staff.offline(True)
        staff.wait_until(lambda d: d.execute_script("return navigator.onLine") is False, 5)
        staff.click("#step-arrive button[type=submit]")
        check(staff.wait_until(lambda d: "已离线保存，联网后自动发送" in staff.status(), 10), f"到场 saved offline: {staff.status()!r}")
        # Tapped twice: the second 到场 will be refused (already on site) and must say so, not vanish.
        staff.click("#step-arrive button[type=submit]")
        check(staff.wait_until(lambda d: staff.status().count("已离线保存") == 2, 10), f"both taps kept: {staff.status()!r}")
        staff.shot("07-arrive-offline")
        staff.offline(False)
        check(staff.wait_until(lambda d: "已发送" in staff.status() and "未能发送" in staff.status(), 15),
              f"到场 sent when back online, the repeat refused with a reason: {staff.status()!r}")
        staff.shot("08-arrive-sent-and-refused")
        staff.d.refresh()
        check(staff.wait_text("已到场"), "the arrival made offline is recorded")
        check(staff.wait_until(lambda d: "未能发送" in staff.status(), 10), "a refused replay stays on the page after a reload")
        staff.click("#offline-status p.refused button:last-of-type")   # 放弃
        check(staff.wait_until(lambda d: "未能发送" not in staff.status(), 10), "a refused replay can be discarded")
        steps(staff, "on site", {"step-progress", "step-complete", "step-extension", "filing", "handover"})
        staff.fits("task page on site")
        staff.shot("09-task-on-site")
        staff.sign_out()

        # 6. The dispatcher's pages on the phone: tables as labelled cards, nothing too wide.
        disp.sign_in("disp1", "pw-disp1-2026x")
        for path, name in (("/console", "console"), ("/board", "board"), (f"/whistles/{whistle['id']}", "whistle"), ("/dashboard", "dashboard")):
            disp.open(path)
            disp.wait_until(lambda d: d.find_element(By.ID, "main").text != "", 10)
            disp.fits(name)
            disp.shot(f"10-{name}")
        disp.open(f"/whistles/{whistle['id']}")
        cards = disp.d.execute_script("""var td=document.querySelector('table.responders tbody td[data-label]');if(!td)return null;
            return {label:td.getAttribute('data-label'),before:getComputedStyle(td,'::before').content,display:getComputedStyle(td).display,
                    head:getComputedStyle(document.querySelector('table.responders thead')).position,
                    rows:Array.prototype.map.call(document.querySelectorAll('table.responders tbody tr'),function(r){return Math.round(r.getBoundingClientRect().height);})};""")
        check(cards is not None and cards["label"] == "报到单位" and cards["before"] == '"报到单位"' and cards["display"] == "block"
              and cards["head"] == "absolute", f"the responders table shows labelled cards: {cards}")
        check(cards is not None and all(h < 300 for h in cards["rows"]), f"each card is compact: {cards and cards['rows']}")
        # The photo taken offline was kept with the report and arrived with it.
        disp.open(f"/appeals/{offline_id}")
        check(disp.wait_until(lambda d: d.execute_script(
            "var i=document.querySelector('.photos img');return !!i&&i.complete&&i.naturalWidth>0;"), 10),
            "the photo of the report made offline arrived with it")
        disp.open("/dashboard")
        rows = disp.d.execute_script("return Array.prototype.map.call(document.querySelectorAll('#streets tbody tr'),function(r){return Math.round(r.getBoundingClientRect().height);});")
        check(rows and all(h < 500 for h in rows), f"dashboard street rows are cards, not 600 px columns: {rows}")
        disp.sign_out()
    finally:
        for p in (grid, staff, disp):
            p.quit()


def steps(person, when, expected):
    """The task page's steps: each a card of its own with a heading and one primary button."""
    blocks = person.d.execute_script("""return Array.prototype.map.call(document.querySelectorAll('#steps > .step'),function(b){
        var r=b.getBoundingClientRect(),s=getComputedStyle(b);
        return {id:b.id,top:r.top,bottom:r.bottom,heading:!!b.querySelector(':scope>h2,:scope>summary'),primary:b.querySelectorAll('button.primary').length,
                border:parseFloat(s.borderTopWidth),forms:b.querySelectorAll('form').length};});""")
    ids = {b["id"] for b in blocks}
    check(expected <= ids, f"{when}: the steps {sorted(expected)} are there: {sorted(ids)}")
    check(all(b["heading"] and b["primary"] == 1 and b["border"] >= 1 and b["forms"] == 1 for b in blocks),
          f"{when}: each step is a card with a heading, one form and one primary button: {blocks}")
    check(all(blocks[i]["top"] >= blocks[i - 1]["bottom"] for i in range(1, len(blocks))), f"{when}: the steps do not run together")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18151)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    base.UNITS, base.PEOPLE = UNITS, PEOPLE
    server = base.Server(os.path.abspath(args.binary), args.port)
    photo = os.path.join(server.dir, "photo.png")
    with open(photo, "wb") as f:
        f.write(base.PNG)
    try:
        server.load()
        server.start()
        run(server, photo)
    finally:
        server.stop(args.keep)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed:")
        for f in FAILURES:
            print("  -", f)
        sys.exit(1)
    print("browser phone: all checks passed")


if __name__ == "__main__":
    main()
