"""A donor gives monthly in demo mode, in Chromium, and the receipt reaches a real SMTP server."""

import pytest

from donations.models import Appeal, Donation, RecurringDonation
from donations.services import fee_cover_for
from tests.conftest import WorkerProcess, _purge_test_queue, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(settings, smtp_server, transactional_db):
    settings.STRIPE_SECRET_KEY = ""  # demo processor
    settings.DEBUG = True            # which exists only in development
    Appeal.objects.create(title="Stand with children on the move", slug="children", text="Why it matters.",
                          preset_amounts=[2500, 5000, 10000], goal_cents=100_000, is_default=True)
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
