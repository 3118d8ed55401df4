from celery import shared_task

from . import services


@shared_task(acks_late=True)
def worker_ping_answer_task(ping_id: int) -> None:
    services.worker_ping_answer(ping_id=ping_id)


@shared_task
def worker_heartbeat_task() -> None:
    services.worker_heartbeat_record()
    services.worker_pings_prune()


@shared_task
def noop_task() -> None:
    """Does nothing: the baseline that bench/ measures real tasks against."""
