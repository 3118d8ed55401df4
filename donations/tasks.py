from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,  # safe: processing a stored event twice changes nothing
    autoretry_for=(services.EventNotReady,),  # the gift it refers to is not linked yet
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=12,
)
def stripe_event_process_task(event_id: int) -> None:
    services.stripe_event_process(event_id=event_id)


@shared_task(
    acks_late=True,  # safe: the receipt is claimed and stamped, a second run sends nothing
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def donation_receipt_send_task(donation_id: int) -> None:
    services.donation_receipt_send(donation_id=donation_id)


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def donor_manage_link_send_task(request_id: int) -> None:
    services.donor_manage_link_send(request_id=request_id)


@shared_task
def donations_sweep_task() -> None:
    services.donations_sweep()
