"""Stripe events: verified, stored once, then applied by the handler for their type. A stored
event is never lost: the task applies it, and the sweeper queues it again if that message is."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.transient import DATABASE_ERRORS

from ... import stripe_gateway
from ...models import StripeEvent
from .charges import on_charge_refunded, on_dispute
from .checkout_sessions import (
    on_async_payment_failed,
    on_async_payment_succeeded,
    on_checkout_completed,
    on_checkout_expired,
)
from .invoices import on_invoice_paid, on_invoice_payment_failed
from .linking import EventNotReady
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
    "charge.dispute.created": on_dispute,
    "charge.dispute.closed": on_dispute,
}
DONE = (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED)


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
    handler sets absolute values keyed on Stripe's object ids, so a replay changes nothing."""
    from ...tasks import stripe_event_process_task

    with transaction.atomic():
        event = StripeEvent.objects.select_for_update().filter(pk=event_id).first()
        if event is None or event.status in DONE:
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
            except DATABASE_ERRORS:
                # A lost connection or a deadlock says nothing about the event: it stays unapplied
                # (this transaction rolls back) and the task retries it.
                raise
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
    from ...tasks import stripe_event_process_task

    if event.status in DONE:
        raise ValidationError(_("This event was already applied."), code="already_processed")
    with transaction.atomic():
        StripeEvent.objects.filter(pk=event.pk).update(status=StripeEvent.Status.RECEIVED)
        stripe_event_process_task.delay_on_commit(event.pk)
