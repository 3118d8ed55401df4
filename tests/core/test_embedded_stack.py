"""The embedded default as `make run` starts it: bin/run_all.py running gunicorn, a real Celery worker
and beat on the embedded broker (core.embedded_broker), on one database, with the machine loaded.

Before, one signed Stripe webhook a second killed the worker within seconds (Kombu's filesystem
transport let it read a message file still being written: JSONDecodeError) and the supervisor took the
site down with it. Here webhooks are posted for CAMINO_SOAK_SECONDS (120 s under CI, 30 s otherwise)
and every one must be applied by the worker, none twice, with no crash and no restart; and a worker
killed with SIGKILL is restarted while the site keeps answering, and does the work queued meanwhile,
including the messages it held when it was killed."""

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests

from donations.models import Appeal, Donation, StripeEvent
from tests.conftest import IN_CI, _database_url_for_worker, free_port, wait_until
from tests.core.test_run_all import Run
from tests.donations import stripe_events as ev
from tests.donations.conftest import make_donation
from tests.staff.factories import with_amounts

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SOAK_SECONDS = float(os.environ.get("CAMINO_SOAK_SECONDS") or (120 if IN_CI else 30))
# A killed worker's unacknowledged messages come back this long after it last renewed them.
LEASE_SECONDS = 5


def procfile_for(tmp_path: Path) -> str:
    """The real Procfile's lines, with beat's schedule file in the test's own folder."""
    text = (ROOT / "Procfile").read_text()
    assert "var/celerybeat-schedule" in text
    return text.replace("var/celerybeat-schedule", str(tmp_path / "celerybeat-schedule"))


class Stack:
    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        procfile = tmp_path / "Procfile"
        procfile.write_text(procfile_for(tmp_path))
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            # The test's database (committed by transactional_db), shared by web, worker and beat.
            "DATABASE_URL": _database_url_for_worker(),
            # The embedded broker, whatever the test run's own broker is (Redis in CI).
            "CELERY_BROKER_URL": f"sqlite:///{tmp_path / 'broker' / 'broker.sqlite3'}",
            "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
            "CELERY_BROKER_LEASE_SECONDS": str(LEASE_SECONDS),
            "CELERY_QUEUE": f"embedded-stack-{uuid.uuid4().hex[:8]}",
            "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "EMAIL_URL": "dummymail://",
            "STRIPE_SECRET_KEY": "",
            "STRIPE_WEBHOOK_SECRET": ev.WEBHOOK_SECRET,
            # Every event must reach the worker through the broker: no sweep re-queues a lost one.
            "DONATIONS_SWEEP_INTERVAL": "86400",
            "PORT": str(self.port),
            "LISTEN_ADDRESS": "127.0.0.1",
            "WEB_CONCURRENCY": "2",
            "CELERY_CONCURRENCY": "2",
            "RUN_GRACE_SECONDS": "30",
        }
        self.run = Run(procfile, env)

    def wait_ready(self) -> None:
        self.run.wait_for(r"celery@\S+ ready\.", timeout=120)
        self.run.wait_for(r"beat: Starting\.\.\.", timeout=60)
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.url}/", timeout=10).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, self.run.output[-5000:]
            time.sleep(0.3)

    def stop(self) -> int:
        if self.run.popen.poll() is None:
            self.run.ctrl_c()
        try:
            return self.run.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(self.run.popen.pid, signal.SIGKILL)
            for pgid in re.findall(r"started \(pid (\d+)", self.run.output):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(int(pgid), signal.SIGKILL)
            raise


@pytest.fixture
def stack(transactional_db, tmp_path):
    stack = Stack(tmp_path)
    try:
        stack.wait_ready()
        yield stack
    finally:
        returncode = stack.stop()
        (tmp_path / "run-all.log").write_text(stack.run.output)
    assert returncode == 0, stack.run.output[-5000:]


@pytest.fixture
def cpu_load():
    """A loaded machine: as many CPU-burning processes as there are CPUs."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 2)]
    yield
    for burner in burners:
        burner.kill()
        burner.wait()


@pytest.fixture
def appeal():
    return with_amounts(Appeal.objects.create(title="Stand with children on the move", slug="children",
                                              text="Why it matters.", goal_cents=100_000, is_default=True),
                        [2500, 5000])


class HomePagePoller(threading.Thread):
    """GET / every few tenths of a second; keeps every answer that was not a 200."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.answers, self.failures = url, 0, []
        self.stopping = threading.Event()

    def run(self):
        session = requests.Session()
        while not self.stopping.is_set():
            try:
                status = session.get(f"{self.url}/", timeout=10).status_code
            except requests.RequestException as exc:
                status = exc.__class__.__name__
            self.answers += 1
            if status != 200:
                self.failures.append((time.strftime("%H:%M:%S"), status))
            self.stopping.wait(0.3)

    def stop(self):
        self.stopping.set()
        self.join(timeout=15)


def post_completed_checkout(session: requests.Session, url: str, appeal) -> str:
    """A gift as the checkout stores it, then Stripe's signed checkout.session.completed for it."""
    donation = make_donation(appeal, amount_cents=2500, email=f"donor-{uuid.uuid4().hex[:6]}@example.org")
    event = ev.event("checkout.session.completed", ev.checkout_session(donation))
    payload = json.dumps(event)
    response = session.post(f"{url}/stripe/webhook/", data=payload, timeout=30,
                            headers={"Content-Type": "application/json", "Stripe-Signature": ev.sign(payload)})
    assert response.status_code == 200, response.text[:500]
    return event["id"]


def all_processed(event_ids: list[str]) -> bool:
    return StripeEvent.objects.filter(stripe_event_id__in=event_ids,
                                      status=StripeEvent.Status.PROCESSED).count() == len(event_ids)


def test_webhooks_for_minutes_on_a_loaded_machine_are_each_processed_once(stack, cpu_load, appeal):
    poller = HomePagePoller(stack.url)
    poller.start()
    event_ids: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    deadline = time.monotonic() + SOAK_SECONDS

    def poster():
        session = requests.Session()
        try:
            while time.monotonic() < deadline:
                event_id = post_completed_checkout(session, stack.url, appeal)
                with lock:
                    event_ids.append(event_id)
                time.sleep(0.05)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    posters = [threading.Thread(target=poster) for _ in range(2)]
    for thread in posters:
        thread.start()
    for thread in posters:
        thread.join()
    assert not errors, errors
    wait_until(lambda: all_processed(event_ids), timeout=240, interval=1,
               message=f"all {len(event_ids)} events processed: {stack.run.output[-3000:]}")
    poller.stop()

    assert len(event_ids) >= SOAK_SECONDS  # at least one a second, as when the old broker fell over
    assert Donation.objects.filter(status=Donation.Status.SUCCEEDED).count() == len(event_ids)
    output = stack.run.output
    assert "Unrecoverable error" not in output
    assert "restarting in" not in output and "exited on its own" not in output
    assert poller.answers > 0 and poller.failures == []
    # No message was handed out twice: a task id is received once, plus once per retry it asked for.
    received = Counter(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] received", output))
    retried = Counter(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] retry:", output))
    assert len(received) >= len(event_ids)
    assert {task: count for task, count in received.items() if count != 1 + retried[task]} == {}


def held_by_a_worker(broker_file: Path) -> set[str]:
    """Delivery tags of the messages a worker has taken and not yet acknowledged (leased)."""
    with contextlib.closing(sqlite3.connect(broker_file, timeout=20)) as db:
        return {tag for (tag,) in db.execute("SELECT delivery_tag FROM message WHERE visible_at > 0")}


def test_a_killed_worker_is_restarted_and_the_site_keeps_serving(stack, appeal, tmp_path):
    broker_file = tmp_path / "broker" / "broker.sqlite3"
    poller = HomePagePoller(stack.url)
    poller.start()
    worker_pid = int(stack.run.wait_for(r"worker started \(pid (\d+)\)")[0][1])
    before: list[str] = []
    posting = threading.Event()
    posting.set()

    def poster():
        session = requests.Session()
        while posting.is_set():
            before.append(post_completed_checkout(session, stack.url, appeal))

    thread = threading.Thread(target=poster)
    thread.start()
    # Kill it while it holds messages it has not acknowledged (taken, running or prefetched).
    wait_until(lambda: held_by_a_worker(broker_file), timeout=60, interval=0.01, message="a message held by the worker")
    os.kill(worker_pid, signal.SIGKILL)
    held = held_by_a_worker(broker_file)
    posting.clear()
    thread.join()

    stack.run.wait_for(r"WARNING: worker exited \(signal SIGKILL\); restarting in 1 s")
    # Queued while no worker runs.
    session = requests.Session()
    during = [post_completed_checkout(session, stack.url, appeal) for _ in range(3)]
    new_pid = int(stack.run.wait_for(r"worker started \(pid (\d+)\)", count=2)[1][1])
    assert new_pid != worker_pid
    wait_until(lambda: all_processed(before + during), timeout=120, interval=0.5,
               message=f"the events processed after the restart: {stack.run.output[-3000:]}")
    # What the killed worker held came back (after its lease) and was acknowledged by the new one.
    assert held
    wait_until(lambda: not (held & held_by_a_worker(broker_file)), timeout=60, interval=0.5,
               message="the killed worker's messages acknowledged")
    poller.stop()

    assert poller.answers > 0 and poller.failures == []
    assert "web exited" not in stack.run.output and "beat exited" not in stack.run.output
    assert len(re.findall(r"worker started \(pid", stack.run.output)) == 2
