"""Issue 11, findings 2 to 9: only Camino's own payments, every shape Stripe may send, waiting with a
ceiling, and each money movement (refunds, disputes, failed renewals) ending right in any order.
Events are built in the shapes of the API version Camino pins and signed as Stripe signs them."""

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from donations import services, tasks
from donations.models import (
    Appeal,
    Donation,
    PaymentFailureNotice,
    RecurringDonation,
    Refund,
    StripeEvent,
)
from donations.services.sweep import events_owed
from staff import dashboard

from . import stripe_events as ev
from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db


def deliver(client, data):
    response = ev.post(client, data)
    assert response.status_code == 200, response.content
    return response


def paid_once(client, appeal, *, amount=5000, intent="pi_1"):
    donation = make_donation(appeal, amount_cents=amount)
    deliver(client, ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent=intent)))
    process_stored_events()
    donation.refresh_from_db()
    return donation


def raised(appeal) -> int:
    return Appeal.objects.with_raised().get(pk=appeal.pk).raised_cents


# --- 2. Scope: only payments Camino started ---------------------------------------------------------


def test_an_invoice_for_a_subscription_camino_never_created_is_stored_and_ignored(
    client, appeal, webhook_secret, mailoutbox
):
    # Another product on the same Stripe account: its subscription has metadata, none of it ours.
    foreign = ev.invoice(invoice_id="in_other", subscription="sub_other", amount=12000, email="x@example.org")
    foreign["parent"]["subscription_details"]["metadata"] = {"plan": "pro"}
    deliver(client, ev.event("invoice.paid", foreign))
    deliver(client, ev.event("customer.subscription.updated", ev.subscription(subscription_id="sub_other")))
    process_stored_events()

    assert not Donation.objects.exists() and not RecurringDonation.objects.exists()
    assert mailoutbox == []
    results = dict(StripeEvent.objects.values_list("type", "status"))
    assert results == {"invoice.paid": "ignored", "customer.subscription.updated": "ignored"}
    assert "not a Camino subscription" in StripeEvent.objects.get(type="invoice.paid").result
    assert raised(appeal) == 0 and dashboard.monthly_donors_count() == 0


def test_a_subscription_naming_a_one_time_gift_is_not_followed(client, appeal, webhook_secret):
    once = make_donation(appeal)  # a one-time gift's reference copied onto someone else's subscription
    deliver(
        client,
        ev.event(
            "invoice.paid", ev.invoice(invoice_id="in_x", subscription="sub_x", donation_reference=once.reference)
        ),
    )
    process_stored_events()

    assert not RecurringDonation.objects.exists()
    assert Donation.objects.count() == 1 and StripeEvent.objects.get().status == StripeEvent.Status.IGNORED


# --- 3. API version ------------------------------------------------------------------------------


def test_every_api_call_is_pinned_to_the_version_camino_states(appeal, fake_stripe, settings):
    settings.STRIPE_API_VERSION = "2025-03-31.basil"  # whatever the SDK's own default
    services.donation_checkout_start(
        appeal=appeal, frequency="once", gift_cents=5000, cover_fee=False, name="Ana", email="ana@example.org"
    )

    assert fake_stripe.last("/v1/checkout/sessions")["stripe_version"] == "2025-03-31.basil"


def test_a_renewal_in_the_shape_before_2025_03_31_is_a_gift(client, appeal, webhook_secret, mailoutbox):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    deliver(
        client,
        ev.event(
            "checkout.session.completed",
            ev.checkout_session(origin, subscription="sub_old", invoice="in_old_1", customer="cus_old"),
        ),
    )
    renewal = ev.invoice_before_basil(
        invoice_id="in_old_2",
        subscription="sub_old",
        customer="cus_old",
        donation_reference=origin.reference,
        payment_intent="pi_old_2",
    )
    deliver(client, ev.event("invoice.paid", renewal, api_version="2024-06-20"))
    process_stored_events()

    gift = Donation.objects.get(stripe_invoice_id="in_old_2")
    assert (gift.amount_cents, gift.status, gift.stripe_payment_intent_id) == (2500, "succeeded", "pi_old_2")
    assert gift.recurring.stripe_subscription_id == "sub_old"
    for pk in Donation.objects.values_list("pk", flat=True):
        services.donation_receipt_send(donation_id=pk)
    assert len(mailoutbox) == 2  # the checkout's gift and the renewal


def test_an_invoice_in_a_shape_camino_cannot_read_fails_loudly(client, appeal, webhook_secret):
    unknown = {"id": "in_odd", "object": "invoice", "amount_paid": 2500, "currency": "usd", "status": "paid"}
    deliver(client, ev.event("invoice.paid", unknown, api_version="2019-01-01"))
    process_stored_events()

    event = StripeEvent.objects.get()
    assert event.status == StripeEvent.Status.FAILED
    assert "2019-01-01" in event.result and django_settings.STRIPE_API_VERSION in event.result


def test_the_dashboard_warns_when_events_arrive_in_another_version(client, admin_client, appeal, webhook_secret):
    paid_once(client, appeal)
    assert "Camino is built for" not in admin_client.get(reverse("admin:index")).content.decode()

    deliver(client, ev.event("customer.created", {"id": "cus_1", "object": "customer"}, api_version="2024-06-20"))
    html = admin_client.get(reverse("admin:index")).content.decode()

    assert "API version 2024-06-20" in html and f"Camino is built for {django_settings.STRIPE_API_VERSION}" in html


# --- 4. Waiting events have a ceiling --------------------------------------------------------------


def test_an_event_that_matches_nothing_stops_after_its_attempts_and_is_shown_to_staff(
    client, admin_client, appeal, webhook_secret, settings
):
    settings.STRIPE_EVENT_WAIT_ATTEMPTS = 4
    deliver(client, ev.event("refund.updated", ev.refund(charge_id="ch_none", payment_intent="pi_none", amount=1000)))
    event = StripeEvent.objects.get()

    for day in range(1, 21):  # what the sweep picks, day after day (time moved, not waited for)
        later = timezone.now() + timedelta(days=day)
        for pk in events_owed(later, later).values_list("pk", flat=True):
            services.stripe_event_process(event_id=pk)

    event.refresh_from_db()
    assert (event.status, event.attempts) == (StripeEvent.Status.UNMATCHED, 4)
    assert "pi_none" in event.result and event.waiting_for == "pi_none"
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "1 Stripe events of the last week match no gift after every retry" in html


def test_an_unmatched_event_is_still_applied_when_its_gift_appears(
    client, appeal, webhook_secret, settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_EVENT_WAIT_ATTEMPTS = 1
    deliver(
        client,
        ev.event(
            "refund.updated", ev.refund(refund_id="re_late", charge_id="ch_late", payment_intent="pi_late", amount=1000)
        ),
    )
    process_stored_events()
    refund_event = StripeEvent.objects.get()
    assert refund_event.status == StripeEvent.Status.UNMATCHED

    donation = make_donation(appeal, amount_cents=5000)
    deliver(client, ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_late")))
    checkout = StripeEvent.objects.get(type="checkout.session.completed")
    with django_capture_on_commit_callbacks() as queued:
        services.stripe_event_process(event_id=checkout.pk)
    assert len(queued) == 2  # the receipt, and the unmatched refund woken by its payment intent
    services.stripe_event_process(event_id=refund_event.pk)  # what the woken task does

    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.PARTIALLY_REFUNDED, 1000)


def test_an_invoice_of_an_old_shape_without_metadata_waits_for_its_checkout(client, appeal, webhook_secret):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    old = ev.invoice_before_basil(
        invoice_id="in_o1", subscription="sub_o", billing_reason="subscription_create", payment_intent="pi_o1"
    )
    del old["subscription_details"]  # versions before it existed: no subscription metadata at all
    deliver(client, ev.event("invoice.paid", old, api_version="2022-11-15"))
    process_stored_events()
    event = StripeEvent.objects.get()
    assert (event.status, event.waiting_for) == (StripeEvent.Status.WAITING, "sub_o")

    deliver(
        client,
        ev.event(
            "checkout.session.completed",
            ev.checkout_session(origin, subscription="sub_o", invoice="in_o1", customer="cus_o"),
        ),
    )
    process_stored_events()

    origin.refresh_from_db()
    assert (origin.status, origin.stripe_payment_intent_id) == (Donation.Status.SUCCEEDED, "pi_o1")
    assert Donation.objects.count() == 1


def test_a_waiting_event_is_not_retried_by_its_own_task(appeal):
    # The task used to retry a waiting event itself, and each wake-up started another chain.
    event = StripeEvent.objects.create(
        stripe_event_id="evt_wait",
        type="charge.refunded",
        created=1_800_000_000,
        payload=ev.event(
            "charge.refunded", ev.charge(charge_id="ch_w", payment_intent="pi_w", amount=500, amount_refunded=500)
        ),
    )

    result = tasks.stripe_event_process_task.apply(args=(event.pk,))

    event.refresh_from_db()
    assert result.successful()
    assert (event.status, event.attempts) == (StripeEvent.Status.WAITING, 1)
    assert event.next_attempt_at > timezone.now()


def test_a_processed_event_wakes_only_the_events_waiting_for_what_it_linked(
    client, appeal, webhook_secret, django_capture_on_commit_callbacks
):
    for n in range(30):  # other products' refunds, waiting for gifts that will never come
        deliver(
            client,
            ev.event("refund.updated", ev.refund(charge_id=f"ch_{n}", payment_intent=f"pi_other_{n}", amount=100)),
        )
    deliver(client, ev.event("refund.updated", ev.refund(charge_id="ch_mine", payment_intent="pi_mine", amount=1000)))
    process_stored_events()
    donation = make_donation(appeal, amount_cents=5000)
    deliver(client, ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_mine")))
    checkout = StripeEvent.objects.get(type="checkout.session.completed")

    with django_capture_on_commit_callbacks() as queued:
        services.stripe_event_process(event_id=checkout.pk)

    assert len(queued) == 2  # the receipt, and the one refund that waited for pi_mine


def test_the_sweep_queues_waiting_events_only_when_their_rest_is_over_and_at_most_its_limit(appeal, settings):
    from tests.conftest import _purge_test_queue

    settings.STRIPE_EVENT_SWEEP_LIMIT = 5
    past = timezone.now() - timedelta(minutes=1)
    for n in range(12):
        StripeEvent.objects.create(
            stripe_event_id=f"evt_due_{n}",
            type="refund.updated",
            created=1,
            payload={},
            status=StripeEvent.Status.WAITING,
            next_attempt_at=past,
        )
    StripeEvent.objects.create(
        stripe_event_id="evt_resting",
        type="refund.updated",
        created=1,
        payload={},
        status=StripeEvent.Status.WAITING,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    StripeEvent.objects.create(
        stripe_event_id="evt_unmatched",
        type="refund.updated",
        created=1,
        payload={},
        status=StripeEvent.Status.UNMATCHED,
    )
    try:
        counts = [services.donations_sweep() for _ in range(4)]
    finally:
        _purge_test_queue()

    assert counts == [5, 5, 2, 0]  # each due event once, never the resting or the unmatched one


# --- 5. $0 invoices ---------------------------------------------------------------------------------


def test_a_zero_invoice_is_not_a_gift(client, appeal, webhook_secret, mailoutbox):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    deliver(
        client,
        ev.event(
            "invoice.paid",
            ev.invoice(
                invoice_id="in_trial",
                subscription="sub_t",
                amount=0,
                billing_reason="subscription_cycle",
                donation_reference=origin.reference,
            ),
        ),
    )
    process_stored_events()

    assert Donation.objects.count() == 1 and Donation.objects.get().paid_at is None
    event = StripeEvent.objects.get()
    assert event.status == StripeEvent.Status.IGNORED and "not a gift" in event.result
    assert raised(appeal) == 0


# --- 6. Disputes and refunds in any order -----------------------------------------------------------


def dispute_event(kind, status, created, *, amount=5000):
    return ev.event(
        f"charge.dispute.{kind}",
        ev.dispute(payment_intent="pi_1", charge_id="ch_1", amount=amount, status=status, dispute_id="du_1"),
        created=created,
    )


@pytest.mark.parametrize("reverse_order", [False, True])
def test_a_won_dispute_ends_won_in_any_order(client, appeal, webhook_secret, reverse_order):
    donation = paid_once(client, appeal)
    now = int(time.time())
    events = [
        dispute_event("created", "needs_response", now),
        dispute_event("funds_withdrawn", "needs_response", now),
        dispute_event("updated", "under_review", now + 10),
        # Evidence submitted in the same second the bank decided: created says nothing of order.
        dispute_event("updated", "under_review", now + 20),
        dispute_event("funds_reinstated", "won", now + 20),
        dispute_event("closed", "won", now + 20),
    ]
    for data in reversed(events) if reverse_order else events:
        deliver(client, data)
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.dispute_status) == (Donation.Status.SUCCEEDED, "won")
    assert raised(appeal) == 5000
    assert set(StripeEvent.objects.values_list("status", flat=True)) == {StripeEvent.Status.PROCESSED}


@pytest.mark.parametrize("reverse_order", [False, True])
def test_a_lost_dispute_leaves_every_total(client, admin_client, appeal, webhook_secret, reverse_order):
    donation = paid_once(client, appeal)
    other = paid_once(client, appeal, amount=2000, intent="pi_2")
    now = int(time.time())
    events = [
        dispute_event("created", "needs_response", now),
        dispute_event("funds_withdrawn", "needs_response", now),
        dispute_event("closed", "lost", now + 30),
    ]
    for data in reversed(events) if reverse_order else events:
        deliver(client, data)
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.dispute_amount_cents) == (Donation.Status.DISPUTE_LOST, 5000)
    assert raised(appeal) == other.amount_cents
    assert Donation.objects.totals()["net_cents"] == 2000
    assert dashboard.gifts_figures()["month_cents"] == 2000
    changelist = admin_client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert "lost to disputes $50.00 · net $20.00" in changelist


def test_an_open_dispute_event_older_than_the_applied_one_changes_nothing(client, appeal, webhook_secret):
    donation = paid_once(client, appeal)
    now = int(time.time())
    deliver(client, dispute_event("updated", "under_review", now + 10))
    process_stored_events()
    deliver(client, dispute_event("created", "needs_response", now))
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.dispute_status) == (Donation.Status.DISPUTED, "under_review")


def test_a_failed_refund_gives_the_gift_back_whatever_the_order(client, appeal, webhook_secret):
    donation = paid_once(client, appeal)
    failed = ev.refund(
        refund_id="re_1",
        charge_id="ch_1",
        payment_intent="pi_1",
        amount=5000,
        status="failed",
        failure_reason="expired_or_canceled_card",
    )
    pending = ev.refund(refund_id="re_1", charge_id="ch_1", payment_intent="pi_1", amount=5000, status="pending")
    succeeded = ev.refund(refund_id="re_1", charge_id="ch_1", payment_intent="pi_1", amount=5000)
    # The order Stripe happened to deliver them in: the failure first.
    deliver(client, ev.event("refund.updated", failed))
    deliver(client, ev.event("refund.updated", succeeded))
    deliver(client, ev.event("refund.created", pending))
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.SUCCEEDED, 0)
    assert Refund.objects.get().status == Refund.Status.FAILED
    assert raised(appeal) == 5000


def test_refund_failed_gives_the_gift_back(client, appeal, webhook_secret):
    donation = paid_once(client, appeal)
    deliver(
        client,
        ev.event(
            "refund.created",
            ev.refund(refund_id="re_1", charge_id="ch_1", payment_intent="pi_1", amount=5000, status="pending"),
        ),
    )
    process_stored_events()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED

    deliver(
        client,
        ev.event(
            "refund.failed",
            ev.refund(
                refund_id="re_1",
                charge_id="ch_1",
                payment_intent="pi_1",
                amount=5000,
                status="failed",
                failure_reason="unknown",
            ),
        ),
    )
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.SUCCEEDED, 0)
    assert StripeEvent.objects.filter(type="refund.failed", status="processed").exists()


def test_charge_refunded_reads_the_charge_s_refunds_from_stripe(client, appeal, webhook_secret, fake_stripe):
    donation = paid_once(client, appeal)
    # The charge's running total still counts a refund that failed since; Stripe's refunds say so.
    fake_stripe.add_refund(charge="ch_1", payment_intent="pi_1", amount=2000, refund_id="re_ok")
    fake_stripe.add_refund(charge="ch_1", payment_intent="pi_1", amount=3000, refund_id="re_bad", status="failed")
    deliver(
        client,
        ev.event(
            "charge.refunded",
            ev.charge(charge_id="ch_1", payment_intent="pi_1", amount=5000, amount_refunded=5000, refunded=True),
        ),
    )
    process_stored_events()

    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.PARTIALLY_REFUNDED, 2000)
    assert fake_stripe.last("/v1/refunds")["params"] == {"charge": "ch_1", "limit": "100"}


def test_partial_then_full_refund_from_refund_events_keeps_the_refunded_amount(client, appeal, webhook_secret):
    donation = paid_once(client, appeal)
    deliver(
        client,
        ev.event(
            "refund.created",
            ev.refund(refund_id="re_a", charge_id="ch_1", payment_intent="pi_1", amount=1500, status="pending"),
        ),
    )
    process_stored_events()
    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.PARTIALLY_REFUNDED, 1500)

    deliver(
        client,
        ev.event("refund.updated", ev.refund(refund_id="re_b", charge_id="ch_1", payment_intent="pi_1", amount=3500)),
    )
    process_stored_events()
    donation.refresh_from_db()
    assert (donation.status, donation.amount_refunded_cents) == (Donation.Status.REFUNDED, 5000)
    assert raised(appeal) == 0


# --- 7. Subscription ties ---------------------------------------------------------------------------


def test_two_subscription_events_in_the_same_second_settle_on_stripes_state(
    client, appeal, webhook_secret, fake_stripe
):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    now = int(time.time())
    active = ev.subscription(subscription_id="sub_tie", status="active", donation_reference=origin.reference)
    incomplete = ev.subscription(subscription_id="sub_tie", status="incomplete", donation_reference=origin.reference)
    fake_stripe.subscriptions["sub_tie"] = active  # what Stripe holds now
    deliver(client, ev.event("customer.subscription.updated", active, created=now))
    deliver(client, ev.event("customer.subscription.created", incomplete, created=now))
    process_stored_events()

    recurring = RecurringDonation.objects.get()
    assert recurring.status == RecurringDonation.Status.ACTIVE
    assert fake_stripe.last("/v1/subscriptions/sub_tie")["method"] == "GET"


# --- 8. A completed session that differs from what Camino created ----------------------------------


def test_a_session_for_another_amount_is_held_for_staff_and_never_receipted(client, appeal, webhook_secret, mailoutbox):
    donation = make_donation(appeal, amount_cents=5000)
    session = ev.checkout_session(donation, payment_intent="pi_m")
    session["amount_total"] = session["amount_subtotal"] = 7500
    deliver(client, ev.event("checkout.session.completed", session))
    process_stored_events()
    services.donation_receipt_send(donation_id=donation.pk)

    donation.refresh_from_db()
    assert (donation.status, donation.amount_cents) == (Donation.Status.HELD, 5000)
    assert "$75.00" in donation.hold_reason and "$50.00" in donation.hold_reason
    assert mailoutbox == [] and donation.receipt_sent_at is None
    assert raised(appeal) == 0 and Donation.objects.totals()["net_cents"] == 0


def test_a_monthly_first_invoice_for_another_amount_is_held(client, appeal, webhook_secret, mailoutbox):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    deliver(
        client,
        ev.event(
            "invoice.paid",
            ev.invoice(
                invoice_id="in_1",
                subscription="sub_1",
                amount=9900,
                donation_reference=origin.reference,
                payment_intent="pi_1",
            ),
        ),
    )
    process_stored_events()
    services.donation_receipt_send(donation_id=origin.pk)

    origin.refresh_from_db()
    assert (origin.status, origin.amount_cents) == (Donation.Status.HELD, 2500)
    assert mailoutbox == []


# --- 9. A failed renewal ----------------------------------------------------------------------------


def test_a_failed_renewal_emails_the_donor_once_with_a_link_to_update_the_card(
    client, admin_client, appeal, webhook_secret, mailoutbox
):
    origin = make_donation(appeal, frequency="month", amount_cents=2500, email="ana@example.org")
    deliver(
        client,
        ev.event(
            "checkout.session.completed",
            ev.checkout_session(origin, subscription="sub_f", invoice="in_f1", customer="cus_f"),
        ),
    )
    deliver(
        client,
        ev.event(
            "invoice.paid",
            ev.invoice(
                invoice_id="in_f1",
                subscription="sub_f",
                customer="cus_f",
                donation_reference=origin.reference,
                payment_intent="pi_f1",
            ),
        ),
    )
    process_stored_events()
    for attempt in (1, 2, 3):  # Stripe retries the same invoice
        deliver(
            client,
            ev.event(
                "invoice.payment_failed",
                ev.invoice(
                    invoice_id="in_f2",
                    subscription="sub_f",
                    customer="cus_f",
                    billing_reason="subscription_cycle",
                    donation_reference=origin.reference,
                    attempt_count=attempt,
                ),
                created=int(time.time()) + 60 + attempt,
            ),
        )
    process_stored_events()
    for notice in PaymentFailureNotice.objects.all():
        services.payment_failure_notice_send(notice_id=notice.pk)
        services.payment_failure_notice_send(notice_id=notice.pk)

    failure_mails = [m for m in mailoutbox if "did not go through" in m.subject]
    assert len(failure_mails) == 1 and failure_mails[0].to == ["ana@example.org"]
    body = failure_mails[0].body
    assert "/donate/manage/" in body and "update your card" in body

    # Staff: on the dashboard and as a filter of the monthly gifts.
    assert "1 monthly gifts are at risk" in admin_client.get(reverse("admin:index")).content.decode()
    listed = admin_client.get(reverse("admin:donations_recurringdonation_changelist") + "?at_risk=yes")
    assert listed.status_code == 200 and "ana@example.org" in listed.content.decode()
    origin.refresh_from_db()
    assert list(RecurringDonation.objects.at_risk()) == [origin.recurring]


def test_a_renewal_paid_after_its_failure_is_no_longer_at_risk_and_sends_no_email(
    client, appeal, webhook_secret, mailoutbox
):
    origin = make_donation(appeal, frequency="month", amount_cents=2500)
    now = int(time.time())
    deliver(
        client,
        ev.event(
            "invoice.payment_failed",
            ev.invoice(
                invoice_id="in_r2",
                subscription="sub_r",
                billing_reason="subscription_cycle",
                donation_reference=origin.reference,
            ),
            created=now,
        ),
    )
    paid = ev.invoice(
        invoice_id="in_r2",
        subscription="sub_r",
        billing_reason="subscription_cycle",
        donation_reference=origin.reference,
        payment_intent="pi_r2",
    )
    paid["status_transitions"]["paid_at"] = now + 3600
    deliver(client, ev.event("invoice.paid", paid, created=now + 3600))
    process_stored_events()
    for notice in PaymentFailureNotice.objects.all():
        services.payment_failure_notice_send(notice_id=notice.pk)

    assert not RecurringDonation.objects.at_risk().exists()
    assert not [m for m in mailoutbox if "did not go through" in m.subject]
