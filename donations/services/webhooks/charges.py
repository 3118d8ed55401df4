"""charge.refunded, refund.* and charge.dispute.*: what happened to the money after it arrived.
Refunds and disputes only ever change a gift through these events, never from our own request.

Stripe does not order these events, so every handler records what Stripe said about one object
(a refund, a dispute) in a way that does not depend on order, and the gift's amounts and status are
derived from those records (linking.donation_settle_status):

- a refund's status only moves forward (pending, then succeeded, then failed or canceled: a refund
  that succeeded can still fail later), and the gift's refunded amount is the sum of its refunds
  that have not failed;
- a dispute's final status (won, lost, closed inquiry) is never overwritten by an open one, and of
  two open statuses the newer event wins."""

from django.db.models import Sum

from ... import stripe_gateway
from ...models import Donation, Refund, StripeEvent
from .linking import DISPUTE_OPEN, EventNotReady, donation_for_charge, donation_settle_status

REFUND_RANK = {
    Refund.Status.PENDING: 0,
    Refund.Status.REQUIRES_ACTION: 0,
    Refund.Status.SUCCEEDED: 1,
    Refund.Status.FAILED: 2,
    Refund.Status.CANCELED: 2,
}
REFUND_COUNTED = [Refund.Status.PENDING, Refund.Status.REQUIRES_ACTION, Refund.Status.SUCCEEDED]


def refund_record(donation: Donation, refund: dict) -> Refund:
    """Store what Stripe says of one refund, never moving its status backwards."""
    status = refund.get("status") if refund.get("status") in REFUND_RANK else Refund.Status.PENDING
    row, created = Refund.objects.select_for_update().get_or_create(
        stripe_refund_id=refund["id"],
        defaults={
            "donation": donation,
            "amount_cents": refund.get("amount") or 0,
            "status": status,
            "failure_reason": refund.get("failure_reason") or "",
        },
    )
    was = None if created else row.status
    if not created and REFUND_RANK[status] > REFUND_RANK[row.status]:
        row.status = status
        row.failure_reason = refund.get("failure_reason") or row.failure_reason
        row.save(update_fields=["status", "failure_reason", "updated_at"])
    if row.status == Refund.Status.SUCCEEDED and was != Refund.Status.SUCCEEDED:
        from ...tasks import refund_notice_send_task

        # The donor's one email saying what was refunded (the sweep sends it if this is lost).
        refund_notice_send_task.delay_on_commit(row.pk)
    return row


def donation_refunds_settle(donation: Donation) -> None:
    refunded = donation.refunds.filter(status__in=REFUND_COUNTED).aggregate(total=Sum("amount_cents"))["total"] or 0
    donation.amount_refunded_cents = min(donation.amount_cents, refunded)
    donation_settle_status(donation)
    donation.full_clean()
    donation.save()


def on_charge_refunded(charge: dict, event: StripeEvent) -> str:
    """The charge names only its running total; the refunds behind it are read from Stripe (a
    refund that later fails lowers that total again, so the total alone is no guide)."""
    donation = donation_for_charge(charge, charge_id=charge["id"])
    if event.is_demo:
        refunds = (charge.get("refunds") or {}).get("data") or []
    else:
        try:
            refunds = stripe_gateway.charge_refunds(charge_id=charge["id"])
        except stripe_gateway.PaymentProviderError as exc:
            raise EventNotReady(f"could not read the charge's refunds: {exc}") from exc
    for refund in refunds:
        refund_record(donation, refund)
    donation_refunds_settle(donation)
    return f"refunded {donation.amount_refunded_cents} of {donation.amount_cents}"


def on_refund(refund: dict, event: StripeEvent) -> str:
    """refund.created, refund.updated, refund.failed: one refund's own status."""
    donation = donation_for_charge(refund, charge_id=refund.get("charge") or "")
    row = refund_record(donation, refund)
    donation_refunds_settle(donation)
    refunded = f"{donation.amount_refunded_cents} of {donation.amount_cents}"
    return f"refund {row.stripe_refund_id} {row.status}; refunded {refunded}"


def on_dispute(dispute: dict, event: StripeEvent) -> str:
    donation = donation_for_charge(dispute, charge_id=dispute.get("charge") or "")
    status = dispute.get("status") or ""
    final = donation.dispute_status and donation.dispute_status not in DISPUTE_OPEN
    # A final status stands; an open one applies if it is newer than the last one applied.
    if not final and (status not in DISPUTE_OPEN or event.created >= donation.dispute_event_created):
        donation.dispute_status = status
        donation.dispute_reason = dispute.get("reason") or donation.dispute_reason
        donation.stripe_dispute_id = dispute.get("id") or donation.stripe_dispute_id
        donation.dispute_amount_cents = min(donation.amount_cents, dispute.get("amount") or 0)
        donation.dispute_event_created = max(donation.dispute_event_created, event.created)
    donation_settle_status(donation)
    donation.full_clean()
    donation.save()
    return f"dispute {donation.dispute_status} ({donation.dispute_reason})"
