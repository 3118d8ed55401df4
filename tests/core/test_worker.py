"""A real worker process consumes the configured broker (filesystem locally, Redis in CI)."""

import pytest
from django.db import transaction
from django.urls import reverse

from core import services
from core.models import WorkerPing
from tests.conftest import wait_until

pytestmark = pytest.mark.worker


def test_task_enqueued_after_commit_is_run_by_a_real_worker(celery_worker_process):
    with transaction.atomic():
        ping = services.worker_ping_send()
    wait_until(
        lambda: WorkerPing.objects.filter(pk=ping.pk, answered_at__isnull=False).exists(),
        message="the worker to answer the ping",
    )


def test_ping_sent_from_the_admin_is_answered(celery_worker_process, admin_client):
    response = admin_client.post(reverse("admin:core_workerping_send"))
    assert response.status_code == 302
    ping = WorkerPing.objects.get()
    wait_until(lambda: WorkerPing.objects.get(pk=ping.pk).answered_at, message="the worker's answer")


def test_nothing_is_queued_when_the_transaction_rolls_back(transactional_db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                services.worker_ping_send()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not WorkerPing.objects.exists()


@pytest.mark.django_db
def test_answering_a_ping_twice_keeps_the_first_answer():
    ping = WorkerPing.objects.create(source=WorkerPing.Source.WEB)
    assert services.worker_ping_answer(ping_id=ping.pk) is True
    first = WorkerPing.objects.get(pk=ping.pk).answered_at
    assert services.worker_ping_answer(ping_id=ping.pk) is False
    assert WorkerPing.objects.get(pk=ping.pk).answered_at == first
