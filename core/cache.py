"""The embedded default's cache: Django's file cache with exact counters.

Django's file cache does `add` and `incr` as a read followed by a write, so two processes counting
at once lose counts: measured with 2 gunicorn workers, 300 page views counted 264 and a 60/h rate
limit let 64 through. Rate limits (django-ratelimit), delivery send slots and page views all count
with `add` + `incr`, so here both run under one exclusive file lock, making them as exact as
Redis's INCR. Production uses Redis (CACHE_URL=rediscache://...), where none of this applies;
there FailSafeRedisCache (below) keeps a dead or hung Redis from failing or stalling requests."""

import logging
import os
import threading
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.files import locks
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOCK_FILE = ".counters.lock"  # not a .djcache file: clear() and culling leave it alone


class FileCache(FileBasedCache):
    @contextmanager
    def _counters_locked(self):
        os.makedirs(self._dir, exist_ok=True)
        with open(os.path.join(self._dir, LOCK_FILE), "ab") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._counters_locked():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):  # decr() calls incr() with -delta
        with self._counters_locked():
            return super().incr(key, delta, version)


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache that degrades instead of failing when Redis is dead or hung.

    Every caller reads the cache for something it can do without: rate limits (django-ratelimit),
    page view counters, progress counts, the page cache, delivery send slots. Measured with Redis
    killed, every campaign page and every "Send" was a 500 (letters not stored); with Redis frozen,
    every request hung until gunicorn killed its worker. So each operation has short socket
    timeouts (OPTIONS socket_timeout / socket_connect_timeout, from CACHE_SOCKET_TIMEOUT) and, on a
    Redis error, answers what an empty cache would, in the direction that lets the request through:
    a miss for reads; True for `add`, which django-ratelimit reads as "first hit of this window",
    so limits fail open rather than refusing everyone; the delta itself for `incr`, a count that
    trips no limit. After a failure a breaker skips Redis for CIRCUIT_SECONDS in this process, so a
    frozen server costs one timeout per process per few seconds, not one per cache call.
    `decr` alone raises ValueError (what a missing key gives): the views flush takes a count out
    of the cache before writing it, and must not write a count it could not take out."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        circuit_seconds = float(options.pop("CIRCUIT_SECONDS", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        # One breaker per server for the whole process: Django builds a backend object per thread.
        self._breaker = _breaker_for(tuple(self._servers), circuit_seconds)

    def _guarded(self, fallback, operation, *args, **kwargs):
        if self._breaker.is_open():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._breaker.trip(exc)
            return fallback
        self._breaker.closed()
        return result

    def ping(self) -> None:
        """For /healthz: ask Redis itself, past the breaker and the fail-safe answers; raises."""
        self._cache.get_client(write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        if delta < 0:
            return self.decr(key, -delta, version)
        return self._guarded(delta, super().incr, key, delta, version)

    def decr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded(missing, super().incr, key, -delta, version)
        if result is missing:
            raise ValueError("The cache is not answering; nothing was taken out.")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)


class _Breaker:
    """Open for `seconds` after a failure. Warns once when it opens after a quiet spell (never the
    key or the server's address: keys hold email addresses, URLs may hold a password)."""

    WARN_EVERY = 60.0

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._open_until = 0.0
        self._failing = False
        self._last_warning = -self.WARN_EVERY
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, exc: Exception) -> None:
        with self._lock:
            now = time.monotonic()
            self._open_until = now + self.seconds
            self._failing = True
            if now - self._last_warning < self.WARN_EVERY:
                return
            self._last_warning = now
        logger.warning(
            "Cache (Redis) not answering (%s): serving without it, next try in %.0f s",
            exc.__class__.__name__, self.seconds,
        )

    def closed(self) -> None:
        if self._failing:  # cheap check first: this runs after every successful call
            with self._lock:
                was_failing, self._failing = self._failing, False
            if was_failing:
                logger.warning("Cache (Redis) answering again")


_breakers: dict[tuple, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(servers: tuple, seconds: float) -> _Breaker:
    with _breakers_lock:
        if servers not in _breakers:
            _breakers[servers] = _Breaker(seconds)
        return _breakers[servers]
