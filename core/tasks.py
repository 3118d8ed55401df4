"""Every task has an explicit, stable name=: moving a module must not rename a task under queued
messages or the beat schedule (config/settings/base.py)."""

from celery import shared_task

from . import retention, services


@shared_task(name="core.tasks.worker_ping_answer_task", acks_late=True)
def worker_ping_answer_task(ping_id: int) -> None:
    services.worker_ping_answer(ping_id=ping_id)


@shared_task(name="core.tasks.worker_heartbeat_task")
def worker_heartbeat_task() -> None:
    services.worker_heartbeat_record()
    services.worker_pings_prune()


@shared_task(name="core.tasks.noop_task")
def noop_task() -> None:
    """Does nothing: the baseline that bench/ measures real tasks against."""


@shared_task(name="core.tasks.retention_apply_task", acks_late=True)
def retention_apply_task() -> None:
    # Idempotent: a second run finds nothing left to erase.
    retention.retention_apply()
