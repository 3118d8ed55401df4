"""Issue 14's Done-when journeys: a gift (demo mode) and a letter entirely in Spanish (/es/...), each
with a pointer, with JavaScript off and with the keyboard only; the receipt and the letter
confirmation reach a real SMTP server in Spanish, a gift through Stripe Checkout (the stand-in in
tests/fakes/stripe_server.py) asks for Checkout in Spanish (locale=es), and the letter reaches the
offices (the CWC stand-in) as the campaign's English letter with the supporter's Spanish words as
written.

The Spanish words are looked up in the catalog (`es()`): a test fails if a label, button or email
line it uses is still English, and does not break when the catalog rewords one. Each step is also
checked with axe-core (WCAG 2.2 A/AA) and for `<html lang="es">`.

One worker, one SMTP server and the two stand-ins serve the whole module (a worker takes seconds
to start): each test clears what the last one left. The worker is given every address it needs
in its environment (EMAIL_URL, the CWC stand-in): the test's `settings` fixture changes only this
process, so a receipt the worker sends with the default console backend never reaches the SMTP
server, and the test waits for it in vain."""

import json
import re
import urllib.request

import pytest
from django.utils import translation
from playwright.sync_api import expect

from advocacy.demo import DEMO_SLUG
from advocacy.models import Campaign, Letter
from congress.demo import DEMO_MULTI_DISTRICT_ZIP
from donations.models import Donation
from tests.browser.test_accessibility import Audit, demo_content  # noqa: F401 - the shared seed_demo fixture
from tests.conftest import SMTPMailbox, WorkerProcess, _purge_test_queue, wait_until
from tests.donations import stripe_events
from tests.fakes.cwc_server import CWCServerFake
from tests.fakes.stripe_server import StripeFake

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MODES = ["pointer", "no-javascript", "keyboard"]
# What the supporter writes, as a Spanish speaker would: accents, ñ, ¿¡ and all.
SPANISH_WORDS = (
    "Soy maestra en Seattle. ¿Cómo van a defenderse solos? ¡Los niños necesitan un abogado! Gracias, señora."
)


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
        self.page, self.keyboard, self.mode = page, mode == "keyboard", mode
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
            # Tab stops once in a radio group (on its checked radio, or the first); arrows move within it.
            name = locator.get_attribute("name")
            for _ in range(250):
                if self.page.evaluate("n => document.activeElement && document.activeElement.name === n", name):
                    break
                self.page.keyboard.press("Tab")
            if not self.page.evaluate("() => document.activeElement.checked"):
                self.page.keyboard.press("Space")  # a group with nothing chosen: Space picks the focused one
            for _ in range(20):
                if locator.is_checked():
                    return
                self.page.keyboard.press("ArrowDown")
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


# --- What the whole module shares ---------------------------------------------------------------


@pytest.fixture(scope="module")
def services_up(django_db_setup, django_db_blocker):
    """The SMTP server, the CWC stand-in, the Stripe stand-in and one worker that knows them."""
    mailbox, cwc, stripe = SMTPMailbox(), CWCServerFake(api_key="test-key", senate_api_key="senate-key"), StripeFake()
    mailbox.start()
    cwc.start()
    stripe.start()
    with django_db_blocker.unblock():
        _purge_test_queue()
    worker = WorkerProcess(
        extra_env={
            "EMAIL_URL": mailbox.email_url,
            "DELIVERY_BACKEND_CONGRESS": "cwc",
            "CWC_API_BASE": cwc.base_url,
            "CWC_API_KEY": "test-key",
            "CWC_SENATE_API_URL": cwc.senate_url,
            "CWC_SENATE_API_KEY": "senate-key",
            "DELIVERY_RATE_LIMIT_CWC": "0",
            "DELIVERY_RATE_LIMIT_CWC_SENATE": "0",
        }
    )
    if worker.log_path.exists():
        worker.log_path.unlink()
    worker.start()
    yield {"mailbox": mailbox, "cwc": cwc, "stripe": stripe, "worker": worker}
    worker.stop()
    with django_db_blocker.unblock():
        _purge_test_queue()
    stripe.stop()
    cwc.stop()
    mailbox.stop()


@pytest.fixture
def spanish_site(demo_content, services_up, settings, live_server):  # noqa: F811 - the seed_demo fixture
    """The demo site (seed_demo, demo payments), each test starting with an empty mailbox and
    stand-ins that remember nothing."""
    mailbox = services_up["mailbox"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", mailbox.port, False
    mailbox.messages.clear()
    services_up["cwc"].requests.clear()
    services_up["stripe"].requests.clear()
    return services_up


@pytest.fixture(params=MODES)
def visitor(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=request.param != "no-javascript",
        locale="es-MX",
        extra_http_headers={"Accept-Language": "es-MX,es;q=0.9"},
    )
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


def field(page, msgid: str):
    """The form field whose label is the catalog's Spanish for `msgid` (crispy marks a required
    one with an asterisk), and no other field whose label merely contains it."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(es(msgid))}\*?\s*$"))


def plain_body(message) -> str:
    return message["message"].get_body(preferencelist=("plain",)).get_content()


def html_body(message) -> str:
    return message["message"].get_body(preferencelist=("html",)).get_content()


def messages_to(mailbox, address: str) -> list:
    return [message for message in mailbox.messages if address in message["to"]]


# --- A gift -----------------------------------------------------------------------------------


def give_on_the_spanish_form(visitor, audit) -> None:
    """From the Spanish home page to the gift form, $100 once, name and email, then on to payment."""
    page = visitor.page
    page.goto("/")  # a first visit from a Spanish browser: sent to the Spanish home page
    page.wait_for_url("**/es/")
    assert_spanish(visitor, audit, "/es/")
    page.goto("/es/donate/")
    assert_spanish(visitor, audit, "/es/donate/")
    visitor.check(page.locator('input[name="amount"][value="10000"]'))
    visitor.fill(page.get_by_label(es("Your name")), "Ana Pérez")
    visitor.fill(page.get_by_label(es("Email (for your receipt)")), "ana@example.org")
    visitor.press(page.get_by_role("button", name=es("Continue to payment")))


def assert_spanish_thanks_and_receipt(visitor, audit, mailbox) -> Donation:
    page = visitor.page
    page.wait_for_url("**/es/donate/thanks/**")
    assert page.get_by_role("heading", name=es("Thank you!")).is_visible()
    confirmed = es("Your gift of %(amount)s is confirmed.") % {"amount": "$100"}
    if visitor.mode == "no-javascript":
        # Without the page's script nothing updates it: the donor follows its "Check again" link.
        wait_until(lambda: Donation.objects.filter(paid_at__isnull=False).exists(), message="the gift paid")
        check_again = page.get_by_role("link", name=es("Check again"))
        if check_again.count():  # not there if the gift was already paid when the page was served
            visitor.press(check_again)
    page.get_by_text(confirmed).wait_for(timeout=60_000)
    assert_spanish(visitor, audit, "gift thank-you page")
    audit.assert_clean()

    donation = Donation.objects.get()
    assert donation.amount_cents == 10_000 and donation.language == "es"
    wait_until(lambda: messages_to(mailbox, "ana@example.org"), message="the receipt at the SMTP server")
    (receipt,) = messages_to(mailbox, "ana@example.org")
    body = plain_body(receipt)
    assert es("Receipt number") in body and es("Thank you for your gift. This is your receipt.") in body
    assert "$100.00" in body
    subject = es("Your receipt from %(organization)s (%(number)s)").split("%")[0]
    assert receipt["message"]["subject"].strip().startswith(subject)
    assert '<html lang="es">' in html_body(receipt)
    return donation


def test_a_demo_gift_entirely_in_spanish(spanish_site, visitor):
    page, audit = visitor.page, Audit(visitor.page)
    give_on_the_spanish_form(visitor, audit)

    page.wait_for_url("**/es/donate/demo/checkout/**")
    assert_spanish(visitor, audit, "demo checkout")
    visitor.press(page.get_by_role("button", name=es("Complete demo donation")))

    donation = assert_spanish_thanks_and_receipt(visitor, audit, spanish_site["mailbox"])
    assert donation.is_demo  # the demo page stands in for Checkout: no session at Stripe
    assert spanish_site["stripe"].requests == []


# Stands in for Stripe's hosted page, at Stripe's address (the browser cannot reach Stripe).
CHECKOUT_PAGE = "<!doctype html><html lang='es'><title>Stripe Checkout</title><h1>Stripe Checkout</h1></html>"


def test_a_gift_through_stripe_checkout_entirely_in_spanish(spanish_site, visitor, settings, live_server):
    """The same gift with a Stripe key: Camino asks the Stripe stand-in for a Checkout session in
    Spanish; Stripe's page (its address answered here, since the browser cannot reach Stripe) is
    where the donor pays; Stripe then posts the signed event to the webhook and sends the donor
    back to the success address, and the worker sends the receipt in Spanish."""
    stripe = spanish_site["stripe"]
    settings.STRIPE_SECRET_KEY = "sk_test_camino"
    settings.STRIPE_API_BASE = stripe.url
    settings.STRIPE_WEBHOOK_SECRET = stripe_events.WEBHOOK_SECRET
    settings.SITE_URL = live_server.url  # Stripe sends the donor back to this site
    page, audit = visitor.page, Audit(visitor.page)
    page.context.route(
        "https://checkout.stripe.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body=CHECKOUT_PAGE),
    )
    give_on_the_spanish_form(visitor, audit)

    # Playwright does not route a request the browser makes by following a redirect (its docs say
    # so): that first try at Stripe's address fails, and Chromium's own second try is routed. So
    # wait for the stand-in page to be shown, not for the first navigation (which fails, with the
    # keyboard before the second try is made).
    expect(page).to_have_url(re.compile(r"^https://checkout\.stripe\.com/c/pay/cs_"))
    expect(page.get_by_role("heading", name="Stripe Checkout")).to_be_visible()
    created = stripe.last("/v1/checkout/sessions")
    assert created["params"]["locale"] == "es"  # Stripe's page speaks Spanish
    session = stripe.objects[page.url.rsplit("/", 1)[1]]
    assert session["locale"] == "es" and session["amount_total"] == 10_000
    assert session["success_url"].startswith(f"{live_server.url}/es/donate/thanks/")
    assert session["cancel_url"].startswith(f"{live_server.url}/es/donate/")

    donation = Donation.objects.get()
    assert not donation.is_demo and donation.stripe_checkout_session_id == session["id"]
    paid = stripe_events.checkout_session(donation, session_id=session["id"])
    payload = json.dumps(stripe_events.event("checkout.session.completed", paid))
    webhook = urllib.request.Request(
        f"{live_server.url}/stripe/webhook/",
        data=payload.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Stripe-Signature": stripe_events.sign(payload)},
    )
    with urllib.request.urlopen(webhook, timeout=10) as answer:  # noqa: S310 - the live test server
        assert answer.status == 200
    page.goto(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))

    assert_spanish_thanks_and_receipt(visitor, audit, spanish_site["mailbox"])


# --- A letter ------------------------------------------------------------------------------------


def test_a_letter_entirely_in_spanish(spanish_site, visitor, settings):
    # The site picks each letter's backend when it is written (this process); the worker sends it.
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    page, audit = visitor.page, Audit(visitor.page)
    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    page.goto(f"/act/{DEMO_SLUG}/")  # a first visit from a Spanish browser: sent to the Spanish page
    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/")
    assert_spanish(visitor, audit, "campaign page")
    assert page.get_by_role("heading", name=campaign.title_es, exact=True).is_visible()
    english_note = page.get_by_test_id("english-to-offices")
    assert english_note.inner_text() == es(
        "Your representative's office receives the letter in English; your own words go exactly as you write them."
    )
    # The preview is the English letter the offices get, marked as English on the Spanish page.
    preview = page.get_by_test_id("letter-text")
    assert preview.get_attribute("lang") == "en"
    assert campaign.subject_template in preview.text_content()

    visitor.select(field(page, "Title"), "Ms.")
    visitor.fill(field(page, "First name"), "María")
    visitor.fill(field(page, "Last name"), "Núñez")
    visitor.fill(field(page, "Email"), "maria@example.org")
    visitor.fill(field(page, "Street address"), "400 Broad St")
    visitor.fill(field(page, "City"), "Seattle")
    visitor.select(field(page, "State"), "WA")
    visitor.fill(field(page, "ZIP code"), DEMO_MULTI_DISTRICT_ZIP)
    visitor.fill(page.get_by_label(es("Add a personal note (optional)")), SPANISH_WORDS)
    visitor.press(page.get_by_role("button", name=es("Find my members and preview")))

    # 98101 is split between two districts: the supporter says which is theirs.
    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/district/")
    assert_spanish(visitor, audit, "district step")
    assert page.get_by_role("heading", name=es("Which district do you live in?")).is_visible()
    # The House's own page is English, and so is its name quoted in the Spanish sentence.
    assert page.get_by_role("link", name="“Find your representative”").get_attribute("lang") == "en"
    seven = page.locator('input[name="district"][value="7"]')
    with translation.override("es"):
        democrat = translation.pgettext("party", "Democrat")
    assert democrat != "Democrat"
    assert page.locator(f'label[for="{seven.get_attribute("id")}"]').inner_text().endswith(f"({democrat})")
    visitor.check(seven)
    visitor.press(page.get_by_role("button", name=es("Continue"), exact=True))

    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/confirm/")
    assert_spanish(visitor, audit, "confirmation step")
    assert page.get_by_role("heading", name=es("Check your letters")).is_visible()
    assert page.get_by_test_id("english-to-offices").is_visible()
    letters = page.locator("article.card .advocacy-letter")
    assert letters.count() == 3
    subject = letters.first.locator('[lang="en"]').first
    assert subject.inner_text() == campaign.subject_template
    assert SPANISH_WORDS in letters.first.inner_text()
    visitor.press(page.get_by_role("button", name=es("Send my letters")))

    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/thanks/")
    assert_spanish(visitor, audit, "letter thank-you page")
    assert page.get_by_role("heading", name=es("Thank you for writing")).is_visible()
    assert page.get_by_test_id("english-to-offices").is_visible()
    assert "Whitford" in page.get_by_test_id("sent-to").inner_text()

    letter = Letter.objects.get()
    assert letter.language == "es" and letter.own_words == SPANISH_WORDS

    # The confirmation, in Spanish, with a private link that opens the Spanish status page.
    mailbox = spanish_site["mailbox"]
    wait_until(lambda: messages_to(mailbox, "maria@example.org"), message="the confirmation at the SMTP server")
    (confirmation,) = messages_to(mailbox, "maria@example.org")
    body = plain_body(confirmation)
    subject = es("Your letter to Congress: %(title)s") % {"title": campaign.title_es}
    assert confirmation["message"]["subject"].strip() == subject
    assert es("Follow each letter until the office has it (this link is private to you):") in body
    assert '<html lang="es">' in html_body(confirmation)
    status_link = re.search(r"https?://\S+/act/status/\S+", body).group(0)
    path = status_link.split("://", 1)[1].split("/", 1)[1]
    assert path.startswith("es/act/status/"), status_link

    # The offices get the campaign's English letter with María's words exactly as she wrote them.
    cwc = spanish_site["cwc"]
    wait_until(lambda: len(cwc.requests) >= 3, message="three letters at the CWC stand-in")
    for request in cwc.requests:
        message = request.xml.find("Message")
        assert message.findtext("Subject") == campaign.subject_template
        assert message.findtext("ConstituentMessage") == SPANISH_WORDS
        assert "I am your constituent in Seattle" in message.findtext("OrganizationStatement")
    assert {request.path for request in cwc.requests} == {"/v2/message", "/api/testing-messages/"}

    page.goto("/" + path)
    assert_spanish(visitor, audit, "private letter status page")
    assert page.get_by_role("heading", name=es("Your letters")).is_visible()
    audit.assert_clean()
