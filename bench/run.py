"""Camino's benchmarks. Not tests: they report ratios against baselines measured in the same run,
so the numbers mean the same on a laptop and on a server.

- Web: gunicorn (production settings, 2 workers) serves the demo site; a pool of client threads on
  loopback requests each page; requests per second are compared with a bare Django view.
- Worker: a real Celery worker drains N tasks of each kind; the time is compared with N no-op tasks.
- Submissions: client threads, each journey with a cookie session of its own, go through the
  supporter's whole journey on the same gunicorn (it idles during the worker benchmark): campaign
  page, form, confirmation, thank-you page. The time is compared with the same number of requests
  to the bare view, and every letter is checked in the database afterwards. It runs after the
  worker benchmark (which counts every Delivery not sent; these letters only queue) and cleans up:
  its letters are deleted and the queue is purged, so no run leaves tasks for the next.

Exits non-zero when the submission check fails (a lost letter, a wrong recipient, any HTTP error).

Usage: make bench   (or .venv/bin/python bench/run.py --requests 400 --tasks 300 --submissions 200)
Uses its own SQLite database and broker folder under var/bench/, or DATABASE_URL / CELERY_BROKER_URL
when set. Writes bench/results.json.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

from requests import RequestException
from requests import Session as HttpSession

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ROOT_URLCONF": "bench.urls",
            "CELERY_QUEUE": "camino-bench",
            # Letters go to a file: no office is ever written to by a benchmark.
            "DELIVERY_BACKEND_CONGRESS": "file",
            "DELIVERY_BACKEND_CUSTOM": "file",
            "DELIVERY_BACKEND_FALLBACK": "file",
            "DELIVERY_FILE_PATH": str(BENCH_DIR / "deliveries.jsonl"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "CACHE_URL": os.environ.get("CACHE_URL", f"filecache://{BENCH_DIR / 'cache'}"),
            # Every bench submission comes from 127.0.0.1: the per-IP limit (20/h) would stop it at 20.
            "ADVOCACY_SIGN_RATE_IP": "100000/h",
            "ADVOCACY_SIGN_RATE_EMAIL": "100000/h",
        }
    )
    env.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
    env.setdefault("CELERY_BROKER_URL", "filesystem://")
    env.setdefault("CELERY_BROKER_FOLDER", str(BENCH_DIR / "broker"))
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def django_shell(env, code: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py shell failed:\n{code}\n{result.stderr[-3000:]}")
    # The answer is the last line; apps may log above it.
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def start(cmd, env, log_name):
    log = open(BENCH_DIR / log_name, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fetch(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status


def measure_page(base: str, path: str, requests: int, concurrency: int) -> dict:
    url = base + path
    for _ in range(10):  # warm caches and connections
        fetch(url)
    latencies = []

    def one(_):
        started = time.perf_counter()
        status = fetch(url)
        latencies.append(time.perf_counter() - started)
        return status

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        statuses = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    assert all(s == 200 for s in statuses), f"{path}: non-200 answers"
    latencies.sort()
    return {
        "path": path,
        "requests_per_second": requests / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


@contextmanager
def gunicorn(env):
    """The site under gunicorn, production settings, 2 sync workers; yields its base URL."""
    port = free_port()
    web = start([PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                env, "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/_bench/bare")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        stop(web)


def web_benchmark(base: str, requests: int, concurrency: int, paths: list[str]) -> list[dict]:
    results = [measure_page(base, "/_bench/bare", requests, concurrency)]
    baseline = results[0]["requests_per_second"]
    for path in paths:
        results.append(measure_page(base, path, requests, concurrency))
    for row in results:
        row["ratio_to_bare"] = row["requests_per_second"] / baseline
    return results


TASK_KINDS = {
    # name: (Python that enqueues N tasks and prints nothing, Python that prints how many are done)
    "noop (baseline)": (
        "from core.tasks import noop_task\nfor _ in range({n}): noop_task.delay()",
        None,
    ),
    "worker ping (one DB write)": (
        "from core.models import WorkerPing\nfrom core.tasks import worker_ping_answer_task\n"
        "WorkerPing.objects.all().delete()\n"
        "ids=[WorkerPing.objects.create(source='web').pk for _ in range({n})]\n"
        "[worker_ping_answer_task.delay(i) for i in ids]",
        "from core.models import WorkerPing\nprint(WorkerPing.objects.filter(answered_at__isnull=False).count())",
    ),
    "letter delivery (file backend)": (
        # Real submissions: each stores a letter and 3 deliveries (2 senators + 1 representative of
        # the demo ZIP 98109) and queues their tasks after commit, plus the supporter's confirmation.
        "from advocacy.models import Campaign, Delivery\nfrom advocacy.services import campaign_sign\n"
        "from congress.lookup import lookup_by_zip\n"
        "Delivery.objects.all().delete()\n"
        "campaign=Campaign.objects.get(slug='protect-children-seeking-safety')\nlookup=lookup_by_zip('98109')\n"
        "for i in range(-(-{n}//3)):\n"
        "    campaign_sign(campaign=campaign, lookup=lookup, email=f'bench{{i}}@example.org', prefix='Ms.',"
        " first_name='Ana', last_name='Bench', street='1 Main St', city='Seattle', state='WA', zip_code='98109')",
        "from advocacy.models import Delivery\n"
        "print(-(-{n}//3)*3 if Delivery.objects.exclude(status='sent').count()==0 else 0)",
    ),
}


def queue_size(env) -> int:
    # Redis deletes an empty list, so there a drained queue answers "not found": that is 0.
    code = (
        "from amqp.exceptions import ChannelError\n"
        "from config.celery import app\n"
        "with app.connection_for_write() as c:\n"
        "    try:\n"
        "        queue = c.default_channel.queue_declare(queue=app.conf.task_default_queue, passive=True)\n"
        "        print(queue.message_count)\n"
        "    except ChannelError:\n"
        "        print(0)"
    )
    return int(django_shell(env, code) or 0)


def task_benchmark(env, tasks: int, kinds: dict) -> list[dict]:
    results = []
    for name, (enqueue, done_count) in kinds.items():
        django_shell(env, enqueue.format(n=tasks))  # enqueue first, then time the worker draining it
        worker = start([PYTHON, "-m", "celery", "-A", "config", "worker", "--concurrency", "2",
                        "--without-gossip", "--without-mingle", "--loglevel", "WARNING"], env, "worker.log")
        started = time.perf_counter()
        try:
            while True:
                if done_count is None:
                    if queue_size(env) == 0:
                        break
                elif int(django_shell(env, done_count.format(n=tasks))) >= tasks:
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - started
        finally:
            stop(worker)
        results.append({"task": name, "tasks": tasks, "seconds": elapsed, "tasks_per_second": tasks / elapsed})
    baseline = results[0]["seconds"]
    for row in results:
        row["ratio_to_noop"] = row["seconds"] / baseline
    return results


# --- Letter submissions -----------------------------------------------------------------------

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
    # The baseline is as many requests to the bare view, by as many clients. On a shared machine the
    # load of other processes drifts within seconds, so the two alternate in rounds.
    bare_latencies, bare_statuses, journeys = [], [], []
    bare_seconds = journey_seconds = 0.0

    def bare_one(_):
        started = time.perf_counter()
        bare_statuses.append(fetch(base + "/_bench/bare"))
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
    assert all(s == 200 for s in bare_statuses), "/_bench/bare: non-200 answers"

    with log.open("rb") as handle:
        handle.seek(log_start)
        server_log = handle.read().decode(errors="replace")
    done = [j for j in journeys if j["error"] is None]
    latencies = sorted(j["seconds"] for j in done) or [0.0]
    statuses = [s for j in warmup + journeys for s in j["statuses"]]
    check = json.loads(django_shell(env, SUBMISSION_CHECK.format(prefix=prefix)))
    completed = sum(j["error"] is None for j in warmup + journeys)
    check.update({
        "journeys_completed": completed,
        "journeys_failed": len(warmup) + len(journeys) - completed,
        "http_errors": sum(s >= 400 for s in statuses),
        "http_5xx": sum(s >= 500 for s in statuses),
        "database_is_locked_in_log": server_log.count("database is locked"),
        "tracebacks_in_log": server_log.count("Traceback"),
        "first_errors": sorted({j["error"] for j in warmup + journeys if j["error"]})[:5],
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
    django_shell(env, SUBMISSION_CLEANUP.format(prefix=prefix))
    return {
        "path": path,
        "submissions": submissions,
        "clients": clients,
        "requests_per_journey": statistics.mean(len(j["statuses"]) for j in done) if done else 0,
        "submissions_per_second": len(done) / journey_seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000,
        "step_p50_ms": {
            step: statistics.median(j["steps"][n] for j in done) * 1000 if done else 0
            for n, step in enumerate(JOURNEY_STEPS)
        },
        "seconds": journey_seconds,
        "bare_requests": len(bare_statuses),
        "bare_seconds": bare_seconds,
        "bare_p50_ms": statistics.median(bare_latencies) * 1000,
        # How many times longer N journeys take than 5N requests to the bare view by the same clients;
        # and one journey's median time against five times the bare view's median.
        "ratio_to_bare": journey_seconds / bare_seconds,
        "p50_ratio_to_bare": statistics.median(latencies) / (JOURNEY_REQUESTS * statistics.median(bare_latencies)),
        "check": check,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--submission-clients", type=int, help="default: --concurrency")
    parser.add_argument("--keep", action="store_true", help="keep var/bench between runs")
    args = parser.parse_args()
    if args.submissions < SUBMISSION_ROUNDS:
        parser.error(f"--submissions must be at least {SUBMISSION_ROUNDS}")

    if BENCH_DIR.exists() and not args.keep:
        shutil.rmtree(BENCH_DIR)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    env = bench_env()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "seed_demo")
    paths = json.loads(
        django_shell(env, "from bench.pages import demo_paths; import json; print(json.dumps(demo_paths()))")
    )

    with gunicorn(env) as base:
        web = web_benchmark(base, args.requests, args.concurrency, paths)
        # The worker first: it counts every Delivery row not sent, and submitted letters only queue.
        worker = task_benchmark(env, args.tasks, TASK_KINDS)
        submissions = submission_benchmark(env, base, args.submissions, args.submission_clients or args.concurrency)
    results = {"web": web, "worker": worker, "submissions": submissions, "requests": args.requests,
               "concurrency": args.concurrency, "database": env["DATABASE_URL"].split(":", 1)[0],
               "broker": env["CELERY_BROKER_URL"].split(":", 1)[0]}
    (BASE_DIR / "bench" / "results.json").write_text(json.dumps(results, indent=2))

    print(f"\nWeb ({args.requests} requests, {args.concurrency} clients, gunicorn 2 workers, "
          f"{results['database']}):")
    print(f"{'path':40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>8}")
    for row in web:
        print(f"{row['path']:40} {row['requests_per_second']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
              f"{row['ratio_to_bare']:8.2f}")
    print(f"\nWorker ({args.tasks} tasks, concurrency 2, broker {results['broker']}):")
    print(f"{'task':40} {'tasks/s':>8} {'x noop time':>12}")
    for row in worker:
        print(f"{row['task']:40} {row['tasks_per_second']:8.1f} {row['ratio_to_noop']:12.2f}")
    sub, check = submissions, submissions["check"]
    print(f"\nLetter submissions ({sub['submissions']} journeys of {JOURNEY_REQUESTS} requests, {sub['clients']} "
          f"clients each with its own session, gunicorn 2 workers, {results['database']}):")
    print(f"{'submissions/s':>14} {'p50 ms':>8} {'p95 ms':>8} {'x bare time':>12} {'p50 x 5 bare p50':>17}")
    print(f"{sub['submissions_per_second']:14.1f} {sub['p50_ms']:8.1f} {sub['p95_ms']:8.1f} "
          f"{sub['ratio_to_bare']:12.2f} {sub['p50_ratio_to_bare']:17.2f}")
    print(f"  x bare time: {sub['seconds']:.1f} s for the journeys / {sub['bare_seconds']:.1f} s for "
          f"{sub['bare_requests']} bare requests by the same clients (bare p50 {sub['bare_p50_ms']:.1f} ms)")
    print("  p50 per request: " + ", ".join(f"{step} {ms:.1f} ms" for step, ms in sub["step_p50_ms"].items()))
    print(f"  check: {check['journeys_completed']} journeys completed, {check['journeys_failed']} failed; "
          f"{check['letters']} letters, {check['deliveries']} deliveries, "
          f"{check['letters_without_3_deliveries']} letters without 2 senators + 1 representative; "
          f"{check['http_errors']} HTTP errors ({check['http_5xx']} 5xx); server log: "
          f"{check['database_is_locked_in_log']} 'database is locked', {check['tracebacks_in_log']} tracebacks")
    for error in check["first_errors"]:
        print(f"  error: {error}")
    print(f"  {'OK' if check['ok'] else 'FAILED'}")
    if not check["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
