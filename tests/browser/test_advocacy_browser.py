"""Tell Congress in Chromium: a supporter writes to their members; a campaign manager retries a
failed delivery from the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone, translation

from advocacy import services
from advocacy.models import CallReport, Delivery, Letter
from tests.advocacy.factories import CampaignFactory, DeliveryFactory, LegislatorFactory, ZipDistrictFactory
from tests.browser.journeys import fill_letter_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-for-staff"  # noqa: S105


def test_supporter_writes_to_their_members_and_sees_the_thank_you_page(page):
    ZipDistrictFactory(zip_code="98109", state="WA", district=7)
    LegislatorFactory(senator=True, state="WA", senate_class=1, first_name="Avery", last_name="Senator")
    LegislatorFactory(senator=True, state="WA", senate_class=3, first_name="Rosa", last_name="Senator")
    LegislatorFactory(state="WA", district=7, first_name="Samuel", last_name="Rep", phone="202-555-0103")
    campaign = CampaignFactory(title="Protect children who arrive alone")

    page.goto("/act/")
    page.get_by_role("link", name="Protect children who arrive alone").first.click()
    fill_letter_form(page, zip_code="98109")
    page.get_by_label("Add a personal note (optional)").fill("I teach children who arrived alone.")
    honeypot = page.get_by_label("Leave this field empty").bounding_box()
    assert honeypot["x"] + honeypot["width"] <= 0  # out of sight for people; bots still fill it
    page.get_by_role("button", name="Find my members and preview").click()

    page.wait_for_url(f"**/act/{campaign.slug}/confirm/")
    recipients = page.get_by_test_id("recipients").inner_text()
    for name in ("Rep. Samuel Rep", "Sen. Avery Senator", "Sen. Rosa Senator"):
        assert name in recipients
    assert page.get_by_text("Dear Sen. Rosa Senator,").is_visible()
    page.get_by_role("button", name="Send my letters").click()

    page.wait_for_url(f"**/act/{campaign.slug}/thanks/")
    assert page.get_by_role("heading", name="Thank you for writing").is_visible()
    assert "Rep. Samuel Rep" in page.get_by_test_id("sent-to").inner_text()
    assert "202-555-0103" in page.get_by_test_id("call-list").inner_text()
    letter = Letter.objects.get()
    assert letter.deliveries.count() == 3 and letter.own_words == "I teach children who arrived alone."

    # The private status link is emailed, never shown on the page: follow it as the mailbox owner.
    assert page.locator('a[href*="/act/status/"]').count() == 0
    page.goto(services.letter_status_url(letter))
    assert page.get_by_test_id("delivery-row").count() == 3


def test_campaign_manager_retries_a_failed_delivery_in_the_admin(page):
    manager = get_user_model().objects.create_user(username="manager", password=PASSWORD, is_staff=True)
    group = Group.objects.filter(name="Campaign managers").first()
    if group is not None:
        manager.groups.add(group)
    else:  # the staff roles are not installed: a superuser stands in for the role
        manager.is_superuser = True
        manager.save(update_fields=["is_superuser"])
    failed = DeliveryFactory(status=Delivery.Status.FAILED, attempts=6, last_error="CWC answered 400: Invalid Zip")
    DeliveryFactory(status=Delivery.Status.SENT, sent_at=timezone.now())

    page.goto("/admin/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", PASSWORD)
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_load_state()
    page.goto("/admin/advocacy/delivery/?status__exact=failed")
    page.locator("input[name=_selected_action]").first.check()
    page.locator("select[name=action]").select_option("retry_selected")
    page.locator("button[name=index]").click()
    page.get_by_text("1 deliveries queued again.").wait_for()
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.QUEUED and failed.attempts == 6  # a retry keeps the history


@pytest.mark.parametrize("javascript", [True, False])
def test_on_a_phone_the_form_comes_first_and_the_letter_journey_works(browser, live_server, javascript, tmp_path):
    """390 x 844: the first field is in the first screen; with JavaScript on or off the letter goes
    out, a long unbroken name does not widen the confirmation page, the call script names the writer
    and one tap on an answer button says how the call went."""
    ZipDistrictFactory(zip_code="98109", state="WA", district=7)
    LegislatorFactory(senator=True, state="WA", senate_class=1, first_name="Avery", last_name="Senator")
    LegislatorFactory(senator=True, state="WA", senate_class=3, first_name="Rosa", last_name="Senator")
    LegislatorFactory(state="WA", district=7, first_name="Samuel", last_name="Rep", phone="202-555-0103")
    campaign = CampaignFactory(title="Protect children who arrive alone", ask="A long ask. " * 300)
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(campaign.get_absolute_url())
        box = page.get_by_label("First name").bounding_box()
        assert box["y"] + box["height"] <= 844, "the form's first field is below the first screen"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "campaign.png"))
        long_name = "Maria" + "x" * 90
        fill_letter_form(page, zip_code="98109", last_name=long_name)
        page.get_by_role("button", name="Find my members and preview").click()
        page.wait_for_url(f"**/act/{campaign.slug}/confirm/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "confirm.png"), full_page=True)
        page.get_by_role("button", name="Send my letters").click()
        page.wait_for_url(f"**/act/{campaign.slug}/thanks/")
        assert f"Maria {long_name}" in page.get_by_test_id("call-script").inner_text()
        assert "Seattle" in page.get_by_test_id("call-script").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "thanks.png"), full_page=True)
        assert Letter.objects.get().deliveries.count() == 3

        # After the call, one tap says how it went: a plain form post, with JavaScript off too.
        rep = page.get_by_test_id("call-office").filter(has_text="Rep. Samuel Rep")
        button = rep.get_by_role("button", name="Left a voicemail")
        box = button.bounding_box()
        assert box["x"] + box["width"] <= 390 and box["height"] >= 36, "the answer button is off screen or too small"
        button.click()
        page.wait_for_url(f"**/act/{campaign.slug}/thanks/#call-*")
        assert page.get_by_text("We have counted how your call went").is_visible()
        rep = page.get_by_test_id("call-office").filter(has_text="Rep. Samuel Rep")
        assert "You told us: Left a voicemail" in rep.get_by_test_id("call-reported").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "thanks-answered.png"), full_page=True)
        # A change of mind replaces the answer: still one call counted for the office.
        rep.get_by_role("button", name="Talked to staff").click()
        page.get_by_text("You told us: Talked to staff").wait_for()
        report = CallReport.objects.get()
        assert (report.legislator.last_name, report.outcome) == ("Rep", CallReport.Outcome.TALKED)
    finally:
        print("screenshots in", tmp_path)
        context.close()


def test_on_a_spanish_phone_without_javascript_the_script_guides_in_spanish_and_the_answer_counts(browser, live_server):
    """Issue 14: the thank-you page in Spanish gives the script's meaning in Spanish, then the English
    lines to say (lang="en"); the answer buttons speak Spanish and post without JavaScript."""
    ZipDistrictFactory(zip_code="98109", state="WA", district=7)
    LegislatorFactory(senator=True, state="WA", senate_class=1, first_name="Avery", last_name="Senator")
    LegislatorFactory(senator=True, state="WA", senate_class=3, first_name="Rosa", last_name="Senator")
    LegislatorFactory(state="WA", district=7, first_name="Samuel", last_name="Rep", phone="202-555-0103")
    campaign = CampaignFactory(
        call_script="Hello, my name is [your name] and I live in [your town]. Please give every child a lawyer.",
        call_script_es="Hola, me llamo [your name] y vivo en [your town]. Le pido que cada niño tenga un abogado.",
    )
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(campaign.get_absolute_url())
        fill_letter_form(page, zip_code="98109")
        page.get_by_role("button", name="Find my members and preview").click()
        page.wait_for_url(f"**/act/{campaign.slug}/confirm/")
        page.get_by_role("button", name="Send my letters").click()
        page.wait_for_url(f"**/act/{campaign.slug}/thanks/")

        page.goto(f"/es/act/{campaign.slug}/thanks/")  # the same session's thank-you page, in Spanish
        assert page.locator("html").get_attribute("lang") == "es"
        guide = page.get_by_test_id("call-script-guide").inner_text()
        assert "Hola, me llamo Maria Lopez y vivo en Seattle." in guide
        lines = page.get_by_test_id("call-script")
        assert lines.get_attribute("lang") == "en"
        assert "Hello, my name is Maria Lopez and I live in Seattle." in lines.inner_text()
        assert page.get_by_text(_es("Say this in English:")).is_visible()

        rep = page.get_by_test_id("call-office").filter(has_text="Rep. Samuel Rep")
        rep.get_by_role("button", name=_es("Couldn't get through")).click()
        page.wait_for_url(f"**/es/act/{campaign.slug}/thanks/#call-*")
        rep = page.get_by_test_id("call-office").filter(has_text="Rep. Samuel Rep")
        assert _es("Couldn't get through") in rep.get_by_test_id("call-reported").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        report = CallReport.objects.get()
        assert (report.legislator.last_name, report.outcome) == ("Rep", CallReport.Outcome.NO_ANSWER)
    finally:
        context.close()


def _es(msgid: str) -> str:
    """The catalog's Spanish for a string the page shows (fails while it is untranslated)."""
    with translation.override("es"):
        text = translation.gettext(msgid)
    assert text != msgid, f"not translated to Spanish yet: {msgid!r}"
    return text
