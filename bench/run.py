"""Camino's benchmarks. Not tests: they report ratios against baselines measured in the same run,
so the numbers mean the same on a laptop and on a server.

- Web (bench/web.py): gunicorn (production settings, 2 workers) serves the demo site; a pool of
  client threads on loopback requests each page; requests per second are compared with a bare
  Django view.
- Worker (bench/worker.py): a real Celery worker drains N tasks of each kind; the time is compared
  with N no-op tasks.
- Submissions (bench/submissions.py): client threads, each journey with a cookie session of its
  own, go through the supporter's whole journey on the same gunicorn (it idles during the worker
  benchmark): campaign page, form, confirmation, thank-you page. The time is compared with the same
  number of requests to the bare view, and every letter is checked in the database afterwards. It
  runs after the worker benchmark (which counts every Delivery not sent; these letters only queue)
  and cleans up: its letters are deleted and the queue is purged, so no run leaves tasks for the next.

The processes and their environment are in bench/stack.py, the printed tables in bench/report.py.
Exits non-zero when the submission check fails (a lost letter, a wrong recipient, any HTTP error).

Usage: make bench   (or .venv/bin/python bench/run.py --requests 400 --tasks 300 --submissions 200)
       BENCH_QUICK=1 make bench   (or --quick: small counts, a minute or so, to see that it all runs;
       its numbers are too few to compare and it writes var/bench/results.json instead)
Uses its own SQLite database and broker folder under var/bench/, or DATABASE_URL / CELERY_BROKER_URL
when set. Writes bench/results.json.
"""

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

# `python bench/run.py` puts bench/ on the path, not the project: the bench modules are bench.*.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import print_report  # noqa: E402
from bench.stack import BASE_DIR, BENCH_DIR, bench_env, django_shell, gunicorn, manage  # noqa: E402
from bench.submissions import JOURNEY_REQUESTS, SUBMISSION_ROUNDS, submission_benchmark  # noqa: E402
from bench.web import web_benchmark  # noqa: E402
from bench.worker import TASK_KINDS, task_benchmark  # noqa: E402

# --quick: enough of each to run every step and the submission check, nothing to compare.
QUICK = {"requests": 30, "tasks": 30, "submissions": 8}


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--submission-clients", type=int, help="default: --concurrency")
    parser.add_argument("--keep", action="store_true", help="keep var/bench between runs")
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
                        help="small counts, a smoke run (also BENCH_QUICK=1); writes var/bench/results.json")
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, min(getattr(args, name), value))
    if args.submissions < SUBMISSION_ROUNDS:
        parser.error(f"--submissions must be at least {SUBMISSION_ROUNDS}")
    return args


def main():
    args = parse_args()
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
    # A quick run's few numbers must not stand in for the last full run's.
    out = BENCH_DIR / "results.json" if args.quick else BASE_DIR / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2))

    print_report(results, tasks=args.tasks, journey_requests=JOURNEY_REQUESTS)
    if not submissions["check"]["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
