"""How a Stripe object finds (or makes) our record, shared by every event family. Stripe does not
order its events, so each lookup either finds the row, creates it from what the event carries, or
says the event must wait (EventNotReady). Only payments Camino started are ours: anything else is
stored and ignored with its reason (EventIgnored)."""

import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ...models import Donation, Frequency, RecurringDonation

# The Stripe ids an event linked to our records while it was applied: the events waiting for
# one of them are woken (events.py), and only those.
_linked: ContextVar[set | None] = ContextVar("donations_linked_ids", default=None)

DISPUTE_OPEN = {"warning_needs_response", "warning_under_review", "needs_response", "under_review"}


class EventNotReady(Exception):
    """The event refers to a gift we have not linked yet (Stripe does not order its events). It is
    tried again (woken by the event that links `waiting_for`, or by the sweep with backoff) a
    bounded number of times, then marked unmatched for staff."""

    def __init__(self, message: str, *, waiting_for: str = ""):
        super().__init__(message)
        self.waiting_for = waiting_for


class EventIgnored(Exception):
    """Not ours, or not a gift (another product's payment, a $0 invoice): stored and ignored with
    this reason."""


def linked(*stripe_ids) -> None:
    ids = _linked.get()
    if ids is not None:
        ids.update(value for value in stripe_ids if value)


def collect_linked() -> tuple[set, object]:
    ids: set = set()
    return ids, _linked.set(ids)


def stop_collecting(token) -> None:
    _linked.reset(token)


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
    """The gift a charge (or a dispute or refund on it) belongs to; waits until checkout or the
    invoice has linked it (a payment another product took waits its attempts, then is unmatched)."""
    intent = obj.get("payment_intent") or ""
    query = Q(stripe_charge_id=charge_id) if charge_id else Q(pk__in=[])
    if intent:
        query |= Q(stripe_payment_intent_id=intent)
    donation = Donation.objects.select_for_update().filter(query).first()
    if donation is None:
        raise EventNotReady(f"no gift linked to payment {intent or charge_id} yet", waiting_for=intent or charge_id)
    if charge_id and not donation.stripe_charge_id:
        donation.stripe_charge_id = charge_id
    linked(donation.stripe_charge_id)
    return donation


def donation_settle_status(donation: Donation) -> None:
    """The gift's status from what is known of its money, whatever order the events came in: paid,
    then less what was refunded, and a dispute over all (open, lost; a won one is forgotten). A
    held gift stays held for staff; an unpaid one keeps its checkout status."""
    if donation.status == Donation.Status.HELD or donation.paid_at is None:
        return
    if donation.dispute_status in DISPUTE_OPEN:
        donation.status = Donation.Status.DISPUTED
    elif donation.dispute_status == "lost":
        donation.status = Donation.Status.DISPUTE_LOST
    elif donation.amount_refunded_cents >= donation.amount_cents:
        donation.status = Donation.Status.REFUNDED
    elif donation.amount_refunded_cents:
        donation.status = Donation.Status.PARTIALLY_REFUNDED
    else:
        donation.status = Donation.Status.SUCCEEDED


def donation_hold(donation: Donation, *, reason: str) -> None:
    """A completed payment that does not match what Camino created: kept for staff, never receipted
    and not counted (the amount stays what Camino asked for; the reason says what Stripe took)."""
    donation.status = Donation.Status.HELD
    donation.hold_reason = reason


def mark_paid(donation: Donation, *, when: int) -> bool:
    """Record the payment once; the receipt is queued only on this first transition (and the
    sweeper sends it if that message is lost; a held gift is owed none)."""
    from ...tasks import donation_receipt_send_task

    if donation.paid_at is not None:
        return False
    donation.paid_at = timestamp(when) or timezone.now()
    donation_settle_status(donation)
    if donation.status != Donation.Status.HELD:
        donation_receipt_send_task.delay_on_commit(donation.pk)
    return True


def recurring_for(*, subscription_id: str, metadata: dict | None) -> tuple[RecurringDonation | None, Donation | None]:
    """Our monthly gift for a subscription and the gift whose checkout started it: (None, None) when
    Camino did not start this subscription (no record of it, and its metadata names no gift of ours)."""
    recurring = RecurringDonation.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
    origin = donation_by_reference((metadata or {}).get("donation_id"))
    if origin is not None and origin.frequency != Frequency.MONTHLY:
        origin = None  # a one-time gift's reference on a subscription is not ours to follow
    return recurring, origin


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
            **({"language": origin.language} if origin else {}),
        )
    linked(subscription_id)
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
