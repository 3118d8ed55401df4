"""The demo processor. Without a Stripe key (and only with DEBUG on) a local page stands in for
Stripe Checkout and the Customer Portal. Every outcome is written as Stripe-shaped events and goes
through stripe_event_store/process exactly like a webhook, so demo mode exercises the real
fulfillment code. (donations/demo.py is something else: the demo content `seed_demo` loads.)"""

import hashlib
import time

from django.db import transaction

from ..models import Donation, Frequency, RecurringDonation
from .amounts import require_demo
from .webhooks import stripe_event_store


def _demo_event(event_type: str, obj: dict, *, key: str) -> dict:
    # The id is derived from what happened, so a double submit stores the event only once.
    digest = hashlib.sha256(f"{event_type}:{key}".encode()).hexdigest()[:24]
    return {
        "id": f"evt_demo_{digest}",
        "object": "event",
        "api_version": "demo",
        "created": int(time.time()),
        "livemode": False,
        "type": event_type,
        "data": {"object": obj},
    }


def _demo_store(events: list[dict]) -> None:
    with transaction.atomic():
        for data in events:
            stripe_event_store(data=data, is_demo=True)


def demo_checkout_complete(*, donation: Donation) -> None:
    require_demo()
    if not donation.is_demo or donation.status != Donation.Status.PENDING or donation.stripe_checkout_session_id:
        return  # already completed or canceled: a double submit changes nothing
    tag = donation.reference.hex[:24]
    monthly = donation.frequency == Frequency.MONTHLY
    metadata = {"donation_id": str(donation.reference)}
    session = {
        "id": f"cs_demo_{tag}",
        "object": "checkout.session",
        "mode": "subscription" if monthly else "payment",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": donation.amount_cents,
        "currency": donation.currency,
        "customer": f"cus_demo_{tag}",
        "customer_details": {"email": donation.email, "name": donation.name},
        "client_reference_id": str(donation.reference),
        "metadata": metadata,
        "payment_intent": None if monthly else f"pi_demo_{tag}",
        "subscription": f"sub_demo_{tag}" if monthly else None,
        "invoice": f"in_demo_{tag}" if monthly else None,
    }
    events = [_demo_event("checkout.session.completed", session, key=tag)]
    if monthly:
        events.append(_demo_event("invoice.paid", {
            "id": f"in_demo_{tag}",
            "object": "invoice",
            "billing_reason": "subscription_create",
            "amount_paid": donation.amount_cents,
            "currency": donation.currency,
            "customer": f"cus_demo_{tag}",
            "customer_email": donation.email,
            "status": "paid",
            "parent": {"type": "subscription_details",
                       "subscription_details": {"subscription": f"sub_demo_{tag}", "metadata": metadata}},
            "payments": {"object": "list", "data": [
                {"object": "invoice_payment", "payment": {"type": "payment_intent", "payment_intent": f"pi_demo_{tag}"}}
            ]},
        }, key=tag))
    _demo_store(events)


def demo_checkout_cancel(*, donation: Donation) -> None:
    require_demo()
    if not donation.is_demo or donation.status != Donation.Status.PENDING:
        return
    _demo_store([_demo_event("checkout.session.expired", {
        "id": f"cs_demo_{donation.reference.hex[:24]}", "object": "checkout.session", "status": "expired",
        "client_reference_id": str(donation.reference), "metadata": {"donation_id": str(donation.reference)},
    }, key=str(donation.reference))])


def demo_subscription_cancel(*, recurring: RecurringDonation) -> None:
    require_demo()
    now = int(time.time())
    _demo_store([_demo_event("customer.subscription.deleted", {
        "id": recurring.stripe_subscription_id, "object": "subscription", "status": "canceled",
        "customer": recurring.stripe_customer_id, "canceled_at": now, "ended_at": now,
        "cancel_at_period_end": False, "metadata": {},
    }, key=recurring.stripe_subscription_id)])


def demo_refund(*, donation: Donation, amount_cents: int, request_key: str) -> None:
    """What Stripe would send back for a refund of `amount_cents` (the admin's refund action): one
    refund per request, the charge's running total including it."""
    require_demo()
    key = f"{donation.reference}-{request_key}"
    charge_id = donation.stripe_charge_id or f"ch_demo_{donation.reference.hex[:24]}"
    refunded = min(donation.amount_cents, donation.amount_refunded_cents + amount_cents)
    refund = {
        "id": f"re_demo_{hashlib.sha256(key.encode()).hexdigest()[:24]}",
        "object": "refund",
        "amount": amount_cents,
        "charge": charge_id,
        "payment_intent": donation.stripe_payment_intent_id,
        "currency": donation.currency,
        "status": "succeeded",
    }
    _demo_store([_demo_event("charge.refunded", {
        "id": charge_id,
        "object": "charge",
        "amount": donation.amount_cents,
        "amount_refunded": refunded,
        "refunded": refunded >= donation.amount_cents,
        "payment_intent": donation.stripe_payment_intent_id,
        "currency": donation.currency,
        # Stripe's charge carries no refunds list (Camino reads them from Stripe); the demo's has
        # the one it made, since there is no Stripe to ask.
        "refunds": {"object": "list", "data": [refund]},
    }, key=key)])
