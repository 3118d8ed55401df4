"""Manage my monthly gift: a one-time, expiring link by email that opens Stripe's Customer Portal."""

import base64
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations import services
from donations.models import ManageLinkRequest, RecurringDonation, StripeEvent

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

    page = client.get(url)
    assert page.status_code == 200 and "Open my donor page" in page.text
    assert fake_stripe.requests == []  # following the link (as a mail scanner does) uses nothing up
    response = client.post(url)

    request = fake_stripe.last("/v1/billing_portal/sessions")
    assert request["params"] == {"customer": "cus_ana", "return_url": "https://camino.example.org/donate/",
                                 "locale": "en"}
    assert re.fullmatch(r"portal-[0-9a-f]{32}", request["idempotency_key"])
    assert response.status_code == 302
    assert response["Location"].startswith("https://billing.stripe.com/p/session/bps_test_")


def _emailed_link(client, mailoutbox) -> str:
    ask_for_link(client, "ana@example.org")
    services.donor_manage_link_send(request_id=ManageLinkRequest.objects.latest("pk").pk)
    return re.search(r"https://camino\.example\.org(/donate/manage/\S+/)", mailoutbox[-1].body).group(1)


def _decodable_parts(token: str) -> str:
    """Whatever base64 in the token decodes to, as signing.dumps writes it (urlsafe, no padding)."""
    text = []
    for part in re.split(r"[:.]", token):
        try:
            text.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("latin-1"))
        except ValueError:
            continue
    return " ".join(text)


def test_the_link_carries_no_personal_data(client, monthly_donor, fake_stripe, mailoutbox):
    url = _emailed_link(client, mailoutbox)
    token = url.split("/")[-2]
    assert "ana" not in token.lower() and "ana@example.org" not in _decodable_parts(token)
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="donations.manage-link")
    stored = str(list(ManageLinkRequest.objects.values()))
    assert token not in stored and "ana@example.org" not in str(ManageLinkRequest.objects.get())


def test_the_link_works_once(client, monthly_donor, fake_stripe, mailoutbox):
    url = _emailed_link(client, mailoutbox)
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 400 and "already been used" in again.text
    assert client.get(url).status_code == 400
    assert [r["path"] for r in fake_stripe.requests] == ["/v1/billing_portal/sessions"]


def test_a_new_link_works_when_the_old_one_was_used(client, monthly_donor, fake_stripe, mailoutbox):
    first = _emailed_link(client, mailoutbox)
    client.post(first)
    second = _emailed_link(client, mailoutbox)
    assert second != first and client.post(second).status_code == 302


def test_expired_link_is_refused_with_a_clear_message(client, monthly_donor, fake_stripe, mailoutbox):
    url = _emailed_link(client, mailoutbox)
    ManageLinkRequest.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))

    response = client.post(url)

    assert response.status_code == 400
    assert "This link has expired" in response.text
    assert fake_stripe.requests == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_and_old_style_links_are_refused(client, monthly_donor, fake_stripe, method):
    # The old kind of link: the donor's email, signed (and still refused with a valid signature).
    for token in (signing.dumps({"email": "ana@example.org"}, salt="donations.manage-link"), "x" * 43):
        response = getattr(client, method)(reverse("donations:manage_open", args=[token]))
        assert response.status_code == 400
        assert "not valid" in response.text
    assert fake_stripe.requests == []


def test_the_manage_pages_are_never_cached(client, monthly_donor):
    for response in (client.get(reverse("donations:manage")), ask_for_link(client, "ana@example.org")):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_link_requests_are_rate_limited(client, monthly_donor, settings):
    settings.DONATION_RATE_LIMIT_EMAIL = "2/h"
    for _ in range(2):
        assert ask_for_link(client, "ana@example.org").status_code == 200
    assert ask_for_link(client, "ana@example.org").status_code == 429
    assert ManageLinkRequest.objects.count() == 2


def test_the_demo_portal_opens_once_from_the_link_and_stops_a_gift(client, monthly_donor, demo_mode, mailoutbox):
    ask_for_link(client, "ana@example.org")
    link_request = ManageLinkRequest.objects.get()
    token = services.donor_manage_link_token_create(request_id=link_request.pk)
    url = reverse("donations:manage_open", args=[token])

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("donations:demo_portal")
    portal = client.get(response["Location"])
    assert "Stop this monthly gift" in portal.text
    assert client.post(reverse("donations:demo_portal"), {"recurring": monthly_donor.pk}).status_code == 302
    # What Stripe would send back; the worker applies it.
    assert StripeEvent.objects.filter(type="customer.subscription.deleted").count() == 1
    assert client.post(url).status_code == 400  # the link is spent
    assert Client().get(reverse("donations:demo_portal")).status_code == 400  # and the portal needs the session
