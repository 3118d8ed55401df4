"""Redis misbehaving (frozen, killed, back) only degrades the site: no error page, no hung request.

Measured before: with the cache and broker on one Redis (the README's deploy layout) and Redis
killed, every campaign page and every "Send" was a 500; with Redis frozen every request hung until
gunicorn killed its worker, and /healthz hung too. Each test here runs a redis-server of its own."""

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import redis
import requests
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited

from core.cache import FailSafeRedisCache
from tests.conftest import (
    BASE_DIR,
    WorkerProcess,
    _database_url_for_worker,
    free_port,
    require_service,
    uses_postgresql,
    wait_until,
)


def fail_safe_cache(url: str, *, timeout: float = 0.3, circuit: float = 2.0) -> FailSafeRedisCache:
    return FailSafeRedisCache(
        f"{url}/1",
        {"OPTIONS": {"socket_timeout": timeout, "socket_connect_timeout": timeout, "CIRCUIT_SECONDS": circuit}},
    )


# --- The cache on its own ---------------------------------------------------------------------


def test_a_dead_cache_answers_like_an_empty_one_and_lets_requests_through(settings, caplog):
    # Nothing listens on port 9: every command is refused, as with Redis killed.
    cache = fail_safe_cache("redis://127.0.0.1:9")
    assert cache.get("advocacy:letters-for-progress:1", 7) == 7
    assert cache.add("rl:key", 0, 60) is True  # django-ratelimit: "first hit" -> not limited
    assert cache.incr("advocacy:views:1:2026-01-01") == 1
    assert cache.set("k", 1) is None
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.delete("k") is False
    assert cache.get_or_set("stories:version", "fresh") == "fresh"
    with pytest.raises(ValueError):  # taking a count out that was never read: the flush skips it
        cache.decr("advocacy:views:1:2026-01-01", 3)
    with pytest.raises(redis.ConnectionError):
        cache.ping()  # /healthz sees the truth
    # One warning for the whole outage, naming no key (keys hold email addresses).
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1
    assert "rl:key" not in warnings[0].getMessage() and "advocacy" not in warnings[0].getMessage()


def test_rate_limits_fail_open_when_the_cache_is_dead(settings):
    settings.CACHES = {
        **settings.CACHES,
        "dead": {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",
            "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3},
        },
    }
    settings.RATELIMIT_USE_CACHE = "dead"
    request = RequestFactory().post("/act/x/confirm/", REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert not is_ratelimited(request, group="g", key="ip", rate="1/h", increment=True)


def test_a_frozen_cache_costs_one_timeout_then_nothing_until_the_breaker_retries(redis_server):
    cache = fail_safe_cache(redis_server.url, timeout=0.3, circuit=1.0)
    cache.set("counter", 5)
    redis_server.freeze()
    try:
        started = time.monotonic()
        assert cache.get("counter", "missed") == "missed"
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(200):
            cache.add("rl:k", 0, 60)
            cache.get("counter")
        rest = time.monotonic() - started
    finally:
        redis_server.thaw()
    assert 0.2 < first < 1.0
    assert rest < 0.2, f"200 calls under an open breaker took {rest:.2f}s"
    time.sleep(1.1)  # the breaker lets a call through again
    assert cache.get("counter") == 5


# --- The whole site under a stream of letters ---------------------------------------------------

CSRF_TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOW = 5.0  # seconds: a bound that catches a hang (gunicorn's 30 s kill), not a performance target
HEALTHZ_TIMEOUT = 2.0


class Stream:
    """Client threads, each journey a new supporter with a session of their own: campaign page,
    form, confirmation page, "Send", thank-you page. Every request's status and time is kept."""

    def __init__(self, base: str, path: str, clients: int = 3):
        self.base, self.path, self.clients = base, path, clients
        self.requests: list[tuple[str, int | None, float]] = []  # (step, status or None, seconds)
        self.completed: list[str] = []  # emails of journeys that reached the thank-you page
        self.failed: list[str] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(clients)]
        self._lock = threading.Lock()

    def start(self):
        for thread in self._threads:
            thread.start()

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(60)

    def _run(self, client: int):
        n = 0
        while not self._stop.is_set():
            n += 1
            self._journey(f"red-{client}-{n}@example.org")
            time.sleep(0.05)

    def _call(self, http, step, method, url, **kwargs):
        started = time.monotonic()
        try:
            response = http.request(method, self.base + url, timeout=40, allow_redirects=False, **kwargs)
        except requests.RequestException:
            with self._lock:
                self.requests.append((step, None, time.monotonic() - started))
            raise
        with self._lock:
            self.requests.append((step, response.status_code, time.monotonic() - started))
        return response

    def _journey(self, email: str):
        def token(response):
            found = CSRF_TOKEN_RE.search(response.text)
            return found.group(1) if found else ""

        try:
            with requests.Session() as http:
                page = self._call(http, "campaign page", "GET", self.path)
                form = {
                    "csrfmiddlewaretoken": token(page), "prefix": "Ms.", "first_name": "Ana", "last_name": "Outage",
                    "email": email, "street": "400 Broad St", "city": "Seattle", "state": "WA",
                    "zip_code": "98109", "phone": "206-555-0100", "own_words": "", "consent": "on", "website": "",
                }
                sent_form = self._call(http, "form", "POST", self.path, data=form)
                confirm_url = sent_form.headers.get("Location", "")
                if sent_form.status_code != 302 or not confirm_url.endswith("/confirm/"):
                    raise AssertionError(f"form: {sent_form.status_code} {confirm_url}")
                confirm = self._call(http, "confirmation page", "GET", confirm_url)
                sent = self._call(http, "send", "POST", confirm_url, data={"csrfmiddlewaretoken": token(confirm)})
                thanks_url = sent.headers.get("Location", "")
                if sent.status_code != 302 or not thanks_url.endswith("/thanks/"):
                    raise AssertionError(f"send: {sent.status_code} {thanks_url}")
                thanks = self._call(http, "thank-you page", "GET", thanks_url)
                if thanks.status_code != 200:
                    raise AssertionError(f"thank-you page: {thanks.status_code}")
        except (requests.RequestException, AssertionError):
            with self._lock:
                self.failed.append(email)
            return
        with self._lock:
            self.completed.append(email)


def healthz(base: str) -> tuple[int | None, float]:
    started = time.monotonic()
    try:
        status = requests.get(base + "/healthz", timeout=40).status_code
    except requests.RequestException:
        status = None
    return status, time.monotonic() - started


def start_gunicorn(env: dict, log_path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(log_path, "wb")  # noqa: SIM115 - held open for the process's lifetime
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "30"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: healthz(base)[0] == 200, timeout=60, message="gunicorn to answer /healthz")
    return process, base


def run_sweeps(env: dict) -> None:
    """What beat would do, now: every sweep in the beat schedule, queued for the worker."""
    code = (
        "from django.conf import settings\n"
        "from config.celery import app\n"
        "for name, entry in settings.CELERY_BEAT_SCHEDULE.items():\n"
        "    if 'sweep' in name: app.send_task(entry['task'])\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True,
                   capture_output=True, timeout=60)


@pytest.mark.worker
def test_letters_keep_flowing_while_redis_freezes_dies_and_comes_back(transactional_db, redis_server, smtp_server,
                                                                       tmp_path):
    require_service(uses_postgresql(), "PostgreSQL (set DATABASE_URL=postgres://...)")
    from advocacy.models import Delivery, Letter
    from tests.advocacy.factories import CampaignFactory, LegislatorFactory, ZipDistrictFactory

    ZipDistrictFactory(zip_code="98109", state="WA", district=7)
    LegislatorFactory(senator=True, state="WA", senate_class=1)
    LegislatorFactory(senator=True, state="WA", senate_class=3)
    LegislatorFactory(state="WA", district=7)
    campaign = CampaignFactory()
    deliveries_file = tmp_path / "deliveries.jsonl"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_for_worker(),
        # The README's deploy layout: the cache on the broker's Redis.
        "CELERY_BROKER_URL": f"{redis_server.url}/0",
        "CACHE_URL": f"rediscache://127.0.0.1:{redis_server.port}/1",
        "EMAIL_URL": smtp_server.email_url,
        "DELIVERY_BACKEND_CONGRESS": "file",
        "DELIVERY_BACKEND_CUSTOM": "file",
        "DELIVERY_BACKEND_FALLBACK": "file",
        "DELIVERY_FILE_PATH": str(deliveries_file),
        # Every letter comes from 127.0.0.1; the limits still count (in Redis) while it answers.
        "ADVOCACY_SIGN_RATE_IP": "100000/h",
        "ADVOCACY_SIGN_RATE_EMAIL": "100000/h",
        "HEALTHZ_TIMEOUT": str(HEALTHZ_TIMEOUT),
        # The sweeps below stand in for beat: let them take back what is 10 s old, not 15 min.
        "DELIVERY_STUCK_AFTER": "10",
    }
    worker = WorkerProcess(extra_env=env)
    if worker.log_path.exists():
        worker.log_path.unlink()
    worker.start()
    web_log = BASE_DIR / "var" / f"test-gunicorn-redis-outage-{os.getpid()}.log"
    web, base = start_gunicorn(env, web_log)
    stream = Stream(base, campaign.get_absolute_url())
    health = {}
    try:
        stream.start()
        time.sleep(4)
        # Not a vacuous run: the limits and counters really live in this Redis.
        assert redis.Redis(port=redis_server.port, db=1).dbsize() > 0

        redis_server.freeze()  # a partition, a paused VM
        time.sleep(3)
        health["frozen"] = healthz(base)
        time.sleep(7)
        redis_server.thaw()
        time.sleep(4)

        redis_server.kill()
        time.sleep(3)
        health["killed"] = healthz(base)
        time.sleep(7)
        redis_server.start()  # the same port, empty: every queued message and cached count is gone
        time.sleep(5)
    finally:
        stream.stop()
        try:
            health["back"] = wait_until(lambda: (r := healthz(base))[0] == 200 and r, timeout=30,
                                        message="/healthz to answer 200 again")
        finally:
            web.send_signal(signal.SIGTERM)
            try:
                web.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)
    web_output = web_log.read_text(errors="replace")

    def context() -> str:
        return f"gunicorn log:\n{web_output[-4000:]}\nworker log:\n{worker.log()[-4000:]}"

    try:
        statuses = Counter(status for _step, status, _seconds in stream.requests)
        server_errors = [(step, status) for step, status, _s in stream.requests if status is None or status >= 500]
        slow = sorted(((round(s, 2), step) for step, _status, s in stream.requests if s > SLOW), reverse=True)
        assert not server_errors, f"{len(server_errors)} errors, e.g. {server_errors[:5]}; {statuses}\n{context()}"
        assert not slow, f"requests slower than {SLOW}s: {slow[:10]}\n{context()}"
        assert not stream.failed, f"{len(stream.failed)} journeys did not reach the thank-you page\n{context()}"
        assert len(stream.completed) > 30, statuses
        print(  # for the record: how the outage looked from the supporters' side
            f"{len(stream.completed)} letters, {len(stream.requests)} requests, slowest "
            f"{max(s for _step, _status, s in stream.requests):.2f}s; /healthz {health}"
        )
        for moment in ("frozen", "killed"):
            status, seconds = health[moment]
            assert status == 503, f"/healthz with Redis {moment}: {status}"
            # Its own timeout, plus a little for waiting behind a letter in the 2-worker queue.
            assert seconds < HEALTHZ_TIMEOUT + 1.5, f"/healthz with Redis {moment} took {seconds:.1f}s"

        # Every stored letter is a journey that reached its thank-you page, and the reverse.
        letters = Letter.objects.filter(supporter__email__startswith="red-")
        assert sorted(letters.values_list("supporter__email", flat=True)) == sorted(stream.completed)
        deliveries = Delivery.objects.filter(letter__in=letters)
        assert deliveries.count() == 3 * len(stream.completed)

        # Redis lost every queued message when it died: the sweeps (beat's job) queue them again.
        sweep_until(env, lambda: not deliveries.exclude(status=Delivery.Status.SENT).exists(),
                    "every delivery sent", context)
        time.sleep(3)  # a duplicate send would land now
        sent = Counter(json.loads(line)["delivery_id"] for line in deliveries_file.read_text().splitlines() if line)
        assert set(sent) == set(deliveries.values_list("delivery_id", flat=True))
        assert [d for d, n in sent.items() if n != 1] == [], "deliveries sent more than once"

        # The confirmations sweep takes a letter a minute after it was written (advocacy's rule).
        unconfirmed = letters.filter(confirmation_sent_at__isnull=True)
        sweep_until(env, lambda: not unconfirmed.exists(), "every letter's confirmation sent", context, timeout=100,
                    detail=lambda: list(unconfirmed.values_list("pk", "created_at", "confirmation_claimed_at")[:5]))
        time.sleep(3)
        confirmations = Counter(
            to for message in smtp_server.messages for to in message["to"] if to.startswith("red-")
        )
        assert set(confirmations) == set(stream.completed), "a letter without its confirmation email"
        assert [e for e, n in confirmations.items() if n != 1] == [], "confirmation emails sent more than once"
    finally:
        worker.stop()

def sweep_until(env, done, what: str, context, timeout: float = 60, detail=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, (
            f"not done after {timeout:.0f}s of sweeps: {what} {detail()}\n{context()}"
        )
        run_sweeps(env)
        time.sleep(3)
