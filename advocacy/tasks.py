"""Celery tasks for Tell Congress: thin wrappers that take an id and call one service. Every name=
is the name the task had before it was given one, so queued messages and the beat schedule survive
a move of this module."""

import random

from celery import shared_task

from core.transient import DATABASE_ERRORS, TRANSIENT_ERRORS

from . import services
from .delivery import DeliveryThrottled, TransientDeliveryError
from .models import Delivery


# acks_late is safe: delivery_send claims the row with a conditional UPDATE, so a redelivered or
# duplicated message finds the delivery sending or sent and does nothing. max_retries is None
# because the database's attempts counter (DELIVERY_MAX_ATTEMPTS) is the real cap.
@shared_task(name="advocacy.tasks.delivery_send_task", bind=True, acks_late=True, max_retries=None)
def delivery_send_task(self, delivery_id: int) -> None:
    try:
        services.delivery_send(delivery_id=delivery_id)
    except DeliveryThrottled as exc:
        # Over the backend's rate: wait a second or two; this is not a failed attempt.
        raise self.retry(countdown=1 + random.random(), exc=exc) from exc
    except TransientDeliveryError as exc:
        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=services.delivery_retry_countdown(attempts=attempts), exc=exc) from exc


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
