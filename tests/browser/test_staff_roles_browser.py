"""Each role logs in through the real login form in Chromium and finds only its part of the admin;
the admin and the public pages run under the Content-Security-Policy without a single violation."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import LOGIN_FAILED
from core.models import WorkerPing
from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE
from stories.models import Story
from tests.staff.conftest import PASSWORD, current_code
from tests.stories.factories import ensure_agenda_points

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# role: (app sections and models it must see, ones it must not)
SEES = {
    CONTENT_EDITORS: (["Stories", "Agenda points"], ["Donations", "Letters", "Deliveries", "Campaigns", "Users"]),
    CAMPAIGN_MANAGERS: (["Campaigns", "Letters", "Deliveries", "Supporters", "Letters today", "Live campaigns"],
                        ["Donations", "Appeals", "Stripe events", "Gifts today", "Users", "Groups"]),
    FINANCE: (["Donations", "Appeals", "Recurring donations", "Stripe events", "Gifts today"],
              ["Letters", "Deliveries", "Campaigns", "Letters today", "Users", "Groups"]),
}


def make_user(username, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def watch_csp(page) -> list[str]:
    """Chromium reports each blocked inline script or style on the console."""
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def log_in(page, username, code=None):
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    if code:
        page.fill("#id_otp_token", code)
    page.get_by_role("button", name="Log in").or_(page.locator("#login-form input[type=submit]")).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_only_its_part_of_the_admin(page, role):
    make_user("member", role)
    WorkerPing.objects.create(source=WorkerPing.Source.BEAT, answered_at=timezone.now())  # a healthy worker
    violations = watch_csp(page)
    log_in(page, "member")
    main = page.locator("#content")
    assert page.get_by_role("heading", name="Today at a glance").is_visible()
    text = main.inner_text()
    assert "Needs attention" not in text
    visible, hidden = SEES[role]
    for label in visible:
        assert label.lower() in text.lower(), label
    for label in hidden:
        assert label.lower() not in text.lower(), label
    assert violations == []


def test_finance_downloads_the_donations_export_but_cannot_open_letters(page, live_server):
    make_user("fiona", FINANCE)
    log_in(page, "fiona")
    page.get_by_role("link", name="Download exports (CSV)").click()
    with page.expect_download() as download:
        page.click("#export-donations")
    assert download.value.suggested_filename.startswith("camino-donations-")
    assert page.locator("#export-deliveries").count() == 0
    response = page.goto("/admin/advocacy/letter/")
    assert response.status == 403


def test_staff_turn_on_two_factor_and_then_need_the_code(page):
    user = make_user("elena", CONTENT_EDITORS)
    violations = watch_csp(page)
    log_in(page, "elena")
    page.get_by_role("link", name="Two-factor login").click()
    page.wait_for_load_state("load")
    # The QR code is an SVG from our own origin: it must load under the policy, not be blocked.
    page.wait_for_function("() => { const img = document.querySelector('img.staff-qrcode');"
                           " return img && img.complete && img.naturalWidth > 0; }")
    device = TOTPDevice.objects.get(user=user)
    page.fill("#id_token", current_code(device))
    page.fill("#two-factor-form #id_password", PASSWORD)  # enrollment asks for the password again
    page.get_by_role("button", name="Turn on two-factor login").click()
    assert page.get_by_text("Two-factor authentication is on").is_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, "elena")
    # The password alone is not enough, and the page does not say the password was right.
    assert page.get_by_text(str(LOGIN_FAILED)).is_visible()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # the code used at enrollment may still be the current one
    device.save()
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(device))
    page.locator("#login-form input[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Today at a glance").is_visible()
    assert violations == []


def test_with_two_factor_required_new_staff_set_it_up_before_anything_else(page, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    user = make_user("marco", CAMPAIGN_MANAGERS)
    violations = watch_csp(page)
    log_in(page, "marco")
    assert page.url.endswith("/admin/two-factor/")
    assert page.get_by_text("Two-factor login is required for every staff account.").is_visible()
    page.goto("/admin/advocacy/letter/")
    assert page.url.endswith("/admin/two-factor/")  # nothing else opens until it is set up
    device = TOTPDevice.objects.get(user=user)
    page.fill("#id_token", current_code(device))
    page.fill("#two-factor-form #id_password", PASSWORD)
    page.get_by_role("button", name="Turn on two-factor login").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Today at a glance").is_visible()
    page.goto("/admin/advocacy/letter/")
    assert page.get_by_role("heading", name="Select letter to change").is_visible()
    assert violations == []


def test_public_pages_run_under_the_strict_policy_without_violations(page):
    ensure_agenda_points()  # created by a migration, and emptied by any earlier transactional test
    call_command("seed_demo")
    assert Story.objects.published().count() >= 12  # the pages below show real content
    violations = watch_csp(page)
    for path in ("/", "/stories/", "/agenda/", "/act/", "/donate/"):
        response = page.goto(path)
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert violations == []
