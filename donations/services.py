"""Every write with business meaning for donations. A donation's money state changes only here,
and only from a Stripe event (or a demo event built in the same shape): the success page, the
admin and the refund action never mark anything paid or refunded themselves."""

import hashlib
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import stripe_gateway
from .models import Appeal, Donation, Frequency, ManageLinkRequest, RecurringDonation, StripeEvent

logger = logging.getLogger(__name__)

MANAGE_LINK_SALT = "donations.manage-link"
STALE_CLAIM = timedelta(minutes=15)
PAID_STATUSES = (Donation.Status.SUCCEEDED, Donation.Status.PARTIALLY_REFUNDED)


class EventNotReady(Exception):
    """The event refers to a gift we have not linked yet (Stripe does not order its events):
    the task retries it later, and it is re-queued as soon as another event is processed."""


# --- Amounts and modes ---------------------------------------------------------------------------


def fee_cover_for(gift_cents: int) -> int:
    """What to add so that, after the processor keeps its percent of the total plus its fixed fee,
    the whole gift arrives. Integer basis points keep this identical to static/js/donations.js."""
    basis_points = round(settings.DONATION_FEE_PERCENT * 100)
    numerator = (gift_cents + settings.DONATION_FEE_FIXED_CENTS) * 10_000
    total = -(-numerator // (10_000 - basis_points))  # ceiling division
    return total - gift_cents


def payments_are_demo() -> bool:
    return not settings.STRIPE_SECRET_KEY


def _require_processor() -> None:
    # The demo processor takes no money, so it must never answer a real donor: with DEBUG off and
    # no Stripe key, giving is refused rather than faked.
    if payments_are_demo() and not settings.DEBUG:
        raise ValidationError(
            _("Online giving is not available right now. Please try again later."), code="payments_unavailable"
        )


def demo_mode_enabled() -> bool:
    return payments_are_demo() and settings.DEBUG


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- Checkout --------------------------------------------------------------------------------------


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
    _require_processor()
    if not appeal.is_active:
        raise ValidationError(_("This appeal is closed."), code="appeal_closed")
    if not settings.DONATION_MIN_CENTS <= gift_cents <= settings.DONATION_MAX_CENTS:
        raise ValidationError(_("Please choose an amount within the limits shown."), code="amount_out_of_range")
    if frequency not in Frequency.values:
        raise ValidationError(_("Please choose one-time or monthly."), code="frequency_invalid")
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
            tribute_name=tribute_name.strip() if tribute_type else "",
            is_demo=payments_are_demo(),
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
            description=_("Gift to %(organization)s: %(appeal)s")
            % {"organization": settings.ORGANIZATION_NAME, "appeal": appeal.title},
            metadata={"donation_id": reference, "appeal": appeal.slug},
            success_url=_absolute(thanks) + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=_absolute(reverse("donations:cancel", kwargs={"reference": reference})),
            idempotency_key=f"donation-{reference}-checkout",
        )
    except stripe_gateway.PaymentProviderError as exc:
        Donation.objects.filter(pk=donation.pk).update(status=Donation.Status.FAILED, updated_at=timezone.now())
        logger.warning("checkout session for donation %s failed: %s", donation.pk, exc)
        raise ValidationError(
            _("We could not reach our payment processor. No money was taken; please try again in a moment."),
            code="provider_error",
        ) from exc
    Donation.objects.filter(pk=donation.pk).update(stripe_checkout_session_id=session.id, updated_at=timezone.now())
    donation.stripe_checkout_session_id = session.id
    return donation, session.url


# --- Webhook events --------------------------------------------------------------------------------


def stripe_event_receive(*, payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verify a webhook delivery and store it once. Raises stripe_gateway.InvalidWebhook."""
    data = stripe_gateway.event_verify(payload=payload, signature=signature)
    return stripe_event_store(data=data)


def stripe_event_store(*, data: dict, is_demo: bool = False) -> tuple[StripeEvent, bool]:
    """Keep the event (a redelivery finds the stored one) and queue its processing after commit."""
    from .tasks import stripe_event_process_task

    with transaction.atomic():
        event, created = StripeEvent.objects.get_or_create(
            stripe_event_id=data["id"],
            defaults={
                "type": str(data["type"])[:100],
                "api_version": str(data.get("api_version") or "")[:40],
                "livemode": bool(data.get("livemode")),
                "created": int(data.get("created") or time.time()),
                "payload": data,
                "is_demo": is_demo,
            },
        )
        if created:
            stripe_event_process_task.delay_on_commit(event.pk)
    return event, created


def stripe_event_process(*, event_id: int) -> str | None:
    """Apply one stored event. Idempotent: a processed or ignored event is left alone, and every
    handler sets absolute values keyed on Stripe's object ids, so a replay changes nothing."""
    from .tasks import stripe_event_process_task

    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.status in (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED):
            return None
        event.attempts += 1
        handler = EVENT_HANDLERS.get(event.type)
        failure = None
        if handler is None:
            event.status, event.result = StripeEvent.Status.IGNORED, "no handler for this event type"
        else:
            try:
                with transaction.atomic():
                    event.result = handler(event.payload["data"]["object"], event) or "ok"
                event.status = StripeEvent.Status.PROCESSED
            except EventNotReady as exc:
                event.status, event.result = StripeEvent.Status.WAITING, str(exc)
            except Exception as exc:  # a bug or bad data: recorded for staff, not retried blindly
                event.status, event.result = StripeEvent.Status.FAILED, f"{exc.__class__.__name__}: {exc}"
                failure = exc
        event.processed_at = timezone.now()
        event.save(update_fields=["status", "result", "attempts", "processed_at"])
        if event.status == StripeEvent.Status.PROCESSED:
            # Events that arrived before the gift they refer to can now find it.
            waiting = StripeEvent.objects.filter(status=StripeEvent.Status.WAITING).values_list("pk", flat=True)
            for waiting_pk in waiting[:50]:
                stripe_event_process_task.delay_on_commit(waiting_pk)
    if failure is not None:
        logger.error("stripe event %s failed: %s", event.stripe_event_id, event.result, exc_info=failure)
    if event.status == StripeEvent.Status.WAITING:
        raise EventNotReady(event.result)
    return event.status


def stripe_event_reprocess(*, event: StripeEvent) -> None:
    """Staff ask for a failed or waiting event to be applied again."""
    from .tasks import stripe_event_process_task

    if event.status in (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED):
        raise ValidationError(_("This event was already applied."), code="already_processed")
    with transaction.atomic():
        StripeEvent.objects.filter(pk=event.pk).update(status=StripeEvent.Status.RECEIVED)
        stripe_event_process_task.delay_on_commit(event.pk)


def _ts(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _donation_by_reference(value) -> Donation | None:
    try:
        reference = uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
    return Donation.objects.select_for_update().filter(reference=reference).first()


def _mark_paid(donation: Donation, *, when: int) -> bool:
    """Record the payment once; the receipt is queued only on this first transition."""
    from .tasks import donation_receipt_send_task

    if donation.paid_at is not None:
        return False
    donation.paid_at = _ts(when) or timezone.now()
    if donation.status in (Donation.Status.PENDING, Donation.Status.FAILED, Donation.Status.EXPIRED):
        donation.status = Donation.Status.SUCCEEDED
    donation_receipt_send_task.delay_on_commit(donation.pk)
    return True


def _recurring_upsert(
    *, subscription_id: str, origin: Donation | None, customer_id: str = "", email: str = "", amount_cents: int = 0
) -> RecurringDonation:
    recurring = RecurringDonation.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
    if recurring is None:
        recurring = RecurringDonation.objects.create(
            stripe_subscription_id=subscription_id,
            appeal=origin.appeal if origin else None,
            name=origin.name if origin else "",
            email=(origin.email if origin else email) or email,
            amount_cents=(origin.amount_cents if origin else amount_cents) or 1,
            currency=origin.currency if origin else settings.DONATION_CURRENCY,
            stripe_customer_id=customer_id or "",
        )
    changed = []
    if customer_id and not recurring.stripe_customer_id:
        recurring.stripe_customer_id = customer_id
        changed.append("stripe_customer_id")
    if not recurring.email and (email or origin):
        recurring.email = email or origin.email
        changed.append("email")
    if changed:
        recurring.save(update_fields=[*changed, "updated_at"])
    return recurring


def _on_checkout_completed(session: dict, event: StripeEvent) -> str:
    reference = session.get("client_reference_id") or (session.get("metadata") or {}).get("donation_id")
    donation = _donation_by_reference(reference)
    if donation is None:
        return "no matching donation (not a Camino checkout); ignored"
    donation.stripe_checkout_session_id = session["id"]
    donation.stripe_customer_id = session.get("customer") or donation.stripe_customer_id
    details = session.get("customer_details") or {}
    donation.name = donation.name or (details.get("name") or "")
    donation.email = donation.email or (details.get("email") or "").lower()
    if session.get("mode") == "subscription":
        if session.get("subscription"):
            donation.recurring = _recurring_upsert(
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
        _mark_paid(donation, when=event.created)
    donation.full_clean()
    donation.save()
    return "gift paid" if paid else "checkout complete, payment pending"


def _on_async_payment_succeeded(session: dict, event: StripeEvent) -> str:
    return _on_checkout_completed({**session, "payment_status": "paid"}, event)


def _on_async_payment_failed(session: dict, event: StripeEvent) -> str:
    donation = _donation_by_reference(session.get("client_reference_id"))
    if donation is None:
        return "no matching donation; ignored"
    if donation.paid_at is None:
        donation.status = Donation.Status.FAILED
        donation.save(update_fields=["status", "updated_at"])
    return "payment failed"


def _on_checkout_expired(session: dict, event: StripeEvent) -> str:
    donation = _donation_by_reference(session.get("client_reference_id"))
    if donation is None:
        return "no matching donation; ignored"
    if donation.paid_at is None and donation.status == Donation.Status.PENDING:
        donation.status = Donation.Status.EXPIRED
        donation.save(update_fields=["status", "updated_at"])
    return "checkout expired"


def _invoice_subscription(invoice: dict) -> tuple[str, dict]:
    # Since API 2025-03-31 the subscription is under parent.subscription_details.
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription") or "", details.get("metadata") or {}


def _invoice_payment_intent(invoice: dict, event: StripeEvent) -> str:
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


def _on_invoice_paid(invoice: dict, event: StripeEvent) -> str:
    subscription_id, metadata = _invoice_subscription(invoice)
    if not subscription_id:
        return "not a subscription invoice; ignored"
    origin = _donation_by_reference(metadata.get("donation_id"))
    recurring = _recurring_upsert(
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
        donation.stripe_payment_intent_id = _invoice_payment_intent(invoice, event) or None
    if invoice.get("amount_paid"):
        donation.amount_cents = invoice["amount_paid"]
    donation.full_clean()
    donation.save()  # saved before _mark_paid so the receipt task has a primary key
    _mark_paid(donation, when=(invoice.get("status_transitions") or {}).get("paid_at") or event.created)
    donation.save(update_fields=["paid_at", "status", "updated_at"])
    if recurring.status == RecurringDonation.Status.INCOMPLETE:
        recurring.status = RecurringDonation.Status.ACTIVE
        recurring.save(update_fields=["status", "updated_at"])
    return "monthly gift paid"


def _on_invoice_payment_failed(invoice: dict, event: StripeEvent) -> str:
    subscription_id, metadata = _invoice_subscription(invoice)
    if not subscription_id:
        return "not a subscription invoice; ignored"
    recurring = _recurring_upsert(
        subscription_id=subscription_id,
        origin=_donation_by_reference(metadata.get("donation_id")),
        customer_id=invoice.get("customer") or "",
        email=(invoice.get("customer_email") or "").lower(),
        amount_cents=invoice.get("amount_due") or 0,
    )
    failed_at = _ts(event.created)
    if recurring.last_payment_failed_at is None or recurring.last_payment_failed_at < failed_at:
        recurring.last_payment_failed_at = failed_at
        recurring.save(update_fields=["last_payment_failed_at", "updated_at"])
    # Stripe retries on its own schedule; the subscription's status arrives in its own events.
    return f"payment attempt {invoice.get('attempt_count', '?')} failed"


def _on_subscription_changed(subscription: dict, event: StripeEvent) -> str:
    recurring = _recurring_upsert(
        subscription_id=subscription["id"],
        origin=_donation_by_reference((subscription.get("metadata") or {}).get("donation_id")),
        customer_id=subscription.get("customer") or "",
    )
    deleted = event.type == "customer.subscription.deleted"
    if recurring.status == RecurringDonation.Status.CANCELED and recurring.canceled_at and not deleted:
        return "subscription already canceled; ignored"
    if event.created < recurring.last_event_created and not deleted:
        return "older than the last applied subscription event; ignored"
    items = (subscription.get("items") or {}).get("data") or []
    recurring.status = RecurringDonation.Status.CANCELED if deleted else subscription.get("status", recurring.status)
    recurring.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    recurring.canceled_at = _ts(subscription.get("canceled_at") or subscription.get("ended_at")) or (
        timezone.now() if deleted else None
    )
    if items:
        recurring.current_period_end = _ts(items[0].get("current_period_end"))
        unit_amount = sum(
            ((item.get("price") or {}).get("unit_amount") or 0) * (item.get("quantity") or 1) for item in items
        )
        recurring.amount_cents = unit_amount or recurring.amount_cents
    recurring.last_event_created = max(recurring.last_event_created, event.created)
    recurring.full_clean()
    recurring.save()
    return f"subscription {recurring.status}"


def _donation_for_charge(obj: dict, *, charge_id: str) -> Donation:
    query = Q(stripe_charge_id=charge_id)
    if obj.get("payment_intent"):
        query |= Q(stripe_payment_intent_id=obj["payment_intent"])
    donation = Donation.objects.select_for_update().filter(query).first()
    if donation is None:
        raise EventNotReady(f"no gift linked to charge {charge_id} yet")
    if not donation.stripe_charge_id:
        donation.stripe_charge_id = charge_id
    return donation


def _on_charge_refunded(charge: dict, event: StripeEvent) -> str:
    donation = _donation_for_charge(charge, charge_id=charge["id"])
    # Stripe reports the running total, so taking the largest seen is right in any order.
    refunded = min(donation.amount_cents, max(donation.amount_refunded_cents, charge.get("amount_refunded") or 0))
    donation.amount_refunded_cents = refunded
    if donation.status != Donation.Status.DISPUTED:
        full = charge.get("refunded") or refunded >= donation.amount_cents
        donation.status = Donation.Status.REFUNDED if full else Donation.Status.PARTIALLY_REFUNDED
    donation.full_clean()
    donation.save()
    return f"refunded {refunded} of {donation.amount_cents}"


def _on_dispute(dispute: dict, event: StripeEvent) -> str:
    donation = _donation_for_charge(dispute, charge_id=dispute.get("charge") or "")
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


EVENT_HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "checkout.session.async_payment_succeeded": _on_async_payment_succeeded,
    "checkout.session.async_payment_failed": _on_async_payment_failed,
    "checkout.session.expired": _on_checkout_expired,
    "invoice.paid": _on_invoice_paid,
    "invoice.payment_failed": _on_invoice_payment_failed,
    "customer.subscription.created": _on_subscription_changed,
    "customer.subscription.updated": _on_subscription_changed,
    "customer.subscription.deleted": _on_subscription_changed,
    "charge.refunded": _on_charge_refunded,
    "charge.dispute.created": _on_dispute,
    "charge.dispute.closed": _on_dispute,
}


# --- Receipts --------------------------------------------------------------------------------------


def donation_receipt_send(*, donation_id: int) -> bool:
    """Email the tax receipt for a paid gift, once. A claim (not a lock held over SMTP) keeps two
    workers from sending together; a crash mid-send frees the claim after STALE_CLAIM."""
    now = timezone.now()
    claimed = (
        Donation.objects.filter(pk=donation_id, paid_at__isnull=False, receipt_sent_at__isnull=True)
        .exclude(email="")
        .filter(Q(receipt_claimed_at__isnull=True) | Q(receipt_claimed_at__lt=now - STALE_CLAIM))
        .update(receipt_claimed_at=now)
    )
    if not claimed:
        return False
    donation = Donation.objects.select_related("appeal", "recurring").get(pk=donation_id)
    try:
        _receipt_message(donation).send()
    except Exception:
        Donation.objects.filter(pk=donation_id).update(receipt_claimed_at=None)
        raise
    Donation.objects.filter(pk=donation_id).update(receipt_sent_at=timezone.now())
    return True


def _receipt_message(donation: Donation) -> EmailMultiAlternatives:
    context = {
        "donation": donation,
        "amount": f"{donation.amount_cents / 100:,.2f}",
        "currency": donation.currency.upper(),
        "legal_name": settings.ORGANIZATION_LEGAL_NAME,
        "ein": settings.ORGANIZATION_EIN,
        "address": settings.ORGANIZATION_ADDRESS,
        "organization": settings.ORGANIZATION_NAME,
        "manage_url": _absolute(reverse("donations:manage")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your receipt from %(organization)s (%(number)s)") % {
            "organization": settings.ORGANIZATION_NAME,
            "number": donation.receipt_number,
        }
        text = render_to_string("emails/donations/receipt.txt", context)
        html = render_to_string("emails/donations/receipt.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "camino.example.org"
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [donation.email],
        # A stable Message-ID lets mail systems drop a duplicate if a crash ever causes one.
        headers={"Message-ID": f"<receipt-{donation.reference}@{domain}>"},
    )
    message.attach_alternative(html, "text/html")
    return message


# --- Refunds ---------------------------------------------------------------------------------------


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
        _require_demo()
        _demo_store([_demo_event("charge.refunded", {
            "id": donation.stripe_charge_id or f"ch_demo_{donation.reference.hex[:24]}",
            "object": "charge",
            "amount": donation.amount_cents,
            "amount_refunded": donation.amount_cents,
            "refunded": True,
            "payment_intent": donation.stripe_payment_intent_id,
            "currency": donation.currency,
        }, key=f"{donation.reference}-{donation.amount_refunded_cents}")])
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


# --- Donor self-service ----------------------------------------------------------------------------


def donor_manage_link_request(*, email: str) -> None:
    """Queue a signed link for a monthly donor. Does the same visible thing for anyone, so the
    answer never tells whether an address belongs to a donor."""
    from .tasks import donor_manage_link_send_task

    recurring = (
        RecurringDonation.objects.for_email(email).exclude(stripe_customer_id="").order_by("-created_at").first()
    )
    if recurring is None:
        return
    with transaction.atomic():
        link_request = ManageLinkRequest.objects.create(recurring=recurring)
        donor_manage_link_send_task.delay_on_commit(link_request.pk)


def donor_manage_link_send(*, request_id: int) -> bool:
    now = timezone.now()
    claimed = (
        ManageLinkRequest.objects.filter(pk=request_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    link_request = ManageLinkRequest.objects.select_related("recurring").get(pk=request_id)
    email = link_request.recurring.email
    token = signing.dumps({"email": email.lower()}, salt=MANAGE_LINK_SALT)
    context = {
        "url": _absolute(reverse("donations:manage_open", kwargs={"token": token})),
        "hours": settings.DONATION_MANAGE_LINK_MAX_AGE // 3600,
        "organization": settings.ORGANIZATION_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Manage your monthly gift to %(organization)s") % context
        text = render_to_string("emails/donations/manage_link.txt", context)
        html = render_to_string("emails/donations/manage_link.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        ManageLinkRequest.objects.filter(pk=request_id).update(claimed_at=None)
        raise
    ManageLinkRequest.objects.filter(pk=request_id).update(sent_at=timezone.now())
    return True


def donor_email_from_token(*, token: str) -> str:
    try:
        data = signing.loads(token, salt=MANAGE_LINK_SALT, max_age=settings.DONATION_MANAGE_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired. Please ask for a new one."), code="link_expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid. Please ask for a new one."), code="link_invalid") from exc
    return data["email"]


def donor_portal_open(*, token: str) -> str:
    """Where to send a donor who followed a valid link: a Customer Portal session (or the demo one)."""
    email = donor_email_from_token(token=token)
    recurring = (
        RecurringDonation.objects.for_email(email).exclude(stripe_customer_id="").order_by("-created_at").first()
    )
    if recurring is None:
        raise ValidationError(_("This link is not valid. Please ask for a new one."), code="link_invalid")
    if payments_are_demo():
        _require_demo()
        return reverse("donations:demo_portal", kwargs={"token": token})
    customer = recurring.stripe_customer_id
    # One portal session per donor per minute: a double click reuses it; a later visit gets a fresh
    # one (portal sessions are short-lived).
    minute = int(time.time() // 60)
    key_source = f"{customer}-{minute}".encode()
    try:
        return stripe_gateway.billing_portal_session_create(
            customer_id=customer,
            return_url=_absolute(reverse("donations:donate")),
            idempotency_key=f"portal-{hashlib.sha256(key_source).hexdigest()[:32]}",
        )
    except stripe_gateway.PaymentProviderError as exc:
        raise ValidationError(
            _("We could not open your donor page right now. Please try again in a moment."), code="provider_error"
        ) from exc


# --- Demo processor --------------------------------------------------------------------------------
# Without a Stripe key (and only with DEBUG on) a local page stands in for Stripe Checkout. Its
# outcome is written as Stripe-shaped events and goes through stripe_event_store/process, exactly
# like a webhook, so demo mode exercises the real fulfilment code.


def _require_demo() -> None:
    if not demo_mode_enabled():
        raise ValidationError(_("Demo mode is only available in development."), code="demo_unavailable")


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
    _require_demo()
    if not donation.is_demo or donation.status != Donation.Status.PENDING or donation.stripe_checkout_session_id:
        return  # already completed or cancelled: a double submit changes nothing
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
    _require_demo()
    if not donation.is_demo or donation.status != Donation.Status.PENDING:
        return
    _demo_store([_demo_event("checkout.session.expired", {
        "id": f"cs_demo_{donation.reference.hex[:24]}", "object": "checkout.session", "status": "expired",
        "client_reference_id": str(donation.reference), "metadata": {"donation_id": str(donation.reference)},
    }, key=str(donation.reference))])


def demo_subscription_cancel(*, recurring: RecurringDonation) -> None:
    _require_demo()
    now = int(time.time())
    _demo_store([_demo_event("customer.subscription.deleted", {
        "id": recurring.stripe_subscription_id, "object": "subscription", "status": "canceled",
        "customer": recurring.stripe_customer_id, "canceled_at": now, "ended_at": now,
        "cancel_at_period_end": False, "metadata": {},
    }, key=recurring.stripe_subscription_id)])


# --- Housekeeping ----------------------------------------------------------------------------------


def donations_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Re-queue what a broker outage may have dropped: stored events not yet applied, and paid gifts
    whose receipt never went. Both tasks are idempotent, so a duplicate costs nothing."""
    from .tasks import donation_receipt_send_task, stripe_event_process_task

    cutoff = timezone.now() - older_than
    count = 0
    for pk in StripeEvent.objects.filter(
        status__in=[StripeEvent.Status.RECEIVED, StripeEvent.Status.WAITING], received_at__lt=cutoff
    ).values_list("pk", flat=True)[:500]:
        stripe_event_process_task.delay(pk)
        count += 1
    for pk in Donation.objects.filter(paid_at__lt=cutoff, receipt_sent_at__isnull=True).exclude(email="").values_list(
        "pk", flat=True
    )[:500]:
        donation_receipt_send_task.delay(pk)
        count += 1
    return count

