"""The web benchmark: requests per second for each public page, against the bare view."""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from bench.report import p95
from bench.stack import BARE_PATH, fetch


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
        "p95_ms": p95(latencies) * 1000,
    }


def web_benchmark(base: str, requests: int, concurrency: int, paths: list[str]) -> list[dict]:
    results = [measure_page(base, BARE_PATH, requests, concurrency)]
    baseline = results[0]["requests_per_second"]
    for path in paths:
        results.append(measure_page(base, path, requests, concurrency))
    for row in results:
        row["ratio_to_bare"] = row["requests_per_second"] / baseline
    return results
