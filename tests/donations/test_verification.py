"""Found by the independent check of issue 11 (a new user's tries on /donate/ and a read of each
point against the code): what the stand-in checkout says, and the subscription shape before
2025-03-31."""

import time
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from donations.models import RecurringDonation

from . import stripe_events as ev
from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form", "summary_amount"),
    [
        ({"frequency": "once", "amount": "10000"}, "$100.00"),
        ({"frequency": "month", "amount": "other", "custom_amount": "25", "cover_fee": "on"}, "$25.87 per month"),
    ],
)
def test_the_demo_checkout_says_the_amount_as_the_form_s_summary_does(client, appeal, demo_mode, form, summary_amount):
    # The donate page's summary writes cents ("You will be charged $100.00 once."), as Stripe's own
    # page does; the demo page standing in for Stripe's said "$100".
    response = client.post(reverse("donations:donate"), {**form, "name": "Ana", "email": "ana@example.org"})
    page = client.get(response["Location"]).content.decode()
    assert f'data-testid="demo-amount">{summary_amount}<' in page


def test_a_subscription_in_the_shape_before_2025_03_31_keeps_its_period_end(client, appeal, webhook_secret):
    # Before 2025-03-31 the period end sits on the subscription, not on its items: it was read only
    # from the items, so an endpoint on an older version showed staff no period end at all.
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    subscription = ev.subscription(subscription_id="sub_old", donation_reference=origin.reference)
    period_end = subscription["items"]["data"][0].pop("current_period_end")
    subscription["current_period_end"] = period_end
    data = ev.event("customer.subscription.updated", subscription, api_version="2024-06-20")
    assert ev.post(client, data).status_code == 200
    process_stored_events()

    recurring = RecurringDonation.objects.get(stripe_subscription_id="sub_old")
    assert recurring.status == RecurringDonation.Status.ACTIVE
    assert recurring.current_period_end == datetime.fromtimestamp(period_end, tz=UTC)


def test_a_subscription_event_without_a_period_end_keeps_the_one_known(client, appeal, webhook_secret):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    first = ev.subscription(subscription_id="sub_p", donation_reference=origin.reference)
    known = first["items"]["data"][0]["current_period_end"]
    assert (
        ev.post(client, ev.event("customer.subscription.created", first, created=int(time.time()) - 200)).status_code
        == 200
    )
    later = ev.subscription(subscription_id="sub_p", donation_reference=origin.reference, cancel_at_period_end=True)
    del later["items"]["data"][0]["current_period_end"]
    assert (
        ev.post(client, ev.event("customer.subscription.updated", later, created=int(time.time()) - 100)).status_code
        == 200
    )
    process_stored_events()

    recurring = RecurringDonation.objects.get(stripe_subscription_id="sub_p")
    assert recurring.cancel_at_period_end
    assert recurring.current_period_end == datetime.fromtimestamp(known, tz=UTC)
