"""A donor gives monthly in demo mode, in Chromium, and the receipt reaches a real SMTP server."""

import pytest

from donations.models import Appeal, Donation, RecurringDonation
from donations.services import fee_cover_for
from tests.conftest import WorkerProcess, _purge_test_queue, wait_until
from tests.staff.factories import with_amounts

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(settings, smtp_server, transactional_db):
    settings.STRIPE_SECRET_KEY = ""  # demo processor
    settings.DEBUG = True            # which exists only in development
    with_amounts(Appeal.objects.create(title="Stand with children on the move", slug="children",
                                       text="Why it matters.", goal_cents=100_000, is_default=True),
                 [2500, 5000, 10000])
    _purge_test_queue()
    worker = WorkerProcess(extra_env={"EMAIL_URL": smtp_server.email_url})
    worker.start()
    yield smtp_server
    worker.stop()
    _purge_test_queue()


def test_monthly_gift_in_demo_mode_reaches_thank_you_page_and_receipt(demo_site, page):
    smtp = demo_site
    page.goto("/donate/")
    assert page.get_by_test_id("demo-banner").is_visible()
    page.get_by_label("Monthly").check()
    page.get_by_label("$50", exact=True).check()
    page.get_by_label("Cover the processing fee").check()
    # The page's figure is the server's: (5000 + 30) / (1 - 2.2%) = 5143.15 -> 5144, so $1.44 more.
    assert fee_cover_for(5000) == 144
    assert "adds $1.44: $51.44 in total" in page.locator("#fee-cover-note").inner_text()
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill("ana@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/donate/demo/checkout/**")
    assert page.get_by_text("Demo mode - no real payment").first.is_visible()
    page.get_by_role("button", name="Complete demo donation").click()

    page.wait_for_url("**/donate/thanks/**")
    assert page.get_by_role("heading", name="Thank you!").is_visible()
    page.get_by_text("Your monthly gift of $51.44 is confirmed").wait_for(timeout=60_000)
    wait_until(lambda: smtp.messages, message="the receipt at the SMTP server")
    message = smtp.messages[0]
    assert message["to"] == ["ana@example.org"]
    assert "51.44 USD" in message["message"].get_body(preferencelist=("plain",)).get_content()
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.SUCCEEDED and donation.is_demo
    assert RecurringDonation.objects.get().status == RecurringDonation.Status.ACTIVE


# --- Every way of choosing an amount charges what the page showed (issue 11, finding 1) ----------

AMOUNT_WAYS = {
    # name: (steps, JavaScript on, cents charged)
    "preset": ([("preset", "$100")], True, 10_000),
    "typed": ([("type", "75")], True, 7_500),                       # the default $50 left as it was
    "typed then preset": ([("type", "75"), ("preset", "$25")], True, 2_500),
    "preset then typed": ([("preset", "$100"), ("type", "75")], True, 7_500),
    "typed, with the fee covered": ([("type", "$1,200.50"), ("fee", None)], True, 120_050 + fee_cover_for(120_050)),
    "JS off: preset": ([("preset", "$100")], False, 10_000),
    "JS off: typed": ([("other", None), ("type", "75")], False, 7_500),
    "JS off: typed then preset": ([("other", None), ("type", "80"), ("preset", "$25")], False, 2_500),
    "monthly, typed, with the fee covered": ([("monthly", None), ("type", "30"), ("fee", None)], True,
                                             3_000 + fee_cover_for(3_000)),
    "JS off: monthly, typed": ([("monthly", None), ("other", None), ("type", "30")], False, 3_000),
}


@pytest.fixture
def demo_form(settings, transactional_db):
    settings.STRIPE_SECRET_KEY = ""  # demo processor, no worker needed: the charge is the stored gift
    settings.DEBUG = True
    return with_amounts(Appeal.objects.create(title="Stand with children on the move", slug="children",
                                              text="Why it matters.", goal_cents=100_000, is_default=True),
                        [2500, 5000, 10000])


@pytest.mark.parametrize("way", list(AMOUNT_WAYS))
def test_every_way_of_choosing_an_amount_charges_what_the_page_showed(demo_form, browser, live_server, way):
    steps, javascript, cents = AMOUNT_WAYS[way]
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/donate/")
    other_box = page.get_by_label("Other amount (USD)")
    if not javascript:
        # Without a script the box is shown only under "Other amount": never beside a chosen preset.
        assert page.get_by_label("$50", exact=True).is_checked() and not other_box.is_visible()
    for action, value in steps:
        if action == "preset":
            page.get_by_label(value, exact=True).check()
        elif action == "other":
            page.get_by_label("Other amount", exact=True).check()
        elif action == "type":
            other_box.fill(value)
        elif action == "fee":
            page.get_by_label("Cover the processing fee").check()
        elif action == "monthly":
            page.get_by_label("Monthly").check()
    monthly = ("monthly", None) in steps
    other_chosen = page.get_by_label("Other amount", exact=True).is_checked()
    # Never a preset chosen with an amount typed beside it.
    assert other_chosen or not other_box.is_visible() or other_box.input_value() == ""
    shown = f"${cents // 100:,}.{cents % 100:02d}"
    if javascript:
        when = "every month, starting today" if monthly else "once"
        assert page.locator("#amount-summary").inner_text() == f"You will be charged {shown} {when}."
    else:
        assert not page.locator("#amount-summary").is_visible()
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill("ana@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    page.wait_for_url("**/donate/demo/checkout/**")
    # The stand-in for Stripe's page says the amount exactly as the summary did.
    assert page.get_by_test_id("demo-amount").inner_text() == shown + (" per month" if monthly else "")
    donation = Donation.objects.get()
    assert (donation.amount_cents, donation.frequency) == (cents, "month" if monthly else "once")
    context.close()


def test_the_summary_says_monthly_and_the_fee_note_follows_it(demo_form, page):
    page.goto("/donate/")
    summary, note = page.locator("#amount-summary"), page.locator("#fee-cover-note")
    assert summary.inner_text() == "You will be charged $50.00 once."
    page.get_by_label("Monthly").check()
    page.get_by_label("Other amount (USD)").fill("40")
    page.get_by_label("Cover the processing fee").check()
    fee = fee_cover_for(4000)
    assert summary.inner_text() == f"You will be charged ${(4000 + fee) / 100:.2f} every month, starting today."
    assert note.inner_text() == f"Covering the fee adds ${fee / 100:.2f}: ${(4000 + fee) / 100:.2f} in total."
    # The note comes right after the summary, before the button.
    assert page.evaluate("document.getElementById('amount-summary').nextElementSibling.nextElementSibling.id") \
        == "fee-cover-note"
    page.get_by_label("Other amount (USD)").fill("40,50")  # a decimal comma: not $4,050
    assert summary.inner_text() == "Type the amount as a number, such as 40.50."
    page.get_by_label("Other amount (USD)").fill("2")
    assert summary.inner_text() == "Type an amount between $5 and $25,000."
    assert note.inner_text() == ""


# --- One thermometer, honest at 0% (issue 11, finding 10) ----------------------------------------


def bar_pixels(page) -> list[tuple[int, int, int]]:
    """The thermometer bar as painted: one row of pixels across its middle, inside its border."""
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(page.locator(".thermometer-bar").screenshot())).convert("RGB")
    width, height = image.size
    return [image.getpixel((x, height // 2)) for x in range(4, width - 4)]


def is_light(pixel) -> bool:
    return min(pixel) >= 200


def is_gold(pixel) -> bool:
    red, green, blue = pixel
    return red >= 200 and 130 <= green <= 190 and blue <= 80


def test_the_thermometer_looks_empty_at_zero_and_the_same_on_every_page(demo_form, page, settings):
    from tests.stories.factories import StoryFactory

    settings.STORIES_PAGE_CACHE_SECONDS = 0  # the gift below is written directly (the cache has its own test)

    story = StoryFactory(cta_give=True)
    urls = ["/donate/", "/", story.get_absolute_url()]
    for url in urls:
        page.goto(url)
        pixels = bar_pixels(page)
        assert all(is_light(pixel) for pixel in pixels), (url, sorted(set(pixels))[:5])

    Donation.objects.create(appeal=demo_form, amount_cents=50_000, email="ana@example.org", status="succeeded",
                            paid_at="2026-01-01T00:00:00Z")
    for url in urls:
        page.goto(url)
        pixels = bar_pixels(page)
        half = len(pixels) // 2
        # Half raised: the left half gold, the right half the empty track (a few pixels at the edge).
        assert all(is_gold(pixel) for pixel in pixels[5:half - 5]), url
        assert all(is_light(pixel) for pixel in pixels[half + 5:]), url
        assert page.get_by_test_id("thermometer-figure").inner_text() == "$500 raised of $1,000 (50%)"


TYPED_SAMPLES = ["75", "$75", " 75 ", "75.5", "75.55", "75.555", ".5", "40,50", "1,250.50", "12,345", "1,2345",
                 "$ 1,000", "abc", "-5", "5", "4.99", "25000", "25000.01", "0", "1e3", "75$", "٣"]


def test_the_summary_reads_a_typed_amount_exactly_as_the_server_charges_it(demo_form, page):
    """The summary's arithmetic is the page's; the charge is the server's: for every sample they agree
    (same amount, or the same refusal)."""
    from donations.services.amounts import amount_cents_from_text

    page.goto("/donate/")
    box, summary = page.get_by_label("Other amount (USD)"), page.locator("#amount-summary")
    for typed in TYPED_SAMPLES:
        box.fill(typed)
        cents = amount_cents_from_text(typed, "usd")
        if cents is None:
            expected = "Type the amount as a number, such as 40.50."
        elif not 500 <= cents <= 2_500_000:
            expected = "Type an amount between $5 and $25,000."
        else:
            expected = f"You will be charged ${cents // 100:,}.{cents % 100:02d} once."
        assert summary.inner_text() == expected, typed


def test_staff_refund_part_of_a_gift_after_confirming_and_the_donor_is_told_once(demo_site, page):
    """Finance in the admin, in Chromium: the refund action asks for an amount first, refuses more
    than is left, refunds the part typed, and the donor gets one email saying what was refunded."""
    from tests.browser.test_staff_roles_browser import log_in, make_user, watch_csp

    smtp = demo_site
    page.goto("/donate/")
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill("ana@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.get_by_role("button", name="Complete demo donation").click()
    page.get_by_text("Your gift of $50 is confirmed").wait_for(timeout=60_000)
    wait_until(lambda: smtp.messages, message="the receipt")

    make_user("finance", is_superuser=True)
    violations = watch_csp(page)
    log_in(page, "finance")
    page.goto("/admin/donations/donation/")
    page.locator("input[name='_selected_action']").first.check()
    page.locator("select[name='action']").select_option("refund_selected")
    page.locator("button[name='index'], input[name='index']").first.click()
    page.get_by_test_id("refund-confirmation").wait_for()
    amount = page.get_by_label("Amount to refund to ana@example.org")
    assert amount.input_value() == "50.00"
    assert smtp.messages and len(smtp.messages) == 1  # nothing refunded, nobody told, yet

    amount.fill("60")
    page.get_by_role("button", name="Refund").click()
    page.get_by_text("Refund an amount up to $50.00, what is left to refund on this gift.").wait_for()
    page.get_by_label("Amount to refund to ana@example.org").fill("12.50")
    page.get_by_role("button", name="Refund").click()
    page.get_by_text("Refund requested for 1 gift(s): $12.50").wait_for()

    wait_until(lambda: len(smtp.messages) >= 2, message="the refund email")
    refund_mail = smtp.messages[1]
    assert refund_mail["to"] == ["ana@example.org"]
    body = refund_mail["message"].get_body(preferencelist=("plain",)).get_content()
    assert "We have refunded $12.50 of your gift of $50.00" in body
    wait_until(lambda: Donation.objects.get().amount_refunded_cents == 1250, message="the refund settled")
    assert Donation.objects.get().status == Donation.Status.PARTIALLY_REFUNDED
    assert len(smtp.messages) == 2
    assert violations == []


def test_back_from_checkout_the_form_still_shows_the_typed_amount(demo_form, page):
    # A donor who leaves the checkout by the browser's back button found "Other amount" chosen
    # with its box emptied (the box was autocomplete="off", which Chromium never restores), the
    # summary asking for an amount, and a form that refused to continue until they typed it again.
    page.goto("/donate/")
    page.get_by_label("Other amount (USD)").fill("75")
    page.get_by_label("Your name").fill("Ana Pérez")
    page.get_by_label("Email (for your receipt)").fill("ana@example.org")
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/donate/demo/checkout/**")
    page.go_back()
    page.wait_for_url("**/donate/")
    assert page.get_by_label("Other amount", exact=True).is_checked()
    assert page.get_by_label("Other amount (USD)").input_value() == "75"
    assert page.locator("#amount-summary").inner_text() == "You will be charged $75.00 once."
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url("**/donate/demo/checkout/**")
    assert page.get_by_test_id("demo-amount").inner_text() == "$75.00"
    assert sorted(Donation.objects.values_list("amount_cents", flat=True)) == [7500, 7500]


@pytest.mark.parametrize("javascript", [True, False])
def test_a_pending_gifts_page_says_it_updates_itself_only_when_it_does(demo_form, browser, live_server, javascript):
    """"This page updates by itself" is true only while js/live-status.js runs; without JavaScript
    the page offers its Check again link and does not make the promise."""
    donation = Donation.objects.create(appeal=demo_form, amount_cents=5000, email="ana@example.org")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/donate/thanks/{donation.reference}/")
    status = page.get_by_test_id("gift-status")
    assert "We are confirming your payment with our processor." in status.inner_text()
    assert page.get_by_role("link", name="Check again").is_visible()
    note = page.get_by_text("This page updates by itself in a few seconds.")
    if javascript:
        note.wait_for()
    else:
        assert note.count() == 1 and not note.is_visible()
    context.close()
