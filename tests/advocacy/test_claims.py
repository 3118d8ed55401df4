"""Deliveries carry a lease: a claim held by a dead worker is taken back within a couple of minutes,
a live one never, and only the holder of a claim records the outcome."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from advocacy import services
from advocacy.models import Delivery

from .conftest import sent_lines
from .factories import DeliveryFactory

pytestmark = pytest.mark.django_db


def _claimed(delivery, seconds_ago):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_a_claim_held_by_a_dead_worker_is_taken_back_once_its_lease_runs_out(delivery_file, settings):
    delivery = DeliveryFactory()
    _claimed(delivery, seconds_ago=settings.DELIVERY_CLAIM_LEASE + 1)
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert len(sent_lines(delivery_file)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.claimed_at is None


def test_a_live_claim_is_left_to_its_worker(delivery_file, settings):
    delivery = DeliveryFactory()
    _claimed(delivery, seconds_ago=settings.DELIVERY_CLAIM_LEASE - 5)
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENDING
    assert sent_lines(delivery_file) == []


def test_the_lease_takes_a_dead_workers_delivery_back_within_two_minutes(settings):
    # The lease, then at most one sweep interval until the sweeper queues it again.
    assert settings.DELIVERY_CLAIM_LEASE + settings.DELIVERY_SWEEP_INTERVAL <= 120
    assert max(settings.CWC_TIMEOUT, settings.EMAIL_TIMEOUT) < settings.DELIVERY_CLAIM_LEASE


def test_the_sweeper_queues_a_delivery_whose_lease_ran_out_long_before_the_stuck_time(
    db, settings, django_capture_on_commit_callbacks
):
    expired, live = DeliveryFactory(), DeliveryFactory()
    _claimed(expired, seconds_ago=settings.DELIVERY_CLAIM_LEASE + 1)
    _claimed(live, seconds_ago=1)
    assert settings.DELIVERY_CLAIM_LEASE + 1 < settings.DELIVERY_STUCK_AFTER
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.deliveries_sweep() == 1
    assert len(callbacks) == 1


def test_a_worker_whose_lease_was_taken_over_records_nothing(delivery_file, settings):
    from advocacy.services.delivery import _senders

    delivery = DeliveryFactory()
    _claimed(delivery, seconds_ago=settings.DELIVERY_CLAIM_LEASE + 1)
    old_token = Delivery.objects.get(pk=delivery.pk).claimed_at  # the slow worker's claim
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT  # another worker takes over
    _owed, abandoned = _senders(timezone.now())
    assert not abandoned.stamp(delivery.pk, old_token, status=Delivery.Status.FAILED, last_error="late")
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT


def test_a_lease_shorter_than_a_send_stops_start_up(settings):
    settings.DELIVERY_CLAIM_LEASE = settings.CWC_TIMEOUT
    with pytest.raises(SystemCheckError, match="DELIVERY_CLAIM_LEASE"):
        call_command("check")
