"""Figures from measurements, and the tables `make bench` prints (see docs/PERFORMANCE.md)."""


def p95(sorted_values: list[float]) -> float:
    """The 95th percentile of values sorted ascending (the largest when there are few)."""
    return sorted_values[max(int(len(sorted_values) * 0.95) - 1, 0)]


def print_report(results: dict, *, tasks: int, journey_requests: int) -> None:
    web, worker = results["web"], results["worker"]
    print(f"\nWeb ({results['requests']} requests, {results['concurrency']} clients, gunicorn 2 workers, "
          f"{results['database']}):")
    print(f"{'path':40} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'x bare':>8}")
    for row in web:
        print(f"{row['path']:40} {row['requests_per_second']:8.1f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
              f"{row['ratio_to_bare']:8.2f}")
    print(f"\nWorker ({tasks} tasks, concurrency 2, broker {results['broker']}):")
    print(f"{'task':40} {'tasks/s':>8} {'x noop time':>12}")
    for row in worker:
        print(f"{row['task']:40} {row['tasks_per_second']:8.1f} {row['ratio_to_noop']:12.2f}")
    sub, check = results["submissions"], results["submissions"]["check"]
    print(f"\nLetter submissions ({sub['submissions']} journeys of {journey_requests} requests, {sub['clients']} "
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
