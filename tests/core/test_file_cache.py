"""The embedded default's file cache counts exactly when several processes count at once, as the
rate limits, delivery send slots and page views need (Django's own file cache loses counts)."""

import multiprocessing

from django.conf import settings

from core.cache import FileCache

PROCESSES = 4
EACH = 250


def _count(cache, key: str, start, _results) -> None:
    start.wait()
    for _ in range(EACH):
        cache.add(key, 0, timeout=60)
        cache.incr(key)


def _claim(cache, key: str, start, results) -> None:
    start.wait()
    results.put(cache.add(key, "mine", timeout=60))


def _run(target, cache, key: str, results=None) -> None:
    context = multiprocessing.get_context("fork")  # the children share this process's settings
    start = context.Event()
    processes = [context.Process(target=target, args=(cache, key, start, results)) for _ in range(PROCESSES)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0


def test_counts_from_several_processes_add_up_exactly(tmp_path):
    cache = FileCache(str(tmp_path), {})
    _run(_count, cache, "counter")
    assert cache.get("counter") == PROCESSES * EACH


def test_only_one_of_several_processes_adds_a_key(tmp_path):
    cache = FileCache(str(tmp_path), {})
    results = multiprocessing.get_context("fork").Queue()
    _run(_claim, cache, "claim", results)
    claims = [results.get(timeout=10) for _ in range(PROCESSES)]
    assert claims.count(True) == 1


def test_the_configured_cache_counts_exactly():
    """A filecache:// CACHE_URL (the default) gets FileCache, with room for many rate-limit keys;
    anything else must be Redis, whose INCR is atomic."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend == "core.cache.FileCache":
        assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] >= 10_000
    else:
        assert "redis" in backend.lower()
