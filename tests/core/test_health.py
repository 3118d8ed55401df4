import threading
import time

import pytest
from django.urls import reverse

from core import health


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_does_not_answer(client, settings):
    # Port 9 (discard) has no listener here: a real connection refusal, not a mock.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


@pytest.mark.django_db
def test_healthz_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_a_dead_cache_but_stays_200(client, settings):
    # Pages and letters work without the cache (core.cache fails safe): one shared cache failing
    # must not take every web server out of the load balancer.
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",  # nothing listens on port 9
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        }
    }
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["cache"] != "ok"


def test_a_check_that_hangs_is_reported_as_a_timeout_within_the_deadline():
    release = threading.Event()

    def hangs():
        release.wait(30)
        return True, "ok"

    try:
        started = time.monotonic()
        results = health.run_checks({"slow": hangs, "quick": lambda: (True, "ok")}, timeout=0.5)
        assert time.monotonic() - started < 1.0
        assert results == {"slow": (False, "timeout"), "quick": (True, "ok")}
        # The hung check is not started again while it still hangs: one thread per check at most.
        started_threads = threading.active_count()
        assert health.run_checks({"slow": hangs}, timeout=0.5) == {"slow": (False, "timeout")}
        assert threading.active_count() == started_threads
    finally:
        release.set()


def test_healthz_answers_503_within_its_timeout_with_the_broker_frozen(client, settings, redis_server, db):
    settings.CELERY_BROKER_URL = f"{redis_server.url}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    settings.HEALTHZ_TIMEOUT = 1.0
    assert client.get("/healthz").status_code == 200
    redis_server.freeze()
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        redis_server.thaw()
    assert response.status_code == 503
    assert response.json()["broker"] != "ok"
    assert response.json()["database"] == "ok"
    assert elapsed < 1.5
