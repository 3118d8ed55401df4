"""Sending each delivery, retrying it within a time budget, and sweeping the ones that are due
again or that a lost message or a dead worker left behind.

Every attempt is kept (DeliveryAttempt: when, how long, what the office's system answered). A
failure that can pass (the office unreachable, busy, in maintenance) makes the delivery *wait for
the office* and try again with a growing backoff until DELIVERY_RETRY_BUDGET_HOURS have passed
since its first attempt; then it fails. A post the office never answered may have arrived: it
counts as a copy, the next post waits DELIVERY_UNCONFIRMED_RETRY_AFTER, and no delivery is ever
posted once MAX_COPIES of its posts went unanswered, staff retries included."""

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.claims import SendOnce

from .. import delivery as backends
from ..models import Delivery, DeliveryAttempt, Letter

logger = logging.getLogger(__name__)

# The House's service standard forbids duplicates; a post that got no answer may still have
# arrived. One more post after it, never a third copy of one DeliveryId.
MAX_COPIES = 2
# What delivery_send returns for a message that came before the delivery's next attempt is due.
NOT_DUE = "not_due"


def delivery_retry_countdown(*, attempts: int) -> float:
    """Exponential backoff with full jitter, capped: spreads retries after an office outage."""
    ceiling = min(settings.DELIVERY_RETRY_BACKOFF_MAX, settings.DELIVERY_RETRY_BACKOFF * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)


def _senders(now) -> tuple[SendOnce, SendOnce]:
    """Deliveries owed a send: (queued, or waiting and due) and (sending under a claim whose lease of
    DELIVERY_CLAIM_LEASE seconds ran out: the worker died, maybe after posting)."""
    lease = settings.DELIVERY_CLAIM_LEASE
    owed = Delivery.objects.filter(
        Q(status=Delivery.Status.QUEUED) | Q(status=Delivery.Status.WAITING, next_attempt_at__lte=now)
    )
    stale = now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    abandoned = Delivery.objects.filter(
        Q(status=Delivery.Status.SENDING, claimed_at__isnull=False)
        # Claimed before deliveries had a lease (no claimed_at): free after DELIVERY_STUCK_AFTER, as then.
        | Q(status=Delivery.Status.SENDING, updated_at__lt=stale)
    )
    return (
        SendOnce(owed, claimed_field="claimed_at", lease_seconds=lease),
        SendOnce(abandoned, claimed_field="claimed_at", lease_seconds=lease),
    )


def _record(delivery_id: int, *, started_at, started: float, outcome: str, answer: str = "", status_code=None):
    Delivery.objects.filter(pk=delivery_id).update(last_outcome=outcome)
    DeliveryAttempt.objects.create(
        delivery_id=delivery_id,
        started_at=started_at,
        duration_ms=max(0, round((time.monotonic() - started) * 1000)),
        outcome=outcome,
        status_code=status_code,
        answer=answer[:2000],
    )


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery at most once at a time, and record the attempt.

    The claim is one conditional UPDATE (queued or due → sending, attempts + 1, claimed_at = now),
    so of two workers given the same delivery only one sends; a final one is left alone. A worker
    killed mid-send leaves it `sending`; once its lease (DELIVERY_CLAIM_LEASE) has run out it may be
    claimed again, and that lost post counts as one that may have arrived. Only the holder of the
    claim records the outcome.

    Returns the resulting status (`waiting` when a retry is due later: `delivery_next_attempt_in`
    says when), or NOT_DUE for a message that came early. Raises DeliveryThrottled before claiming
    when the backend's rate limit is used up."""
    now = timezone.now()
    current = (
        Delivery.objects.filter(pk=delivery_id)
        .values_list("status", "backend", "office_code", "next_attempt_at")
        .first()
    )
    if current is None:
        return "missing"
    status, backend, office_code, next_attempt_at = current
    if status in Delivery.FINAL_STATUSES:
        return status
    if status == Delivery.Status.WAITING and next_attempt_at and next_attempt_at > now:
        return NOT_DUE
    limit_name = backends.rate_limit_name(backend=backend, office_code=office_code)
    if not backends.acquire_send_slot(limit_name):
        raise backends.DeliveryThrottled(limit_name)
    owed, abandoned = _senders(now)
    claim = {
        "status": Delivery.Status.SENDING,
        "attempts": F("attempts") + 1,
        "round_started_at": Coalesce(F("round_started_at"), Value(now)),
        "updated_at": now,
    }
    sender, token, was_abandoned = owed, owed.claim(delivery_id, **claim), False
    if token is None:
        sender, was_abandoned = abandoned, True
        token = abandoned.claim(delivery_id, unconfirmed_posts=F("unconfirmed_posts") + 1, **claim)
    if token is None:
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or "missing"
    delivery = Delivery.objects.select_related("letter__campaign", "letter__supporter", "legislator").get(
        pk=delivery_id
    )

    def finish(status: str, error: str, **fields) -> str:
        sender.stamp(
            delivery_id,
            token,
            status=status,
            last_error=error[:2000],
            next_attempt_at=None,
            updated_at=timezone.now(),
            **fields,
        )
        return status

    if was_abandoned:
        _record(
            delivery_id,
            started_at=now,
            started=time.monotonic(),
            outcome=DeliveryAttempt.Outcome.UNCONFIRMED,
            answer="The worker sending it stopped before it recorded the answer: it may have arrived.",
        )
        if delivery.unconfirmed_posts >= MAX_COPIES:
            return finish(Delivery.Status.UNCONFIRMED, _unconfirmed_final(delivery.unconfirmed_posts))

    started_at, started = timezone.now(), time.monotonic()
    outcome = None
    try:
        message_id = backends.get_backend(delivery.backend).send(delivery)
    except backends.UnconfirmedDeliveryError as exc:
        outcome, error = DeliveryAttempt.Outcome.UNCONFIRMED, exc
    except backends.OfficeUnreachable as exc:
        outcome, error = DeliveryAttempt.Outcome.NOT_SENT, exc
    except backends.TransientDeliveryError as exc:
        outcome, error = DeliveryAttempt.Outcome.BUSY, exc
    except backends.PermanentDeliveryError as exc:
        _record(
            delivery_id,
            started_at=started_at,
            started=started,
            outcome=DeliveryAttempt.Outcome.REJECTED,
            answer=str(exc),
            status_code=exc.status_code,
        )
        return finish(Delivery.Status.FAILED, str(exc))
    except Exception as exc:
        # A bug, not an outage: fail visibly (staff can retry once fixed) instead of retrying forever.
        logger.exception("delivery %s: unexpected error", delivery_id)
        answer = f"{exc.__class__.__name__}: {exc}"
        _record(
            delivery_id, started_at=started_at, started=started, outcome=DeliveryAttempt.Outcome.ERROR, answer=answer
        )
        return finish(Delivery.Status.FAILED, answer)
    if outcome is not None:
        _record(
            delivery_id,
            started_at=started_at,
            started=started,
            outcome=outcome,
            answer=str(error),
            status_code=error.status_code,
        )
        return _wait_or_give_up(delivery, sender, token, outcome=outcome, error=str(error), finish=finish)
    _record(
        delivery_id,
        started_at=started_at,
        started=started,
        outcome=DeliveryAttempt.Outcome.ACCEPTED,
        answer=f"Accepted: {message_id}"[:2000],
    )
    sender.stamp(
        delivery_id,
        token,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        backend_message_id=message_id[:255],
        last_error="",
        next_attempt_at=None,
        updated_at=timezone.now(),
    )
    return Delivery.Status.SENT


def _unconfirmed_final(posts: int) -> str:
    return (
        f"Sent {posts} times and never answered: it may have arrived. Not sent again, so the office never gets "
        "a third copy; ask the office whether it has it."
    )


def _wait_or_give_up(delivery: Delivery, sender: SendOnce, token, *, outcome: str, error: str, finish) -> str:
    """After a failure that can pass: wait for the office until the next attempt, or end the round
    (failed; unconfirmed when a post may have arrived) once the budget or the copies are used up."""
    now = timezone.now()
    posts = delivery.unconfirmed_posts + (1 if outcome == DeliveryAttempt.Outcome.UNCONFIRMED else 0)
    budget = timedelta(hours=settings.DELIVERY_RETRY_BUDGET_HOURS)
    deadline = delivery.round_started_at + budget
    if posts >= MAX_COPIES:
        return finish(Delivery.Status.UNCONFIRMED, _unconfirmed_final(posts), unconfirmed_posts=posts)
    if outcome == DeliveryAttempt.Outcome.UNCONFIRMED:
        # Long enough for a slow office to finish saving the first copy before we post the second.
        next_attempt_at = now + timedelta(seconds=settings.DELIVERY_UNCONFIRMED_RETRY_AFTER)
        if next_attempt_at > deadline:
            return finish(Delivery.Status.UNCONFIRMED, f"{error}. {_unconfirmed_final(posts)}", unconfirmed_posts=posts)
    else:
        if now >= deadline:
            hours = settings.DELIVERY_RETRY_BUDGET_HOURS
            gave_up = f"Gave up after {hours:g} hours of trying; last answer: {error}"
            return finish(Delivery.Status.UNCONFIRMED if posts else Delivery.Status.FAILED, gave_up)
        tried = delivery.attempt_log.filter(started_at__gte=delivery.round_started_at).count()
        next_attempt_at = min(now + timedelta(seconds=delivery_retry_countdown(attempts=tried)), deadline)
    sender.release(
        delivery.pk,
        token,
        status=Delivery.Status.WAITING,
        next_attempt_at=next_attempt_at,
        unconfirmed_posts=posts,
        last_error=error[:2000],
        updated_at=now,
    )
    return Delivery.Status.WAITING


def delivery_next_attempt_in(*, delivery_id: int) -> float | None:
    """Seconds until a waiting delivery's next attempt (None when it is not waiting)."""
    due = (
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.WAITING)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return None if due is None else max(0.0, (due - timezone.now()).total_seconds())


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Staff give a failed or unconfirmed delivery a new round (a new time budget, the same
    DeliveryId). Its attempts stay on record; one whose posts may already have reached the office
    MAX_COPIES times is never posted again."""
    from ..tasks import delivery_send_task

    retryable = [Delivery.Status.FAILED, Delivery.Status.UNCONFIRMED]
    with transaction.atomic():
        # After the retention policy erased the writer's street and words, there is no letter left to send.
        if Letter.objects.filter(pk=delivery.letter_id, personal_erased_at__isnull=False).exists():
            raise ValidationError(
                _("This letter's address and words were erased under the retention policy; it cannot be sent again."),
                code="letter_erased",
            )
        updated = Delivery.objects.filter(
            pk=delivery.pk, status__in=retryable, unconfirmed_posts__lt=MAX_COPIES
        ).update(status=Delivery.Status.QUEUED, next_attempt_at=None, round_started_at=None, updated_at=timezone.now())
        if not updated:
            if Delivery.objects.filter(pk=delivery.pk, status__in=retryable).exists():
                raise ValidationError(
                    _(
                        "This letter was sent to the office %(count)d times without an answer and may have "
                        "arrived; sending it again could give the office one copy too many. Ask the office."
                    ),
                    code="copies_used",
                    params={"count": MAX_COPIES},
                )
            raise ValidationError(_("Only failed or unconfirmed deliveries can be retried."), code="not_failed")
        delivery_send_task.delay_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def deliveries_sweep(*, now=None) -> int:
    """Queue every delivery waiting for the office whose next attempt is due, every one queued or
    sending for longer than DELIVERY_STUCK_AFTER (a lost broker message), and every one whose
    sender's lease ran out (a killed worker). The send's own claim keeps this safe when the
    original task is still around."""
    from ..tasks import delivery_send_task

    now = now or timezone.now()
    batch = settings.DELIVERY_SWEEP_BATCH
    due = list(Delivery.objects.due(now=now).order_by("next_attempt_at").values_list("pk", flat=True)[:batch])
    stuck = list(
        Delivery.objects.stuck(
            older_than=now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER),
            claim_expired_before=now - timedelta(seconds=settings.DELIVERY_CLAIM_LEASE),
        )
        .order_by("updated_at")
        .values_list("pk", flat=True)[: max(0, batch - len(due))]
    )
    with transaction.atomic():
        # Touching updated_at keeps the next sweep from queuing them again before a worker gets there.
        Delivery.objects.filter(pk__in=stuck, status=Delivery.Status.QUEUED).update(updated_at=now)
        # A due one is queued again: its message is on its way (and is stuck, so swept, if lost).
        Delivery.objects.filter(pk__in=due, status=Delivery.Status.WAITING, next_attempt_at__lte=now).update(
            status=Delivery.Status.QUEUED, next_attempt_at=None, updated_at=now
        )
        for pk in due + stuck:
            delivery_send_task.delay_on_commit(pk)
    if due or stuck:
        logger.info("delivery sweep queued %d due and %d stuck deliveries", len(due), len(stuck))
    return len(due) + len(stuck)
