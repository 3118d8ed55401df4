"""A geocoder that is slow or down costs a supporter little: a deadline for the whole answer, and a
circuit breaker, kept in the cache for every web worker, that skips it after repeated failures.
Nothing the geocoder's failures log names the address."""

import logging
import time

import pytest
from django.core.cache.backends.base import BaseCache

from congress import geocoder
from congress.geocoder import GeocoderError, breaker_is_open, geocode_district
from congress.lookup import lookup_by_address
from tests.conftest import free_port

PIKE = {"street": "1301 5th Ave", "city": "Seattle", "state": "WA", "zip_code": "98101"}
ZIP_CHOICE = (True, (("WA", 7), ("WA", 9)))


@pytest.fixture
def breaker(settings):
    settings.CENSUS_GEOCODER_TIMEOUT = 0.5
    settings.CENSUS_GEOCODER_BREAKER_FAILURES = 3
    settings.CENSUS_GEOCODER_BREAKER_SECONDS = 300
    return settings


def _lookup_seconds(**address) -> tuple[float, object]:
    started = time.monotonic()
    found = lookup_by_address(**address)
    return time.monotonic() - started, found


def test_a_geocoder_that_never_answers_is_given_up_within_the_timeout(demo_roster, census_geocoder, breaker):
    census_geocoder.hang()

    seconds, found = _lookup_seconds(**PIKE)

    assert seconds < 1.5
    assert (found.needs_address, found.candidate_districts) == ZIP_CHOICE


def test_an_answer_that_trickles_in_is_given_up_at_the_deadline(demo_roster, census_geocoder, breaker):
    """requests' timeout is per read: one byte every 0.1 s would keep it waiting as long as the body."""
    census_geocoder.trickle()

    seconds, found = _lookup_seconds(**PIKE)

    assert seconds < 1.5
    assert (found.needs_address, found.candidate_districts) == ZIP_CHOICE


def test_after_three_failures_in_a_row_the_geocoder_is_skipped(demo_roster, census_geocoder, breaker):
    census_geocoder.fail_with(503)
    for number in range(3):
        lookup_by_address(**{**PIKE, "street": f"{number} Pike St"})
    assert len(census_geocoder.requests) == 3 and breaker_is_open()

    census_geocoder.failure = None
    census_geocoder.add_address(**PIKE, district="09")
    found = lookup_by_address(**PIKE)

    assert len(census_geocoder.requests) == 3  # not asked: the supporter chooses their district at once
    assert (found.needs_address, found.candidate_districts) == ZIP_CHOICE


def test_the_open_breaker_is_shared_through_the_cache(demo_roster, census_geocoder, breaker):
    census_geocoder.hang()
    for number in range(3):
        lookup_by_address(**{**PIKE, "street": f"{number} Pike St"})
    geocoder._local_breaker.reset()  # another web worker: it has seen no failure itself

    seconds, found = _lookup_seconds(**PIKE)

    assert seconds < 0.2 and len(census_geocoder.requests) == 3
    assert found.needs_address


def test_a_success_starts_the_count_again(demo_roster, census_geocoder, breaker):
    census_geocoder.add_address(**PIKE, district="09")
    for _round in range(2):
        census_geocoder.fail_with(503)
        lookup_by_address(**{**PIKE, "street": "1 Pike St"})
        lookup_by_address(**{**PIKE, "street": "2 Pike St"})
        census_geocoder.failure = None
        geocoder.cache.clear()  # the answer for PIKE is asked again, not read from the cache
        assert lookup_by_address(**PIKE).district == 9

    assert not breaker_is_open() and len(census_geocoder.requests) == 6


def test_the_breaker_closes_after_its_time_and_a_failed_try_opens_it_again(demo_roster, census_geocoder, breaker):
    breaker.CENSUS_GEOCODER_BREAKER_SECONDS = 0.3
    census_geocoder.fail_with(503)
    for number in range(3):
        lookup_by_address(**{**PIKE, "street": f"{number} Pike St"})
    time.sleep(0.4)

    lookup_by_address(**PIKE)  # the breaker has closed: asked again, fails again

    assert len(census_geocoder.requests) == 4 and breaker_is_open()


def test_switched_off_is_not_a_failure(demo_roster, breaker):
    breaker.CENSUS_GEOCODER_URL = ""
    for _ in range(5):
        lookup_by_address(**PIKE)
    assert not breaker_is_open()


class _BrokenCache(BaseCache):
    """A cache backend whose every call raises, as a backend without FailSafeRedisCache's care would."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache down")

    add = get = set = touch = delete = incr = get_many = delete_many = has_key = clear = _fail


@pytest.fixture(params=["raising", "redis-down"])
def cache_down(request, settings):
    if request.param == "raising":
        settings.CACHES = {"default": {"BACKEND": f"{__name__}._BrokenCache"}}
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.FailSafeRedisCache",
                "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
                "OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2, "CIRCUIT_SECONDS": 5},
            }
        }
    yield
    geocoder._local_breaker.reset()


def test_with_the_cache_down_each_process_keeps_its_own_breaker(db, census_geocoder, breaker, cache_down, monkeypatch):
    # The ZIP lookup is the database's; only the geocoder's breaker and answers use the cache.
    census_geocoder.hang()
    for number in range(3):
        with pytest.raises(GeocoderError):
            geocode_district(**{**PIKE, "street": f"{number} Pike St"})

    started = time.monotonic()
    with pytest.raises(GeocoderError, match="skipped"):
        geocode_district(**PIKE)

    assert time.monotonic() - started < 0.2 and len(census_geocoder.requests) == 3


@pytest.mark.parametrize("failure", ["unreachable", "hang", "http"])
def test_failures_log_no_address(demo_roster, census_geocoder, breaker, caplog, failure):
    if failure == "unreachable":
        breaker.CENSUS_GEOCODER_URL = f"http://127.0.0.1:{free_port()}/geocoder/geographies/address"
    elif failure == "hang":
        census_geocoder.hang()
    else:
        census_geocoder.fail_with(500)
    caplog.set_level(logging.DEBUG)
    messages = []
    for number in range(4):  # the fourth is skipped by the open breaker
        try:
            geocode_district(**{**PIKE, "street": f"{number}301 5th Ave"})
        except GeocoderError as exc:
            messages.append(str(exc))

    logged = caplog.text + "\n".join(messages)
    assert "Census geocoder failed" in caplog.text
    for value in ("301 5th", "301+5th", "301%205th", "5th Ave", "5th+Ave", "Seattle", "98101"):
        assert value not in logged
