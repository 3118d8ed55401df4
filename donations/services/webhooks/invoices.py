"""invoice.*: each paid invoice of a subscription is a gift of its own (the first one is the
checkout's gift); a failed one is noted on the monthly gift while Stripe retries."""

from ... import stripe_gateway
from ...models import Donation, Frequency, RecurringDonation, StripeEvent
from ..amounts import payments_are_demo
from .linking import EventNotReady, donation_by_reference, mark_paid, recurring_upsert, timestamp


def invoice_subscription(invoice: dict) -> tuple[str, dict]:
    # Since API 2025-03-31 the subscription is under parent.subscription_details.
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription") or "", details.get("metadata") or {}


def invoice_payment_intent(invoice: dict, event: StripeEvent) -> str:
    for item in (invoice.get("payments") or {}).get("data") or []:
        payment = item.get("payment") or {}
        if payment.get("type") == "payment_intent" and payment.get("payment_intent"):
            return payment["payment_intent"]
    if event.is_demo or payments_are_demo():
        return ""
    try:
        return stripe_gateway.invoice_payment_intent_id(invoice_id=invoice["id"])
    except stripe_gateway.PaymentProviderError as exc:
        raise EventNotReady(f"could not read the invoice's payment: {exc}") from exc


def on_invoice_paid(invoice: dict, event: StripeEvent) -> str:
    subscription_id, metadata = invoice_subscription(invoice)
    if not subscription_id:
        return "not a subscription invoice; ignored"
    origin = donation_by_reference(metadata.get("donation_id"))
    recurring = recurring_upsert(
        subscription_id=subscription_id,
        origin=origin,
        customer_id=invoice.get("customer") or "",
        email=(invoice.get("customer_email") or "").lower(),
        amount_cents=invoice.get("amount_paid") or 0,
    )
    donation = Donation.objects.select_for_update().filter(stripe_invoice_id=invoice["id"]).first()
    first_payment = invoice.get("billing_reason") == "subscription_create"
    if donation is None and origin is not None and first_payment and origin.stripe_invoice_id in (None, invoice["id"]):
        donation = origin  # the checkout's own gift: its first invoice
    if donation is None:
        donation = Donation(
            appeal=recurring.appeal,
            frequency=Frequency.MONTHLY,
            amount_cents=invoice.get("amount_paid") or recurring.amount_cents,
            fee_cover_cents=origin.fee_cover_cents if origin else 0,
            currency=invoice.get("currency") or recurring.currency,
            name=recurring.name,
            email=recurring.email,
            consent_updates=origin.consent_updates if origin else False,
            is_demo=event.is_demo,
        )
    donation.recurring = recurring
    donation.stripe_invoice_id = invoice["id"]
    donation.stripe_customer_id = invoice.get("customer") or donation.stripe_customer_id
    if not donation.stripe_payment_intent_id:
        donation.stripe_payment_intent_id = invoice_payment_intent(invoice, event) or None
    if invoice.get("amount_paid"):
        donation.amount_cents = invoice["amount_paid"]
    donation.full_clean()
    donation.save()  # saved before mark_paid so the receipt task has a primary key
    mark_paid(donation, when=(invoice.get("status_transitions") or {}).get("paid_at") or event.created)
    donation.save(update_fields=["paid_at", "status", "updated_at"])
    if recurring.status == RecurringDonation.Status.INCOMPLETE:
        recurring.status = RecurringDonation.Status.ACTIVE
        recurring.save(update_fields=["status", "updated_at"])
    return "monthly gift paid"


def on_invoice_payment_failed(invoice: dict, event: StripeEvent) -> str:
    subscription_id, metadata = invoice_subscription(invoice)
    if not subscription_id:
        return "not a subscription invoice; ignored"
    recurring = recurring_upsert(
        subscription_id=subscription_id,
        origin=donation_by_reference(metadata.get("donation_id")),
        customer_id=invoice.get("customer") or "",
        email=(invoice.get("customer_email") or "").lower(),
        amount_cents=invoice.get("amount_due") or 0,
    )
    failed_at = timestamp(event.created)
    if recurring.last_payment_failed_at is None or recurring.last_payment_failed_at < failed_at:
        recurring.last_payment_failed_at = failed_at
        recurring.save(update_fields=["last_payment_failed_at", "updated_at"])
    # Stripe retries on its own schedule; the subscription's status arrives in its own events.
    return f"payment attempt {invoice.get('attempt_count', '?')} failed"
