"""checkout.session.*: a one-time gift is paid (or fails, or expires); a monthly one is linked to
its subscription and first invoice."""

from ...models import Donation, StripeEvent
from .linking import donation_by_reference, mark_paid, recurring_upsert


def on_checkout_completed(session: dict, event: StripeEvent) -> str:
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get("donation_id")
    donation = donation_by_reference(reference)
    if donation is None:
        return "no matching donation (not a Camino checkout); ignored"
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
    if session.get("amount_total"):
        donation.amount_cents = session["amount_total"]
    paid = session.get("payment_status") == "paid"
    if paid:
        mark_paid(donation, when=event.created)
    donation.full_clean()
    donation.save()
    return "gift paid" if paid else "checkout complete, payment pending"


def on_async_payment_succeeded(session: dict, event: StripeEvent) -> str:
    return on_checkout_completed({**session, "payment_status": "paid"}, event)


def on_async_payment_failed(session: dict, event: StripeEvent) -> str:
    donation = donation_by_reference(session.get("client_reference_id"))
    if donation is None:
        return "no matching donation; ignored"
    if donation.paid_at is None:
        donation.status = Donation.Status.FAILED
        donation.save(update_fields=["status", "updated_at"])
    return "payment failed"


def on_checkout_expired(session: dict, event: StripeEvent) -> str:
    donation = donation_by_reference(session.get("client_reference_id"))
    if donation is None:
        return "no matching donation; ignored"
    if donation.paid_at is None and donation.status == Donation.Status.PENDING:
        donation.status = Donation.Status.EXPIRED
        donation.save(update_fields=["status", "updated_at"])
    return "checkout expired"
