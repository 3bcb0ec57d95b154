#!/usr/bin/env python3
"""Browser test: the citizen's form and the dispatcher's desk (issue 15), at desktop and phone size.

A citizen types a wrong phone number: the error appears next to the phone field, in Chinese,
with everything typed kept; the location's state is shown while it is asked; a chosen photo is
previewed. A dispatcher's console filters stay put when they come back to the console.

Usage: tests/browser/test_desk.py --binary PATH/TO/whistle [--port 18151]
"""
import argparse
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

import test_loop as base

SHOTS = os.path.join(base.SHOTS, "desk")


def shot(person, name):
    os.makedirs(SHOTS, exist_ok=True)
    person.d.save_screenshot(os.path.join(SHOTS, f"{person.size}-{name}.png"))


def run(server, size, photo):
    url = f"http://127.0.0.1:{server.port}"
    citizen = base.Person("citizen", url, size)
    dispatcher = base.Person("dispatcher", url, size)
    try:
        citizen.open("/citizen")
        state = citizen.d.find_element(By.CSS_SELECTOR, "#appeal [data-geo-state]")
        base.check(citizen.wait_until(lambda d: "已定位" in state.text), f"the location's state is shown: {state.text!r}")
        citizen.fill("address", "幸福路2号", "#appeal")
        citizen.fill("description", f"井盖缺失，夜里危险（{size}）", "#appeal")
        citizen.d.find_element(By.CSS_SELECTOR, "#appeal input[type=file]").send_keys(photo)
        base.check(citizen.wait_until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#appeal .preview img")) == 1),
                   "the chosen photo is previewed")
        citizen.fill("appellantName", "王先生", "#appeal")
        citizen.fill("appellantPhone", "12ab", "#appeal")
        citizen.submit("#appeal")
        errors = citizen.d.find_elements(By.CSS_SELECTOR, "label[data-field=appellantPhone] .field-error")
        base.check(len(errors) == 1 and "不是有效的电话号码" in errors[0].text, "the error sits next to the phone field, in Chinese")
        base.check(errors and errors[0].is_displayed(), "and is visible")
        kept = {n: citizen.d.find_element(By.CSS_SELECTOR, f"#appeal [name={n}]").get_attribute("value")
                for n in ("address", "description", "appellantName", "appellantPhone")}
        base.check(kept == {"address": "幸福路2号", "description": f"井盖缺失，夜里危险（{size}）", "appellantName": "王先生",
                            "appellantPhone": "12ab"}, f"everything typed is kept: {kept}")
        base.check("appellantPhone" not in citizen.text() and "not a phone" not in citizen.text(), "no code words")
        width = citizen.d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        base.check(width, "the form fits the screen")
        shot(citizen, "01-citizen-error")
        citizen.fill("appellantPhone", "13912345678", "#appeal")
        citizen.d.find_element(By.CSS_SELECTOR, "#appeal input[type=file]").send_keys(photo)
        citizen.submit("#appeal")
        base.check(citizen.wait_text("请保存查询码"), "corrected, the appeal is received")
        shot(citizen, "02-citizen-receipt")

        dispatcher.sign_in("disp1", "pw-disp1-2026x")
        dispatcher.open("/console")
        Select(dispatcher.d.find_element(By.CSS_SELECTOR, "form[role=search] select[name=channel]")).select_by_value("citizenOnline")
        dispatcher.submit("form[role=search]")
        WebDriverWait(dispatcher.d, 10, ignored_exceptions=base.TRANSIENT).until(lambda d: "channel=citizenOnline" in d.current_url)
        dispatcher.open("/board")
        dispatcher.open("/console")
        base.check(dispatcher.wait_until(lambda d: "channel=citizenOnline" in d.current_url), "the console's filters stay put")
        chosen = Select(dispatcher.d.find_element(By.CSS_SELECTOR, "form[role=search] select[name=channel]")).first_selected_option
        base.check(chosen.get_attribute("value") == "citizenOnline", "and show in the form")
        shot(dispatcher, "03-console-filters")
        dispatcher.click("form[role=search] a[data-reset]")
        dispatcher.open("/console")
        base.check(dispatcher.wait_until(lambda d: "channel=" not in d.current_url), "clearing forgets them")
    finally:
        citizen.quit()
        dispatcher.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--port", type=int, default=18151)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    server = base.Server(os.path.abspath(args.binary), args.port)
    photo = os.path.join(server.dir, "photo.png")
    with open(photo, "wb") as f:
        f.write(base.PNG)
    try:
        server.load()
        server.start()
        for size in ("desktop", "phone"):
            print(f"== {size}", flush=True)
            run(server, size, photo)
    finally:
        server.stop(args.keep)
    if base.FAILURES:
        print(f"{len(base.FAILURES)} check(s) failed:")
        for f in base.FAILURES:
            print("  -", f)
        sys.exit(1)
    print("browser desk: all checks passed")


if __name__ == "__main__":
    main()
