"""A broker outage only delays: rows committed before dispatch stay, and the request succeeds."""

import os
import re
import subprocess
import sys

import redis
from django.conf import settings

from core.models import WorkerPing
from tests.conftest import BASE_DIR, _database_url_for_worker, wait_until


def test_dispatch_with_the_broker_down_keeps_the_row_and_does_not_raise(transactional_db):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_worker(),
        # Nothing listens on port 9: every publish fails with a connection error.
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from core.services import worker_ping_send; print('stored', worker_ping_send().pk)"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "stored" in result.stdout
    assert "left for the sweeper" in result.stdout + result.stderr
    ping = WorkerPing.objects.get()
    assert ping.answered_at is None


def test_a_refusing_broker_costs_a_letter_almost_nothing(transactional_db):
    # Measured before: each submission (four publishes) held a web worker about 2 s while the
    # broker refused connections; now the first publish fails at once and the rest are left for
    # the sweepers without asking (core.dispatch).
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
    }
    code = (
        "import time\nfrom core.services import worker_ping_send\n"
        "started = time.monotonic()\n"
        "for _ in range(8): worker_ping_send()\n"
        "print('elapsed', time.monotonic() - started)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    elapsed = float(result.stdout.split("elapsed")[-1])
    assert elapsed < 0.5, result.stdout + result.stderr
    assert WorkerPing.objects.count() == 8
    # One warning for the outage, not one per publish.
    assert (result.stdout + result.stderr).count("Broker unavailable") == 1


def test_a_frozen_broker_costs_a_publish_well_under_a_second_and_leaves_the_row(transactional_db, redis_server):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_BROKER_URL": f"{redis_server.url}/0",
    }
    code = (
        "import time\n"
        "from core.services import worker_ping_send\n"
        "worker_ping_send()\n"  # a pooled connection exists before the broker freezes
        "input()\n"
        "started = time.monotonic()\n"
        "for _ in range(5): worker_ping_send()\n"
        "print('elapsed', time.monotonic() - started)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: redis.Redis(port=redis_server.port).llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 1,
                   timeout=60, message="the first ping to be queued")
        redis_server.freeze()
        output, _ = process.communicate("\n", timeout=60)
    finally:
        redis_server.thaw()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    elapsed = float(re.search(r"elapsed ([\d.]+)", output).group(1))
    # Five letters' worth of publishes: the first pays the timeouts, the rest are left at once.
    assert elapsed < 2.0, output
    assert "left for the sweeper" in output
    from core.models import WorkerPing

    assert WorkerPing.objects.count() == 6
