"""How a Stripe object finds (or makes) our record, shared by every event family. Stripe does not
order its events, so each lookup either finds the row, creates it from what the event carries, or
says the event must wait (EventNotReady)."""

import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ...models import Donation, RecurringDonation


class EventNotReady(Exception):
    """The event refers to a gift we have not linked yet (Stripe does not order its events):
    the task retries it later, and it is re-queued as soon as another event is processed."""


def timestamp(value) -> datetime | None:
    """A Stripe Unix time (seconds) as an aware datetime; None for a missing one."""
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def donation_by_reference(value) -> Donation | None:
    """The gift a checkout or subscription names in its metadata, locked for this event's update."""
    try:
        reference = uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
    return Donation.objects.select_for_update().filter(reference=reference).first()


def donation_for_charge(obj: dict, *, charge_id: str) -> Donation:
    """The gift a charge (or a dispute on it) belongs to; waits until checkout has linked it."""
    query = Q(stripe_charge_id=charge_id)
    if obj.get("payment_intent"):
        query |= Q(stripe_payment_intent_id=obj["payment_intent"])
    donation = Donation.objects.select_for_update().filter(query).first()
    if donation is None:
        raise EventNotReady(f"no gift linked to charge {charge_id} yet")
    if not donation.stripe_charge_id:
        donation.stripe_charge_id = charge_id
    return donation


def mark_paid(donation: Donation, *, when: int) -> bool:
    """Record the payment once; the receipt is queued only on this first transition (and the
    sweeper sends it if that message is lost)."""
    from ...tasks import donation_receipt_send_task

    if donation.paid_at is not None:
        return False
    donation.paid_at = timestamp(when) or timezone.now()
    if donation.status in (Donation.Status.PENDING, Donation.Status.FAILED, Donation.Status.EXPIRED):
        donation.status = Donation.Status.SUCCEEDED
    donation_receipt_send_task.delay_on_commit(donation.pk)
    return True


def recurring_upsert(
    *, subscription_id: str, origin: Donation | None, customer_id: str = "", email: str = "", amount_cents: int = 0
) -> RecurringDonation:
    """The monthly gift behind a subscription, created from the first event that names it."""
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
