"""Camino's benchmarks. Not tests: they report ratios against baselines measured in the same run,
so the numbers mean the same on a laptop and on a server.

- Web: gunicorn (production settings, 2 workers) serves the demo site; a pool of client threads on
  loopback requests each page; requests per second are compared with a bare Django view.
- Worker: a real Celery worker drains N tasks of each kind; the time is compared with N no-op tasks.

Usage: make bench   (or .venv/bin/python bench/run.py --requests 400 --tasks 300)
Uses its own SQLite database and broker folder under var/bench/, or DATABASE_URL / CELERY_BROKER_URL
when set. Writes bench/results.json.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
            "DJANGO_SETTINGS_MODULE": "config.settings",
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
    result = subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True,
                            capture_output=True, text=True)
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


def web_benchmark(env, requests: int, concurrency: int, paths: list[str]) -> list[dict]:
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
        results = [measure_page(base, "/_bench/bare", requests, concurrency)]
        baseline = results[0]["requests_per_second"]
        for path in paths:
            results.append(measure_page(base, path, requests, concurrency))
        for row in results:
            row["ratio_to_bare"] = row["requests_per_second"] / baseline
        return results
    finally:
        stop(web)


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep var/bench between runs")
    args = parser.parse_args()

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

    web = web_benchmark(env, args.requests, args.concurrency, paths)
    worker = task_benchmark(env, args.tasks, TASK_KINDS)
    results = {"web": web, "worker": worker, "requests": args.requests, "concurrency": args.concurrency,
               "database": env["DATABASE_URL"].split(":", 1)[0], "broker": env["CELERY_BROKER_URL"].split(":", 1)[0]}
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


if __name__ == "__main__":
    main()
