"""Stripe webhooks: signed as Stripe signs them, stored once, applied idempotently in any order."""

import json
import time

import pytest
from django.urls import reverse

from donations import services
from donations.models import Donation, RecurringDonation, StripeEvent

from . import stripe_events as ev
from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db


def deliver(client, data, **kwargs):
    response = ev.post(client, data, **kwargs)
    assert response.status_code == 200, response.content
    return response


def test_same_event_three_times_makes_one_gift_and_one_receipt(client, appeal, webhook_secret, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    donation = make_donation(appeal, amount_cents=5000)
    completed = ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_1"))

    for _ in range(3):
        deliver(client, completed)
    with django_capture_on_commit_callbacks() as receipts_queued:
        for _ in range(3):
            process_stored_events()
    for _ in range(3):
        services.donation_receipt_send(donation_id=donation.pk)

    donation.refresh_from_db()
    assert StripeEvent.objects.get().status == StripeEvent.Status.PROCESSED
    assert Donation.objects.count() == 1
    assert donation.status == Donation.Status.SUCCEEDED and donation.paid_at is not None
    assert donation.stripe_payment_intent_id == "pi_1"
    assert len(receipts_queued) == 1
    assert len(mailoutbox) == 1
    assert donation.receipt_sent_at is not None


@pytest.mark.parametrize("order", ["invoice_first", "checkout_first"])
def test_monthly_gift_ends_right_in_either_order(client, appeal, webhook_secret, order):
    donation = make_donation(appeal, frequency="month", amount_cents=2500)
    completed = ev.event("checkout.session.completed", ev.checkout_session(
        donation, subscription="sub_1", invoice="in_1", customer="cus_1"))
    paid = ev.event("invoice.paid", ev.invoice(invoice_id="in_1", subscription="sub_1", customer="cus_1",
                                               donation_reference=donation.reference, payment_intent="pi_1"))
    events = [paid, completed] if order == "invoice_first" else [completed, paid]

    for data in events:
        deliver(client, data)
        process_stored_events()

    donation.refresh_from_db()
    recurring = RecurringDonation.objects.get()
    assert Donation.objects.count() == 1
    assert donation.status == Donation.Status.SUCCEEDED
    assert (donation.stripe_invoice_id, donation.stripe_payment_intent_id) == ("in_1", "pi_1")
    assert donation.recurring == recurring
    assert (recurring.stripe_subscription_id, recurring.stripe_customer_id) == ("sub_1", "cus_1")
    assert recurring.status == RecurringDonation.Status.ACTIVE
    assert recurring.email == "ana@example.org" and recurring.appeal == appeal
    assert set(StripeEvent.objects.values_list("status", flat=True)) == {StripeEvent.Status.PROCESSED}


def test_each_monthly_renewal_is_its_own_gift_with_its_own_receipt(client, appeal, webhook_secret, mailoutbox):
    donation = make_donation(appeal, frequency="month", amount_cents=2500)
    deliver(client, ev.event("checkout.session.completed", ev.checkout_session(
        donation, subscription="sub_1", invoice="in_1", customer="cus_1")))
    deliver(client, ev.event("invoice.paid", ev.invoice(
        invoice_id="in_1", subscription="sub_1", donation_reference=donation.reference, payment_intent="pi_1")))
    renewal = ev.event("invoice.paid", ev.invoice(
        invoice_id="in_2", subscription="sub_1", donation_reference=donation.reference, payment_intent="pi_2",
        billing_reason="subscription_cycle"))
    deliver(client, renewal)
    deliver(client, renewal)
    process_stored_events()
    for gift in Donation.objects.all():
        services.donation_receipt_send(donation_id=gift.pk)

    gifts = Donation.objects.order_by("pk")
    assert [g.stripe_invoice_id for g in gifts] == ["in_1", "in_2"]
    assert all(g.status == Donation.Status.SUCCEEDED and g.recurring_id for g in gifts)
    assert gifts[1].appeal == appeal and gifts[1].email == "ana@example.org" and gifts[1].frequency == "month"
    assert len(mailoutbox) == 2


def test_unknown_event_type_is_stored_and_ignored(client, webhook_secret):
    deliver(client, ev.event("customer.created", {"id": "cus_9", "object": "customer"}))
    process_stored_events()

    stored = StripeEvent.objects.get()
    assert (stored.type, stored.status) == ("customer.created", StripeEvent.Status.IGNORED)


@pytest.mark.parametrize("how", ["bad_secret", "old_timestamp", "tampered", "missing", "garbage"])
def test_unverified_deliveries_are_rejected_and_nothing_is_stored(client, appeal, webhook_secret, how):
    donation = make_donation(appeal)
    data = ev.event("checkout.session.completed", ev.checkout_session(donation))
    payload = json.dumps(data)
    header = ev.sign(payload)
    if how == "bad_secret":
        header = ev.sign(payload, secret="whsec_someone_else")
    elif how == "old_timestamp":
        header = ev.sign(payload, timestamp=int(time.time()) - 301)
    elif how == "tampered":
        payload = payload.replace('"amount_total": 2500', '"amount_total": 1')
    elif how == "garbage":
        header = "t=abc,v1=zzz"
    headers = {} if how == "missing" else {"HTTP_STRIPE_SIGNATURE": header}

    response = client.post(reverse("stripe_webhook"), data=payload, content_type="application/json",
                           **headers)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING and donation.paid_at is None


def test_webhook_refuses_everything_without_an_endpoint_secret(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = json.dumps(ev.event("customer.created", {"id": "cus_1"}))
    response = client.post("/stripe/webhook/", data=payload, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=ev.sign(payload, secret=""))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def _paid_one_time(client, appeal, amount=5000):
    donation = make_donation(appeal, amount_cents=amount)
    deliver(client, ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_7")))
    process_stored_events()
    return donation


def test_partial_then_full_refund(client, appeal, webhook_secret, fake_stripe):
    donation = _paid_one_time(client, appeal)

    # charge.refunded names only the charge's running total: the refunds are read from Stripe.
    fake_stripe.add_refund(charge="ch_7", payment_intent="pi_7", amount=2000)
    deliver(client, ev.event("charge.refunded", ev.charge(charge_id="ch_7", payment_intent="pi_7", amount=5000,
                                                          amount_refunded=2000)))
    process_stored_events()
    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.PARTIALLY_REFUNDED, 2000)
    assert donation.stripe_charge_id == "ch_7"
    appeal_raised = type(appeal).objects.with_raised().get(pk=appeal.pk).raised_cents
    assert appeal_raised == 3000

    fake_stripe.add_refund(charge="ch_7", payment_intent="pi_7", amount=3000)
    deliver(client, ev.event("charge.refunded", ev.charge(charge_id="ch_7", payment_intent="pi_7", amount=5000,
                                                          amount_refunded=5000, refunded=True)))
    process_stored_events()
    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.REFUNDED, 5000)
    assert type(appeal).objects.with_raised().get(pk=appeal.pk).raised_cents == 0


def test_refund_events_out_of_order_keep_the_larger_total(client, appeal, webhook_secret, fake_stripe):
    donation = _paid_one_time(client, appeal)
    fake_stripe.add_refund(charge="ch_7", payment_intent="pi_7", amount=2000)
    fake_stripe.add_refund(charge="ch_7", payment_intent="pi_7", amount=3000)
    full = ev.event("charge.refunded", ev.charge(charge_id="ch_7", payment_intent="pi_7", amount=5000,
                                                 amount_refunded=5000, refunded=True))
    partial = ev.event("charge.refunded", ev.charge(charge_id="ch_7", payment_intent="pi_7", amount=5000,
                                                    amount_refunded=2000))
    deliver(client, full)
    deliver(client, partial)
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.REFUNDED, 5000)


def test_refund_before_the_gift_is_linked_waits_then_applies(client, appeal, webhook_secret, fake_stripe):
    donation = make_donation(appeal, amount_cents=5000)
    fake_stripe.add_refund(charge="ch_8", payment_intent="pi_8", amount=5000)
    deliver(client, ev.event("charge.refunded", ev.charge(charge_id="ch_8", payment_intent="pi_8", amount=5000,
                                                          amount_refunded=5000, refunded=True)))
    process_stored_events()
    assert StripeEvent.objects.get().status == StripeEvent.Status.WAITING

    deliver(client, ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_8")))
    process_stored_events()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert set(StripeEvent.objects.values_list("status", flat=True)) == {StripeEvent.Status.PROCESSED}


def test_dispute_marks_the_gift_disputed_and_a_won_dispute_restores_it(client, appeal, webhook_secret):
    donation = _paid_one_time(client, appeal)

    deliver(client, ev.event("charge.dispute.created", ev.dispute(payment_intent="pi_7", charge_id="ch_7",
                                                                  amount=5000)))
    process_stored_events()
    donation.refresh_from_db()
    assert (donation.status, donation.dispute_reason, donation.dispute_status) == (
        Donation.Status.DISPUTED, "fraudulent", "needs_response")

    deliver(client, ev.event("charge.dispute.closed", ev.dispute(payment_intent="pi_7", charge_id="ch_7",
                                                                 amount=5000, status="won")))
    process_stored_events()
    donation.refresh_from_db()
    assert (donation.status, donation.dispute_status) == (Donation.Status.SUCCEEDED, "won")


def test_async_payment_failure_and_success(client, appeal, webhook_secret):
    failing = make_donation(appeal)
    succeeding = make_donation(appeal, email="b@example.org")
    for donation in (failing, succeeding):
        deliver(client, ev.event("checkout.session.completed", ev.checkout_session(
            donation, payment_status="unpaid", payment_intent=f"pi_{donation.pk}")))
    process_stored_events()
    assert set(Donation.objects.values_list("status", flat=True)) == {Donation.Status.PENDING}

    deliver(client, ev.event("checkout.session.async_payment_failed", ev.checkout_session(
        failing, payment_status="unpaid", payment_intent=f"pi_{failing.pk}")))
    deliver(client, ev.event("checkout.session.async_payment_succeeded", ev.checkout_session(
        succeeding, payment_intent=f"pi_{succeeding.pk}")))
    process_stored_events()

    failing.refresh_from_db()
    succeeding.refresh_from_db()
    assert failing.status == Donation.Status.FAILED and failing.paid_at is None
    assert succeeding.status == Donation.Status.SUCCEEDED and succeeding.paid_at is not None


def test_subscription_updates_apply_newest_first_and_deletion_is_final(client, appeal, webhook_secret):
    now = int(time.time())
    # A subscription Camino started: its checkout's gift is named in the subscription's metadata.
    ref = make_donation(appeal, frequency="month").reference
    newer = ev.event("customer.subscription.updated", ev.subscription(
        subscription_id="sub_5", status="past_due", amount=3000, donation_reference=ref), created=now)
    older = ev.event("customer.subscription.updated", ev.subscription(
        subscription_id="sub_5", status="active", amount=2500, donation_reference=ref), created=now - 60)
    deliver(client, newer)
    deliver(client, older)
    process_stored_events()
    recurring = RecurringDonation.objects.get()
    assert (recurring.status, recurring.amount_cents) == ("past_due", 3000)

    deliver(client, ev.event("invoice.payment_failed", ev.invoice(
        invoice_id="in_5", subscription="sub_5", attempt_count=2)))
    deliver(client, ev.event("customer.subscription.deleted", ev.subscription(
        subscription_id="sub_5", status="canceled", canceled_at=now), created=now + 5))
    deliver(client, ev.event("customer.subscription.updated", ev.subscription(
        subscription_id="sub_5", status="active"), created=now + 1))
    process_stored_events()

    recurring.refresh_from_db()
    assert recurring.status == RecurringDonation.Status.CANCELED
    assert recurring.canceled_at is not None and recurring.last_payment_failed_at is not None
    assert RecurringDonation.objects.count() == 1


@pytest.mark.parametrize("created", ["abc", "1700000000.5", None, 1700000000.5, True, -1, 2**63])
def test_a_signed_event_whose_created_is_not_a_whole_unix_time_is_refused_not_a_500(client, webhook_secret, created):
    # Signed with our secret (so it passes the signature check) but not in Stripe's shape.
    data = ev.event("customer.created", {"id": "cus_9", "object": "customer"})
    data["created"] = created

    response = ev.post(client, data)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
