import json

import pytest

from advocacy import services
from congress.lookup import lookup_by_zip
from tests.conftest import WorkerProcess
from tests.fakes.cwc_server import CWCServerFake

from .factories import CampaignFactory, LegislatorFactory, ZipDistrictFactory

SIGN_DATA = {
    "email": "maria@example.org",
    "prefix": "Ms.",
    "first_name": "Maria",
    "last_name": "Lopez",
    "street": "400 Broad St",
    "city": "Seattle",
    "state": "WA",
    "zip_code": "98109",
    "phone": "206-555-0100",
    "own_words": "",
    "consent": True,
}


@pytest.fixture
def seattle(db):
    """ZIP 98109 lies in WA-7 only: two senators and one representative."""
    ZipDistrictFactory(zip_code="98109", state="WA", district=7)
    return {
        "senators": [
            LegislatorFactory(senator=True, state="WA", senate_class=1, first_name="Avery", last_name="Senator"),
            LegislatorFactory(senator=True, state="WA", senate_class=3, first_name="Rosa", last_name="Senator"),
        ],
        "rep": LegislatorFactory(state="WA", district=7, first_name="Samuel", last_name="Rep"),
    }


@pytest.fixture
def campaign(db):
    return CampaignFactory()


def sign(campaign, **overrides):
    data = {**SIGN_DATA, **overrides}
    return services.campaign_sign(campaign=campaign, lookup=lookup_by_zip(data["zip_code"]), **data)


@pytest.fixture
def delivery_file(settings, tmp_path):
    """Letters go to a JSON-lines file, one line per send, so tests count what was really sent."""
    path = tmp_path / "deliveries.jsonl"
    settings.DELIVERY_BACKEND_CONGRESS = "file"
    settings.DELIVERY_BACKEND_CUSTOM = "file"
    settings.DELIVERY_BACKEND_FALLBACK = "file"
    settings.DELIVERY_FILE_PATH = str(path)
    return path


def sent_lines(path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


@pytest.fixture
def cwc_server(settings):
    fake = CWCServerFake(api_key="test-key", senate_api_key="senate-key")
    fake.start()
    settings.CWC_API_BASE = fake.base_url
    settings.CWC_API_KEY = "test-key"
    settings.CWC_SENATE_API_URL = fake.senate_url
    settings.CWC_SENATE_API_KEY = "senate-key"
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    settings.DELIVERY_RATE_LIMITS = {**settings.DELIVERY_RATE_LIMITS, "cwc": 0, "cwc_senate": 0}
    yield fake
    fake.stop()


class BatchWorkerProcess(WorkerProcess):
    """The shared worker, taking up to 50 messages at a time. With one (the project's setting) the
    broker's poll would pause after every pair of tasks, so 800 tasks would take minutes; a deeper
    prefetch also makes the stop-mid-run test harder, since more messages are taken but not yet
    acknowledged when the worker stops."""

    worker_args = ("--prefetch-multiplier", "25")


@pytest.fixture
def start_worker(transactional_db):
    """Start a real Celery worker (the tests' broker: the folder broker, or Redis in CI) with extra
    environment, e.g. the file backend. Restart one with `restart(worker)`."""
    from tests.conftest import _purge_test_queue

    _purge_test_queue()
    workers = []

    def start(**extra_env):
        worker = BatchWorkerProcess(extra_env={key: str(value) for key, value in extra_env.items()})
        if worker.log_path.exists():
            worker.log_path.unlink()
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    _purge_test_queue()


def restart(worker):
    worker.stop()
    if worker.log_path.exists():
        worker.log_path.unlink()  # the readiness check looks for " ready." in a fresh log
    worker.start()


def file_worker_env(path) -> dict:
    return {
        "DELIVERY_BACKEND_CONGRESS": "file",
        "DELIVERY_BACKEND_CUSTOM": "file",
        "DELIVERY_BACKEND_FALLBACK": "file",
        "DELIVERY_FILE_PATH": path,
    }
