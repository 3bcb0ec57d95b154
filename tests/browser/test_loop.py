#!/usr/bin/env python3
"""Browser test: the whole loop as four people in a real headless Chromium against a real
`whistle serve` process, once at desktop size and once at phone size (390x844).

A citizen submits an appeal with a photo, the street dispatcher blows a whistle with the
catalogue's suggested responders, two departments' staff acknowledge (报到), arrive (with the
phone's location), report progress with a photo and complete, the dispatcher verifies, closes
and rates (一哨一考), the citizen rates satisfaction. Along the way it checks what each person
sees (texts, states, live countdowns, live updates without reloading) and saves a screenshot
of every page to artifacts/screenshots/<size>/.

Usage: tests/browser/test_loop.py --binary PATH/TO/whistle [--port 18150] [--keep]
"""
import argparse
import base64
import calendar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

# While a page navigates or redraws itself, a lookup can fail with any WebDriver error
# (a stale element, a vanished execution context); waits treat all of them as "not yet".
TRANSIENT = (WebDriverException,)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHOTS = os.path.join(ROOT, "artifacts", "screenshots")
START = "2026-03-02T01:00:00Z"  # Monday 09:00 in Beijing

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
grid,网格员陈静,13800000006,pw-grid-2026x,G1:gridWorker
supervisor,督查员,13800000009,pw-supervisor-2026x,D1:districtSupervisor
"""
CATALOGUE = """class_code,class_name,item_code,item_name,primary,supporting,limit_emergency,limit_urgent,limit_normal
CITY,城市管理,CITY-01,占道经营,function:urban-management,function:market-regulation,2h,24h,7wd
"""
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("  FAIL:", message, flush=True)
    return condition


class Server:
    def __init__(self, binary, port):
        self.binary, self.port = binary, port
        self.dir = tempfile.mkdtemp(prefix="whistle-browser-")
        self.clock = os.path.join(self.dir, "clock.txt")
        with open(self.clock, "w") as f:
            f.write(START)
        self.env = dict(os.environ, WHISTLE_DATA_DIR=self.dir, WHISTLE_PORT=str(port), WHISTLE_BCRYPT_COST="4",
                        WHISTLE_CLOCK_FILE=self.clock, LOG_LEVEL="warning")
        self.process = None

    def load(self):
        for what, text in (("units", UNITS), ("people", PEOPLE), ("catalogue", CATALOGUE)):
            path = os.path.join(self.dir, what + ".csv")
            with open(path, "w") as f:
                f.write(text)
            subprocess.run([self.binary, "import", what, path], env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self):
        # Another server on this port would answer /healthz for ours: refuse to start then.
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
            raise RuntimeError(f"port {self.port} is already serving: set another port (--port / WHISTLE_BROWSER_PORT)")
        except RuntimeError:
            raise
        except Exception:
            pass
        self.log = open(os.path.join(self.dir, "server.log"), "w")
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError("the server exited at start; see " + self.log.name)
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("the server did not start; see " + self.log.name)

    def advance(self, seconds):
        """Moves the server's clock forward (the FileClock rereads the file)."""
        with open(self.clock) as f:
            now = calendar.timegm(time.strptime(f.read().strip(), "%Y-%m-%dT%H:%M:%SZ"))
        with open(self.clock + ".tmp", "w") as f:
            f.write(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + seconds)))
        os.replace(self.clock + ".tmp", self.clock)
        time.sleep(0.05)

    def stop(self, keep):
        if self.process:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)


class Person:
    """One person's browser."""

    def __init__(self, name, base, size):
        self.name, self.base, self.size = name, base, size
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                    "--no-first-run", "--disable-extensions"):
            options.add_argument(arg)
        if size == "phone":
            options.add_experimental_option("mobileEmulation", {
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": True},
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36"})
        else:
            options.add_argument("--window-size=1280,900")
        service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.d = webdriver.Chrome(service=service, options=options)
        self.d.set_page_load_timeout(30)
        self.d.execute_cdp_cmd("Browser.grantPermissions", {"origin": base, "permissions": ["geolocation"]})
        self.d.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 39.9342, "longitude": 116.4551, "accuracy": 10})

    def open(self, path):
        self.d.get(self.base + path)

    def text(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def wait_text(self, needle, timeout=20, where="body"):
        try:
            WebDriverWait(self.d, timeout, ignored_exceptions=TRANSIENT).until(
                lambda d: needle in d.find_element(By.CSS_SELECTOR, where).text)
            return True
        except TimeoutException:
            self.shot("FAIL-" + self.name + "-" + str(abs(hash(needle)) % 10000))
            return False

    def wait_until(self, condition, timeout=20):
        """Waits until condition(driver) holds; False on timeout (the check that follows says what)."""
        try:
            WebDriverWait(self.d, timeout, ignored_exceptions=TRANSIENT).until(condition)
            return True
        except TimeoutException:
            return False

    def shot(self, name):
        folder = os.path.join(SHOTS, self.size)
        os.makedirs(folder, exist_ok=True)
        self.d.save_screenshot(os.path.join(folder, name + ".png"))

    def fill(self, name, value, form="form"):
        field = self.d.find_element(By.CSS_SELECTOR, f"{form} [name='{name}']")
        field.clear()
        field.send_keys(value)

    def click(self, css):
        """Clicks, again if a live redraw replaced the element meanwhile."""
        for attempt in range(6):
            try:
                self.d.find_element(By.CSS_SELECTOR, css).click()
                return
            except (StaleElementReferenceException, NoSuchElementException):
                if attempt == 5:
                    raise
                time.sleep(0.3)

    def submit(self, form_selector):
        """Submits a form and waits until the browser has left the page it was on."""
        old = self.d.find_element(By.TAG_NAME, "html")
        self.click(form_selector + " button[type=submit]")
        try:
            WebDriverWait(self.d, 20).until(lambda d: self._gone(old))
        except TimeoutException:
            pass  # the check that follows says what went wrong

    @staticmethod
    def _gone(element):
        """True once the element no longer belongs to the page (any WebDriver error says so)."""
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True

    def sign_in(self, username, password):
        self.open("/login")
        self.fill("username", username)
        self.fill("password", password)
        self.submit("#login")
        WebDriverWait(self.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: "/login" not in d.current_url)

    def sign_out(self):
        self.click("form[action='/logout'] button")
        WebDriverWait(self.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: "/login" in d.current_url)

    def quit(self):
        self.d.quit()


def run_loop(server, size, photo):
    base = f"http://127.0.0.1:{server.port}"
    tag = "桌面" if size == "desktop" else "手机"
    print(f"== {size}", flush=True)
    citizen = Person("citizen", base, size)
    dispatcher = Person("dispatcher", base, size)
    staff = Person("staff", base, size)
    try:
        # 1. A citizen submits an appeal with a photo and a location, and gets a tracking code.
        citizen.open("/citizen")
        check("我要反映问题" in citizen.text(), "citizen portal heading")
        citizen.shot("01-citizen-form")
        description = f"路口商户占道经营，影响行人通行（{tag}）<script>window.__xss=true</script>"
        citizen.fill("address", "幸福路1号", "#appeal")
        citizen.fill("description", description, "#appeal")
        citizen.d.find_element(By.CSS_SELECTOR, "#appeal input[type=file]").send_keys(photo)
        citizen.fill("appellantName", "张三", "#appeal")
        citizen.fill("appellantPhone", "13812345678", "#appeal")
        citizen.submit("#appeal")
        check(citizen.wait_text("请保存查询码"), "the receipt asks to keep the tracking code")
        code = citizen.d.find_element(By.ID, "tracking-code").text
        check(re.fullmatch(r"[2-9A-Z]{10}", code) is not None, f"tracking code looks right: {code!r}")
        check("已受理" in citizen.text(), "the appeal is received")
        citizen.shot("02-citizen-receipt")

        # 2. The dispatcher signs in, finds it in the queue, and sees the text exactly as typed.
        dispatcher.sign_in("disp1", "pw-disp1-2026x")
        check("/console" in dispatcher.d.current_url, "dispatcher lands on the console")
        header = dispatcher.d.find_element(By.CSS_SELECTOR, "header.top").text
        check("调度员王芳" in header and "三里屯街道" in header, "header shows who and which unit")
        check(dispatcher.wait_text(description), "the queue shows the appeal, script tags as text")
        check(not dispatcher.d.execute_script("return window.__xss === true"), "no script ran")
        dispatcher.shot("03-console")
        dispatcher.fill("q", tag, "form[role=search]")
        dispatcher.submit("form[role=search]")
        WebDriverWait(dispatcher.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: "q=" in d.current_url)
        dispatcher.click("#queue li.appeal a.number")
        check(dispatcher.wait_text("13812345678"), "the receiving street sees the appellant's phone")
        check(len(dispatcher.d.find_elements(By.CSS_SELECTOR, ".photos img")) == 1, "the citizen's photo is shown")
        dispatcher.shot("04-appeal-case")

        # 3. Blow: the catalogue item brings its suggested responders (lead and supporting).
        dispatcher.click("#blow-link")
        typed_title = f"路口商户占道经营（{tag}）"
        dispatcher.fill("title", typed_title, "#blow")
        Select(dispatcher.d.find_element(By.CSS_SELECTOR, "#suggest select[name=item]")).select_by_visible_text("CITY-01 占道经营")
        WebDriverWait(dispatcher.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: "item=" in d.current_url)  # JS re-asks for suggestions
        kept = dispatcher.d.find_element(By.CSS_SELECTOR, "#blow [name=title]").get_attribute("value")
        check(kept == typed_title, f"the typed title survives the redrawn suggestions: {kept!r}")
        check(Select(dispatcher.d.find_element(By.CSS_SELECTOR, "#suggest select[name=kind]")).first_selected_option.get_attribute("value") == "jointAction",
              "an item answered by several units proposes a joint-action whistle")
        Select(dispatcher.d.find_element(By.CSS_SELECTOR, "#suggest select[name=urgency]")).select_by_value("urgent")
        WebDriverWait(dispatcher.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: "urgency=urgent" in d.current_url)
        ticked = [e.find_element(By.XPATH, "..").text for e in
                  dispatcher.d.find_elements(By.CSS_SELECTOR, "#responders input[type=checkbox]") if e.is_selected()]
        check(any("三里屯城管执法队" in t and "牵头" in t for t in ticked), f"the stationed agency is proposed as lead: {ticked}")
        check(any("区市场监管局" in t and "参与" in t for t in ticked), f"market regulation is proposed to support: {ticked}")
        reason = Select(dispatcher.d.find_element(By.CSS_SELECTOR, "#blow select[name=reason]")).first_selected_option.get_attribute("value")
        check(reason == "jointEnforcement", f"and its reason, joint enforcement: {reason!r}")
        dispatcher.fill("leadOfficial", "街道副主任刘明", "#blow")   # a joint action names its lead official
        dispatcher.shot("05-blow-form")
        dispatcher.submit("#blow")
        check(dispatcher.wait_text("报到单位与时限"), "the whistle's case page opens")
        rows = dispatcher.d.find_elements(By.CSS_SELECTOR, "table.responders tbody tr")
        check(len(rows) == 2, f"two responders on the board, got {len(rows)}")
        check(all("待报到" in r.text for r in rows), "both are summoned (待报到)")
        # Urgent: 30 minutes to acknowledge; the countdown ticks in the page.
        first = dispatcher.d.find_element(By.CSS_SELECTOR, "table.responders tbody tr [data-due]")
        before = first.text
        check(re.match(r"剩 (29分\d\d秒|30分00秒)", before) is not None, f"a 30-minute countdown: {before!r}")
        countdown = "table.responders tbody tr [data-due]"
        dispatcher.wait_until(lambda d: d.find_element(By.CSS_SELECTOR, countdown).text != before, timeout=10)
        after = dispatcher.d.find_element(By.CSS_SELECTOR, countdown).text
        check(after != before and after.startswith("剩 29分"), f"the countdown ticks: {before!r} → {after!r}")
        WebDriverWait(dispatcher.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live-open") == "1")
        dispatcher.shot("06-whistle-board")
        whistle_url = dispatcher.d.current_url
        number = re.search(r"W\d{4}-\d{6}", dispatcher.d.find_element(By.TAG_NAME, "h1").text).group(0)

        # 4. Two departments' staff report (报到), arrive, progress with a photo, complete.
        for username, password, unit in (("um", "pw-um-2026x", "三里屯城管执法队"), ("mr", "pw-mr-2026x", "区市场监管局")):
            staff.sign_in(username, password)
            check("/inbox" in staff.d.current_url, f"{username} lands on the inbox")
            check(staff.wait_text("路口商户占道经营"), f"{username} sees the task")
            check("待报到" in staff.text(), f"{username}: the task waits for 报到")
            staff.shot(f"07-inbox-{username}")
            server.advance(300)
            staff.click(f"#inbox li[data-number='{number}'] form[action$='/acknowledge'] button")
            check(staff.wait_text("已报到"), f"{username} acknowledged")
            # The dispatcher's open page updates by itself (server-sent events), no reload.
            row = f"table.responders tbody tr[data-unit='{unit}']"
            try:
                WebDriverWait(dispatcher.d, 10, ignored_exceptions=TRANSIENT).until(
                    lambda d: "已报到" in d.find_element(By.CSS_SELECTOR, row).text)
                live = True
            except TimeoutException:
                live = False
            check(live and dispatcher.d.current_url == whistle_url, f"the board shows {unit} 已报到 live")
            staff.click("form[action$='/arrive'] button")
            check(staff.wait_text("已到场"), f"{username} arrived")
            check(staff.wait_text("39.93420, 116.45510"), f"{username}: arrival recorded with the phone's location")
            staff.fill("text", "已到现场，正在清理", "#progress")
            staff.d.find_element(By.CSS_SELECTOR, "#progress input[type=file]").send_keys(photo)
            staff.submit("#progress")
            check(staff.wait_text("正在清理", where="#timeline"), f"{username}: progress on the timeline")
            staff.shot(f"08-task-{username}")
            server.advance(1800)
            staff.fill("result", f"{unit}已处置完毕", "#complete")
            staff.d.find_element(By.CSS_SELECTOR, "#complete input[type=file]").send_keys(photo)
            staff.submit("#complete")
            check(staff.wait_text("已办结"), f"{username} completed")
            staff.shot(f"09-task-done-{username}")
            staff.sign_out()

        # 5. The dispatcher verifies each, closes, and rates (一哨一考).
        check(dispatcher.wait_text("核查与评价"), "verification section")
        verify = "#verify form[action$='/verify'] button"
        for _ in range(2):
            left = len(dispatcher.d.find_elements(By.CSS_SELECTOR, verify))
            if not check(left > 0, "a completed task to verify"):
                break
            dispatcher.shot("10-verify")
            dispatcher.click(verify)
            check(dispatcher.wait_until(lambda d: len(d.find_elements(By.CSS_SELECTOR, verify)) < left),
                  "the verified task leaves the verification list")
        check(dispatcher.wait_text("结案"), "close form")
        dispatcher.fill("note", "双方均已处置，现场恢复", "#close")
        dispatcher.click("#close [name='confirm']")   # closing verifies every unit at once: confirm it
        dispatcher.submit("#close")
        check(dispatcher.wait_text("一哨一考"), "rating forms after closing")
        for rated in range(1, 3):
            forms = dispatcher.d.find_elements(By.CSS_SELECTOR, "form[data-rate]")
            if not check(len(forms) > 0, "a responder to rate"):
                break
            dispatcher.click("form[data-rate] input[value=good]")
            dispatcher.shot("11-rate")
            dispatcher.click("form[data-rate] button[type=submit]")
            check(dispatcher.wait_until(lambda d: d.find_element(By.TAG_NAME, "body").text.count("一哨一考：好") >= rated),
                  f"rating {rated} shows on the page")
        body = dispatcher.text()
        check(body.count("一哨一考：好") == 2, "both responders rated 好")
        check("已结案" in body, "the whistle is closed")
        dispatcher.shot("12-whistle-closed")
        dispatcher.open("/board")
        dispatcher.shot("13-board")
        dispatcher.open("/dashboard")
        dispatcher.shot("14-dashboard")
        dispatcher.open("/console?lang=en")
        check("Incoming appeals" in dispatcher.text(), "English switch")
        dispatcher.shot("15-console-en")
        dispatcher.open("/console?lang=zh")

        # 6. The citizen follows the progress and rates satisfaction.
        citizen.open(f"/citizen/track/{code}")
        check("已办结待回访" in citizen.text(), "the citizen sees it resolved")
        check("13812345678" not in citizen.text(), "no personal data on the citizen's page")
        citizen.shot("16-citizen-rate")
        steps = citizen.d.find_element(By.ID, "steps").text
        check("三里屯城管执法队" in steps and "区市场监管局" in steps, f"each step names its unit: {steps!r}")
        results = citizen.d.find_elements(By.CSS_SELECTOR, "#result")
        check(len(results) == 1 and "双方均已处置" in results[0].text and "（" + tag + "）" not in results[0].text,
              "the real result (the closing note), not the whistle's title")
        loaded = citizen.d.execute_script("return Array.from(document.querySelectorAll('#photos img')).filter(i => i.complete && i.naturalWidth > 0).length")
        check(loaded >= 1, f"the citizen's photos load on the tracking page: {loaded}")
        citizen.click("#callback input[value=satisfied]")
        citizen.submit("#callback")
        check(citizen.wait_text("感谢您的评价"), "a thank-you after rating")
        check(citizen.wait_text("已结案"), "closed after the citizen's rating")
        check("满意" in citizen.text(), "satisfaction shown")
        citizen.shot("17-citizen-closed")

        # 7. A grid worker's quick report from the phone, blown as an emergency; the emergency board.
        staff.sign_in("grid", "pw-grid-2026x")
        check("/grid/report" in staff.d.current_url, "the grid worker lands on the quick report")
        staff.d.find_element(By.CSS_SELECTOR, "#quick input[type=file]").send_keys(photo)
        Select(staff.d.find_element(By.CSS_SELECTOR, "#quick select[name=itemId]")).select_by_visible_text("占道经营")
        staff.fill("text", f"燃气管道疑似泄漏，已疏散（{tag}）", "#quick")
        staff.shot("18-grid-report")
        staff.submit("#quick")
        check(staff.wait_text("已上报"), "quick report sent")
        staff.shot("19-grid-reported")
        staff.sign_out()
        dispatcher.open("/console?order=newest")   # the console's own order is the most urgent first
        check(dispatcher.wait_text("燃气管道疑似泄漏"), "the quick report reaches the console")
        dispatcher.click("#queue li.appeal a.number")
        dispatcher.click("#blow-link")
        Select(dispatcher.d.find_element(By.CSS_SELECTOR, "#suggest select[name=kind]")).select_by_value("emergency")
        WebDriverWait(dispatcher.d, 10, ignored_exceptions=TRANSIENT).until(lambda d: "kind=emergency" in d.current_url)
        dispatcher.fill("leadOfficial", "街道副主任刘明", "#blow")
        dispatcher.submit("#blow")
        check(dispatcher.wait_text("应急看板"), "an emergency whistle links its board")
        dispatcher.click("a[href^='/emergency/']")
        check(dispatcher.wait_text("已召集"), "emergency board")
        counts = [e.text for e in dispatcher.d.find_elements(By.CSS_SELECTOR, "#summoned [data-due]")]
        # Emergency: 10 minutes to acknowledge, 30 minutes to be on site, per summoned unit.
        check(len(counts) >= 2 and all(re.match(r"剩 (9分\d\d秒|10分00秒)", t) for t in counts[0::2])
              and all(re.match(r"剩 (29分\d\d秒|30分00秒)", t) for t in counts[1::2]),
              f"10- and 30-minute countdowns on the emergency board: {counts}")
        dispatcher.shot("20-emergency-board")

        # 8. Administration.
        staff.sign_in("admin", "pw-admin-2026x")
        staff.open("/admin")
        check("组织架构" in staff.text() and "三里屯城管执法队" in staff.text(), "admin: the org tree")
        staff.shot("21-admin")
        # The people list is searched (a page at a time): only the grid worker is left.
        staff.fill("q", "grid", form="#people form")
        staff.submit("#people form")
        people = staff.d.find_element(By.CSS_SELECTOR, "#people tbody").text
        check("grid" in people and "disp1" not in people, "admin: the people list searched")
        staff.sign_out()
    finally:
        for p in (citizen, dispatcher, staff):
            p.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18150)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    for size in ("desktop", "phone"):
        shutil.rmtree(os.path.join(SHOTS, size), ignore_errors=True)
    server = Server(os.path.abspath(args.binary), args.port)
    photo = os.path.join(server.dir, "photo.png")
    with open(photo, "wb") as f:
        f.write(PNG)
    try:
        server.load()
        server.start()
        for size in ("desktop", "phone"):
            run_loop(server, size, photo)
    finally:
        server.stop(args.keep)
    shots = sum(len(files) for _, _, files in os.walk(SHOTS))
    print(f"{shots} screenshots in {os.path.relpath(SHOTS, ROOT)}")
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed:")
        for f in FAILURES:
            print("  -", f)
        sys.exit(1)
    print("browser loop: all checks passed")


if __name__ == "__main__":
    main()
