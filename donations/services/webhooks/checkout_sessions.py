"""checkout.session.*: a one-time gift is paid (or fails, or expires); a monthly one is linked to
its subscription and first invoice. Only sessions Camino created (their reference names one of our
gifts) count; a completed session that does not match the gift Camino created is held for staff."""

from core.money import format_money

from ...models import Donation, StripeEvent
from .linking import EventIgnored, donation_by_reference, donation_hold, linked, mark_paid, recurring_upsert


def _ours(session: dict) -> Donation:
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get("donation_id")
    donation = donation_by_reference(reference)
    if donation is None:
        raise EventIgnored("no matching donation (not a Camino checkout); ignored")
    return donation


def session_mismatch(session: dict, donation: Donation) -> str:
    """Why a completed session is not the one Camino created for this gift ("" when it is)."""
    total, currency = session.get("amount_total"), (session.get("currency") or donation.currency).lower()
    if total is None or (total == donation.amount_cents and currency == donation.currency):
        return ""
    return (
        f"Stripe's session {session.get('id')} took {format_money(total, currency)}, "
        f"but Camino created this gift for {format_money(donation.amount_cents, donation.currency)}"
    )


def on_checkout_completed(session: dict, event: StripeEvent) -> str:
    donation = _ours(session)
    donation.stripe_checkout_session_id = session["id"]
    donation.stripe_customer_id = session.get("customer") or donation.stripe_customer_id
    details = session.get("customer_details") or {}
    donation.name = donation.name or (details.get("name") or "")
    donation.email = donation.email or (details.get("email") or "").lower()
    if session.get("mode") == "subscription":
        if session.get("subscription"):
            donation.recurring = recurring_upsert(
                subscription_id=session["subscription"], origin=donation, customer_id=session.get("customer") or ""
            )
        if session.get("invoice") and not donation.stripe_invoice_id:
            donation.stripe_invoice_id = session["invoice"]
    elif session.get("payment_intent"):
        donation.stripe_payment_intent_id = session["payment_intent"]
    linked(donation.stripe_payment_intent_id, donation.stripe_invoice_id)
    mismatch = session_mismatch(session, donation)
    if mismatch:
        # Never rewritten to what Stripe took: the receipt would state an amount the donor never chose.
        donation_hold(donation, reason=mismatch)
    paid = session.get("payment_status") == "paid"
    if paid:
        mark_paid(donation, when=event.created)
    donation.full_clean()
    donation.save()
    if mismatch:
        return f"held for staff: {mismatch}"
    return "gift paid" if paid else "checkout complete, payment pending"


def on_async_payment_succeeded(session: dict, event: StripeEvent) -> str:
    return on_checkout_completed({**session, "payment_status": "paid"}, event)


def on_async_payment_failed(session: dict, event: StripeEvent) -> str:
    donation = _ours(session)
    if donation.paid_at is None and donation.status != Donation.Status.HELD:
        donation.status = Donation.Status.FAILED
        donation.save(update_fields=["status", "updated_at"])
    return "payment failed"


def on_checkout_expired(session: dict, event: StripeEvent) -> str:
    donation = _ours(session)
    if donation.paid_at is None and donation.status == Donation.Status.PENDING:
        donation.status = Donation.Status.EXPIRED
        donation.save(update_fields=["status", "updated_at"])
    return "checkout expired"
