"""Try both journeys as a newcomer on a phone would, against a running Camino (`make run`).

    .venv/bin/python bin/phone_trial.py http://127.0.0.1:8000

At 390 x 844 with touch, in Debian's Chromium: a one-time gift of a typed amount ($37, demo mode)
from the home page's Give Today, and a letter from the campaign list, to the thank-you page of each.
It counts taps, typed characters and pages, checks every page for horizontal scrolling, and prints an
estimate of a person's time: 1.5 s per tap (find the control, reach it with a thumb, tap), 0.33 s per
typed character (36 words a minute, the average measured on phones by Palin et al., "How do People
Type on Mobile Devices?", MobileHCI 2019) and 3 s of reading per page. Without browser autofill, so
every field is typed: the autocomplete tokens let a phone fill name, email and address in one tap.
Exits non-zero when a journey does not finish, a page scrolls sideways or an estimate passes a minute.
"""

import sys
import time

from playwright.sync_api import sync_playwright

WIDTH, HEIGHT = 390, 844
SECONDS_PER_TAP, SECONDS_PER_CHARACTER, SECONDS_PER_PAGE = 1.5, 0.33, 3.0


class Trial:
    def __init__(self, page):
        self.page, self.taps, self.characters, self.pages, self.overflow = page, 0, 0, 0, []

    def arrive(self, label):
        self.page.wait_for_load_state()
        self.pages += 1
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            self.overflow.append((label, width))
        print(f"  {label}: {self.page.url} ({width} px wide)")

    def tap(self, locator):
        self.taps += 1
        locator.click()

    def choose(self, locator, value):
        self.taps += 2  # open the list, pick
        locator.select_option(value)

    def type(self, locator, text):
        self.taps += 1
        self.characters += len(text)
        locator.fill(text)

    def estimate(self):
        return SECONDS_PER_TAP * self.taps + SECONDS_PER_CHARACTER * self.characters + SECONDS_PER_PAGE * self.pages


def gift(page, base, stamp):
    trial = Trial(page)
    page.goto(base + "/")
    trial.arrive("home")
    trial.tap(page.get_by_role("link", name="Give Today").first)
    trial.arrive("donate")
    trial.tap(page.get_by_role("radio", name="Other amount"))
    trial.type(page.get_by_label("Other amount (USD)"), "37")
    trial.type(page.get_by_label("Your name"), "Ana Reyes")
    trial.type(page.get_by_label("Email"), f"ana.{stamp}@example.org")
    trial.tap(page.get_by_role("button", name="Continue to payment"))
    trial.arrive("payment (demo)")
    trial.tap(page.get_by_role("button", name="Complete demo donation"))
    trial.arrive("thank-you")
    # The page confirms the payment by itself once the worker has it (js/live-status.js).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "$37" not in page.inner_text("main"):
        page.wait_for_timeout(500)
    return trial, "$37" in page.inner_text("main")


def letter(page, base, stamp):
    trial = Trial(page)
    page.goto(base + "/act/")
    trial.arrive("campaigns")
    trial.tap(page.locator("main a[href*='/act/']").first)
    trial.arrive("campaign")
    trial.choose(page.get_by_label("Title"), "Mr.")
    trial.type(page.get_by_label("First name"), "Luis")
    trial.type(page.get_by_label("Last name"), "Reyes")
    trial.type(page.get_by_label("Email"), f"luis.{stamp}@example.org")
    trial.type(page.get_by_label("Street address"), "500 Mercer St")
    trial.type(page.get_by_label("City"), "Seattle")
    trial.choose(page.get_by_label("State"), "WA")
    trial.type(page.get_by_label("ZIP code"), "98109")  # the demo's one-district ZIP
    if page.locator("input[name=consent]").count():
        trial.tap(page.locator("input[name=consent]"))
    trial.tap(page.locator("form[data-primary-action] [type=submit]").last)
    trial.arrive("next step")
    for _ in range(3):  # the district step (when the ZIP has several) and the confirmation
        if "/thanks/" in page.url:
            break
        trial.tap(page.locator("button[data-primary-action], [data-primary-action] [type=submit]").first)
        trial.arrive("next step")
    return trial, "/thanks/" in page.url and "Thank you" in page.inner_text("main")


def main(base):
    stamp = int(time.time())
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True, has_touch=True)
        for name, journey in (("gift", gift), ("letter", letter)):
            print(name)
            started = time.monotonic()
            trial, finished = journey(context.new_page(), base, stamp)
            estimate = trial.estimate()
            print(
                f"{name}: finished={finished}, {time.monotonic() - started:.1f} s automated, {trial.taps} taps,"
                f" {trial.characters} characters typed, {trial.pages} pages, about {estimate:.0f} s for a person;"
                f" sideways scrolling: {trial.overflow or 'none'}"
            )
            failed |= not finished or bool(trial.overflow) or estimate >= 60
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
