"""Refunds: staff ask for one (an amount, in the admin, after a confirmation step), Stripe (or the
demo processor) makes it, and the gift changes only when Stripe's events come back
(webhooks/charges.py). Once Stripe says a refund succeeded, the donor gets one email saying what
was refunded (refund_notice_send, under a claim like a receipt)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.claims import SendOnce
from core.mail import templated_email
from core.money import format_money

from .. import stripe_gateway
from ..models import Donation, Refund
from .demo_processor import demo_refund

# A gift that has been paid and not (wholly) given back: what a refund can still act on.
PAID_STATUSES = (Donation.Status.SUCCEEDED, Donation.Status.PARTIALLY_REFUNDED)


def refundable_cents(donation: Donation) -> int:
    """What is left to refund on a gift (0 when it cannot be refunded at all)."""
    if donation.status not in PAID_STATUSES or not donation.stripe_payment_intent_id:
        return 0
    return max(0, donation.amount_cents - donation.amount_refunded_cents)


def refund_refusal(donation: Donation) -> str:
    """Why a gift cannot be refunded at all ("" when it can): what the admin says before asking
    for an amount."""
    if donation.status not in PAID_STATUSES:
        return _("Only paid gifts can be refunded.")
    if refundable_cents(donation) <= 0:
        return _("Nothing left to refund on this gift.")
    return ""


def donation_refund_request(*, donation: Donation, amount_cents: int, request_key: str, requested_by=None) -> Donation:
    """Ask Stripe to refund `amount_cents` of a gift (all of what is left, or part of it). The
    gift's state changes only when Stripe's events arrive. `request_key` names this one request
    (the admin's confirmation page carries it): the same request sent twice, a double click, is
    one refund at Stripe; a new confirmation is a new refund."""
    with transaction.atomic():
        donation = Donation.objects.select_for_update().get(pk=donation.pk)
        if donation.status not in PAID_STATUSES:
            raise ValidationError(_("Only paid gifts can be refunded."), code="not_refundable")
        remaining = refundable_cents(donation)
        if remaining <= 0:
            raise ValidationError(_("Nothing left to refund on this gift."), code="not_refundable")
        if not 0 < amount_cents <= remaining:
            raise ValidationError(
                _("Refund an amount up to %(left)s, what is left to refund on this gift.")
                % {"left": format_money(remaining, donation.currency)},
                code="refund_amount_invalid",
            )
    reference = str(donation.reference)
    if donation.is_demo:
        demo_refund(donation=donation, amount_cents=amount_cents, request_key=request_key)
    else:
        stripe_gateway.refund_create(
            payment_intent_id=donation.stripe_payment_intent_id,
            amount_cents=amount_cents,
            metadata={"donation_id": reference, "requested_by": str(getattr(requested_by, "pk", "") or "")},
            idempotency_key=f"donation-{reference}-refund-{request_key}",
        )
    Donation.objects.filter(pk=donation.pk).update(refund_requested_at=timezone.now(), updated_at=timezone.now())
    donation.refresh_from_db()
    return donation


def refund_notices_owed():
    """Refunds Stripe says succeeded whose donor has not been told yet."""
    return Refund.objects.filter(status=Refund.Status.SUCCEEDED, notice_sent_at__isnull=True)


def refund_notice_send(*, refund_id: int) -> bool:
    """Tell the donor once what was refunded; True if this call sent it."""
    return SendOnce(refund_notices_owed(), claimed_field="notice_claimed_at").run(
        refund_id, _send_refund_notice, stamp={"notice_sent_at": timezone.now}
    )


def _send_refund_notice(refund_id: int) -> None:
    refund = Refund.objects.select_related("donation").get(pk=refund_id)
    # In the language the donor gave in (amounts and the date too).
    with translation.override(refund.donation.language):
        _send_refund_notice_in_language(refund)


def _send_refund_notice_in_language(refund: Refund) -> None:
    donation = refund.donation
    if not donation.email:
        return  # stamped as done: there is nobody to tell
    currency = donation.currency
    kept = max(0, donation.amount_cents - donation.amount_refunded_cents)
    context = {
        "refunded": format_money(refund.amount_cents, currency),
        "gift": format_money(donation.amount_cents, currency),
        "kept": format_money(kept, currency),
        "whole": kept == 0,
        "given_on": formats.date_format(timezone.localtime(donation.paid_at or donation.created_at), "DATE_FORMAT"),
        "receipt_number": donation.receipt_number,
        "organization": settings.ORGANIZATION_NAME,
        "legal_name": settings.ORGANIZATION_LEGAL_NAME,
        "address": settings.ORGANIZATION_ADDRESS,
    }
    with translation.override(donation.language):
        subject = _("%(organization)s has refunded %(refunded)s of your gift") % context
        # One Message-ID per Stripe refund.
        message = templated_email(
            "emails/donations/refund",
            context,
            subject=subject,
            to=[donation.email],
            language=donation.language,
            message_key=f"refund-{refund.stripe_refund_id}",
        )
    message.send()
