"""The confirmation email: claimed, sent and stamped without a row lock across SMTP, once per
submission that added deliveries, and sent by the sweeper when its task's message was lost."""

import asyncio
import re
import smtplib
import threading
from datetime import timedelta

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone

from advocacy import services
from advocacy.models import Delivery, Letter
from advocacy.tasks import letter_confirmation_send_task, letter_confirmations_sweep_task
from tests.conftest import wait_until

from .conftest import sign
from .factories import CampaignFactory, DeliveryFactory


def _lost_confirmation(campaign, django_capture_on_commit_callbacks, minutes_ago=2):
    """A submission whose messages never reached a worker, written `minutes_ago`."""
    with django_capture_on_commit_callbacks(execute=False):
        letter = sign(campaign).letter
    Delivery.objects.filter(letter=letter).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return letter


@pytest.mark.django_db
def test_a_lost_confirmation_is_sent_by_the_sweep_exactly_once(
    seattle, campaign, mailoutbox, django_capture_on_commit_callbacks
):
    letter = _lost_confirmation(campaign, django_capture_on_commit_callbacks)
    for _sweep in range(2):  # two sweeps before a worker gets to either message
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert services.letter_confirmations_sweep() == 1
        assert len(callbacks) == 1
    letter_confirmation_send_task.run(letter.pk)
    letter_confirmation_send_task.run(letter.pk)
    assert len(mailoutbox) == 1
    assert services.letter_confirmations_sweep() == 0
    letter.refresh_from_db()
    assert letter.confirmation_sent_at is not None and letter.confirmation_claimed_at is None


@pytest.mark.django_db
def test_the_sweep_leaves_fresh_claimed_confirmed_and_long_past_letters_alone(
    seattle, campaign, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        sign(campaign)  # just written: its own task is on the way
    claimed = _lost_confirmation(CampaignFactory(), django_capture_on_commit_callbacks)
    Letter.objects.filter(pk=claimed.pk).update(confirmation_claimed_at=timezone.now())
    confirmed = _lost_confirmation(CampaignFactory(), django_capture_on_commit_callbacks)
    services.letter_confirmation_send(letter_id=confirmed.pk)
    long_ago = _lost_confirmation(CampaignFactory(), django_capture_on_commit_callbacks)
    three_days_ago = timezone.now() - timedelta(days=3)  # beyond the sweeper's window
    Delivery.objects.filter(letter=long_ago).update(created_at=three_days_ago, updated_at=three_days_ago)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.letter_confirmations_sweep() == 0


@pytest.mark.django_db
def test_writing_again_to_new_offices_is_confirmed_again(seattle, campaign, mailoutbox):
    from .factories import CustomTargetFactory

    letter = sign(campaign).letter
    assert services.letter_confirmation_send(letter_id=letter.pk) is True
    assert services.letter_confirmation_send(letter_id=letter.pk) is False
    CustomTargetFactory(campaign=campaign, name="Dana Chair")
    again = sign(campaign).letter  # a submission is a letter of its own, confirmed on its own
    assert services.letter_confirmation_send(letter_id=letter.pk) is False
    assert services.letter_confirmation_send(letter_id=again.pk) is True
    assert len(mailoutbox) == 2 and "Dana Chair" in mailoutbox[1].body
    # The earlier letter and its private link reach the mailbox, not the page.
    tokens = re.findall(r"/act/status/([^/\s]+)/", mailoutbox[1].body)
    assert [services.letter_from_status_token(token) for token in tokens] == [again, letter]


def test_the_confirmation_task_retries_only_transient_errors():
    retried = letter_confirmation_send_task.autoretry_for
    transient = (OperationalError, InterfaceError, smtplib.SMTPServerDisconnected, ConnectionRefusedError, TimeoutError)
    for error in transient:
        assert issubclass(error, retried)
    assert not issubclass(ValueError, retried) and not issubclass(KeyError, retried)
    assert letter_confirmation_send_task.max_retries and letter_confirmation_send_task.retry_backoff


@pytest.fixture
def slow_smtp_server(smtp_server):
    """The SMTP server stops in the middle of each conversation (after the DATA command) until
    the test lets it go on."""
    smtp_server.in_data = threading.Event()
    smtp_server.go_on = threading.Event()
    receive = smtp_server.controller.handler.handle_DATA

    async def handle_data(server, session, envelope):
        smtp_server.in_data.set()
        await asyncio.get_running_loop().run_in_executor(None, smtp_server.go_on.wait, 30)
        return await receive(server, session, envelope)

    smtp_server.controller.handler.handle_DATA = handle_data
    yield smtp_server
    smtp_server.go_on.set()


def _in_thread(target):
    """Run `target` on its own database connection; returns (thread, outcome list)."""
    outcome = []

    def run():
        try:
            outcome.append(target())
        except Exception as exc:  # the test reports it
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_send_once_and_hold_no_lock_across_smtp(seattle, slow_smtp_server):
    letter = sign(CampaignFactory()).letter
    first, first_outcome = _in_thread(lambda: services.letter_confirmation_send(letter_id=letter.pk))
    assert slow_smtp_server.in_data.wait(15), "the first send never reached the mail server"

    # Mid-conversation: another connection writes the letter's row at once (no lock is held) ...
    writer, written = _in_thread(lambda: Letter.objects.filter(pk=letter.pk).update(phone="206-555-0199"))
    writer.join(10)
    assert written == [1], f"the row could not be updated while the mail server talked: {written}"
    # ... and a second send for the same submission finds it claimed and sends nothing.
    assert services.letter_confirmation_send(letter_id=letter.pk) is False

    slow_smtp_server.go_on.set()
    first.join(30)
    assert first_outcome == [True]
    assert len(slow_smtp_server.messages) == 1
    letter.refresh_from_db()
    assert letter.confirmation_sent_at is not None and letter.confirmation_claimed_at is None
    assert letter.phone == "206-555-0199"


@pytest.mark.worker
def test_a_real_worker_sends_a_lost_confirmation_once_however_often_it_is_swept(start_worker, smtp_server, settings):
    worker = start_worker(EMAIL_URL=smtp_server.email_url)
    delivery = DeliveryFactory()  # stored, but its confirmation's message never reached the broker
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    letter_confirmations_sweep_task.delay()
    letter_confirmations_sweep_task.delay()
    wait_until(
        lambda: len(re.findall(r"letter_confirmation_send_task\[[^\]]+\] succeeded", worker.log())) == 2,
        message="both queued confirmations to run",
    )
    assert [m["to"] for m in smtp_server.messages] == [[delivery.letter.supporter.email]]
    assert Letter.objects.get(pk=delivery.letter_id).confirmation_sent_at is not None
