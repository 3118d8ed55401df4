"""The donate page and Stripe Checkout: exact parameters and idempotency keys through the real SDK."""

import pytest
from django.urls import reverse
from django.utils import translation
from stripe._api_version import _ApiVersion

from donations.models import Donation
from donations.services import fee_cover_for

pytestmark = pytest.mark.django_db

FORM = {"frequency": "once", "amount": "5000", "name": "Ana Pérez", "email": "Ana@Example.org",
        "consent_updates": "on", "tribute_type": "", "tribute_name": "", "website": ""}


def donor_and_return_params(ref: str) -> dict:
    """What every checkout sends, one-time or monthly: the donor, our reference and the way back."""
    return {
        "customer_email": "ana@example.org",
        "locale": "en",
        "client_reference_id": ref,
        "metadata[donation_id]": ref,
        "metadata[appeal]": "children",
        "success_url": f"https://camino.example.org/donate/thanks/{ref}/?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"https://camino.example.org/donate/cancelled/{ref}/",
    }


def give(client, appeal, **changes):
    return client.post(reverse("donations:donate_appeal", args=[appeal.slug]), {**FORM, **changes})


def test_one_time_gift_opens_checkout_with_exact_parameters(client, appeal, fake_stripe):
    response = give(client, appeal)

    donation = Donation.objects.get()
    request = fake_stripe.last("/v1/checkout/sessions")
    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    ref = str(donation.reference)
    assert request["idempotency_key"] == f"donation-{ref}-checkout"
    assert request["stripe_version"] == _ApiVersion.CURRENT
    assert request["authorization"] == "Bearer sk_test_camino"
    assert request["params"] == {
        "mode": "payment",
        "submit_type": "donate",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "5000",
        "line_items[0][price_data][product_data][name]": "Gift to Camino: Stand with children on the move",
        **donor_and_return_params(ref),
        "payment_intent_data[metadata][donation_id]": ref,
        "payment_intent_data[metadata][appeal]": "children",
        "payment_intent_data[description]": "Gift to Camino: Stand with children on the move",
    }
    assert donation.status == Donation.Status.PENDING
    assert donation.amount_cents == 5000 and donation.fee_cover_cents == 0
    assert donation.stripe_checkout_session_id.startswith("cs_test_")
    assert donation.paid_at is None  # only Stripe's event marks a gift paid


def test_monthly_gift_with_fee_cover_opens_subscription_checkout(client, appeal, fake_stripe):
    give(client, appeal, frequency="month", amount="other", custom_amount="40.00", cover_fee="on",
         tribute_type="memory", tribute_name="Rosa")

    donation = Donation.objects.get()
    ref = str(donation.reference)
    fee = fee_cover_for(4000)
    request = fake_stripe.last("/v1/checkout/sessions")
    assert fee == 121  # (4000 + 30) / (1 - 2.2%) = 4120.65 -> 4121
    assert request["idempotency_key"] == f"donation-{ref}-checkout"
    assert request["params"] == {
        "mode": "subscription",
        "submit_type": "donate",
        "line_items[0][quantity]": "1",
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "4000",
        "line_items[0][price_data][product_data][name]": "Gift to Camino: Stand with children on the move",
        "line_items[0][price_data][recurring][interval]": "month",
        "line_items[1][quantity]": "1",
        "line_items[1][price_data][currency]": "usd",
        "line_items[1][price_data][unit_amount]": str(fee),
        "line_items[1][price_data][product_data][name]": "Processing fee cover",
        "line_items[1][price_data][recurring][interval]": "month",
        **donor_and_return_params(ref),
        "subscription_data[metadata][donation_id]": ref,
        "subscription_data[metadata][appeal]": "children",
        "subscription_data[description]": "Gift to Camino: Stand with children on the move",
    }
    assert (donation.amount_cents, donation.fee_cover_cents) == (4000 + fee, fee)
    assert (donation.frequency, donation.tribute_type, donation.tribute_name) == ("month", "memory", "Rosa")


@pytest.mark.parametrize("changes, field", [
    ({"amount": "other", "custom_amount": "1.00"}, "custom_amount"),      # below the minimum
    ({"amount": "other", "custom_amount": "90000"}, "custom_amount"),     # above the maximum
    ({"amount": "other", "custom_amount": ""}, "custom_amount"),
    ({"amount": "123"}, "amount"),                                        # not one of the presets
    ({"email": "not-an-email"}, "email"),
    ({"tribute_type": "honor", "tribute_name": ""}, "tribute_name"),
])
def test_bad_input_shows_a_message_and_stores_nothing(client, appeal, fake_stripe, changes, field):
    response = give(client, appeal, **changes)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Donation.objects.exists()
    assert fake_stripe.requests == []


def test_honeypot_rejects_bots_and_stores_nothing(client, appeal, fake_stripe):
    response = give(client, appeal, website="http://spam.example")

    assert response.status_code == 200
    assert response.context["form"].has_error("website", "honeypot")
    assert not Donation.objects.exists() and fake_stripe.requests == []


def test_checkout_is_rate_limited_per_email(client, appeal, fake_stripe, settings):
    settings.DONATION_RATE_LIMIT_EMAIL = "2/h"
    for _ in range(2):
        assert give(client, appeal).status_code == 302
    response = give(client, appeal, email="ana@example.org")

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert Donation.objects.count() == 2
    assert give(client, appeal, email="other@example.org").status_code == 302


def test_checkout_is_rate_limited_per_ip(client, appeal, fake_stripe, settings):
    settings.DONATION_RATE_LIMIT_IP = "2/h"
    for n in range(2):
        assert give(client, appeal, email=f"donor{n}@example.org").status_code == 302
    response = give(client, appeal, email="donor9@example.org")

    assert response.status_code == 429
    assert Donation.objects.count() == 2


def test_checkout_needs_a_csrf_token(appeal, fake_stripe):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("donations:donate"), FORM)

    assert response.status_code == 403
    assert not Donation.objects.exists()


def test_stripe_outage_shows_a_message_and_takes_no_money(client, appeal, fake_stripe):
    fake_stripe.fail_next(500)
    response = give(client, appeal)

    assert response.status_code == 200
    assert "could not reach our payment processor" in response.content.decode()
    assert Donation.objects.get().status == Donation.Status.FAILED


def test_closed_appeal_page_is_not_found(client, appeal):
    appeal.is_active = False
    appeal.save()

    assert client.get(reverse("donations:donate_appeal", args=[appeal.slug])).status_code == 404


def test_donate_page_shows_default_appeal_presets_and_thermometer(client, appeal):
    response = client.get(reverse("donations:donate"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Stand with children on the move" in html
    for label in ("$25", "$50", "$100", "Other amount"):
        assert label in html
    assert 'data-testid="thermometer"' in html and "$0 raised of $1,000" in html
    assert 'data-fee-basis-points="220"' in html


def test_donate_page_query_count_is_constant(client, appeal, django_assert_num_queries):
    from .conftest import make_donation

    # The appeal with its sum raised, and its amount buttons for the form (tests/donations/test_amounts.py).
    make_donation(appeal, paid_at="2026-01-01T00:00:00Z", status="succeeded")
    with django_assert_num_queries(2):
        client.get(reverse("donations:donate"))
    for n in range(20):
        make_donation(appeal, amount_cents=1000 + n, paid_at="2026-01-01T00:00:00Z", status="succeeded")
    # The blank form now comes from the cache: its buttons are not read again.
    with django_assert_num_queries(1):
        response = client.get(reverse("donations:donate"))
    # 2500 + (1000 + ... + 1019) = 22690 cents
    assert "$226.90 raised of $1,000 (22%)" in response.content.decode()


def test_rate_limit_behind_a_proxy_uses_the_forwarded_address(client, appeal, fake_stripe, settings):
    settings.DONATION_RATE_LIMIT_IP = "1/h"
    settings.TRUSTED_PROXY_COUNT = 1  # core.client_ip: the one client-address policy
    url = reverse("donations:donate")

    first = client.post(url, {**FORM, "email": "a@example.org"}, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.5")
    same_client = client.post(url, {**FORM, "email": "b@example.org"}, HTTP_X_FORWARDED_FOR="other, 203.0.113.5")
    another_client = client.post(url, {**FORM, "email": "c@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.6")

    assert (first.status_code, same_client.status_code, another_client.status_code) == (302, 429, 302)


def test_spanish_page_opens_a_spanish_checkout_and_the_gift_keeps_spanish(client, appeal, fake_stripe, settings):
    # The bug: Checkout followed the browser. The page's language goes, as "es", never "auto".
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]
    with translation.override("es"):
        url = reverse("donations:donate_appeal", args=[appeal.slug])
    assert url.startswith("/es/")
    # A browser in English on the Spanish page: the page's language wins.
    client.post(url, FORM, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    request = fake_stripe.last("/v1/checkout/sessions")
    assert request["params"]["locale"] == "es"
    assert Donation.objects.get().language == "es"
    assert request["params"]["success_url"].startswith("https://camino.example.org/es/donate/thanks/")
