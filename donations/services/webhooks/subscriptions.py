"""customer.subscription.*: the monthly gift's status, amount and period, newest event first;
a deletion is final."""

from django.utils import timezone

from ...models import RecurringDonation, StripeEvent
from .linking import donation_by_reference, recurring_upsert, timestamp


def on_subscription_changed(subscription: dict, event: StripeEvent) -> str:
    recurring = recurring_upsert(
        subscription_id=subscription["id"],
        origin=donation_by_reference((subscription.get("metadata") or {}).get("donation_id")),
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
    recurring.canceled_at = timestamp(subscription.get("canceled_at") or subscription.get("ended_at")) or (
        timezone.now() if deleted else None
    )
    if items:
        recurring.current_period_end = timestamp(items[0].get("current_period_end"))
        unit_amount = sum(
            ((item.get("price") or {}).get("unit_amount") or 0) * (item.get("quantity") or 1) for item in items
        )
        recurring.amount_cents = unit_amount or recurring.amount_cents
    recurring.last_event_created = max(recurring.last_event_created, event.created)
    recurring.full_clean()
    recurring.save()
    return f"subscription {recurring.status}"
