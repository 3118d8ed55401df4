"""Staff sessions end 12 hours after the login and after 30 idle minutes (STAFF_SESSION_HOURS,
STAFF_SESSION_IDLE_MINUTES); passwords have 12 characters at least. Finding 10: staff sessions
lasted 14 days, idle or not, and 8-character passwords were accepted."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.sessions import LOGIN_AT, SEEN_AT

INDEX = reverse("admin:index")


def shift_session(client, **seconds_ago):
    """Move the session's clocks back, as if that much time had passed."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"login": LOGIN_AT, "seen": SEEN_AT}[key]] -= ago
    session.save()


@pytest.mark.django_db
def test_a_staff_session_ends_twelve_hours_after_the_login_however_busy(client, staffer, settings):
    assert (settings.STAFF_SESSION_HOURS, settings.STAFF_SESSION_IDLE_MINUTES) == (12, 30)
    client.force_login(staffer)
    assert client.session.get_expiry_age() == 12 * 3600  # the cookie too
    shift_session(client, login=12 * 3600 - 60)
    assert client.get(INDEX).status_code == 200
    shift_session(client, login=60)
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_staff_session_ends_after_thirty_idle_minutes(client, staffer):
    client.force_login(staffer)
    shift_session(client, login=29 * 60, seen=29 * 60)
    assert client.get(INDEX).status_code == 200  # 29 minutes idle: still in, and the clock restarts
    shift_session(client, seen=29 * 60)
    assert client.get(INDEX).status_code == 200
    shift_session(client, seen=31 * 60)
    assert client.get(INDEX).status_code == 302


@pytest.mark.django_db
def test_the_idle_limit_is_a_setting(client, staffer, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    client.force_login(staffer)
    shift_session(client, seen=6 * 60)
    assert client.get(INDEX).status_code == 302


@pytest.mark.django_db
def test_a_session_from_before_the_rule_ends(client, staffer):
    client.force_login(staffer)
    session = client.session
    del session[LOGIN_AT]
    session.save()
    assert client.get(INDEX).status_code == 302


@pytest.mark.django_db
def test_passwords_have_twelve_characters_at_least(staffer):
    with pytest.raises(ValidationError) as error:
        validate_password("k7#mQ2x!pL9", user=staffer)  # 11
    assert "password_too_short" in [e.code for e in error.value.error_list]
    validate_password("k7#mQ2x!pL9z", user=staffer)  # 12
