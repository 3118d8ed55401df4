"""Delivery backends: one module per way a letter can reach an office.

Each backend has ``send(delivery) -> str`` returning the id the backend gave the message, and
raises one of these when it did not get an acceptance:

- :class:`OfficeUnreachable`: nothing was sent (refused connection, DNS, connect timeout, TLS
  handshake): retried freely until the time budget runs out;
- :class:`UnconfirmedDeliveryError`: the request went out and no answer came (read timeout, a
  connection dropped after sending, a gateway timeout): the office may have it, so it is posted
  again at most once, after a long delay;
- :class:`TransientDeliveryError`: the office's system answered that it cannot take it now (5xx,
  429, maintenance): retried until the time budget runs out;
- :class:`PermanentDeliveryError`: retrying cannot help (the office rejected the message, a
  redirect, a missing key): the delivery fails at once.

Each may carry the HTTP status the office answered (``status_code``) for the attempt record."""

import importlib
import time

from django.conf import settings
from django.core.cache import cache


class DeliveryError(Exception):
    def __init__(self, message: str = "", *, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class TransientDeliveryError(DeliveryError):
    """The office's system answered that it cannot take the message now; retried with backoff."""


class OfficeUnreachable(TransientDeliveryError):
    """No connection: the request never left, so sending again cannot make a copy."""


class UnconfirmedDeliveryError(TransientDeliveryError):
    """The request was sent and never answered: the office may have it (maybe delivered)."""


class PermanentDeliveryError(DeliveryError):
    """The send cannot succeed as it is; the delivery fails at once."""


class DeliveryThrottled(Exception):
    """The backend's rate limit is used up for this second; try again shortly (not an attempt)."""


BACKEND_MODULES = {
    "cwc": "advocacy.delivery.cwc",
    "email": "advocacy.delivery.email",
    "console": "advocacy.delivery.console",
    "file": "advocacy.delivery.file",
}


def get_backend(name: str):
    try:
        return importlib.import_module(BACKEND_MODULES[name])
    except KeyError:
        raise PermanentDeliveryError(f"Unknown delivery backend {name!r}") from None


def rate_limit_name(*, backend: str, office_code: str) -> str:
    """Which DELIVERY_RATE_LIMITS entry a send counts against: the House's and the Senate's CWC are
    separate services, each with its own ceiling."""
    if backend == "cwc" and office_code.startswith("S"):
        return "cwc_senate"
    return backend


def acquire_send_slot(backend: str) -> bool:
    """A per-second counter per backend in the shared cache, so every worker together stays under
    the limit an office system sets (the Senate asks for at most 5–10 messages a second)."""
    limit = settings.DELIVERY_RATE_LIMITS.get(backend) or 0
    if limit <= 0:
        return True
    key = f"advocacy:delivery-rate:{backend}:{int(time.time())}"
    cache.add(key, 0, timeout=5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=5)
        count = 1
    return count <= limit
