"""WCAG 2.2 A/AA checks of the public pages with axe-core, in Chromium, on the demo content, in
English and in Spanish (/es/...).

axe-core comes from axe-playwright-python (its bundled axe.min.js). The library does not add a
<script> tag, which the site's Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') would
block: it runs the source with Playwright's `page.evaluate`, through the DevTools protocol, which the
page's policy does not govern. So the policy stays exactly as visitors get it (`visit` checks that).

Each page is checked at a desktop and a phone width. A failure lists, per page, each rule that
fails: its id, impact, what to fix and the first elements concerned (CSS selectors).
"""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from advocacy import services
from advocacy.demo import DEMO_SLUG
from advocacy.models import Campaign, Letter
from congress.demo import DEMO_MULTI_DISTRICT_ZIP, DEMO_SINGLE_DISTRICT_ZIP
from donations import services as donation_services
from donations.models import Appeal, ManageLinkRequest, RecurringDonation
from stories.models import AgendaPoint, Story
from tests.browser.journeys import fill_letter_form
from tests.stories.factories import ensure_agenda_points

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# axe-core 4.12 (bundled with axe-playwright-python 0.1.8) tags its WCAG 2.2 rules wcag22aa
# (target-size); wcag22a has no rule yet and is listed so a later axe's are run without a change here.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LANGUAGES = {"en": "", "es": "/es"}
TARGETS_SHOWN = 5
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 740}}


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it is now (no rule is switched off)."""
    page.wait_for_load_state("load")
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for violation in violations:
            nodes = violation["nodes"]
            targets = ", ".join(" ".join(node["target"]) for node in nodes[:TARGETS_SHOWN])
            more = f" (+{len(nodes) - TARGETS_SHOWN} more)" if len(nodes) > TARGETS_SHOWN else ""
            lines.append(
                f"{where}: {violation['id']} [{violation['impact']}] {violation['help']} "
                f"({len(nodes)} element(s): {targets}{more}) - {violation['helpUrl']}"
            )
    return "\n".join(lines)


class Audit:
    """Runs axe on each page visited and keeps what it finds, so one failure reports every page."""

    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[dict]] = {}

    def check(self, where: str) -> None:
        violations = axe_violations(self.page)
        if violations:
            self.found[f"{where} ({self.page.viewport_size['width']}px wide)"] = violations

    def visit(self, path: str, *, status: int = 200, where: str = "") -> None:
        response = self.page.goto(path)
        assert response.status == status, f"{path} answered {response.status}"
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy
        self.check(where or path)

    def assert_clean(self) -> None:
        assert not self.found, "WCAG 2.2 A/AA violations found by axe-core:\n" + describe(self.found)


@pytest.fixture(params=list(VIEWPORTS), autouse=True)
def viewport(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def demo_content(settings, tmp_path):
    """`manage.py seed_demo` in demo mode (no Stripe key, DEBUG on), with its photos in a temp folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = True
    ensure_agenda_points()  # created by a migration, and emptied by any earlier transactional test
    call_command("seed_demo", stdout=io.StringIO())
    assert Story.objects.published().count() > 1 and Campaign.objects.filter(slug=DEMO_SLUG).exists()
    return settings


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_content_pages_meet_wcag_22_aa(demo_content, page, language):
    audit = Audit(page)
    story = Story.objects.published().order_by("-publish_at").first()
    point = AgendaPoint.objects.order_by("pk").first()
    prefix = LANGUAGES[language]
    for path in ("/", "/stories/", story.get_absolute_url(), "/agenda/", point.get_absolute_url(),
                 "/act/", f"/act/{DEMO_SLUG}/", "/privacy/", "/donate/", "/donate/manage/"):
        audit.visit(prefix + path)
        assert page.locator("html").get_attribute("lang") == language, prefix + path
    audit.assert_clean()


def test_letter_journey_meets_wcag_22_aa(demo_content, page):
    audit = Audit(page)
    audit.visit(f"/act/{DEMO_SLUG}/")
    fill_letter_form(page, zip_code=DEMO_SINGLE_DISTRICT_ZIP)
    page.get_by_role("button", name="Find my members and preview").click()

    page.wait_for_url(f"**/act/{DEMO_SLUG}/confirm/")
    audit.check("confirmation step (ZIP 98109)")
    page.get_by_role("button", name="Send my letters").click()

    page.wait_for_url(f"**/act/{DEMO_SLUG}/thanks/")
    audit.check("letter thank-you page")
    page.get_by_role("button", name="Left a voicemail").first.click()  # how the first call went
    page.wait_for_url(f"**/act/{DEMO_SLUG}/thanks/#call-*")
    page.get_by_test_id("call-reported").wait_for()
    audit.check("letter thank-you page after answering how a call went")
    page.goto(services.letter_status_url(Letter.objects.latest("pk")))  # the link the email gives
    audit.check("private letter status page")
    audit.assert_clean()


def test_district_choice_meets_wcag_22_aa(demo_content, page):
    """The split ZIP's district page (the geocoder is off in tests): members named, the House link."""
    audit = Audit(page)
    audit.visit(f"/act/{DEMO_SLUG}/")
    fill_letter_form(page, zip_code=DEMO_MULTI_DISTRICT_ZIP)
    page.get_by_role("button", name="Find my members and preview").click()

    page.wait_for_url(f"**/act/{DEMO_SLUG}/district/")
    audit.check("district choice (ZIP 98101)")
    page.get_by_label("WA district 9: Rep. Lena Marchetti (demo) (Republican)").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**/act/{DEMO_SLUG}/confirm/")
    audit.assert_clean()


def test_form_errors_meet_wcag_22_aa(demo_content, page):
    """The campaign and donation forms as they come back with errors."""
    audit = Audit(page)
    page.goto(f"/act/{DEMO_SLUG}/")
    page.get_by_role("button", name="Find my members and preview").click()
    page.wait_for_load_state("load")
    audit.check("campaign form with errors")
    page.goto("/donate/")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_load_state("load")
    audit.check("donation form with errors")
    audit.assert_clean()


def test_giving_pages_meet_wcag_22_aa(demo_content, page):
    audit = Audit(page)
    audit.visit("/donate/")
    page.get_by_label("Monthly").check()
    # The demo's line is part of the button's accessible name (inside its label).
    page.get_by_label("$50 A week of safe shelter for one child", exact=True).check()
    page.get_by_label("Cover the processing fee").check()
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill("ana@example.org")
    audit.check("/donate/ (filled in)")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/donate/demo/checkout/**")
    audit.check("demo-mode checkout page")
    page.get_by_role("button", name="Complete demo donation").click()
    page.wait_for_url("**/donate/thanks/**")
    audit.check("gift thank-you page (confirming)")

    audit.visit("/donate/manage/")
    page.get_by_label("Email").fill("ana@example.org")
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_test_id("manage-sent").wait_for()
    audit.check("/donate/manage/ (link sent)")

    RecurringDonation.objects.create(
        appeal=Appeal.objects.get(is_default=True), name="Ana Pérez", email="ana@example.org", amount_cents=5144,
        status=RecurringDonation.Status.ACTIVE, stripe_subscription_id="sub_demo_a11y",
        stripe_customer_id="cus_demo_a11y",
    )
    link_request = ManageLinkRequest.objects.create(recurring=RecurringDonation.objects.get(
        stripe_subscription_id="sub_demo_a11y"))
    token = donation_services.donor_manage_link_token_create(request_id=link_request.pk)
    audit.visit(f"/donate/manage/{token}/", where="the emailed manage link's page")
    page.get_by_role("button", name="Open my donor page").click()
    page.wait_for_url("**/donate/demo/manage/")
    audit.check("demo-mode monthly gift portal (from the emailed link)")
    audit.assert_clean()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_not_found_page_meets_wcag_22_aa(demo_content, page, language):
    demo_content.DEBUG = False  # the site's own 404 page, not Django's debug page
    audit = Audit(page)
    audit.visit(f"{LANGUAGES[language]}/no-such-page/", status=404)
    assert page.locator("html").get_attribute("lang") == language
    audit.assert_clean()
