"""Celery tasks for Tell Congress: thin wrappers that take an id and call one service. Every name=
is the name the task had before it was given one, so queued messages and the beat schedule survive
a move of this module."""

import random

from celery import shared_task
from django.conf import settings

from core.transient import DATABASE_ERRORS, TRANSIENT_ERRORS

from . import services
from .delivery import DeliveryThrottled
from .models import Delivery


# acks_late is safe: delivery_send claims the row with a conditional UPDATE, so a redelivered or
# duplicated message finds the delivery sending or sent and does nothing. max_retries is None
# because the delivery's time budget (DELIVERY_RETRY_BUDGET_HOURS, in the database) is the real cap.
# Each backend has its own queue (advocacy.routing): a slow House never holds up the Senate.
@shared_task(name="advocacy.tasks.delivery_send_task", bind=True, acks_late=True, max_retries=None)
def delivery_send_task(self, delivery_id: int) -> None:
    try:
        status = services.delivery_send(delivery_id=delivery_id)
    except DeliveryThrottled as exc:
        # Over the backend's rate: wait a second or two; this is not a failed attempt.
        raise self.retry(countdown=1 + random.random(), exc=exc) from exc
    if status == Delivery.Status.WAITING:
        # A short wait stays a broker message; a longer one is kept only in the database (a message
        # held for hours is what Redis hands out again after its visibility timeout), and the
        # sweeper queues the delivery once it is due.
        countdown = services.delivery_next_attempt_in(delivery_id=delivery_id)
        if countdown is not None and countdown < settings.DELIVERY_SWEEP_INTERVAL:
            raise self.retry(countdown=countdown)


@shared_task(name="advocacy.tasks.deliveries_sweep_task")
def deliveries_sweep_task() -> None:
    services.deliveries_sweep()


@shared_task(
    name="advocacy.tasks.letter_confirmation_send_task",
    acks_late=True,  # safe: the confirmation is claimed and stamped, a second run sends nothing
    # Only the database or the mail server failing for a moment; a bug fails once, loudly, and
    # letter_confirmations_sweep_task tries again later.
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def letter_confirmation_send_task(letter_id: int) -> None:
    services.letter_confirmation_send(letter_id=letter_id)


@shared_task(
    name="advocacy.tasks.letter_confirmations_sweep_task",
    # A database blip retries soon; a longer outage is left to the next beat.
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=4,
)
def letter_confirmations_sweep_task() -> None:
    services.letter_confirmations_sweep()


@shared_task(name="advocacy.tasks.campaign_views_flush_task")
def campaign_views_flush_task() -> None:
    services.campaign_views_flush()
