"""Admin login: rate limited per username and address (django-axes) and per address, one failure
message whatever was wrong, and a second factor that a setting makes mandatory."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import LOGIN_FAILED
from core.client_ip import ip_pseudonym

from .conftest import PASSWORD, current_code

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
SETUP = reverse("admin:two_factor_setup")


def wrong_code(device) -> str:
    return "000000" if current_code(device) != "000000" else "111111"


def error_notes(response) -> list[str]:
    """The error texts the login page shows (its errornote paragraphs and field errors)."""
    html = response.content.decode()
    return re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', html, re.S) + re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S
    )


def post_login(client, username, password, *, token="", address="203.0.113.7", **headers):
    return client.post(
        f"{LOGIN}?next={INDEX}",
        {"username": username, "password": password, "otp_token": token, "next": INDEX},
        REMOTE_ADDR=address,
        **headers,
    )


@pytest.mark.django_db
def test_staff_without_two_factor_log_in_with_a_password(client, staffer):
    response = post_login(client, staffer.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_login_out(client, staffer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, staffer.username, "wrong")
        assert response.status_code == 200
        assert error_notes(response) == [str(LOGIN_FAILED)]
    response = post_login(client, staffer.username, "wrong")
    assert response.status_code == 429
    # Even the right password is now refused from that address, and nothing logs in.
    response = post_login(client, staffer.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert client.get(INDEX).status_code == 302
    assert AccessAttempt.objects.get(username=staffer.username).failures_since_start >= settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_a_lockout_does_not_block_the_same_user_elsewhere_or_others(client, make_staff, settings):
    ana = make_staff("ana")
    luis = make_staff("luis")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, ana.username, "wrong", address="198.51.100.1")
    assert post_login(client, ana.username, PASSWORD, address="198.51.100.1").status_code == 429
    # Keyed on username + address: a colleague at the same office, and Ana at home, still get in.
    assert post_login(client, luis.username, PASSWORD, address="198.51.100.1").status_code == 302
    client.logout()
    assert post_login(client, ana.username, PASSWORD, address="192.0.2.44").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_is_the_one_limited(client, make_staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    ana = make_staff("ana")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, ana.username, "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    # The forwarded address, as its keyed hash: no address is stored in the clear.
    assert AccessAttempt.objects.get().ip_address == ip_pseudonym("198.51.100.9")
    locked = post_login(client, ana.username, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert locked.status_code == 429
    # A client cannot hide behind a forged left-most entry: the proxy's own entry is the one read.
    forged = post_login(client, ana.username, PASSWORD, address="10.0.0.2",
                        HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.9")
    assert forged.status_code == 429


@pytest.mark.django_db
def test_enrolled_staff_get_one_failure_message_whatever_was_wrong(client, enrolled_staffer):
    """Finding 3: for an enrolled user the login page answered a right password without a code
    with "Enter the code", which confirmed the password to whoever had guessed it."""
    user, device = enrolled_staffer
    answers = []
    for password, token in [
        ("wrong", ""),  # wrong password
        (PASSWORD, ""),  # right password, no code
        (PASSWORD, wrong_code(device)),  # right password, wrong code
        ("wrong", current_code(device)),  # wrong password, right code
    ]:
        response = post_login(client, user.username, password, token=token)
        assert response.status_code == 200
        assert client.get(INDEX).status_code == 302  # nothing logged in
        answers.append(error_notes(response))
    assert answers == [[str(LOGIN_FAILED)]] * 4

    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    response = post_login(client, user.username, PASSWORD, token=current_code(device))
    assert response.status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_second_factor_is_refused_for_an_enrolled_user(client, enrolled_staffer):
    user, _device = enrolled_staffer
    client.force_login(user)  # password-only session (e.g. from before the user enrolled)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_staff_enrol_an_authenticator_from_the_admin(client, staffer):
    client.force_login(staffer)
    setup = reverse("admin:two_factor_setup")
    page = client.get(setup)
    assert page.status_code == 200
    assert "scan this code" in page.content.decode()
    device = TOTPDevice.objects.get(user=staffer)
    assert not device.confirmed
    assert client.get(setup).status_code == 200
    assert TOTPDevice.objects.filter(user=staffer).count() == 1  # a second visit reuses the device

    qr = client.get(reverse("admin:two_factor_qrcode"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content

    response = client.post(setup, {"password": PASSWORD, "token": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()  # the wrong try above made django-otp wait before the next one
    response = client.post(setup, {"password": PASSWORD, "token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # The session that enrolled counts as verified: no logout in the middle of the work.
    assert client.get(INDEX).status_code == 200
    # The secret is never shown again once confirmed.
    assert client.get(reverse("admin:two_factor_qrcode")).status_code == 404
    assert "Two-factor login is on" in client.get(setup).content.decode()


@pytest.mark.django_db
def test_wrong_codes_are_throttled_during_enrolment(client, staffer):
    client.force_login(staffer)
    setup = reverse("admin:two_factor_setup")
    client.get(setup)
    device = TOTPDevice.objects.get(user=staffer)
    client.post(setup, {"password": PASSWORD, "token": wrong_code(device)})
    # Right after a failure even the right code waits (django-otp's exponential back-off).
    response = client.post(setup, {"password": PASSWORD, "token": current_code(device)})
    assert "Too many wrong tries" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_test_client_login_still_works_with_the_rate_limiter(client, staffer):
    assert client.login(username=staffer.username, password=PASSWORD)
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_with_two_authenticators_the_code_of_either_one_logs_in(client, enrolled_staffer):
    """No device list to choose from: showing one would confirm the password."""
    user, _phone = enrolled_staffer
    tablet = TOTPDevice.objects.create(user=user, name="tablet", confirmed=True)
    response = post_login(client, user.username, PASSWORD, token=current_code(tablet))
    assert response.status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_enrolment_asks_for_the_password(client, staffer):
    """Finding 3: an open session was enough to tie the account to another phone."""
    client.force_login(staffer)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staffer)
    response = client.post(SETUP, {"password": "not-my-password", "token": current_code(device)})
    assert response.status_code == 200
    assert "That password is not right." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.post(SETUP, {"token": current_code(device)}).status_code == 200  # no password: no
    device.refresh_from_db()
    assert not device.confirmed
    # The wrong password counted as a failed try: django-otp's back-off applies to it too.
    assert device.throttling_failure_count == 1


@pytest.mark.django_db
def test_two_factor_can_be_required_of_every_staff_user(client, make_staff, settings):
    """Finding 3: two-factor could not be required, of superusers either. With the setting on, a
    password alone leads to enrollment and nowhere else; after enrollment the code is needed."""
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    boss = make_staff("boss", superuser=True)
    response = post_login(client, boss.username, PASSWORD)
    assert response.status_code == 302
    for url in (INDEX, reverse("admin:accounts_user_changelist"), reverse("admin:staff_exports"),
                reverse("admin:staff_export", args=["donations"]), reverse("admin:donations_donation_changelist")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, SETUP), url
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Two-factor login is required for every staff account." in page.content.decode()
    device = TOTPDevice.objects.get(user=boss)
    assert client.post(SETUP, {"password": PASSWORD, "token": current_code(device)}).status_code == 302
    assert client.get(INDEX).status_code == 200

    # The next login needs the code.
    client.post(reverse("admin:logout"))
    device.refresh_from_db()
    device.last_t = -1  # the code used at enrollment may still be the current one
    device.save()
    assert post_login(client, boss.username, PASSWORD).status_code == 200
    assert client.get(INDEX).status_code == 302
    assert post_login(client, boss.username, PASSWORD, token=current_code(device)).status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_a_draft_preview_needs_the_second_factor_as_the_admin_does(client, make_staff, settings):
    """Found by the issue 12 verification: with two-factor required, an editor's password alone
    (before enrollment) opened drafts on the public site, though it opened nothing in the admin."""
    from stories.models import Story
    from tests.stories.factories import StoryFactory

    settings.STAFF_TWO_FACTOR_REQUIRED = True
    draft = StoryFactory(title="Not yet", status=Story.Status.DRAFT)
    editor = make_staff("ed", role="Content editors")
    assert post_login(client, editor.username, PASSWORD).status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 404
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.post(reverse("admin:logout"))
    assert post_login(client, editor.username, PASSWORD, token=current_code(device)).status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_user_who_must_enrol_can_still_log_out(client, staffer, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    client.force_login(staffer)
    assert client.post(reverse("admin:logout")).status_code == 200
    assert "_auth_user_id" not in client.session


def test_two_factor_is_required_by_default_in_production():
    from tests.core.test_settings import PRODUCTION_ENV, run_django

    code = "from django.conf import settings; print(settings.STAFF_TWO_FACTOR_REQUIRED)"
    assert run_django(["shell", "-c", code], PRODUCTION_ENV).stdout.split()[-1] == "True"
    off = {**PRODUCTION_ENV, "STAFF_TWO_FACTOR_REQUIRED": "false"}
    assert run_django(["shell", "-c", code], off).stdout.split()[-1] == "False"


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_stopped(client, make_staff, settings):
    """Finding 4: the lockout counted per username and address, so 40 failures from one address
    over 40 usernames were never stopped."""
    settings.LOGIN_RATE_LIMIT_IP = "20/h"
    ana = make_staff("ana")
    answers = [post_login(client, f"user{n}", "Winter2026!", address="198.51.100.7").status_code for n in range(40)]
    assert answers[:20] == [200] * 20
    assert answers[20:] == [429] * 20
    assert AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count() == 0
    # The address is refused even with a right password; the same person elsewhere is not.
    assert post_login(client, ana.username, PASSWORD, address="198.51.100.7").status_code == 429
    assert post_login(client, ana.username, PASSWORD, address="192.0.2.44").status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_each_client_address_has_its_own_login_limit(client, make_staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_LIMIT_IP = "20/h"
    ana = make_staff("ana")
    # 60 clients behind the one proxy address, 3 failures each: nobody is over a limit.
    for n in range(60):
        response = post_login(client, f"user{n}", "wrong", address="10.0.0.2",
                              HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert response.status_code == 200
    assert post_login(client, ana.username, PASSWORD, address="10.0.0.2",
                      HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 302
    # One client spraying behind the proxy is stopped, whatever it writes left of the proxy's entry.
    client.logout()
    answers = [
        post_login(client, f"user{n}", "wrong", address="10.0.0.2",
                   HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9").status_code
        for n in range(25)
    ]
    assert answers[20:] == [429] * 5


@pytest.mark.django_db
def test_an_ipv6_client_cannot_spray_from_a_new_address_of_its_network_each_time(client, make_staff, settings):
    """Found by the issue 12 verification: the limits keyed on the full IPv6 address, and a client
    holds a whole /64, so 40 failures from 40 of its addresses were never stopped."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_LIMIT_IP = "20/h"
    answers = [
        post_login(client, f"user{n}", "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{n:x}")
        for n in range(1, 41)
    ]
    assert [a.status_code for a in answers[20:]] == [429] * 20
    # A client of another network is not stopped.
    ana = make_staff("ana")
    assert post_login(client, ana.username, PASSWORD, address="10.0.0.2",
                      HTTP_X_FORWARDED_FOR="2001:db8:1:3::1").status_code == 302


def test_the_rate_limit_key_groups_ipv6_by_network_and_keeps_ipv4_whole(rf, settings):
    from core.client_ip import ratelimit_ip_key

    settings.TRUSTED_PROXY_COUNT = 0
    key = lambda address: ratelimit_ip_key("g", rf.get("/", REMOTE_ADDR=address))  # noqa: E731
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("198.51.100.7") == "198.51.100.7" != key("198.51.100.8")
    assert key("::ffff:198.51.100.7") == "198.51.100.7"


@pytest.mark.django_db
def test_wrong_codes_count_towards_the_lockout(client, enrolled_staffer, settings):
    user, device = enrolled_staffer
    for _ in range(settings.AXES_FAILURE_LIMIT):
        device.throttle_reset()
        post_login(client, user.username, PASSWORD, token=wrong_code(device))
    device.throttle_reset()
    assert post_login(client, user.username, PASSWORD, token=current_code(device)).status_code == 429


def test_the_demo_logins_meet_the_password_rules_they_teach(db):
    """The README's demo password is the first one a newcomer sees: it must pass the validators
    (12 characters at least) that every real staff password meets."""
    from django.contrib.auth.password_validation import validate_password

    from core.management.commands.seed_demo import DEMO_STAFF_PASSWORD
    from staff.demo import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
    validate_password(DEMO_STAFF_PASSWORD)
