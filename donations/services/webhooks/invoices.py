"""invoice.*: each paid invoice of a subscription Camino started is a gift of its own (the first one
is the checkout's gift); a failed renewal is noted on the monthly gift and the donor is told once.

Invoices come in two shapes, by the webhook endpoint's API version: since 2025-03-31 the
subscription and its metadata are under `parent.subscription_details` and the payment under
`payments`; before, `subscription`, `subscription_details.metadata` and `payment_intent` sit on the
invoice itself. Both are read; anything else is refused loudly (the event fails, staff see it)."""

from django.conf import settings

from core.money import format_money

from ... import stripe_gateway
from ...models import Donation, Frequency, PaymentFailureNotice, RecurringDonation, StripeEvent
from ..amounts import payments_are_demo
from .linking import (
    EventIgnored,
    EventNotReady,
    donation_hold,
    linked,
    mark_paid,
    recurring_for,
    recurring_upsert,
    timestamp,
)


class UnreadableInvoice(ValueError):
    """An invoice in a shape Camino does not know: failed for staff rather than dropped."""


def _id(value) -> str:
    # An expanded object or its id.
    return (value.get("id") or "") if isinstance(value, dict) else (value or "")


def invoice_subscription(invoice: dict, event: StripeEvent | None = None) -> tuple[str, dict | None]:
    """The subscription an invoice bills and that subscription's metadata (None when this shape
    carries none); ("", {}) for an invoice that bills no subscription."""
    if "parent" in invoice:  # API 2025-03-31 and later
        details = (invoice.get("parent") or {}).get("subscription_details")
        if not details:
            return "", {}
        return _id(details.get("subscription")), details.get("metadata") or {}
    if "subscription" in invoice:  # before 2025-03-31
        details = invoice.get("subscription_details")
        metadata = (details.get("metadata") or {}) if isinstance(details, dict) else None
        return _id(invoice.get("subscription")), metadata
    version = event.api_version if event else "?"
    raise UnreadableInvoice(
        f"invoice {invoice.get('id')} names neither parent.subscription_details nor subscription: a shape "
        f"Camino cannot read (event API version {version}; Camino is built for {settings.STRIPE_API_VERSION})"
    )


def invoice_payment_intent(invoice: dict, event: StripeEvent) -> str:
    if "payment_intent" in invoice:  # before 2025-03-31
        return _id(invoice.get("payment_intent"))
    for item in (invoice.get("payments") or {}).get("data") or []:
        payment = item.get("payment") or {}
        if payment.get("type") == "payment_intent" and payment.get("payment_intent"):
            return _id(payment["payment_intent"])
    if event.is_demo or payments_are_demo():
        return ""
    try:
        return stripe_gateway.invoice_payment_intent_id(invoice_id=invoice["id"])
    except stripe_gateway.PaymentProviderError as exc:
        raise EventNotReady(f"could not read the invoice's payment: {exc}") from exc


def _ours(invoice: dict, event: StripeEvent) -> tuple[str, RecurringDonation | None, Donation | None]:
    """The subscription, our monthly gift (if linked yet) and the gift that started it; raises
    EventIgnored for an invoice Camino did not start."""
    subscription_id, metadata = invoice_subscription(invoice, event)
    if not subscription_id:
        raise EventIgnored("not a subscription invoice; ignored")
    recurring, origin = recurring_for(subscription_id=subscription_id, metadata=metadata)
    if recurring is None and origin is None:
        if metadata is None:
            # An old shape without the subscription's metadata: the checkout event links it.
            raise EventNotReady(
                f"subscription {subscription_id} is not linked to a gift yet", waiting_for=subscription_id
            )
        raise EventIgnored("not a Camino subscription (its metadata names no Camino gift); ignored")
    return subscription_id, recurring, origin


def on_invoice_paid(invoice: dict, event: StripeEvent) -> str:
    subscription_id, _recurring, origin = _ours(invoice, event)
    amount = invoice.get("amount_paid") or 0
    if amount <= 0:
        raise EventIgnored("invoice for 0 (a trial or a full discount): not a gift; ignored")
    recurring = recurring_upsert(
        subscription_id=subscription_id,
        origin=origin,
        customer_id=invoice.get("customer") or "",
        email=(invoice.get("customer_email") or "").lower(),
        amount_cents=amount,
    )
    donation = Donation.objects.select_for_update().filter(stripe_invoice_id=invoice["id"]).first()
    first_payment = invoice.get("billing_reason") == "subscription_create"
    if donation is None and origin is not None and first_payment and origin.stripe_invoice_id in (None, invoice["id"]):
        donation = origin  # the checkout's own gift: its first invoice
    if donation is None:
        donation = Donation(
            appeal=recurring.appeal,
            frequency=Frequency.MONTHLY,
            amount_cents=amount,
            fee_cover_cents=origin.fee_cover_cents if origin else 0,
            currency=invoice.get("currency") or recurring.currency,
            name=recurring.name,
            email=recurring.email,
            consent_updates=origin.consent_updates if origin else False,
            is_demo=event.is_demo,
            # A renewal speaks its subscription's language (the checkout's).
            language=recurring.language,
        )
    mismatch = ""
    if (
        donation.pk
        and donation == origin
        and (amount, invoice.get("currency") or donation.currency) != (donation.amount_cents, donation.currency)
    ):
        mismatch = (
            f"Stripe's first invoice {invoice['id']} took {format_money(amount, invoice.get('currency') or 'usd')}, "
            f"but Camino created this gift for {format_money(donation.amount_cents, donation.currency)}"
        )
        donation_hold(donation, reason=mismatch)
    donation.recurring = recurring
    donation.stripe_invoice_id = invoice["id"]
    donation.stripe_customer_id = invoice.get("customer") or donation.stripe_customer_id
    if not donation.stripe_payment_intent_id:
        donation.stripe_payment_intent_id = invoice_payment_intent(invoice, event) or None
    linked(donation.stripe_payment_intent_id, donation.stripe_invoice_id)
    donation.full_clean()
    donation.save()  # saved before mark_paid so the receipt task has a primary key
    mark_paid(donation, when=(invoice.get("status_transitions") or {}).get("paid_at") or event.created)
    donation.save(update_fields=["paid_at", "status", "updated_at"])
    if recurring.status == RecurringDonation.Status.INCOMPLETE:
        recurring.status = RecurringDonation.Status.ACTIVE
        recurring.save(update_fields=["status", "updated_at"])
    return f"held for staff: {mismatch}" if mismatch else "monthly gift paid"


def on_invoice_payment_failed(invoice: dict, event: StripeEvent) -> str:
    from ...tasks import payment_failure_notice_send_task

    subscription_id, _recurring, origin = _ours(invoice, event)
    recurring = recurring_upsert(
        subscription_id=subscription_id,
        origin=origin,
        customer_id=invoice.get("customer") or "",
        email=(invoice.get("customer_email") or "").lower(),
        amount_cents=invoice.get("amount_due") or 0,
    )
    failed_at = timestamp(event.created)
    if recurring.last_payment_failed_at is None or recurring.last_payment_failed_at < failed_at:
        recurring.last_payment_failed_at = failed_at
        recurring.save(update_fields=["last_payment_failed_at", "updated_at"])
    # A renewal that fails: the donor hears once per invoice, however often Stripe retries it (a
    # first payment fails on Stripe's own page, in front of the donor).
    if invoice.get("billing_reason") != "subscription_create":
        notice, created = PaymentFailureNotice.objects.get_or_create(
            stripe_invoice_id=invoice["id"], defaults={"recurring": recurring}
        )
        if created:
            payment_failure_notice_send_task.delay_on_commit(notice.pk)
    # Stripe retries on its own schedule; the subscription's status arrives in its own events.
    return f"payment attempt {invoice.get('attempt_count', '?')} failed"
