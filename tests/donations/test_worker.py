"""End to end through a real Celery worker: a signed webhook is stored by the web process, applied
by the worker, and the receipt reaches a real SMTP server."""

import pytest

from donations.models import Donation, StripeEvent
from tests.conftest import WorkerProcess, _purge_test_queue, wait_until

from . import stripe_events as ev
from .conftest import make_donation

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_worker(transactional_db, smtp_server):
    """A worker whose mail goes to this test's SMTP server."""
    _purge_test_queue()
    worker = WorkerProcess(extra_env={"EMAIL_URL": smtp_server.email_url})
    worker.start()
    yield worker
    worker.stop()
    _purge_test_queue()


def test_posted_webhook_is_processed_by_the_worker_and_the_receipt_is_delivered(
    client, appeal, webhook_secret, mail_worker, smtp_server
):
    donation = make_donation(appeal, amount_cents=7500, email="ana@example.org")
    completed = ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_w"))

    for _ in range(2):  # Stripe redelivers: still one gift, one receipt
        assert ev.post(client, completed).status_code == 200

    wait_until(lambda: smtp_server.messages, message="the receipt at the SMTP server")
    wait_until(lambda: Donation.objects.filter(pk=donation.pk, receipt_sent_at__isnull=False).exists(),
               message="the receipt stamped")
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert StripeEvent.objects.get().status == StripeEvent.Status.PROCESSED
    message = smtp_server.messages[0]
    assert message["to"] == ["ana@example.org"]
    text = message["message"].get_body(preferencelist=("plain",)).get_content()
    assert "75.00 USD" in text and "No goods or services were provided" in text
    assert len(smtp_server.messages) == 1


def test_an_unmatched_event_is_not_requeued_by_every_processed_event(client, appeal, webhook_secret,
                                                                      celery_worker_process):
    # Issue 11, finding 4: each processed event used to queue every waiting one again, each starting
    # a retry chain of its own (2,380 attempts in 6.5 minutes for one unmatched refund).
    assert ev.post(client, ev.event("refund.updated", ev.refund(
        charge_id="ch_nobody", payment_intent="pi_nobody", amount=1000))).status_code == 200
    wait_until(lambda: StripeEvent.objects.filter(status=StripeEvent.Status.WAITING).exists(),
               message="the refund to wait")
    gifts = [make_donation(appeal, amount_cents=2500, email=f"d{n}@example.org") for n in range(30)]
    for n, gift in enumerate(gifts):
        completed = ev.event("checkout.session.completed", ev.checkout_session(gift, payment_intent=f"pi_w{n}"))
        assert ev.post(client, completed).status_code == 200
    wait_until(lambda: StripeEvent.objects.filter(type="checkout.session.completed",
                                                  status=StripeEvent.Status.PROCESSED).count() == 30,
               message="the 30 checkouts processed")
    # A last event, queued after anything the checkouts could have queued.
    last = make_donation(appeal, amount_cents=2500, email="last@example.org")
    assert ev.post(client, ev.event("checkout.session.completed",
                                    ev.checkout_session(last, payment_intent="pi_last"))).status_code == 200
    wait_until(lambda: Donation.objects.filter(pk=last.pk, paid_at__isnull=False).exists(), message="the last gift")

    refund = StripeEvent.objects.get(type="refund.updated")
    assert (refund.status, refund.attempts) == (StripeEvent.Status.WAITING, 1)
    assert refund.next_attempt_at is not None  # the sweep tries it again after its rest, not before
