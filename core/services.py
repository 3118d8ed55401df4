from django.db import transaction
from django.utils import timezone

from .models import WorkerPing


def worker_ping_send(*, source: str = WorkerPing.Source.WEB) -> WorkerPing:
    """Store a ping, then (after commit) ask a worker to answer it."""
    from .tasks import worker_ping_answer_task

    with transaction.atomic():
        ping = WorkerPing.objects.create(source=source)
        worker_ping_answer_task.delay_on_commit(ping.pk)
    return ping


def worker_ping_answer(*, ping_id: int) -> bool:
    """Mark a ping answered. Answering twice changes nothing (the first time stays)."""
    updated = WorkerPing.objects.filter(pk=ping_id, answered_at__isnull=True).update(
        answered_at=timezone.now()
    )
    return bool(updated)


def worker_heartbeat_record() -> WorkerPing:
    """Beat's heartbeat: runs on a worker, so its existence is the answer."""
    now = timezone.now()
    return WorkerPing.objects.create(source=WorkerPing.Source.BEAT, answered_at=now)


def worker_pings_prune(*, keep: int = 500) -> int:
    """Heartbeats accumulate every minute; keep the newest few hundred."""
    cutoff_ids = list(WorkerPing.objects.order_by("-created_at").values_list("pk", flat=True)[keep:])
    if not cutoff_ids:
        return 0
    deleted, _ = WorkerPing.objects.filter(pk__in=cutoff_ids).delete()
    return deleted
