"""Reads the state of the services Camino depends on, for /healthz and the admin.

Every check runs in a thread of its own and /healthz waits for all of them together at most
HEALTHZ_TIMEOUT seconds: measured with Redis frozen (SIGSTOP, as in a network partition),
/healthz hung instead of answering 503, so the load balancer learned nothing. A check still
running at the deadline counts as failed ("timeout"); a check still running from an earlier call
is not started again, so a hung service holds at most one thread per check per process."""

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

TIMEOUT = "timeout"


def database_state() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not answering"
        return False, exc.__class__.__name__
    return True, "ok"


def broker_state(timeout: float = 2.0) -> tuple[bool, str]:
    transport_options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        # Connecting is not enough: a frozen Redis still accepts TCP connections (the kernel does).
        transport_options.update(socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=transport_options, connect_timeout=timeout
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, "ok"


def cache_state() -> tuple[bool, str]:
    """Whether the cache answers. Pages and letters work without it (core.cache fails safe), so
    /healthz reports it but does not answer 503 for it."""
    try:
        ping = getattr(cache, "ping", None)
        if ping is not None:
            ping()  # core.cache.FailSafeRedisCache: the real answer, past its fail-safe
        else:
            cache.set("core:healthz", 1, timeout=10)
            cache.get("core:healthz")
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, "ok"


_running: dict[str, threading.Thread] = {}
_running_lock = threading.Lock()


def run_checks(checks: dict[str, Callable[[], tuple]], *, timeout: float) -> dict[str, tuple]:
    """Run each check in its own thread; return {name: its result, or (False, "timeout")}."""
    results: dict[str, tuple] = {}
    started: dict[str, threading.Thread] = {}
    for name, check in checks.items():
        with _running_lock:
            previous = _running.get(name)
            if previous is not None and previous.is_alive():
                results[name] = (False, TIMEOUT)
                continue
            thread = threading.Thread(
                target=_run_one, args=(check, name, results), name=f"healthz-{name}", daemon=True
            )
            _running[name] = thread
        thread.start()
        started[name] = thread
    deadline = time.monotonic() + timeout
    for name, thread in started.items():
        thread.join(max(deadline - time.monotonic(), 0))
        if thread.is_alive():
            results.setdefault(name, (False, TIMEOUT))
    # A late thread may still write its answer; read a copy taken at the deadline.
    return {name: results.get(name, (False, TIMEOUT)) for name in checks}


def _run_one(check, name, results) -> None:
    try:
        results[name] = check()
    except Exception as exc:
        results[name] = (False, exc.__class__.__name__)
    finally:
        connection.close()  # this thread's own database connection, if the check opened one
