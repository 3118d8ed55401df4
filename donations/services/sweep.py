"""The donations sweeper: every "exactly once" in donations is stored before it is queued, so a
message the broker lost (or a publish that was left for later) only waits for this sweep."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.dispatch import publish_or_leave_for_sweeper

from ..models import StripeEvent
from .dunning import failure_notices_owed
from .receipts import receipts_owed
from .refunds import refund_notices_owed
from .self_service import manage_links_owed

BATCH = 500  # per kind and sweep: a backlog drains over a few sweeps instead of flooding the queue


def events_owed(now, cutoff):
    """Stored events not applied yet (their message may be lost) and waiting events whose rest is
    over (unmatched ones are left to staff and to the event that links them)."""
    return StripeEvent.objects.filter(
        Q(status=StripeEvent.Status.RECEIVED, received_at__lt=cutoff)
        | Q(status=StripeEvent.Status.WAITING, next_attempt_at__lte=now)
        | Q(status=StripeEvent.Status.WAITING, next_attempt_at__isnull=True, received_at__lt=cutoff)
    )


def donations_sweep(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue again what may have been dropped: stored events not yet applied (and waiting ones
    whose backoff is over, at most STRIPE_EVENT_SWEEP_LIMIT), paid gifts whose receipt never went,
    failed-payment notices, refund notices and manage links not sent (while the link would still be valid). Every
    task is idempotent, so a duplicate costs nothing. Returns how many were queued."""
    from ..tasks import (
        donation_receipt_send_task,
        donor_manage_link_send_task,
        payment_failure_notice_send_task,
        refund_notice_send_task,
        stripe_event_process_task,
    )

    now = timezone.now()
    cutoff = now - older_than
    owed = [
        (stripe_event_process_task, events_owed(now, cutoff), settings.STRIPE_EVENT_SWEEP_LIMIT),
        (donation_receipt_send_task, receipts_owed().filter(paid_at__lt=cutoff), BATCH),
        (payment_failure_notice_send_task, failure_notices_owed().filter(created_at__lt=cutoff), BATCH),
        (refund_notice_send_task, refund_notices_owed().filter(updated_at__lt=cutoff), BATCH),
        (
            donor_manage_link_send_task,
            manage_links_owed().filter(
                created_at__lt=cutoff, created_at__gte=now - timedelta(seconds=settings.DONATION_MANAGE_LINK_MAX_AGE)
            ),
            BATCH,
        ),
    ]
    count = 0
    for task, rows, limit in owed:
        pks = list(rows.order_by("pk").values_list("pk", flat=True)[:limit])
        if task is stripe_event_process_task and pks:
            # Queued now: the next sweep leaves them alone until their message has had its time
            # (processing sets the real next attempt).
            StripeEvent.objects.filter(pk__in=pks, status=StripeEvent.Status.WAITING).update(
                next_attempt_at=now + older_than
            )
        for pk in pks:
            if not publish_or_leave_for_sweeper(task, (pk,)):
                return count  # the broker is not answering: the next sweep tries again
            count += 1
    return count
