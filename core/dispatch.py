"""Publishing a task after its rows are committed, without ever failing or holding the request.

The rows (a letter's deliveries, a Stripe event, a receipt owed) are stored before the broker is
asked, and the periodic sweepers queue again whatever is still waiting. So a publish that fails
only delays work; it must not cost the request more than a moment. Measured on Redis: with the
broker frozen every request hung until gunicorn killed its worker at 30 s; with it refusing
connections each letter (four publishes) held a web worker about 2 s. Hence short socket timeouts
(BROKER_SOCKET_TIMEOUT, in settings), one immediate retry unless the broker timed out (a pooled
connection left over from a restarted broker fails once, then a fresh one works), and a
per-process backoff: after a failed publish the next BROKER_PUBLISH_BACKOFF_SECONDS of publishes
are left to the sweepers without asking the broker, so an outage costs one timeout per process
per few seconds."""

import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


def _give_up_on_timeout(exc, interval) -> None:
    """kombu's errback before it reconnects: a broker that timed out is hung (frozen, partitioned),
    and reconnecting would only wait out the timeout again, twice. A refused or reset connection
    (a restarted broker, a stale pooled connection) is worth the one immediate retry."""
    if isinstance(exc, TimeoutError | RedisTimeoutError):
        raise exc


# Retry once at once: kombu reconnects before the retry, which is what a stale pooled connection
# needs; waiting between tries would only hold the request longer.
RETRY_POLICY = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0, "errback": _give_up_on_timeout,
}

_lock = threading.Lock()
_skip_until = 0.0


def publish_on_commit(task, *args, **kwargs) -> None:
    """`task.delay(*args, **kwargs)` once the current transaction commits (at once outside one),
    or nothing but a log line when the broker does not answer: a sweeper finds the work later."""
    transaction.on_commit(lambda: publish_or_leave_for_sweeper(task, args, kwargs))


def publish_or_leave_for_sweeper(task, args=(), kwargs=None) -> bool:
    """Publish now; True when the broker took the message. Never raises."""
    global _skip_until
    if time.monotonic() < _skip_until:
        logger.debug("Broker recently unavailable, %s left for the sweeper", task.name)  # warned once
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs or {}, retry=True, retry_policy=RETRY_POLICY)
    except (OperationalError, OSError) as exc:  # kombu raises every transport's connection error as these
        with _lock:
            _skip_until = time.monotonic() + settings.BROKER_PUBLISH_BACKOFF_SECONDS
        logger.warning("Broker unavailable, %s left for the sweeper: %s", task.name, exc.__class__.__name__)
        return False
    except Exception:  # a bug, not an outage: loud, but the committed request still succeeds
        logger.exception("Could not publish %s; left for the sweeper", task.name)
        return False
    return True
