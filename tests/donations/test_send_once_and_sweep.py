"""Every "send exactly once" in donations: leases a dead worker's claim runs out of, a sweeper that
finds every kind of owed work, and retries for transient errors only."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.utils import timezone

from donations import services, tasks
from donations.models import Donation, ManageLinkRequest, RecurringDonation, StripeEvent

from . import stripe_events as ev
from .conftest import make_donation

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


class FailingDatabase:
    """A connection.execute_wrapper (Django's hook for instrumenting queries) that makes the
    database fail the way a blip does: the first `times` matching statements raise `error`."""

    def __init__(self, error: type[Exception], *, times: int, matching: str = ""):
        self.error, self.left, self.matching, self.raised = error, times, matching, 0

    def __call__(self, execute, sql, params, many, context):
        if self.left and self.matching in sql:
            self.left -= 1
            self.raised += 1
            raise self.error("connection to server was lost")
        return execute(sql, params, many, context)


@pytest.fixture
def lease(settings):
    settings.CLAIM_LEASE_SECONDS = 90
    return timedelta(seconds=90)


@pytest.fixture
def monthly_donor(appeal):
    return RecurringDonation.objects.create(appeal=appeal, email="ana@example.org", amount_cents=2500,
                                            status="active", stripe_subscription_id="sub_1",
                                            stripe_customer_id="cus_ana")


def test_a_receipt_claimed_by_a_dead_worker_is_sent_once_the_lease_runs_out(appeal, mailoutbox, lease):
    donation = make_donation(appeal, status="succeeded", paid_at=timezone.now())
    Donation.objects.filter(pk=donation.pk).update(receipt_claimed_at=timezone.now() - lease + timedelta(seconds=30))

    assert services.donation_receipt_send(donation_id=donation.pk) is False  # the claim is still live
    Donation.objects.filter(pk=donation.pk).update(receipt_claimed_at=timezone.now() - lease - timedelta(seconds=1))
    assert services.donation_receipt_send(donation_id=donation.pk) is True

    donation.refresh_from_db()
    assert len(mailoutbox) == 1
    assert donation.receipt_sent_at is not None and donation.receipt_claimed_at is None


def test_a_manage_link_claimed_by_a_dead_worker_is_sent_once_the_lease_runs_out(monthly_donor, mailoutbox, lease):
    link_request = ManageLinkRequest.objects.create(recurring=monthly_donor)
    ManageLinkRequest.objects.filter(pk=link_request.pk).update(claimed_at=timezone.now() - timedelta(seconds=60))

    assert services.donor_manage_link_send(request_id=link_request.pk) is False
    ManageLinkRequest.objects.filter(pk=link_request.pk).update(claimed_at=timezone.now() - lease * 2)
    assert services.donor_manage_link_send(request_id=link_request.pk) is True
    assert services.donor_manage_link_send(request_id=link_request.pk) is False

    assert len(mailoutbox) == 1


def test_a_failed_send_frees_the_claim_for_the_next_try(appeal, mailoutbox, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    donation = make_donation(appeal, status="succeeded", paid_at=timezone.now())

    with pytest.raises(OSError):
        services.donation_receipt_send(donation_id=donation.pk)

    donation.refresh_from_db()
    assert donation.receipt_claimed_at is None and donation.receipt_sent_at is None


def test_sweep_queues_every_kind_of_owed_send(appeal, monthly_donor, settings):
    from tests.conftest import _purge_test_queue

    old = timezone.now() - timedelta(hours=1)
    event = StripeEvent.objects.create(stripe_event_id="evt_old", type="x", created=1, payload={})
    StripeEvent.objects.filter(pk=event.pk).update(received_at=old)
    make_donation(appeal, status="succeeded", paid_at=old)  # receipt owed
    make_donation(appeal, status="succeeded", paid_at=old, receipt_sent_at=old)  # receipt sent
    owed = ManageLinkRequest.objects.create(recurring=monthly_donor)
    sent = ManageLinkRequest.objects.create(recurring=monthly_donor, sent_at=old)
    expired = ManageLinkRequest.objects.create(recurring=monthly_donor)
    ManageLinkRequest.objects.filter(pk__in=[owed.pk, sent.pk]).update(created_at=old)
    # Asked for longer ago than a link lives: a link sent now would be a surprise, not a help.
    ManageLinkRequest.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.DONATION_MANAGE_LINK_MAX_AGE + 60))
    ManageLinkRequest.objects.create(recurring=monthly_donor)  # just asked: its own task is on the way

    try:
        assert services.donations_sweep() == 3  # the event, the receipt and the manage link
    finally:
        _purge_test_queue()


def test_sweep_task_retries_a_database_blip_and_then_sweeps(appeal):
    from tests.conftest import _purge_test_queue

    make_donation(appeal, status="succeeded", paid_at=timezone.now() - timedelta(hours=1))
    blip = FailingDatabase(OperationalError, times=2)

    try:
        with connection.execute_wrapper(blip):
            result = tasks.donations_sweep_task.apply()
    finally:
        _purge_test_queue()

    assert blip.raised == 2
    assert result.successful()


def test_sweep_task_gives_up_after_its_retry_cap(appeal):
    outage = FailingDatabase(OperationalError, times=100)
    with connection.execute_wrapper(outage):
        result = tasks.donations_sweep_task.apply()

    assert result.failed() and isinstance(result.result, OperationalError)
    assert outage.raised == 1 + tasks.donations_sweep_task.max_retries


def test_sweep_task_does_not_retry_a_bug(appeal):
    bug = FailingDatabase(ProgrammingError, times=100)
    with connection.execute_wrapper(bug):
        result = tasks.donations_sweep_task.apply()

    assert result.failed() and bug.raised == 1


def test_a_database_blip_while_applying_an_event_leaves_it_to_be_retried(appeal):
    donation = make_donation(appeal)
    event = StripeEvent.objects.create(
        stripe_event_id="evt_blip", type="checkout.session.completed", created=1_800_000_000,
        payload=ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_1")))
    blip = FailingDatabase(OperationalError, times=1, matching='FROM "donations_donation"')

    with connection.execute_wrapper(blip), pytest.raises(OperationalError):
        services.stripe_event_process(event_id=event.pk)

    event.refresh_from_db()
    assert (event.status, event.attempts) == (StripeEvent.Status.RECEIVED, 0)  # not marked failed
    assert services.stripe_event_process(event_id=event.pk) == StripeEvent.Status.PROCESSED
    donation.refresh_from_db()
    assert donation.paid_at is not None


def test_every_task_keeps_the_name_it_had_before_it_was_given_one():
    for func in ["stripe_event_process_task", "donation_receipt_send_task", "donor_manage_link_send_task",
                 "donations_sweep_task"]:
        assert getattr(tasks, func).name == f"donations.tasks.{func}"


def _trusted_proxy_count(**env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DJANGO_TRUSTED_PROXY_COUNT", "DONATION_TRUSTED_PROXIES")}
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.test")
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


def test_the_removed_donation_proxy_setting_stops_start_up_unless_the_site_wide_one_is_set():
    assert _trusted_proxy_count().stdout.split()[-1] == "0"
    # Read as a fallback it kept a second policy alive; ignored, it would give every visitor the
    # proxy's address. So start-up stops and names the one setting.
    old_only = _trusted_proxy_count(DONATION_TRUSTED_PROXIES="1")
    assert old_only.returncode != 0 and "set DJANGO_TRUSTED_PROXY_COUNT" in old_only.stderr
    both = _trusted_proxy_count(DONATION_TRUSTED_PROXIES="2", DJANGO_TRUSTED_PROXY_COUNT="1")
    assert both.returncode == 0 and both.stdout.split()[-1] == "1"
