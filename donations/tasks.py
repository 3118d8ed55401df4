"""Thin tasks: each takes an id and calls one service. Every name= is the name the task had
before it was given one, so queued messages and the beat schedule survive a move. Only the
errors in core.transient are retried (with backoff and a cap); a bug fails once, loudly."""

from celery import shared_task

from core.transient import DATABASE_ERRORS, TRANSIENT_ERRORS

from . import services

# Every email sent once (claimed and stamped, core.claims): acks_late is safe, since a second run
# sends nothing; a mail server that is down is retried with backoff.
SEND_ONCE_EMAIL = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(
    name="donations.tasks.stripe_event_process_task",
    acks_late=True,  # safe: processing a stored event twice changes nothing
    # Only a database blip is retried here. An event that waits for its gift is not: it is stored
    # as waiting and woken by the event that links it, or by the sweep with backoff (a retry chain
    # per wake-up is how one unmatched refund once made 2,380 attempts in 6.5 minutes).
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=12,
)
def stripe_event_process_task(event_id: int) -> None:
    services.stripe_event_process(event_id=event_id)


@shared_task(name="donations.tasks.donation_receipt_send_task", **SEND_ONCE_EMAIL)
def donation_receipt_send_task(donation_id: int) -> None:
    services.donation_receipt_send(donation_id=donation_id)


@shared_task(name="donations.tasks.payment_failure_notice_send_task", **SEND_ONCE_EMAIL)
def payment_failure_notice_send_task(notice_id: int) -> None:
    services.payment_failure_notice_send(notice_id=notice_id)


@shared_task(name="donations.tasks.refund_notice_send_task", **SEND_ONCE_EMAIL)
def refund_notice_send_task(refund_id: int) -> None:
    services.refund_notice_send(refund_id=refund_id)


@shared_task(name="donations.tasks.donor_manage_link_send_task", **{**SEND_ONCE_EMAIL, "max_retries": 5})
def donor_manage_link_send_task(request_id: int) -> None:
    services.donor_manage_link_send(request_id=request_id)


@shared_task(
    name="donations.tasks.donations_sweep_task",
    # A database blip retries soon; a longer outage is left to the next beat (DONATIONS_SWEEP_INTERVAL).
    autoretry_for=DATABASE_ERRORS,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=4,
)
def donations_sweep_task() -> None:
    services.donations_sweep()
