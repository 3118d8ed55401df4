"""Finance staff in the admin: read-only money, totals, CSV, and refunds through Stripe's Refund API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from donations.models import Donation

from . import stripe_events as ev
from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(appeal):
    return make_donation(appeal, amount_cents=5000, status="succeeded", paid_at=timezone.now(),
                         stripe_payment_intent_id="pi_paid")


def confirmation(admin_client, *donations):
    """The refund action's first step: the confirmation page (nothing asked of Stripe yet)."""
    return admin_client.post(reverse("admin:donations_donation_changelist"), {
        "action": "refund_selected", "_selected_action": [d.pk for d in donations]}, follow=True)


def confirm(admin_client, page, amounts: dict | None = None):
    """Press "Refund" on a confirmation page, with the amounts it proposed unless told otherwise."""
    form = page.context["forms"]
    data = {"action": "refund_selected", "confirm": "yes", "request_key": page.context["request_key"],
            "_selected_action": page.context["selected"]}
    for refund_form in form:
        data[refund_form["amount"].html_name] = (amounts or {}).get(refund_form.donation.pk,
                                                                    refund_form["amount"].value())
    return admin_client.post(reverse("admin:donations_donation_changelist"), data, follow=True)


def refund(admin_client, *donations):
    page = confirmation(admin_client, *donations)
    if "forms" not in (page.context or {}):
        return page  # refused before any amount was asked
    return confirm(admin_client, page)


def test_refund_action_calls_the_refund_api_with_an_idempotency_key(admin_client, paid, fake_stripe):
    page = confirmation(admin_client, paid)
    assert fake_stripe.requests == []  # the confirmation step asks Stripe nothing
    response = confirm(admin_client, page)

    request = fake_stripe.last("/v1/refunds")
    assert request["idempotency_key"] == f"donation-{paid.reference}-refund-{page.context['request_key']}"
    assert request["params"] == {
        "payment_intent": "pi_paid",
        "amount": "5000",
        "reason": "requested_by_customer",
        "metadata[donation_id]": str(paid.reference),
        "metadata[requested_by]": str(response.wsgi_request.user.pk),
    }
    paid.refresh_from_db()
    # The state changes when Stripe's charge.refunded arrives, not when we ask.
    assert paid.status == Donation.Status.SUCCEEDED and paid.refund_requested_at is not None
    assert "Refund requested for 1 gift(s): $50.00" in response.content.decode()


def test_double_click_sends_the_same_idempotency_key(admin_client, paid, fake_stripe):
    page = confirmation(admin_client, paid)
    confirm(admin_client, page)
    confirm(admin_client, page)  # the same confirmation sent twice

    keys = [r["idempotency_key"] for r in fake_stripe.requests if r["path"] == "/v1/refunds"]
    assert keys == [f"donation-{paid.reference}-refund-{page.context['request_key']}"] * 2
    assert len({r["id"] for r in fake_stripe.refunds.values()}) == 1  # Stripe replayed the first: one refund


def test_refund_of_the_rest_after_a_partial_refund(admin_client, paid, fake_stripe, webhook_secret, client):
    fake_stripe.add_refund(charge="ch_paid", payment_intent="pi_paid", amount=1500)
    ev.post(client, ev.event("charge.refunded", ev.charge(charge_id="ch_paid", payment_intent="pi_paid", amount=5000,
                                                          amount_refunded=1500)))
    process_stored_events()

    page = confirmation(admin_client, paid)
    assert page.context["forms"][0]["amount"].value() == "35.00"  # what is left, proposed
    confirm(admin_client, page)

    request = fake_stripe.last("/v1/refunds")
    assert request["params"]["amount"] == "3500"
    assert request["idempotency_key"] == f"donation-{paid.reference}-refund-{page.context['request_key']}"


def test_unpaid_gift_cannot_be_refunded(admin_client, appeal, fake_stripe):
    pending = make_donation(appeal)
    response = refund(admin_client, pending)

    assert "Only paid gifts can be refunded" in response.content.decode()
    assert fake_stripe.requests == []


def test_stripe_refusal_is_reported_to_staff(admin_client, paid, fake_stripe):
    fake_stripe.fail_next(400, "Charge ch_x has already been refunded.")
    response = refund(admin_client, paid)

    assert "already been refunded" in response.content.decode()
    paid.refresh_from_db()
    assert paid.refund_requested_at is None


def test_changelist_shows_totals_of_the_filtered_list(admin_client, appeal, paid):
    make_donation(appeal, amount_cents=2000, status="refunded", paid_at=timezone.now(), amount_refunded_cents=2000,
                  email="b@example.org")
    make_donation(appeal, amount_cents=9900, email="c@example.org")  # pending: not money received

    response = admin_client.get(reverse("admin:donations_donation_changelist"))
    filtered = admin_client.get(reverse("admin:donations_donation_changelist") + "?status__exact=succeeded")
    searched = admin_client.get(reverse("admin:donations_donation_changelist") + "?q=b%40example.org")

    assert "3 gifts · paid $70.00 · refunded $20.00 · net $50.00" in response.content.decode()
    assert "1 gifts · paid $50.00 · refunded $0.00 · net $50.00" in filtered.content.decode()
    assert "1 gifts · paid $20.00 · refunded $20.00 · net $0.00" in searched.content.decode()


def test_money_fields_are_read_only(admin_client, paid):
    response = admin_client.get(reverse("admin:donations_donation_change", args=[paid.pk]))

    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert "amount_cents" not in form_fields and "status" not in form_fields
    assert admin_client.get(reverse("admin:donations_donation_add")).status_code == 403


def test_csv_export_streams_the_filtered_list(admin_client, appeal, paid):
    make_donation(appeal, amount_cents=700, email="=cmd@example.org")

    response = admin_client.get(reverse("admin:donations_donation_export") + "?status__exact=succeeded")
    body = b"".join(response.streaming_content).decode()

    assert response.streaming and response["Content-Type"].startswith("text/csv")
    lines = body.strip().splitlines()
    assert lines[0].startswith("reference,created,paid,status")
    assert len(lines) == 2 and str(paid.reference) in lines[1] and "5000" in lines[1]
    everything = b"".join(admin_client.get(reverse("admin:donations_donation_export")).streaming_content).decode()
    assert "'=cmd@example.org" in everything  # spreadsheet formulas neutralized


def test_stored_events_and_recurring_gifts_are_listed(admin_client, client, appeal, webhook_secret):
    monthly = make_donation(appeal, frequency="month")  # a subscription Camino started names its gift
    ev.post(client, ev.event("customer.subscription.updated", ev.subscription(
        subscription_id="sub_a", donation_reference=monthly.reference)))
    process_stored_events()

    events = admin_client.get(reverse("admin:donations_stripeevent_changelist"))
    recurring = admin_client.get(reverse("admin:donations_recurringdonation_changelist"))

    assert "customer.subscription.updated" in events.content.decode()
    assert "subscription active" in events.content.decode()
    assert recurring.status_code == 200 and "Active" in recurring.content.decode()


def test_history_and_appeal_pages_load(admin_client, appeal, paid):
    history = admin_client.get(reverse("admin:donations_donation_history", args=[paid.pk]))
    appeals = admin_client.get(reverse("admin:donations_appeal_changelist"))
    appeal_history = admin_client.get(reverse("admin:donations_appeal_history", args=[appeal.pk]))

    assert history.status_code == appeals.status_code == appeal_history.status_code == 200
    assert "$50.00" in appeals.content.decode()  # raised so far, refunds subtracted
