from django.db import transaction
from django.utils import timezone

from .models import Statistic, WorkerPing


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


def statistic_save(*, statistic: Statistic) -> Statistic:
    """Save a home page figure; the cached public pages go stale once it commits (the home page
    is cached as a story page, see stories.caching)."""
    from stories.caching import content_changed_on_commit

    statistic.full_clean()
    statistic.save()
    content_changed_on_commit()
    return statistic


def statistic_delete(*, statistic: Statistic) -> None:
    from stories.caching import content_changed_on_commit

    statistic.delete()
    content_changed_on_commit()
