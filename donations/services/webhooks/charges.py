"""charge.refunded and charge.dispute.*: what happened to the money after it arrived. Refunds
and disputes only ever change a gift through these events, never from our own request."""

from ...models import Donation, StripeEvent
from .linking import donation_for_charge


def on_charge_refunded(charge: dict, event: StripeEvent) -> str:
    donation = donation_for_charge(charge, charge_id=charge["id"])
    # Stripe reports the running total, so taking the largest seen is right in any order.
    refunded = min(donation.amount_cents, max(donation.amount_refunded_cents, charge.get("amount_refunded") or 0))
    donation.amount_refunded_cents = refunded
    if donation.status != Donation.Status.DISPUTED:
        full = charge.get("refunded") or refunded >= donation.amount_cents
        donation.status = Donation.Status.REFUNDED if full else Donation.Status.PARTIALLY_REFUNDED
    donation.full_clean()
    donation.save()
    return f"refunded {refunded} of {donation.amount_cents}"


def on_dispute(dispute: dict, event: StripeEvent) -> str:
    donation = donation_for_charge(dispute, charge_id=dispute.get("charge") or "")
    donation.dispute_status = dispute.get("status") or ""
    donation.dispute_reason = dispute.get("reason") or ""
    if event.type == "charge.dispute.closed" and dispute.get("status") == "won":
        refunded = donation.amount_refunded_cents
        donation.status = (
            Donation.Status.SUCCEEDED
            if not refunded
            else Donation.Status.REFUNDED
            if refunded >= donation.amount_cents
            else Donation.Status.PARTIALLY_REFUNDED
        )
    else:
        donation.status = Donation.Status.DISPUTED
    donation.full_clean()
    donation.save()
    return f"dispute {donation.dispute_status} ({donation.dispute_reason})"
