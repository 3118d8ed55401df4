"""The embedded default's cache: Django's file cache with exact counters.

Django's file cache does `add` and `incr` as a read followed by a write, so two processes counting
at once lose counts: measured with 2 gunicorn workers, 300 page views counted 264 and a 60/h rate
limit let 64 through. Rate limits (django-ratelimit), delivery send slots and page views all count
with `add` + `incr`, so here both run under one exclusive file lock, making them as exact as
Redis's INCR. Production uses Redis (CACHE_URL=rediscache://...), where none of this applies."""

import os
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

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
