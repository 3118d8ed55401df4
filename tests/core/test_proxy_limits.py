"""Behind the production proxy (DJANGO_TRUSTED_PROXY_COUNT=1) every limit (letters, checkout, manage
links, staff logins) counts each client by their own address: many people through one proxy all get
through, one client over a limit is stopped, and a forged X-Forwarded-For entry (the client writes
the left part) does not dodge it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from advocacy.models import Letter
from donations.models import Appeal, Donation, ManageLinkRequest, RecurringDonation
from tests.advocacy.conftest import seattle  # noqa: F401 (a fixture)
from tests.advocacy.factories import CampaignFactory
from tests.staff.factories import with_amounts

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # REMOTE_ADDR of every request: the load balancer
SUPPORTERS = [f"203.0.113.{n}" for n in range(1, 31)]
HEAVY = "198.51.100.7"
LETTER = {
    "prefix": "Ms.",
    "first_name": "Maria",
    "last_name": "Lopez",
    "street": "400 Broad St",
    "city": "Seattle",
    "state": "WA",
    "zip_code": "98109",
    "phone": "",
    "own_words": "",
    "consent": "on",
    "website": "",
}
GIFT = {
    "frequency": "once",
    "amount": "5000",
    "name": "Ana Pérez",
    "consent_updates": "on",
    "tribute_type": "",
    "tribute_name": "",
    "website": "",
}


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.STRIPE_SECRET_KEY = ""  # the demo processor: no payment service needed
    settings.DEBUG = True


def _via_proxy(forwarded_for: str) -> dict:
    """What the proxy sends on: the client's own header (if any), then the address it saw."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded_for}


def write_letter(client, campaign, n: int, forwarded_for: str) -> int:
    client.post(campaign.get_absolute_url(), {**LETTER, "email": f"writer{n}@example.org"})
    confirm = reverse("advocacy:campaign_confirm", args=[campaign.slug])
    return client.post(confirm, **_via_proxy(forwarded_for)).status_code


def test_letters(client, seattle, settings):  # noqa: F811
    settings.ADVOCACY_SIGN_RATE_IP = "20/h"  # the default: supporter 21 behind one proxy got 429
    campaign = CampaignFactory()
    assert [write_letter(client, campaign, n, ip) for n, ip in enumerate(SUPPORTERS)] == [302] * 30
    heavy = [write_letter(client, campaign, 100 + n, HEAVY) for n in range(20)]
    assert heavy == [302] * 20
    assert write_letter(client, campaign, 200, HEAVY) == 429
    assert write_letter(client, campaign, 201, f"192.0.2.99, {HEAVY}") == 429  # a forged entry changes nothing
    assert Letter.objects.count() == 50


def test_checkout(client, settings):
    settings.DONATION_RATE_LIMIT_IP = "10/h"
    appeal = with_amounts(Appeal.objects.create(title="Winter", slug="winter", is_default=True), [5000])
    url = reverse("donations:donate")

    def give(n, forwarded_for):
        return client.post(url, {**GIFT, "email": f"donor{n}@example.org"}, **_via_proxy(forwarded_for)).status_code

    assert [give(n, ip) for n, ip in enumerate(SUPPORTERS)] == [302] * 30
    assert [give(100 + n, HEAVY) for n in range(10)] == [302] * 10
    assert give(200, HEAVY) == 429
    assert give(201, f"192.0.2.99, {HEAVY}") == 429
    assert Donation.objects.filter(appeal=appeal).count() == 40


def test_manage_links(client, settings):
    settings.DONATION_RATE_LIMIT_IP = "10/h"
    for n in range(41):
        RecurringDonation.objects.create(
            email=f"donor{n}@example.org",
            amount_cents=2500,
            status="active",
            stripe_subscription_id=f"sub_{n}",
            stripe_customer_id=f"cus_{n}",
        )
    url = reverse("donations:manage")

    def ask(n, forwarded_for):
        return client.post(url, {"email": f"donor{n}@example.org"}, **_via_proxy(forwarded_for)).status_code

    assert [ask(n, ip) for n, ip in enumerate(SUPPORTERS)] == [200] * 30
    assert [ask(30 + n, HEAVY) for n in range(10)] == [200] * 10
    assert ask(40, HEAVY) == 429
    assert ask(40, f"192.0.2.99, {HEAVY}") == 429
    assert ManageLinkRequest.objects.count() == 40


def test_logins(client, settings):
    settings.LOGIN_RATE_LIMIT_IP = "20/h"
    password = "a-long-staff-password-9"
    get_user_model().objects.create_user(username="ana", password=password, is_staff=True)
    login, index = reverse("admin:login"), reverse("admin:index")

    def log_in(username, secret, forwarded_for):
        data = {"username": username, "password": secret, "otp_token": "", "next": index}
        return client.post(f"{login}?next={index}", data, **_via_proxy(forwarded_for)).status_code

    # 30 people mistyping once through the same proxy lock nobody out, the owner of the name included.
    assert [log_in("ana", "wrong", ip) for ip in SUPPORTERS] == [200] * 30
    assert log_in("ana", password, "192.0.2.50") == 302
    client.logout()
    # One client spraying passwords over many usernames is stopped, forged entry or not.
    assert [log_in(f"user{n}", "wrong", HEAVY) for n in range(20)] == [200] * 20
    assert log_in("ana", password, HEAVY) == 429
    assert log_in("ana", password, f"192.0.2.99, {HEAVY}") == 429
    assert log_in("ana", password, "192.0.2.51") == 302
