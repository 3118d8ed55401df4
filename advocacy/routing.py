"""Which Celery queue a delivery's task goes to: one per service that letters wait on.

The House's CWC, the Senate's SOAPBox and the mail server are separate systems that are slow or
down at separate times. A send holds its worker process for up to CWC_TIMEOUT seconds, so with
one shared queue a slow House took every worker process and Senate letters waited behind it. Each
queue has its own worker (the Procfile), so one slow office holds up only its own letters."""

from django.conf import settings

DELIVERY_TASK = "advocacy.tasks.delivery_send_task"


def delivery_queue(*, backend: str, office_code: str) -> str:
    queues = settings.DELIVERY_QUEUES
    if backend == "cwc":
        return queues["cwc_senate"] if office_code.startswith("S") else queues["cwc_house"]
    return queues["other"]


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (CELERY_TASK_ROUTES): a delivery's task to its backend's queue. One primary-key
    read per publish; a delivery it cannot read goes to the default queue, whose worker also sends."""
    if name != DELIVERY_TASK:
        return None
    from .models import Delivery

    delivery_id = (args[0] if args else None) or (kwargs or {}).get("delivery_id")
    try:
        row = Delivery.objects.filter(pk=delivery_id).values_list("backend", "office_code").first()
    except Exception:  # noqa: BLE001 - routing must never stop a publish; the default queue sends too
        return None
    if row is None:
        return None
    return {"queue": delivery_queue(backend=row[0], office_code=row[1])}
