"""Sending each delivery once, retrying it, and sweeping the ones a lost message or a dead worker
left behind."""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.claims import SendOnce

from .. import delivery as backends
from ..models import Delivery

logger = logging.getLogger(__name__)


def delivery_retry_countdown(*, attempts: int) -> float:
    """Exponential backoff with full jitter, capped: spreads retries after an office outage."""
    ceiling = min(settings.DELIVERY_RETRY_BACKOFF_MAX, settings.DELIVERY_RETRY_BACKOFF * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)


def _sender() -> SendOnce:
    """Deliveries still owed a send: queued, or sending under a claim (free once its lease of
    DELIVERY_CLAIM_LEASE seconds has run out: the worker died)."""
    stale = timezone.now() - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    owed = Delivery.objects.filter(
        Q(status=Delivery.Status.QUEUED)
        | Q(status=Delivery.Status.SENDING, claimed_at__isnull=False)
        # Claimed before deliveries had a lease (no claimed_at): free after DELIVERY_STUCK_AFTER, as then.
        | Q(status=Delivery.Status.SENDING, updated_at__lt=stale)
    )
    return SendOnce(owed, claimed_field="claimed_at", lease_seconds=settings.DELIVERY_CLAIM_LEASE)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery at most once at a time.

    The claim is one conditional UPDATE (queued → sending, attempts + 1, claimed_at = now), so of
    two workers given the same delivery only one sends; a sent or failed delivery is left alone. A
    worker killed mid-send leaves it `sending`; once its lease (DELIVERY_CLAIM_LEASE) has run out it
    may be claimed again (at least once: the CWC DeliveryId and the email Message-ID stay the same,
    so offices can drop the copy). Only the holder of the claim records the outcome.

    Returns the resulting status. Raises DeliveryThrottled before claiming when the backend's rate
    limit is used up, and TransientDeliveryError when a retry is due."""
    current = Delivery.objects.filter(pk=delivery_id).values_list("status", "backend", "office_code").first()
    if current is None or current[0] in (Delivery.Status.SENT, Delivery.Status.FAILED):
        return current[0] if current else "missing"
    limit_name = backends.rate_limit_name(backend=current[1], office_code=current[2])
    if not backends.acquire_send_slot(limit_name):
        raise backends.DeliveryThrottled(limit_name)
    sender = _sender()
    token = sender.claim(
        delivery_id, status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if token is None:
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or "missing"
    delivery = Delivery.objects.select_related("letter__campaign", "letter__supporter", "legislator").get(
        pk=delivery_id
    )

    def finish(status: str, error: str) -> str:
        sender.stamp(delivery_id, token, status=status, last_error=error[:2000], updated_at=timezone.now())
        return status

    try:
        message_id = backends.get_backend(delivery.backend).send(delivery)
    except backends.TransientDeliveryError as exc:
        if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            return finish(Delivery.Status.FAILED, str(exc))
        sender.release(
            delivery_id, token, status=Delivery.Status.QUEUED, last_error=str(exc)[:2000], updated_at=timezone.now()
        )
        raise
    except backends.PermanentDeliveryError as exc:
        return finish(Delivery.Status.FAILED, str(exc))
    except Exception as exc:
        # A bug, not an outage: fail visibly (staff can retry once fixed) instead of retrying forever.
        logger.exception("delivery %s: unexpected error", delivery_id)
        return finish(Delivery.Status.FAILED, f"{exc.__class__.__name__}: {exc}")
    sender.stamp(
        delivery_id,
        token,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        backend_message_id=message_id[:255],
        last_error="",
        updated_at=timezone.now(),
    )
    return Delivery.Status.SENT


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Staff give a failed delivery a new round of attempts (same DeliveryId)."""
    from ..tasks import delivery_send_task

    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.QUEUED, attempts=0, updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("Only failed deliveries can be retried."), code="not_failed")
        delivery_send_task.delay_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def deliveries_sweep(*, now=None) -> int:
    """Queue again every delivery queued or sending for longer than DELIVERY_STUCK_AFTER (a lost
    broker message), and every one whose sender's lease ran out (a killed worker): either only
    delays a letter. The send's own claim keeps this safe when the original task is still around."""
    from ..tasks import delivery_send_task

    now = now or timezone.now()
    stuck = list(
        Delivery.objects.stuck(
            older_than=now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER),
            claim_expired_before=now - timedelta(seconds=settings.DELIVERY_CLAIM_LEASE),
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[: settings.DELIVERY_SWEEP_BATCH]
    )
    with transaction.atomic():
        # Touching updated_at keeps the next sweep from queuing them again before a worker gets there.
        Delivery.objects.filter(pk__in=stuck, status=Delivery.Status.QUEUED).update(updated_at=now)
        for pk in stuck:
            delivery_send_task.delay_on_commit(pk)
    if stuck:
        logger.info("delivery sweep queued %d stuck deliveries", len(stuck))
    return len(stuck)
