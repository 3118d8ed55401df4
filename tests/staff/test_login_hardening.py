"""Admin login: rate limited by django-axes, and a second factor for staff who enrolled one."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.client_ip import ip_pseudonym

from .conftest import PASSWORD, current_code

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


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
        assert "correct username and password" in response.content.decode()
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
def test_enrolled_staff_must_give_the_code(client, enrolled_staffer):
    user, device = enrolled_staffer
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "Enter the code from your authenticator app." in response.content.decode()
    assert client.get(INDEX).status_code == 302

    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = post_login(client, user.username, PASSWORD, token=wrong)
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()

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

    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(setup, {"token": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    device.throttle_reset()  # the wrong try above made django-otp wait before the next one
    response = client.post(setup, {"token": current_code(device)})
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
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post(setup, {"token": wrong})
    # Right after a failure even the right code waits (django-otp's exponential back-off).
    response = client.post(setup, {"token": current_code(device)})
    assert "Too many wrong codes" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_test_client_login_still_works_with_the_rate_limiter(client, staffer):
    assert client.login(username=staffer.username, password=PASSWORD)
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_with_two_authenticators_staff_choose_which_one(client, enrolled_staffer):
    user, _phone = enrolled_staffer
    tablet = TOTPDevice.objects.create(user=user, name="tablet", confirmed=True)
    response = post_login(client, user.username, PASSWORD, token=current_code(tablet))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please select a device." in html
    assert 'name="otp_device"' in html and "tablet" in html
    response = client.post(
        f"{LOGIN}?next={INDEX}",
        {"username": user.username, "password": PASSWORD, "otp_device": tablet.persistent_id,
         "otp_token": current_code(tablet), "next": INDEX},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert client.get(INDEX).status_code == 200
