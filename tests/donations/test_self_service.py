"""Manage my monthly gift: a signed, expiring link by email that opens Stripe's Customer Portal."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from donations import services
from donations.models import ManageLinkRequest, RecurringDonation

pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly_donor(appeal):
    return RecurringDonation.objects.create(appeal=appeal, email="ana@example.org", amount_cents=2500,
                                            status="active", stripe_subscription_id="sub_1",
                                            stripe_customer_id="cus_ana")


def ask_for_link(client, email):
    return client.post(reverse("donations:manage"), {"email": email})


def test_the_answer_is_the_same_for_donors_and_strangers(client, monthly_donor):
    donor = ask_for_link(client, "ANA@example.org")
    stranger = ask_for_link(client, "nobody@example.org")

    assert donor.status_code == stranger.status_code == 200
    assert donor.content == stranger.content
    assert ManageLinkRequest.objects.filter(recurring=monthly_donor).count() == 1
    assert ManageLinkRequest.objects.count() == 1


def test_link_opens_a_portal_session_with_exact_parameters(client, monthly_donor, fake_stripe, mailoutbox):
    ask_for_link(client, "ana@example.org")
    link_request = ManageLinkRequest.objects.get()
    assert services.donor_manage_link_send(request_id=link_request.pk) is True
    assert services.donor_manage_link_send(request_id=link_request.pk) is False  # a second run sends nothing

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana@example.org"]
    url = re.search(r"https://camino\.example\.org(/donate/manage/\S+/)", message.body).group(1)
    assert message.alternatives and url in message.alternatives[0][0]

    response = client.get(url)

    request = fake_stripe.last("/v1/billing_portal/sessions")
    assert request["params"] == {"customer": "cus_ana", "return_url": "https://camino.example.org/donate/"}
    assert re.fullmatch(r"portal-[0-9a-f]{32}", request["idempotency_key"])
    assert response.status_code == 302
    assert response["Location"].startswith("https://billing.stripe.com/p/session/bps_test_")


def test_expired_link_is_refused_with_a_clear_message(client, monthly_donor, fake_stripe, settings):
    token = signing.dumps({"email": "ana@example.org"}, salt=services.MANAGE_LINK_SALT)
    settings.DONATION_MANAGE_LINK_MAX_AGE = -1

    response = client.get(reverse("donations:manage_open", args=[token]))

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert fake_stripe.requests == []


def test_forged_link_is_refused(client, monthly_donor, fake_stripe):
    token = signing.dumps({"email": "ana@example.org"}, salt="something-else")

    response = client.get(reverse("donations:manage_open", args=[token]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert fake_stripe.requests == []


def test_link_requests_are_rate_limited(client, monthly_donor, settings):
    settings.DONATION_RATE_LIMIT_EMAIL = "2/h"
    for _ in range(2):
        assert ask_for_link(client, "ana@example.org").status_code == 200
    assert ask_for_link(client, "ana@example.org").status_code == 429
    assert ManageLinkRequest.objects.count() == 2
