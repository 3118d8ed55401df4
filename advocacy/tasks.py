"""Celery tasks for Tell Congress: thin wrappers that take an id and call one service."""

import random
import smtplib

from celery import shared_task

from . import services
from .delivery import DeliveryThrottled, TransientDeliveryError
from .models import Delivery


# acks_late is safe: delivery_send claims the row with a conditional UPDATE, so a redelivered or
# duplicated message finds the delivery sending or sent and does nothing. max_retries is None
# because the database's attempts counter (DELIVERY_MAX_ATTEMPTS) is the real cap.
@shared_task(bind=True, acks_late=True, max_retries=None)
def delivery_send_task(self, delivery_id: int) -> None:
    try:
        services.delivery_send(delivery_id=delivery_id)
    except DeliveryThrottled as exc:
        # Over the backend's rate: wait a second or two; this is not a failed attempt.
        raise self.retry(countdown=1 + random.random(), exc=exc) from exc
    except TransientDeliveryError as exc:
        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=services.delivery_retry_countdown(attempts=attempts), exc=exc) from exc


@shared_task
def deliveries_sweep_task() -> None:
    services.deliveries_sweep()


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def letter_confirmation_send_task(letter_id: int) -> None:
    services.letter_confirmation_send(letter_id=letter_id)


@shared_task
def campaign_views_flush_task() -> None:
    services.campaign_views_flush()
