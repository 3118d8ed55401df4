"""What a geocoder that never answers does to the site: six supporters at once submit the form with a
ZIP split between two districts (the demo's 98101), so each submission asks the Census geocoder,
here a stand-in (tests/fakes/census_geocoder.py) that takes every request and never answers. A
seventh client asks for the campaign page meanwhile, as any visitor would. Two rounds, one after the
other: the second shows what the site does once it has seen the geocoder fail.

Same stack as `make bench`: gunicorn with production settings and 2 sync workers, its own SQLite
database and file cache under var/bench/geocoder/. Not part of `make bench` (it spends most of its
time waiting on purpose); docs/PERFORMANCE.md has its numbers.

Usage: .venv/bin/python bench/geocoder_stall.py [--clients 6] [--rounds 2]
"""

import argparse
import json
import re
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from requests import Session as HttpSession  # noqa: E402

from bench import stack  # noqa: E402
from tests.fakes.census_geocoder import CensusGeocoderFake  # noqa: E402

CSRF_TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STALL_DIR = stack.BENCH_DIR / "geocoder"


def _submit(base: str, path: str, number: int) -> dict:
    """One supporter: the campaign page, then the form with a split ZIP. Answers the POST's time."""
    with HttpSession() as http:
        page = http.get(urljoin(base, path), timeout=120)
        # Production marks the cookies Secure (HTTPS behind the proxy); this is plain HTTP on loopback.
        for cookie in http.cookies:
            cookie.secure = False
        token = CSRF_TOKEN_RE.search(page.text).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "prefix": "Ms.",
            "first_name": "Ana",
            "last_name": "Stall",
            "email": f"stall{number}@example.org",
            "street": f"{100 + number} Pike St",
            "city": "Seattle",
            "state": "WA",
            "zip_code": "98101",
            "phone": "",
            "own_words": "",
            "website": "",
        }
        started = time.perf_counter()
        answer = http.post(urljoin(base, path), data=form, timeout=120, allow_redirects=False)
        return {
            "seconds": time.perf_counter() - started,
            "status": answer.status_code,
            "location": answer.headers.get("Location", ""),
        }


def _page(base: str, path: str) -> float:
    started = time.perf_counter()
    with HttpSession() as http:
        http.get(urljoin(base, path), timeout=120).raise_for_status()
    return time.perf_counter() - started


def run_round(base: str, path: str, clients: int, first_number: int) -> dict:
    with ThreadPoolExecutor(clients + 1) as pool:
        posts = [pool.submit(_submit, base, path, first_number + n) for n in range(clients)]
        time.sleep(0.3)  # the submissions are in the workers' hands: a visitor arrives
        page = pool.submit(_page, base, path)
        results = [future.result() for future in posts]
        page_seconds = page.result()
    times = sorted(result["seconds"] for result in results)
    return {
        "post_seconds": [round(t, 2) for t in times],
        "post_max": round(times[-1], 2),
        "all_reached_district_choice": all(
            r["status"] == 302 and r["location"].endswith("/district/") for r in results
        ),
        "post_statuses": sorted({f"{r['status']} {r['location']}" for r in results}),
        "page_seconds_meanwhile": round(page_seconds, 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    if STALL_DIR.exists():
        shutil.rmtree(STALL_DIR)
    STALL_DIR.mkdir(parents=True)
    geocoder = CensusGeocoderFake()
    geocoder.hang()
    geocoder.start()
    env = stack.bench_env()
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{STALL_DIR / 'stall.sqlite3'}",
            "CACHE_URL": f"filecache://{STALL_DIR / 'cache'}",
            "CELERY_BROKER_FOLDER": str(STALL_DIR / "broker"),
            "CENSUS_GEOCODER_URL": geocoder.url,
        }
    )
    stack.manage(env, "migrate", "--noinput")
    stack.manage(env, "collectstatic", "--noinput")
    stack.manage(env, "seed_demo")
    path = stack.django_shell(env, "from advocacy.demo import DEMO_SLUG; print(f'/act/{DEMO_SLUG}/')")
    settings = json.loads(
        stack.django_shell(
            env,
            "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
            "('CENSUS_GEOCODER_TIMEOUT', 'CENSUS_GEOCODER_BREAKER_FAILURES', 'CENSUS_GEOCODER_BREAKER_SECONDS')}))",
        )
    )
    rounds = []
    try:
        with stack.gunicorn(env) as base:
            for number in range(args.rounds):
                rounds.append(run_round(base, path, args.clients, number * args.clients))
    finally:
        held = len(geocoder.requests)
        threading.Thread(target=geocoder.stop, daemon=True).start()
    print(json.dumps({"settings": settings, "geocoder_requests": held, "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
