"""Refunds are asked of Stripe (or the demo processor); the gift changes only when the
charge.refunded event comes back (webhooks/charges.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import stripe_gateway
from ..models import Donation
from .demo_processor import demo_refund

# A gift that has been paid and not (wholly) given back: what a refund can still act on.
PAID_STATUSES = (Donation.Status.SUCCEEDED, Donation.Status.PARTIALLY_REFUNDED)


def donation_refund_request(*, donation: Donation, requested_by=None) -> Donation:
    """Ask Stripe to refund what remains of a gift. The gift's state changes only when Stripe's
    charge.refunded event arrives; the idempotency key makes a double click harmless."""
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.status not in PAID_STATUSES:
            raise ValidationError(_("Only paid gifts can be refunded."), code="not_refundable")
        remaining = donation.amount_cents - donation.amount_refunded_cents
        if remaining <= 0 or not donation.stripe_payment_intent_id:
            raise ValidationError(_("Nothing left to refund on this gift."), code="not_refundable")
    reference = str(donation.reference)
    if donation.is_demo:
        demo_refund(donation=donation)
    else:
        stripe_gateway.refund_create(
            payment_intent_id=donation.stripe_payment_intent_id,
            amount_cents=remaining,
            metadata={"donation_id": reference, "requested_by": str(getattr(requested_by, "pk", "") or "")},
            # Includes what was already refunded: the same request twice is one refund, a later
            # request after a partial refund is a new one.
            idempotency_key=f"donation-{reference}-refund-{donation.amount_refunded_cents}",
        )
    Donation.objects.filter(pk=donation.pk).update(refund_requested_at=timezone.now(), updated_at=timezone.now())
    donation.refresh_from_db()
    return donation
