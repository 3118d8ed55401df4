"""One slow office never holds up the others: each service letters wait on has its own queue and
worker (advocacy.routing, the Procfile), and `make run` and the deploy consume every queue."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from advocacy.models import Delivery
from advocacy.routing import route_task
from tests.conftest import WorkerProcess, wait_until

from .conftest import sign
from .factories import CampaignFactory, DeliveryFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_each_deliverys_task_goes_to_its_services_queue(seattle, campaign, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    deliveries = sign(campaign).new_deliveries
    queues = {d.office_code[0]: route_task("advocacy.tasks.delivery_send_task", [d.pk], {}, {}) for d in deliveries}
    assert queues == {
        "H": {"queue": settings.DELIVERY_QUEUES["cwc_house"]},
        "S": {"queue": settings.DELIVERY_QUEUES["cwc_senate"]},
    }
    by_email = DeliveryFactory(backend="email")
    assert route_task("advocacy.tasks.delivery_send_task", [by_email.pk], {}, {}) == {
        "queue": settings.DELIVERY_QUEUES["other"]
    }
    assert route_task("donations.tasks.donations_sweep_task", [], {}, {}) is None  # the default queue


def test_the_procfile_runs_a_worker_for_every_queue():
    queue_prefix = settings.CELERY_TASK_DEFAULT_QUEUE
    consumed = set()
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.search(r"celery -A config worker .*-Q (\S+)", line)
        if match:
            consumed |= set(match.group(1).replace("${CELERY_QUEUE:-camino}", queue_prefix).split(","))
    assert consumed == {queue.name for queue in settings.CELERY_TASK_QUEUES}


class QueueWorker(WorkerProcess):
    def __init__(self, queue: str, **kwargs):
        super().__init__(**kwargs)
        self.worker_args = ("-Q", queue, "-n", f"{queue}@%h")
        self.log_path = self.log_path.with_name(f"{self.log_path.stem}-{queue}.log")


@pytest.mark.worker
def test_a_slow_house_does_not_hold_up_senate_letters(transactional_db, seattle, cwc_server):
    from tests.conftest import _purge_test_queue

    _purge_test_queue()
    from tests.fakes.cwc_server import HOUSE_PATHS

    cwc_server.answer_after(2.0, paths=HOUSE_PATHS)  # every House answer takes 2 s (within the timeout)
    env = {
        "CWC_API_BASE": cwc_server.base_url,
        "CWC_API_KEY": "test-key",
        "CWC_SENATE_API_URL": cwc_server.senate_url,
        "CWC_SENATE_API_KEY": "senate-key",
        "DELIVERY_BACKEND_CONGRESS": "cwc",
        "DELIVERY_RATE_LIMIT_CWC": "0",
        "DELIVERY_RATE_LIMIT_CWC_SENATE": "0",
    }
    workers = [
        QueueWorker(settings.DELIVERY_QUEUES[name], concurrency=1, extra_env=env)
        for name in ("cwc_house", "cwc_senate")
    ]
    for worker in workers:
        if worker.log_path.exists():
            worker.log_path.unlink()
        worker.start()
    try:
        campaign = CampaignFactory()
        started = time.monotonic()
        for n in range(4):
            sign(campaign, email=f"supporter{n}@example.org")
        senate = Delivery.objects.filter(office_code__startswith="S")
        wait_until(
            lambda: senate.filter(status=Delivery.Status.SENT).count() == 8, timeout=60, message="the Senate letters"
        )
        senate_done = time.monotonic() - started
        house_sent_meanwhile = Delivery.objects.filter(office_code__startswith="H", status=Delivery.Status.SENT).count()
        wait_until(
            lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == 12,
            timeout=60,
            message="all letters",
        )
        house_done = time.monotonic() - started
    finally:
        for worker in workers:
            worker.stop()
        _purge_test_queue()
    print(f"senate letters all sent after {senate_done:.1f} s, house after {house_done:.1f} s")  # noqa: T201
    # Four House letters take 8 s one after another; the Senate's eight did not wait for them.
    assert house_sent_meanwhile < 4 and senate_done < house_done - 2
