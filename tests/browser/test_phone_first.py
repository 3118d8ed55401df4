"""Issue 13's "Done when": every public page and every step of both journeys, at 320, 360, 390 and
1366 px wide, in Chromium, on the demo content.

On each screen it checks that
- nothing scrolls sideways (`document.documentElement.scrollWidth <= innerWidth`; a failure names
  the first elements that reach past the right edge),
- the page's primary action starts in the first screen: the element inside <main> marked
  `data-primary-action` (the page's main button, or the first control of its form) has its top at least
  PRIMARY_VISIBLE_PX (or its whole height, if smaller) inside the screen before any scrolling. Every page
  must mark one; those without an action of their own to push (the privacy notice, the emailed letter
  status page, updates once confirmed, the demo donor portal) are checked on the header's Give Today,
and after a failed submit of the letter form and of the donate form, that focus is on the error
summary (templates/includes/error_summary.html). With JavaScript off, Give Today and the main
navigation are visible and reachable at 390 px.

Each test visits every page before it fails, and its message lists every problem found, page by page.

Screenshots: with CAMINO_SCREENSHOTS set to a folder (`CAMINO_SCREENSHOTS=docs/design`), the 390 px
(phone) and 1366 px (desktop) runs also save the first screen of each page there as
`<page>-phone.png` / `<page>-desktop.png` (the first screen, not the full page, and reduced to a
palette, so the repository stays light). docs/DESIGN.md shows them.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from advocacy import services
from advocacy.demo import DEMO_SLUG
from advocacy.models import Letter
from congress.demo import DEMO_MULTI_DISTRICT_ZIP
from donations import services as donation_services
from donations.models import Appeal, ManageLinkRequest, RecurringDonation
from stories.models import AgendaPoint, Story
from tests.browser.journeys import fill_letter_form
from tests.browser.test_accessibility import demo_content  # noqa: F401 - the shared seed_demo fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Width: height of a common phone (iPhone SE 1st generation, a small Android, iPhone 12-15) and a laptop.
SCREENS = {320: 568, 360: 640, 390: 844, 1366: 768}
# How much of the primary action must show in the first screen: a whole 48 px button (--camino-target), or the
# label and the top of a form's first control.
PRIMARY_VISIBLE_PX = 48
# Pages with no action of their own, where the header's Give Today is the one to see.
HEADER_PRIMARY = "header"
SCREENSHOT_NAMES = {390: "phone", 1366: "desktop"}
SCREENSHOT_COLORS = 128  # a palette PNG: a third of the size of a full-color one, and still readable

# The first elements reaching past the right edge, as short CSS-like names, when the page is too wide.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5) {
        const cls = (el.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean).slice(0, 3);
        found.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls.map(c => '.' + c).join('')
                   + ' (right edge ' + Math.round(box.right) + ')');
        if (found.length >= 4) break;
      }
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, offenders: found};
}"""

FOCUS_JS = """() => {
  const el = document.activeElement;
  const summary = el && el.closest('[data-error-summary], .error-summary');
  return {isSummary: Boolean(summary),
          focused: el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                        (el.getAttribute('class') ? '.' + el.getAttribute('class').trim().split(/\\s+/).join('.') : '')
                      : 'nothing'};
}"""


def open_screen(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": SCREENS[width]})


class Screens:
    """Checks each page shown at one width and keeps every problem, so one run reports them all."""

    def __init__(self, page, width: int, *, screenshots: bool = True):
        self.page = page
        self.width = width
        self.problems: list[str] = []
        folder = os.environ.get("CAMINO_SCREENSHOTS", "").strip() if screenshots else ""
        self.folder = Path(django_settings.BASE_DIR) / folder if folder else None
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

    def visit(self, path: str, name: str, *, status: int = 200, primary: bool | str = True) -> None:
        response = self.page.goto(path)
        if response.status != status:
            self.problems.append(f"{name} ({path}): answered {response.status}, not {status}")
        self.check(name, primary=primary)

    def check(self, name: str, *, primary: bool | str = True) -> None:
        """primary: True, the page's own [data-primary-action]; HEADER_PRIMARY, the header's Give Today;
        False, none (a form shown with its errors, where the error summary is what must show)."""
        page = self.page
        page.wait_for_load_state("load")
        where = f"{name} at {self.width}px"
        measured = page.evaluate(OVERFLOW_JS)
        if measured["scrollWidth"] > measured["innerWidth"]:
            self.problems.append(
                f"{where}: scrolls sideways, {measured['scrollWidth']}px wide on a {measured['innerWidth']}px "
                f"screen; past the edge: {', '.join(measured['offenders']) or '?'}"
            )
        if primary:
            self._check_primary_action(where, header=primary == HEADER_PRIMARY)
        self._screenshot(name)

    def _check_primary_action(self, where: str, *, header: bool) -> None:
        page = self.page
        if header:
            action = page.locator("header").get_by_test_id("give-today")  # in either language
            what = "the header's Give Today"
        else:
            marked = page.locator("main [data-primary-action]")
            if marked.count() != 1:
                self.problems.append(f"{where}: {marked.count()} elements marked data-primary-action, not one")
                return
            action, what = marked.first, "its [data-primary-action]"
        height = page.evaluate("() => window.innerHeight")
        scroll = page.evaluate("() => window.scrollY")
        box = action.bounding_box() if action.count() and action.is_visible() else None
        if box is None:
            self.problems.append(f"{where}: {what} is not visible")
            return
        needed = min(box["height"], PRIMARY_VISIBLE_PX)
        if scroll != 0 or box["y"] < 0 or box["y"] + needed > height:
            self.problems.append(
                f"{where}: {what} does not start in the first screen (top {round(box['y'] + scroll)}px; "
                f"its first {round(needed)}px must show on a screen {height}px high)"
            )

    def _screenshot(self, name: str) -> None:
        kind = SCREENSHOT_NAMES.get(self.width)
        if not self.folder or not kind:
            return
        from PIL import Image  # Pillow: installed for sorl-thumbnail

        path = self.folder / f"{name}-{kind}.png"
        self.page.screenshot(path=str(path))  # the first screen, as a visitor first sees it
        with Image.open(path) as shot:
            image = shot.convert("RGB")
        if kind == "desktop":  # half size: enough to see the layout, a quarter of the bytes
            image = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
        image.quantize(colors=SCREENSHOT_COLORS, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)

    def assert_clean(self) -> None:
        assert not self.problems, f"{len(self.problems)} problem(s) at {self.width}px:\n" + "\n".join(self.problems)


def _manage_token() -> str:
    """The token of an emailed manage link for a monthly gift (what the donor's email links to)."""
    recurring = RecurringDonation.objects.create(
        appeal=Appeal.objects.get(is_default=True),
        name="Ana Pérez",
        email="ana@example.org",
        amount_cents=5000,
        status=RecurringDonation.Status.ACTIVE,
        stripe_subscription_id="sub_demo_phone",
        stripe_customer_id="cus_demo_phone",
    )
    link_request = ManageLinkRequest.objects.create(recurring=recurring)
    return donation_services.donor_manage_link_token_create(request_id=link_request.pk)


@pytest.fixture
def demo_site(demo_content):  # noqa: F811 - the accessibility tests' seed_demo fixture, shared
    return demo_content


@pytest.fixture(params=list(SCREENS), ids=lambda width: f"{width}px")
def width(request):
    return request.param


@pytest.mark.parametrize("language", ["en", "es"])
def test_public_pages_fit_the_screen_and_show_their_primary_action(demo_site, page, width, language):
    """In English and in Spanish (longer: a Spanish campaign page once had its form below a 320 px first screen);
    the screenshots are the English pages."""
    prefix = "" if language == "en" else f"/{language}"
    open_screen(page, width)
    screens = Screens(page, width, screenshots=language == "en")
    story = Story.objects.published().order_by("-publish_at").first()
    point = AgendaPoint.objects.order_by("position", "pk").first()
    for path, name in (
        ("/", "home"),
        ("/stories/", "stories"),
        (story.get_absolute_url(), "story"),
        ("/agenda/", "agenda"),
        (point.get_absolute_url(), "agenda-point"),
        ("/act/", "campaigns"),
        (f"/act/{DEMO_SLUG}/", "campaign"),
        ("/donate/", "donate"),
        ("/donate/manage/", "manage-request"),
        (f"/donate/manage/{_manage_token()}/", "manage-link"),
    ):
        screens.visit(prefix + path, name)
    page.locator("main form button[type=submit]").click()  # the emailed link's "Open my donor page"
    page.wait_for_url("**/donate/demo/manage/")
    screens.check("manage-portal", primary=HEADER_PRIMARY)
    screens.visit(prefix + "/privacy/", "privacy", primary=HEADER_PRIMARY)
    demo_site.DEBUG = False  # the site's own 404 page, not Django's debug page
    screens.visit(prefix + "/no-such-page/", "not-found", status=404)
    screens.assert_clean()


def test_letter_journey_fits_every_step(demo_site, page, width):
    """Campaign page, the split ZIP's district step, confirmation, thank-you, and the two pages the
    confirmation email links: the letters' status and the confirmation of updates (asked for here)."""
    open_screen(page, width)
    screens = Screens(page, width)
    screens.visit(f"/act/{DEMO_SLUG}/", "campaign")
    fill_letter_form(page, zip_code=DEMO_MULTI_DISTRICT_ZIP, email=f"maria{width}@example.org")
    page.locator('input[name="consent"]').check()
    page.get_by_role("button", name="Find my members and preview").click()

    page.wait_for_url(f"**/act/{DEMO_SLUG}/district/")
    screens.check("letter-district")
    page.get_by_label("WA district 9: Rep. Lena Marchetti (demo) (Republican)").check()
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"**/act/{DEMO_SLUG}/confirm/")
    screens.check("letter-confirm")
    page.get_by_role("button", name="Send my letters").click()

    page.wait_for_url(f"**/act/{DEMO_SLUG}/thanks/")
    screens.check("letter-thanks")
    letter = Letter.objects.latest("pk")
    page.goto(services.letter_status_url(letter))
    screens.check("letter-status", primary=HEADER_PRIMARY)
    page.goto(services.consent_confirm_url(letter.consent))
    screens.check("letter-updates")
    page.get_by_role("button", name="Yes, send me updates").click()
    page.get_by_test_id("consent-confirmed").wait_for()
    screens.check("letter-updates-confirmed", primary=HEADER_PRIMARY)
    screens.assert_clean()


def test_gift_journey_fits_every_step(demo_site, page, width):
    """Donate form, the demo checkout, the thank-you page."""
    open_screen(page, width)
    screens = Screens(page, width)
    screens.visit("/donate/", "donate")
    # Each button shows the staff's line for its amount, on every width (issue 13).
    fifty = page.get_by_label("$50 A week of safe shelter for one child", exact=True)
    fifty.check()
    assert page.get_by_text("A week of safe shelter for one child", exact=True).is_visible()
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill(f"ana{width}@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/donate/demo/checkout/**")
    screens.check("donate-checkout")
    page.get_by_role("button", name="Complete demo donation").click()

    page.wait_for_url("**/donate/thanks/**")
    screens.check("donate-thanks")

    # A gift given up at the checkout: the page that says so, and the way back.
    page.goto("/donate/")
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill(f"ana{width}@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/donate/demo/checkout/**")
    page.get_by_role("button", name="Cancel").click()
    page.wait_for_url("**/donate/cancelled/**")
    screens.check("donate-cancelled")
    screens.assert_clean()


def test_both_journeys_in_spanish_show_each_steps_primary_action(demo_site, page, width):
    """Spanish runs longer than English: each step of the letter and the gift, on /es/, still has its primary
    action in the first screen. Fields are found by name and buttons by their mark, in any language."""
    open_screen(page, width)
    screens = Screens(page, width, screenshots=False)
    page.goto(f"/es/act/{DEMO_SLUG}/")
    page.locator('select[name="prefix"]').select_option("Ms.")
    for name, value in (
        ("first_name", "María"),
        ("last_name", "Núñez"),
        ("email", f"maria{width}@example.org"),
        ("street", "400 Broad St"),
        ("city", "Seattle"),
        ("zip_code", DEMO_MULTI_DISTRICT_ZIP),
    ):
        page.locator(f'input[name="{name}"]').fill(value)
    page.locator('select[name="state"]').select_option("WA")
    page.locator("main form[data-primary-action] [type=submit]").first.click()
    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/district/")
    screens.check("letter-district (es)")
    page.locator('input[name="district"][value="9"]').check()
    page.locator("main [data-primary-action]").click()
    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/confirm/")
    screens.check("letter-confirm (es)")
    page.locator("main [data-primary-action]").click()
    page.wait_for_url(f"**/es/act/{DEMO_SLUG}/thanks/")
    screens.check("letter-thanks (es)")

    page.goto("/es/donate/")
    screens.check("donate (es)")
    page.locator('input[name="name"]').fill("Ana Pérez")
    page.locator('input[name="email"]').fill(f"ana{width}@example.org")
    page.locator("[data-testid=donation-form] [type=submit]").click()
    page.wait_for_url("**/es/donate/demo/checkout/**")
    screens.check("donate-checkout (es)")
    page.locator("main [data-primary-action]").click()
    page.wait_for_url("**/es/donate/thanks/**")
    screens.check("donate-thanks (es)")
    screens.assert_clean()


def test_a_failed_submit_puts_focus_on_the_error_summary(demo_site, page, width):
    open_screen(page, width)
    screens = Screens(page, width)
    for path, button, name in (
        (f"/act/{DEMO_SLUG}/", "Find my members and preview", "campaign-errors"),
        ("/donate/", "Continue to payment", "donate-errors"),
    ):
        page.goto(path)
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state("load")
        focus = page.evaluate(FOCUS_JS)
        if not focus["isSummary"]:
            screens.problems.append(f"{name} at {width}px: focus is on {focus['focused']}, not the error summary")
        screens.check(name, primary=False)  # the summary is what must show; still no sideways scroll
    screens.assert_clean()


NAVIGATION = ("Stories", "Agenda for Action", "Tell Congress")


def test_without_javascript_give_today_and_the_navigation_are_reachable(demo_site, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": SCREENS[390]}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    try:
        for path in ("/", f"/act/{DEMO_SLUG}/", "/donate/"):
            page.goto(path)
            header = page.locator("header")
            give = header.get_by_role("link", name="Give Today").first
            box = give.bounding_box() if give.count() and give.is_visible() else None
            if box is None or box["y"] + box["height"] > SCREENS[390]:
                problems.append(f"{path}: the header's Give Today is not visible in the first screen")
            hidden = [name for name in NAVIGATION if not header.get_by_role("link", name=name).first.is_visible()]
            menu = header.locator("summary")  # a <details> menu opens without JavaScript
            if hidden and menu.count():
                menu.first.click()
                hidden = [name for name in NAVIGATION if not header.get_by_role("link", name=name).first.is_visible()]
            if hidden:
                problems.append(f"{path}: navigation links out of reach without JavaScript: {', '.join(hidden)}")
                continue
            # Reachable from the keyboard too: each link takes focus and shows where it is.
            for name in (*NAVIGATION, "Give Today"):
                link = header.get_by_role("link", name=name).first
                link.focus()
                if not link.evaluate("el => el === document.activeElement"):
                    problems.append(f"{path}: {name} does not take keyboard focus")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
