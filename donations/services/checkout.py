"""Opening a checkout: a pending gift is stored first, then Stripe (or the demo page) is asked."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import active_language

from .. import stripe_gateway
from ..models import Appeal, Donation, Frequency
from .amounts import absolute_url, fee_cover_for, payments_are_demo, require_processor

logger = logging.getLogger(__name__)


def donation_checkout_start(
    *,
    appeal: Appeal,
    frequency: str,
    gift_cents: int,
    cover_fee: bool,
    name: str,
    email: str,
    consent_updates: bool = False,
    tribute_type: str = "",
    tribute_name: str = "",
) -> tuple[Donation, str]:
    """Store a pending gift and open a checkout for it; returns the gift and where to send the donor."""
    require_processor()
    if not appeal.is_active:
        raise ValidationError(_("This appeal is closed."), code="appeal_closed")
    if not settings.DONATION_MIN_CENTS <= gift_cents <= settings.DONATION_MAX_CENTS:
        raise ValidationError(_("Please choose an amount within the limits shown."), code="amount_out_of_range")
    if frequency not in Frequency.values:
        raise ValidationError(_("Please choose one-time or monthly."), code="frequency_invalid")
    if tribute_name.strip() and not tribute_type:
        # A name with no "in honor of" / "in memory of" would be dropped without a word.
        raise ValidationError(_("Please choose whether the gift is in honor or in memory of this person."),
                              code="tribute_type_missing")
    fee_cents = fee_cover_for(gift_cents) if cover_fee else 0
    with transaction.atomic():
        donation = Donation(
            appeal=appeal,
            frequency=frequency,
            amount_cents=gift_cents + fee_cents,
            fee_cover_cents=fee_cents,
            currency=settings.DONATION_CURRENCY,
            name=name.strip(),
            email=email.strip().lower(),
            consent_updates=consent_updates,
            tribute_type=tribute_type if tribute_name.strip() else "",
            tribute_name=tribute_name.strip(),
            is_demo=payments_are_demo(),
            # The page's language, not the browser's: Checkout and every email follow the gift.
            language=active_language(),
        )
        donation.full_clean()
        donation.save()
    if donation.is_demo:
        return donation, reverse("donations:demo_checkout", kwargs={"reference": donation.reference})
    reference = str(donation.reference)
    thanks = reverse("donations:thanks", kwargs={"reference": reference})
    try:
        session = stripe_gateway.checkout_session_create(
            reference=reference,
            monthly=frequency == Frequency.MONTHLY,
            gift_cents=gift_cents,
            fee_cover_cents=fee_cents,
            currency=donation.currency,
            email=donation.email,
            locale=donation.language,
            description=_("Gift to %(organization)s: %(appeal)s")
            % {"organization": settings.ORGANIZATION_NAME, "appeal": appeal.title},
            metadata={"donation_id": reference, "appeal": appeal.slug},
            success_url=absolute_url(thanks) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=absolute_url(reverse("donations:cancel", kwargs={"reference": reference})),
            idempotency_key=f"donation-{reference}-checkout",
        )
    except stripe_gateway.PaymentProviderError as exc:
        Donation.objects.filter(pk=donation.pk).update(status=Donation.Status.FAILED, updated_at=timezone.now())
        # The kind of error only: Stripe's message may quote what it was sent (the donor's email).
        cause = exc.__cause__
        logger.warning(
            "checkout session for donation %s failed: %s (%s)",
            donation.pk,
            type(cause or exc).__name__,
            getattr(cause, "code", None) or "no code",
        )
        raise ValidationError(
            _("We could not reach our payment processor. No money was taken; please try again in a moment."),
            code="provider_error",
        ) from exc
    Donation.objects.filter(pk=donation.pk).update(stripe_checkout_session_id=session.id, updated_at=timezone.now())
    donation.stripe_checkout_session_id = session.id
    return donation, session.url


def donation_checkout_cancel(*, donation: Donation) -> Donation:
    """The donor came back through Stripe's way back (our cancel address): the gift is canceled,
    not left to show "expired" a day later, and its session is closed so a tab left open on
    Stripe's page cannot pay it afterwards. A gift already paid stays paid (the payment wins, as it
    does if it arrives later: linking.donation_settle_status)."""
    cancelled = Donation.objects.filter(
        pk=donation.pk, paid_at__isnull=True, status__in=[Donation.Status.PENDING, Donation.Status.EXPIRED]
    ).update(status=Donation.Status.CANCELLED, updated_at=timezone.now())
    donation.refresh_from_db()
    if cancelled and donation.stripe_checkout_session_id and not donation.is_demo:
        try:
            stripe_gateway.checkout_session_expire(
                session_id=donation.stripe_checkout_session_id,
                idempotency_key=f"donation-{donation.reference}-expire",
            )
        except stripe_gateway.PaymentProviderError as exc:
            # Paid meanwhile (its event will say so) or already closed: nothing more to do here;
            # Stripe closes an open session by itself within a day.
            cause = exc.__cause__
            logger.info(
                "checkout session for donation %s not expired: %s (%s)",
                donation.pk,
                type(cause or exc).__name__,
                getattr(cause, "code", None) or "no code",
            )
    return donation
