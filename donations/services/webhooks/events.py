"""Stripe events: verified, stored once, then applied by the handler for their type. A stored
event is never lost: the task applies it, and the sweeper queues it again if that message is.

An event that refers to a gift not linked yet waits: it names what it waits for, the event that
links that object wakes it (at most STRIPE_EVENT_WAKE_LIMIT per event), the sweep retries it with
backoff, and after STRIPE_EVENT_WAIT_ATTEMPTS it is marked unmatched for staff. Nothing re-queues
waiting events wholesale, and the task itself never retries a waiting event (no retry chains)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.transient import DATABASE_ERRORS
from stories.caching import content_changed_now

from ... import stripe_gateway
from ...models import StripeEvent
from .charges import on_charge_refunded, on_dispute, on_refund
from .checkout_sessions import (
    on_async_payment_failed,
    on_async_payment_succeeded,
    on_checkout_completed,
    on_checkout_expired,
)
from .invoices import on_invoice_paid, on_invoice_payment_failed
from .linking import EventIgnored, EventNotReady, collect_linked, stop_collecting
from .subscriptions import on_subscription_changed

logger = logging.getLogger(__name__)

EVENT_HANDLERS = {
    "checkout.session.completed": on_checkout_completed,
    "checkout.session.async_payment_succeeded": on_async_payment_succeeded,
    "checkout.session.async_payment_failed": on_async_payment_failed,
    "checkout.session.expired": on_checkout_expired,
    "invoice.paid": on_invoice_paid,
    "invoice.payment_failed": on_invoice_payment_failed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "charge.refunded": on_charge_refunded,
    "refund.created": on_refund,
    "refund.updated": on_refund,
    "refund.failed": on_refund,
    "charge.dispute.created": on_dispute,
    "charge.dispute.updated": on_dispute,
    "charge.dispute.funds_withdrawn": on_dispute,
    "charge.dispute.funds_reinstated": on_dispute,
    "charge.dispute.closed": on_dispute,
}
DONE = (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED)
MAX_BACKOFF = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """How long a waiting event rests before the sweep tries it again: doubling from
    STRIPE_EVENT_RETRY_SECONDS, at most MAX_BACKOFF."""
    seconds = settings.STRIPE_EVENT_RETRY_SECONDS * 2 ** max(0, min(attempts - 1, 20))
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def stripe_event_receive(*, payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verify a webhook delivery and store it once. Raises stripe_gateway.InvalidWebhook."""
    data = stripe_gateway.event_verify(payload=payload, signature=signature)
    return stripe_event_store(data=data)


def stripe_event_store(*, data: dict, is_demo: bool = False) -> tuple[StripeEvent, bool]:
    """Keep the event (a redelivery finds the stored one) and queue its processing after commit."""
    from ...tasks import stripe_event_process_task

    with transaction.atomic():
        event, created = StripeEvent.objects.get_or_create(
            stripe_event_id=data["id"],
            defaults={
                "type": str(data["type"])[:100],
                "api_version": str(data.get("api_version") or "")[:40],
                "livemode": bool(data.get("livemode")),
                "created": int(data["created"]),  # an integer: event_verify refuses anything else
                "payload": data,
                "is_demo": is_demo,
            },
        )
        if created:
            stripe_event_process_task.delay_on_commit(event.pk)
    return event, created


def stripe_event_process(*, event_id: int) -> str | None:
    """Apply one stored event. Idempotent: a processed or ignored event is left alone, and every
    handler sets absolute values keyed on Stripe's object ids, so a replay changes nothing.
    Returns the event's status (None if there was nothing to do)."""
    from ...tasks import stripe_event_process_task

    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.status in DONE:
            return None
        event.attempts += 1
        event.waiting_for, event.next_attempt_at = "", None
        handler = EVENT_HANDLERS.get(event.type)
        failure = None
        linked_ids, token = collect_linked()
        if handler is None:
            event.status, event.result = StripeEvent.Status.IGNORED, "no handler for this event type"
        else:
            try:
                with transaction.atomic():
                    event.result = handler(event.payload["data"]["object"], event) or "ok"
                event.status = StripeEvent.Status.PROCESSED
            except EventIgnored as exc:
                event.status, event.result = StripeEvent.Status.IGNORED, str(exc)
            except EventNotReady as exc:
                event.waiting_for = exc.waiting_for[:255]
                if event.attempts >= settings.STRIPE_EVENT_WAIT_ATTEMPTS:
                    # No more sweeps; only the event that links what it waits for still wakes it.
                    event.status = StripeEvent.Status.UNMATCHED
                    event.result = f"{exc} (still, after {event.attempts} attempts)"
                else:
                    event.status, event.result = StripeEvent.Status.WAITING, str(exc)
                    event.next_attempt_at = timezone.now() + retry_delay(event.attempts)
            except DATABASE_ERRORS:
                # A lost connection or a deadlock says nothing about the event: it stays unapplied
                # (this transaction rolls back) and the task retries it.
                raise
            except Exception as exc:  # a bug or bad data: recorded for staff, not retried blindly
                event.status, event.result = StripeEvent.Status.FAILED, f"{exc.__class__.__name__}: {exc}"
                failure = exc
            finally:
                stop_collecting(token)
        event.processed_at = timezone.now()
        event.save(update_fields=["status", "result", "attempts", "waiting_for", "next_attempt_at", "processed_at"])
        if event.status == StripeEvent.Status.PROCESSED and linked_ids:
            # Only the events waiting for something this one linked can now find their gift.
            waiting = (
                StripeEvent.objects.filter(
                    status__in=[StripeEvent.Status.WAITING, StripeEvent.Status.UNMATCHED], waiting_for__in=linked_ids
                )
                .exclude(pk=event.pk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for waiting_pk in waiting[: settings.STRIPE_EVENT_WAKE_LIMIT]:
                stripe_event_process_task.delay_on_commit(waiting_pk)
    if event.status == StripeEvent.Status.PROCESSED:
        # The home and story pages are cached whole and show the thermometer: a gift paid, refunded
        # or lost shows there at once too, the same figure as /donate/ (the event is committed now).
        content_changed_now()
    if failure is not None:
        # The class only: the message (kept in event.result for staff) may quote the row or the payload.
        logger.error("stripe event %s failed: %s", event.stripe_event_id, type(failure).__name__, exc_info=failure)
    return event.status


def stripe_event_reprocess(*, event: StripeEvent) -> None:
    """Staff ask for a failed, waiting or unmatched event to be applied again (with its full
    number of attempts again)."""
    from ...tasks import stripe_event_process_task

    if event.status in DONE:
        raise ValidationError(_("This event was already applied."), code="already_processed")
    with transaction.atomic():
        StripeEvent.objects.filter(pk=event.pk).update(
            status=StripeEvent.Status.RECEIVED, attempts=0, waiting_for="", next_attempt_at=None
        )
        stripe_event_process_task.delay_on_commit(event.pk)
