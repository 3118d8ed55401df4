"""The donations sweeper: every "exactly once" in donations is stored before it is queued, so a
message the broker lost (or a publish that was left for later) only waits for this sweep."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from core.dispatch import publish_or_leave_for_sweeper

from ..models import StripeEvent
from .receipts import receipts_owed
from .self_service import manage_links_owed

BATCH = 500  # per kind and sweep: a backlog drains over a few sweeps instead of flooding the queue


def donations_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue again what may have been dropped: stored events not yet applied, paid gifts whose
    receipt never went, and manage links asked for but not sent (while the link would still be
    valid). Every task is idempotent, so a duplicate costs nothing. Returns how many were queued."""
    from ..tasks import donation_receipt_send_task, donor_manage_link_send_task, stripe_event_process_task

    now = timezone.now()
    cutoff = now - older_than
    owed = [
        (stripe_event_process_task, StripeEvent.objects.filter(
            status__in=[StripeEvent.Status.RECEIVED, StripeEvent.Status.WAITING], received_at__lt=cutoff)),
        (donation_receipt_send_task, receipts_owed().filter(paid_at__lt=cutoff)),
        (donor_manage_link_send_task, manage_links_owed().filter(
            created_at__lt=cutoff, created_at__gte=now - timedelta(seconds=settings.DONATION_MANAGE_LINK_MAX_AGE))),
    ]
    count = 0
    for task, rows in owed:
        for pk in rows.order_by("pk").values_list("pk", flat=True)[:BATCH]:
            if not publish_or_leave_for_sweeper(task, (pk,)):
                return count  # the broker is not answering: the next sweep tries again
            count += 1
    return count
