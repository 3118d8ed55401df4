"""Delivery through a real Celery worker on the configured broker (Redis in CI): nothing lost,
nothing doubled, retries keep their DeliveryId, and the sweeper recovers what the broker lost."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy.models import Delivery
from advocacy.tasks import deliveries_sweep_task, delivery_send_task
from tests.conftest import wait_until

from .conftest import file_worker_env, restart, sent_lines, sign
from .factories import CampaignFactory, DeliveryFactory

pytestmark = pytest.mark.worker

RECIPIENTS = 3  # the representative and two senators of 98109


def _sign_many(campaign, start, count):
    for n in range(start, start + count):
        sign(campaign, email=f"supporter{n}@example.org", first_name="Supporter", consent=n % 2 == 0)


def _all_sent(expected):
    return lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected


def _assert_each_delivery_sent_exactly_once(path, expected):
    lines = sent_lines(path)
    ids = [line["delivery_id"] for line in lines]
    assert len(ids) == expected, f"{len(ids)} letters sent, expected {expected}"
    assert len(set(ids)) == expected
    assert set(ids) == set(Delivery.objects.values_list("delivery_id", flat=True))


def test_200_submissions_deliver_exactly_200_times_the_recipients(start_worker, seattle, delivery_file):
    start_worker(**file_worker_env(delivery_file))
    campaign = CampaignFactory(goal=200)
    _sign_many(campaign, 0, 200)
    expected = 200 * RECIPIENTS
    wait_until(_all_sent(expected), timeout=240, message=f"{expected} deliveries to be sent")
    _assert_each_delivery_sent_exactly_once(delivery_file, expected)
    assert not Delivery.objects.exclude(attempts=1).exists()


def test_nothing_is_lost_when_the_worker_stops_during_the_run(start_worker, seattle, delivery_file):
    worker = start_worker(**file_worker_env(delivery_file))
    campaign = CampaignFactory(goal=200)
    _sign_many(campaign, 0, 100)
    wait_until(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).exists(), message="the first sends")
    worker.stop()  # mid-run: some letters sent, others still in the broker
    sent_while_running = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    _sign_many(campaign, 100, 100)  # supporters keep writing while no worker runs
    assert Delivery.objects.count() == 200 * RECIPIENTS
    time.sleep(1)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == sent_while_running
    restart(worker)
    expected = 200 * RECIPIENTS
    wait_until(_all_sent(expected), timeout=240, message="every delivery after the restart")
    _assert_each_delivery_sent_exactly_once(delivery_file, expected)


def test_a_task_run_twice_for_one_delivery_sends_once(start_worker, delivery_file):
    worker = start_worker(**file_worker_env(delivery_file))
    delivery = DeliveryFactory()
    delivery_send_task.delay(delivery.pk)
    delivery_send_task.delay(delivery.pk)
    wait_until(_all_sent(1), message="the delivery to be sent")
    wait_until(
        lambda: len(re.findall(r"delivery_send_task\[[^\]]+\] succeeded", worker.log())) == 2,
        message="both task runs to finish",
    )
    assert len(sent_lines(delivery_file)) == 1
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1


def test_the_sweeper_requeues_a_stuck_delivery(start_worker, delivery_file, settings):
    start_worker(**file_worker_env(delivery_file))
    # Stored but never queued, as when the broker lost the message.
    delivery = DeliveryFactory()
    Delivery.objects.filter(pk=delivery.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 5)
    )
    time.sleep(1)
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.QUEUED
    deliveries_sweep_task.delay()
    wait_until(_all_sent(1), message="the swept delivery to be sent")
    assert [line["delivery_id"] for line in sent_lines(delivery_file)] == [delivery.delivery_id]


def test_cwc_server_error_is_retried_by_the_worker_with_the_same_delivery_id(
    start_worker, seattle, settings, cwc_server
):
    from tests.fakes.cwc_server import errors_body

    start_worker(
        CWC_API_BASE=cwc_server.base_url,
        CWC_API_KEY="test-key",
        DELIVERY_BACKEND_CONGRESS="cwc",
        DELIVERY_RATE_LIMIT_CWC=0,
        DELIVERY_RETRY_BACKOFF=0.5,
        DELIVERY_RETRY_BACKOFF_MAX=1,
    )
    campaign = CampaignFactory(targets="house")
    cwc_server.respond(503, b"Service Unavailable")
    (delivery,) = sign(campaign).new_deliveries
    wait_until(_all_sent(1), message="the retried delivery to be sent")
    first, second = cwc_server.requests
    assert first.delivery_id == second.delivery_id == delivery.delivery_id
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.backend == "cwc"

    # A 400 is final: the worker does not try again.
    cwc_server.respond(400, errors_body("MemberOffice HWA07 does not accept this campaign"))
    (rejected,) = sign(campaign, email="other@example.org").new_deliveries
    wait_until(
        lambda: Delivery.objects.filter(pk=rejected.pk, status=Delivery.Status.FAILED).exists(),
        message="the rejected delivery to fail",
    )
    time.sleep(1.5)
    assert len(cwc_server.requests) == 3
    assert "does not accept this campaign" in Delivery.objects.get(pk=rejected.pk).last_error


def test_an_outage_then_recovery_through_the_worker_delivers_every_letter_once(start_worker, seattle, cwc_server):
    """The offices unreachable, then back: the worker keeps each delivery waiting for the office
    (short backoff and budget here; hours in production) and sends every letter once."""
    cwc_server.go_down()
    start_worker(
        CWC_API_BASE=cwc_server.base_url,
        CWC_API_KEY="test-key",
        CWC_SENATE_API_URL=cwc_server.senate_url,
        CWC_SENATE_API_KEY="senate-key",
        DELIVERY_BACKEND_CONGRESS="cwc",
        DELIVERY_RATE_LIMIT_CWC=0,
        DELIVERY_RATE_LIMIT_CWC_SENATE=0,
        DELIVERY_RETRY_BACKOFF=0.5,
        DELIVERY_RETRY_BACKOFF_MAX=2,
        DELIVERY_RETRY_BUDGET_HOURS=0.05,  # three minutes
    )
    campaign = CampaignFactory()
    for n in range(5):
        sign(campaign, email=f"supporter{n}@example.org")
    wait_until(
        lambda: Delivery.objects.filter(attempts__gte=3).count() == 5 * RECIPIENTS,
        timeout=60,
        message="every delivery to have tried three times",
    )
    assert set(Delivery.objects.values_list("status", flat=True)) <= {
        Delivery.Status.WAITING,
        Delivery.Status.SENDING,
        Delivery.Status.QUEUED,
    }
    cwc_server.come_back()
    wait_until(_all_sent(5 * RECIPIENTS), timeout=90, message="every delivery once the offices are back")
    assert cwc_server.copies() == dict.fromkeys(Delivery.objects.values_list("delivery_id", flat=True), 1)
    for delivery in Delivery.objects.all():
        outcomes = list(delivery.attempt_log.values_list("outcome", flat=True))
        # The third attempt may already be under way when the offices come back, so it can be the
        # one accepted: what must hold is that the outage cost attempts, never a letter or a copy.
        assert outcomes[-1] == "accepted" and set(outcomes[:-1]) == {"not_sent"} and len(outcomes) >= 3
