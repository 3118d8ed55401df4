"""customer.subscription.*: the monthly gift's status, amount and period, newest event first;
a deletion is final. Only subscriptions Camino started (its gift's reference in their metadata, or
already linked by its checkout) are followed. Two events created in the same second say nothing
about their order, so a tie is settled by asking Stripe for the subscription as it is now."""

from django.utils import timezone

from ... import stripe_gateway
from ...models import RecurringDonation, StripeEvent
from .linking import EventIgnored, EventNotReady, recurring_for, recurring_upsert, timestamp


def on_subscription_changed(subscription: dict, event: StripeEvent) -> str:
    recurring, origin = recurring_for(subscription_id=subscription["id"], metadata=subscription.get("metadata"))
    if recurring is None and origin is None:
        raise EventIgnored("not a Camino subscription (its metadata names no Camino gift); ignored")
    recurring = recurring_upsert(
        subscription_id=subscription["id"], origin=origin, customer_id=subscription.get("customer") or ""
    )
    deleted = event.type == "customer.subscription.deleted"
    if recurring.status == RecurringDonation.Status.CANCELED and recurring.canceled_at and not deleted:
        return "subscription already canceled; ignored"
    if event.created < recurring.last_event_created and not deleted:
        return "older than the last applied subscription event; ignored"
    settled = ""
    if event.created == recurring.last_event_created and not deleted and not event.is_demo:
        try:
            subscription = stripe_gateway.subscription_retrieve(subscription_id=subscription["id"])
        except stripe_gateway.PaymentProviderError as exc:
            raise EventNotReady(f"could not read the subscription from Stripe: {exc}") from exc
        settled = " (same second as the last event: Stripe's current state)"
        deleted = subscription.get("status") == RecurringDonation.Status.CANCELED
    items = (subscription.get("items") or {}).get("data") or []
    recurring.status = RecurringDonation.Status.CANCELED if deleted else subscription.get("status", recurring.status)
    recurring.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    recurring.canceled_at = timestamp(subscription.get("canceled_at") or subscription.get("ended_at")) or (
        timezone.now() if deleted else None
    )
    # Since 2025-03-31 the period end is on each subscription item; before, on the subscription.
    period_end = (items[0].get("current_period_end") if items else None) or subscription.get("current_period_end")
    if period_end:
        recurring.current_period_end = timestamp(period_end)
    if items:
        unit_amount = sum(
            ((item.get("price") or {}).get("unit_amount") or 0) * (item.get("quantity") or 1) for item in items
        )
        recurring.amount_cents = unit_amount or recurring.amount_cents
    recurring.last_event_created = max(recurring.last_event_created, event.created)
    recurring.full_clean()
    recurring.save()
    return f"subscription {recurring.status}{settled}"
