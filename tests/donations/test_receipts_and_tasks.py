"""Receipts (content, once per gift) and every task run twice doing nothing the second time."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from donations import tasks
from donations.models import Donation, ManageLinkRequest, RecurringDonation, StripeEvent

from . import stripe_events as ev
from .conftest import make_donation

pytestmark = pytest.mark.django_db


def test_receipt_has_legal_name_ein_amount_date_and_tax_statement(appeal, mailoutbox, settings):
    settings.ORGANIZATION_LEGAL_NAME = "Camino for Children, Inc."
    settings.ORGANIZATION_EIN = "12-3456789"
    paid_at = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
    donation = make_donation(appeal, amount_cents=12345, status="succeeded", paid_at=paid_at,
                             tribute_type="honor", tribute_name="Abuela Marta")

    tasks.donation_receipt_send_task(donation.pk)

    message = mailoutbox[0]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Camino for Children, Inc." in part
        assert "12-3456789" in part
        assert "123.45 USD" in part
        assert "March 14, 2026" in part
        assert "No goods or services were provided" in part
        assert "Abuela Marta" in part
        assert donation.receipt_number in part
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["Message-ID"] == f"<receipt-{donation.reference}@camino.example.org>"


def test_receipt_task_twice_sends_once(appeal, mailoutbox):
    donation = make_donation(appeal, status="succeeded", paid_at=timezone.now())

    tasks.donation_receipt_send_task(donation.pk)
    tasks.donation_receipt_send_task(donation.pk)

    assert len(mailoutbox) == 1


def test_no_receipt_for_an_unpaid_gift(appeal, mailoutbox):
    donation = make_donation(appeal)
    tasks.donation_receipt_send_task(donation.pk)
    assert mailoutbox == []


def test_event_task_twice_applies_once(appeal, mailoutbox, django_capture_on_commit_callbacks):
    donation = make_donation(appeal)
    event = StripeEvent.objects.create(
        stripe_event_id="evt_1", type="checkout.session.completed", created=1_800_000_000,
        payload=ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_1")))

    with django_capture_on_commit_callbacks() as first:
        tasks.stripe_event_process_task(event.pk)
    donation.refresh_from_db()
    paid_at = donation.paid_at
    with django_capture_on_commit_callbacks() as second:
        tasks.stripe_event_process_task(event.pk)

    donation.refresh_from_db()
    event.refresh_from_db()
    assert (event.status, event.attempts) == (StripeEvent.Status.PROCESSED, 1)
    assert donation.paid_at == paid_at and donation.status == Donation.Status.SUCCEEDED
    assert len(first) == 1 and second == []  # one receipt queued, none the second time


def test_manage_link_task_twice_sends_once(appeal, mailoutbox):
    recurring = RecurringDonation.objects.create(email="ana@example.org", amount_cents=2500,
                                                 stripe_subscription_id="sub_1", stripe_customer_id="cus_1")
    link_request = ManageLinkRequest.objects.create(recurring=recurring)

    tasks.donor_manage_link_send_task(link_request.pk)
    tasks.donor_manage_link_send_task(link_request.pk)

    assert len(mailoutbox) == 1


def test_sweep_requeues_stale_events_and_unsent_receipts(appeal):
    from donations import services
    from tests.conftest import _purge_test_queue

    old = timezone.now() - timezone.timedelta(hours=1)
    event = StripeEvent.objects.create(stripe_event_id="evt_old", type="x", created=1, payload={})
    StripeEvent.objects.filter(pk=event.pk).update(received_at=old)
    make_donation(appeal, status="succeeded", paid_at=old)
    make_donation(appeal, status="succeeded", paid_at=old, receipt_sent_at=old)
    StripeEvent.objects.create(stripe_event_id="evt_new", type="x", created=1, payload={})  # just arrived

    try:
        assert services.donations_sweep() == 2  # the stale event and the unsent receipt, to the real broker
    finally:
        _purge_test_queue()
