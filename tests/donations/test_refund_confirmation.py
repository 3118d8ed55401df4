"""Refunds from the admin (issue 11, finding 10): a confirmation step with an amount (partial or
full, validated against what is left), a Stripe refund of exactly that amount with an idempotency
key, and one email to the donor saying what was refunded once Stripe says it succeeded. Also: a
checkout the donor leaves by Stripe's way back is "canceled" (stored as "cancelled"), not "expired"."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from donations import services
from donations.models import Donation, Refund
from donations.tasks import refund_notice_send_task

from . import stripe_events as ev
from .conftest import make_donation, process_stored_events
from .test_refunds_and_admin import confirm, confirmation

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(appeal):
    return make_donation(appeal, amount_cents=5000, status="succeeded", paid_at=timezone.now(),
                         stripe_payment_intent_id="pi_paid", stripe_charge_id="ch_paid")


def refund_requests(fake_stripe) -> list[dict]:
    return [r for r in fake_stripe.requests if r["path"] == "/v1/refunds" and r["method"] == "POST"]


def test_the_confirmation_step_proposes_what_is_left_and_asks_stripe_nothing(admin_client, paid, fake_stripe):
    page = confirmation(admin_client, paid)

    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="refund-confirmation"' in html
    assert page.context["forms"][0]["amount"].value() == "50.00"
    assert "Left to refund" in html and "$50.00" in html
    assert fake_stripe.requests == []
    paid.refresh_from_db()
    assert paid.refund_requested_at is None


@pytest.mark.parametrize("typed, cents", [("12.50", 1250), ("$12.50", 1250), ("50", 5000)])
def test_a_partial_or_full_refund_asks_stripe_for_exactly_that_amount(admin_client, paid, fake_stripe, typed, cents):
    page = confirmation(admin_client, paid)
    response = confirm(admin_client, page, {paid.pk: typed})

    (request,) = refund_requests(fake_stripe)
    assert request["params"]["amount"] == str(cents)
    assert request["idempotency_key"] == f"donation-{paid.reference}-refund-{page.context['request_key']}"
    assert "Refund requested for 1 gift(s)" in response.content.decode()
    paid.refresh_from_db()
    # Only asked: the gift changes when Stripe's events arrive.
    assert paid.status == Donation.Status.SUCCEEDED and paid.amount_refunded_cents == 0


@pytest.mark.parametrize("typed, message", [
    ("60", "Refund an amount up to $50.00, what is left to refund on this gift."),
    ("0", "Refund an amount up to $50.00, what is left to refund on this gift."),
    ("-5", "Type the amount as a number, such as 12.50."),
    ("ten", "Type the amount as a number, such as 12.50."),
    ("", "Type the amount to refund."),
])
def test_an_amount_that_cannot_be_refunded_is_refused_on_the_confirmation_page(admin_client, paid, fake_stripe,
                                                                                typed, message):
    page = confirmation(admin_client, paid)
    response = confirm(admin_client, page, {paid.pk: typed})

    assert response.context["forms"][0].errors["amount"] == [message]
    assert response.context["request_key"] == page.context["request_key"]  # still the same request
    assert refund_requests(fake_stripe) == []


def test_what_is_left_after_a_partial_refund_is_the_limit(admin_client, paid, fake_stripe, webhook_secret, client):
    fake_stripe.add_refund(charge="ch_paid", payment_intent="pi_paid", amount=1500)
    ev.post(client, ev.event("charge.refunded", ev.charge(charge_id="ch_paid", payment_intent="pi_paid", amount=5000,
                                                          amount_refunded=1500)))
    process_stored_events()

    page = confirmation(admin_client, paid)
    refused = confirm(admin_client, page, {paid.pk: "40"})
    assert refused.context["forms"][0].errors["amount"] == [
        "Refund an amount up to $35.00, what is left to refund on this gift."]
    confirm(admin_client, page, {paid.pk: "35"})
    assert refund_requests(fake_stripe)[-1]["params"]["amount"] == "3500"


def test_the_service_checks_the_amount_too(paid, fake_stripe):
    with pytest.raises(ValidationError) as refused:
        services.donation_refund_request(donation=paid, amount_cents=5001, request_key="a" * 32)
    assert refused.value.code == "refund_amount_invalid"
    assert refund_requests(fake_stripe) == []


def test_the_donor_gets_one_email_saying_what_was_refunded(admin_client, paid, fake_stripe, webhook_secret, client,
                                                          mailoutbox):
    fake_stripe.charges["pi_paid"] = "ch_paid"
    confirm(admin_client, confirmation(admin_client, paid), {paid.pk: "12.50"})
    (stripe_refund,) = fake_stripe.refunds.values()
    refunded = ev.charge(charge_id="ch_paid", payment_intent="pi_paid", amount=5000, amount_refunded=1250)
    updated = ev.event("refund.updated", {**stripe_refund, "status": "succeeded"})

    for data in (ev.event("charge.refunded", refunded), updated, updated):  # and Stripe's redelivery
        ev.post(client, data)
    process_stored_events()
    row = Refund.objects.get()
    for _ in range(3):  # the task, a redelivered message, the sweep
        services.refund_notice_send(refund_id=row.pk)

    paid.refresh_from_db()
    assert (paid.status, paid.amount_refunded_cents) == (Donation.Status.PARTIALLY_REFUNDED, 1250)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ana@example.org"]
    assert message.subject == "Camino has refunded $12.50 of your gift"
    body = message.body
    assert "We have refunded $12.50 of your gift of $50.00" in body
    assert "$37.50 of your gift remains a gift to us" in body
    assert message.extra_headers["Message-ID"] == f"<refund-{row.stripe_refund_id}@camino.example.org>"
    row.refresh_from_db()
    assert row.notice_sent_at is not None


def test_a_refund_that_succeeds_queues_its_notice_once(paid, fake_stripe, webhook_secret, client, monkeypatch):
    queued = []
    monkeypatch.setattr(refund_notice_send_task, "delay_on_commit", lambda pk: queued.append(pk))
    pending = fake_stripe.add_refund(charge="ch_paid", payment_intent="pi_paid", amount=5000, status="pending")

    ev.post(client, ev.event("refund.created", pending))
    process_stored_events()
    assert queued == []  # pending: nothing to tell yet
    for _ in range(2):
        ev.post(client, ev.event("refund.updated", {**pending, "status": "succeeded"}))
    process_stored_events()

    assert queued == [Refund.objects.get().pk]


def test_a_whole_refund_says_the_gift_is_no_longer_deductible(paid, mailoutbox):
    row = Refund.objects.create(donation=paid, stripe_refund_id="re_1", amount_cents=5000,
                                status=Refund.Status.SUCCEEDED)
    Donation.objects.filter(pk=paid.pk).update(amount_refunded_cents=5000, status="refunded")

    assert services.refund_notice_send(refund_id=row.pk) is True
    assert "Your whole gift has now been refunded" in mailoutbox[0].body


def test_the_sweep_sends_a_refund_notice_whose_message_was_lost(paid, monkeypatch):
    from donations.services import sweep

    row = Refund.objects.create(donation=paid, stripe_refund_id="re_1", amount_cents=500,
                                status=Refund.Status.SUCCEEDED)
    Refund.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timezone.timedelta(minutes=10))
    published = []
    monkeypatch.setattr(sweep, "publish_or_leave_for_sweeper",
                        lambda task, args: published.append((task.name, args)) or True)
    sweep.donations_sweep()
    assert ("donations.tasks.refund_notice_send_task", (row.pk,)) in published


# --- A canceled checkout is "canceled" --------------------------------------------------------


def test_leaving_stripes_page_by_its_way_back_cancels_the_gift(client, appeal, fake_stripe, webhook_secret):
    client.post(reverse("donations:donate_appeal", args=[appeal.slug]), {
        "frequency": "once", "amount": "5000", "name": "Ana", "email": "ana@example.org", "website": ""})
    donation = Donation.objects.get()

    response = client.get(reverse("donations:cancel", args=[donation.reference]))

    donation.refresh_from_db()
    assert response.status_code == 200 and "Your gift was not completed" in response.content.decode()
    assert donation.status == Donation.Status.CANCELLED and donation.get_status_display() == "Canceled"
    expire = fake_stripe.last(f"/v1/checkout/sessions/{donation.stripe_checkout_session_id}/expire")
    assert expire["idempotency_key"] == f"donation-{donation.reference}-expire"
    # Stripe's checkout.session.expired follows; the gift stays canceled, not "expired".
    ev.post(client, ev.event("checkout.session.expired", {
        **ev.checkout_session(donation, payment_status="unpaid"), "status": "expired"}))
    process_stored_events()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CANCELLED


def test_a_payment_after_all_wins_over_a_cancel(client, appeal, fake_stripe, webhook_secret):
    donation = make_donation(appeal, amount_cents=5000, stripe_checkout_session_id="cs_gone")
    client.get(reverse("donations:cancel", args=[donation.reference]))  # Stripe: session not found, logged
    ev.post(client, ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_1")))
    process_stored_events()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED and donation.paid_at is not None
    response = client.get(reverse("donations:cancel", args=[donation.reference]))
    assert response.status_code == 302 and response["Location"].endswith(f"/thanks/{donation.reference}/")


def test_the_demo_checkouts_cancel_button_cancels_too(client, appeal, demo_mode):
    client.post(reverse("donations:donate"), {"frequency": "once", "amount": "5000", "name": "Ana",
                                              "email": "ana@example.org", "website": ""})
    donation = Donation.objects.get()

    response = client.post(reverse("donations:demo_checkout", args=[donation.reference]), {"outcome": "cancel"},
                           follow=True)
    process_stored_events()  # the demo's checkout.session.expired

    donation.refresh_from_db()
    assert "Your gift was not completed" in response.content.decode()
    assert donation.status == Donation.Status.CANCELLED


def test_the_refund_notice_task_run_twice_sends_once(paid, mailoutbox):
    row = Refund.objects.create(donation=paid, stripe_refund_id="re_1", amount_cents=500,
                                status=Refund.Status.SUCCEEDED)

    refund_notice_send_task(row.pk)
    refund_notice_send_task(row.pk)  # a redelivered message

    assert len(mailoutbox) == 1
    assert refund_notice_send_task.name == "donations.tasks.refund_notice_send_task"


def test_a_refund_not_succeeded_tells_the_donor_nothing(paid, mailoutbox):
    row = Refund.objects.create(donation=paid, stripe_refund_id="re_1", amount_cents=500,
                                status=Refund.Status.PENDING)

    assert services.refund_notice_send(refund_id=row.pk) is False
    assert mailoutbox == []
