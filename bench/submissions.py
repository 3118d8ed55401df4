"""The submissions benchmark: client threads, each journey with a cookie session of its own, go
through the supporter's whole journey (campaign page, form, confirmation, thank-you page), timed
against as many requests to the bare view; every letter is checked in the database afterwards,
then the run's letters and queued tasks are removed."""

import json
import re
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin

from requests import RequestException
from requests import Session as HttpSession

from bench.report import p95
from bench.stack import BARE_PATH, BENCH_DIR, django_shell, fetch

CSRF_TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The form's POST answers 302 to the confirmation, the confirmation's POST 302 to the thank-you page.
JOURNEY_STEPS = ["GET campaign page", "POST form", "GET confirmation", "POST confirmation", "GET thank-you page"]
JOURNEY_REQUESTS = len(JOURNEY_STEPS)
SUBMISSION_ROUNDS = 4


class JourneyError(Exception):
    """A step of the journey answered something other than the next step."""


def submission_journey(base: str, path: str, email: str, zip_code: str) -> dict:
    """One new supporter, with a session of their own, from the campaign page to the thank-you page.
    Redirects are followed by hand, so each of the five requests is checked and counted."""
    statuses, steps = [], []
    started = time.perf_counter()

    def call(http, step, expected, method, url, **kwargs):
        step_started = time.perf_counter()
        response = http.request(method, urljoin(base, url), timeout=60, allow_redirects=False, **kwargs)
        steps.append(time.perf_counter() - step_started)
        statuses.append(response.status_code)
        # Production settings mark the session and CSRF cookies Secure, which a browser sends over
        # the TLS proxy's HTTPS; the bench speaks plain HTTP to gunicorn on loopback, so it unmarks them.
        for cookie in http.cookies:
            cookie.secure = False
        where = response.headers.get("Location", url)
        if response.status_code != expected or (expected == 302 and not where.endswith(step)):
            raise JourneyError(f"{step}: {method} {url} answered {response.status_code}, at {where}")
        return response

    def token(response):
        found = CSRF_TOKEN_RE.search(response.text)
        return found.group(1) if found else ""

    error = None
    try:
        with HttpSession() as http:
            page = call(http, "campaign page", 200, "GET", path)
            form = {
                "csrfmiddlewaretoken": token(page), "prefix": "Ms.", "first_name": "Ana", "last_name": "Journey",
                "email": email, "street": "400 Broad St", "city": "Seattle", "state": "WA", "zip_code": zip_code,
                "phone": "206-555-0100", "own_words": "I write as a constituent who cares about these children.",
                "consent": "on", "website": "",
            }
            confirm_url = call(http, "/confirm/", 302, "POST", path, data=form).headers["Location"]
            confirm = call(http, "confirmation page", 200, "GET", confirm_url)
            sent = call(http, "/thanks/", 302, "POST", confirm_url, data={"csrfmiddlewaretoken": token(confirm)})
            call(http, "thank-you page", 200, "GET", sent.headers["Location"])
    except (RequestException, JourneyError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    return {"seconds": time.perf_counter() - started, "statuses": statuses, "steps": steps, "error": error}


SUBMISSION_CHECK = """
import json
from django.db.models import Count, Q
from advocacy.models import Delivery, Letter
letters = Letter.objects.filter(supporter__email__startswith={prefix!r})
wrong = letters.annotate(
    n=Count("deliveries"),
    senate=Count("deliveries", filter=Q(deliveries__legislator__chamber="senate")),
    house=Count("deliveries", filter=Q(deliveries__legislator__chamber="house")),
).exclude(n=3, senate=2, house=1)
print(json.dumps({{"letters": letters.count(), "deliveries": Delivery.objects.filter(letter__in=letters).count(),
                  "letters_without_3_deliveries": wrong.count()}}))
"""

# The journeys' letters and supporters go, and the queue is emptied: with PostgreSQL and Redis both
# outlive the run, and tasks left queued would be drained by the next run's no-op baseline.
SUBMISSION_CLEANUP = """
from advocacy.models import Letter, Supporter
from config.celery import app
Letter.objects.filter(supporter__email__startswith={prefix!r}).delete()
Supporter.objects.filter(email__startswith={prefix!r}).delete()
with app.connection_for_write() as c:
    c.default_channel.queue_purge(app.conf.task_default_queue)
print("ok")
"""


def _alternating_rounds(base, path, zip_code, prefix, submissions, clients) -> dict:
    """The journeys and their baseline, as many requests to the bare view by as many clients. On a
    shared machine the load of other processes drifts within seconds, so the two alternate in rounds."""
    bare_latencies, bare_statuses, journeys = [], [], []
    bare_seconds = journey_seconds = 0.0

    def bare_one(_):
        started = time.perf_counter()
        bare_statuses.append(fetch(base + BARE_PATH))
        bare_latencies.append(time.perf_counter() - started)

    def journey_one(i):
        journeys.append(submission_journey(base, path, f"{prefix}{i}@example.org", zip_code))

    with ThreadPoolExecutor(clients) as pool:
        for round_ in range(SUBMISSION_ROUNDS):
            numbers = range(round_, submissions, SUBMISSION_ROUNDS)
            started = time.perf_counter()
            list(pool.map(bare_one, range(len(numbers) * JOURNEY_REQUESTS)))
            bare_seconds += time.perf_counter() - started
            started = time.perf_counter()
            list(pool.map(journey_one, numbers))
            journey_seconds += time.perf_counter() - started
    assert all(s == 200 for s in bare_statuses), f"{BARE_PATH}: non-200 answers"
    return {"journeys": journeys, "journey_seconds": journey_seconds, "bare_statuses": bare_statuses,
            "bare_latencies": bare_latencies, "bare_seconds": bare_seconds}


def _check(env, prefix: str, journeys: list[dict], server_log: str) -> dict:
    """What the database and the server's log say about the journeys (the warm-up's included)."""
    statuses = [s for j in journeys for s in j["statuses"]]
    check = json.loads(django_shell(env, SUBMISSION_CHECK.format(prefix=prefix)))
    completed = sum(j["error"] is None for j in journeys)
    check.update({
        "journeys_completed": completed,
        "journeys_failed": len(journeys) - completed,
        "http_errors": sum(s >= 400 for s in statuses),
        "http_5xx": sum(s >= 500 for s in statuses),
        "database_is_locked_in_log": server_log.count("database is locked"),
        "tracebacks_in_log": server_log.count("Traceback"),
        "first_errors": sorted({j["error"] for j in journeys if j["error"]})[:5],
    })
    check["ok"] = (
        check["journeys_failed"] == 0
        and check["letters"] == completed
        and check["deliveries"] == 3 * completed
        and check["letters_without_3_deliveries"] == 0
        and check["http_errors"] == 0
        and check["database_is_locked_in_log"] == 0
        and check["tracebacks_in_log"] == 0
    )
    return check


def submission_benchmark(env, base: str, submissions: int, clients: int) -> dict:
    path, zip_code = json.loads(django_shell(
        env,
        "import json\nfrom advocacy.demo import DEMO_SLUG\nfrom congress.demo import DEMO_SINGLE_DISTRICT_ZIP\n"
        "print(json.dumps([f'/act/{DEMO_SLUG}/', DEMO_SINGLE_DISTRICT_ZIP]))",
    ))
    prefix = f"journey-{int(time.time())}-"  # unique per run: a PostgreSQL database outlives it
    log = BENCH_DIR / "gunicorn.log"
    log_start = log.stat().st_size
    warmup = [submission_journey(base, path, f"{prefix}warm{i}@example.org", zip_code) for i in range(2)]
    rounds = _alternating_rounds(base, path, zip_code, prefix, submissions, clients)
    journeys, journey_seconds = rounds["journeys"], rounds["journey_seconds"]
    bare_latencies, bare_seconds = rounds["bare_latencies"], rounds["bare_seconds"]

    with log.open("rb") as handle:
        handle.seek(log_start)
        server_log = handle.read().decode(errors="replace")
    done = [j for j in journeys if j["error"] is None]
    latencies = sorted(j["seconds"] for j in done) or [0.0]
    check = _check(env, prefix, warmup + journeys, server_log)
    django_shell(env, SUBMISSION_CLEANUP.format(prefix=prefix))
    return {
        "path": path,
        "submissions": submissions,
        "clients": clients,
        "requests_per_journey": statistics.mean(len(j["statuses"]) for j in done) if done else 0,
        "submissions_per_second": len(done) / journey_seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": p95(latencies) * 1000,
        "step_p50_ms": {
            step: statistics.median(j["steps"][n] for j in done) * 1000 if done else 0
            for n, step in enumerate(JOURNEY_STEPS)
        },
        "seconds": journey_seconds,
        "bare_requests": len(rounds["bare_statuses"]),
        "bare_seconds": bare_seconds,
        "bare_p50_ms": statistics.median(bare_latencies) * 1000,
        # How many times longer N journeys take than 5N requests to the bare view by the same clients;
        # and one journey's median time against five times the bare view's median.
        "ratio_to_bare": journey_seconds / bare_seconds,
        "p50_ratio_to_bare": statistics.median(latencies) / (JOURNEY_REQUESTS * statistics.median(bare_latencies)),
        "check": check,
    }
