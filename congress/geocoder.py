"""The US Census geocoder: a street address to its congressional district.

The only module that talks to the geocoder. It asks the ``geographies/address`` endpoint (free, no
key) for the address's geographies and reads the "<n>th Congressional Districts" layer. The layer's
name and field names carry the Congress number (``CD119`` for the 119th) and change every two years,
so the parser looks for any such layer and falls back from ``CD<n>`` to ``GEOID`` to ``BASENAME``.

Answers (a district, or "no match") are cached, since a supporter's address is looked up on the
confirmation step and again on submission; errors are never cached.

The supporter waits on the page while we ask, and choosing a district is always there as the
fallback, so a geocoder that is slow or down must cost little: each call is given up after
CENSUS_GEOCODER_TIMEOUT without an answer and once the answer has taken longer in all (requests'
timeout alone is per read), and a circuit breaker skips the
geocoder for CENSUS_GEOCODER_BREAKER_SECONDS after CENSUS_GEOCODER_BREAKER_FAILURES failures in a
row. Measured before (bench/geocoder_stall.py): a geocoder that never answered held a web worker
5 s per split-ZIP submission, and six at once kept every page waiting 15 s. The breaker's state is
in the cache, so every web worker skips the geocoder once any has seen it fail; each process also
keeps its own count, which decides alone when the cache is down.

No log line or exception message carries the address: requests' errors name the URL, whose query
string is the street, so only the error's class is told.
"""

import contextlib
import hashlib
import json
import logging
import re
import threading
import time

import requests
import urllib3
from django.conf import settings
from django.core.cache import cache

from .states import STATE_BY_FIPS

logger = logging.getLogger(__name__)


class GeocoderError(Exception):
    """The geocoder could not be asked or gave an answer we cannot read (network error, timeout,
    HTTP error, not the Census JSON). The caller falls back to the ZIP's candidate districts."""


_LAYER_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)?\s+Congressional Districts$", re.IGNORECASE)
_CD_FIELD_RE = re.compile(r"^CD\d+$")
# Census codes "00" for at-large seats and "98" for DC's and the territories' delegates; both are
# district 0 in congress-legislators and zccd.csv. "ZZ" marks water or undefined areas.
_AT_LARGE_CODES = {"00", "98"}
_NO_MATCH = "none"
# A Census answer is a few kilobytes; anything far bigger is not one.
_MAX_ANSWER_BYTES = 1024 * 1024
_BREAKER_OPEN_KEY = "congress:geocoder:breaker:open"
_BREAKER_FAILURES_KEY = "congress:geocoder:breaker:failures"


def geocode_district(*, street: str, city: str, state: str, zip_code: str) -> tuple[str, int] | None:
    """(state, district) of an address, or None when the geocoder finds no single district for it.

    Raises GeocoderError when the geocoder is switched off (empty URL), unreachable, or answers
    something that is not its JSON."""
    url = settings.CENSUS_GEOCODER_URL
    if not url:
        raise GeocoderError("The Census geocoder is switched off (CENSUS_GEOCODER_URL is empty).")
    params = {
        "street": (street or "").strip(),
        "city": (city or "").strip(),
        "state": (state or "").strip().upper(),
        "zip": (zip_code or "").strip(),
        "benchmark": settings.CENSUS_GEOCODER_BENCHMARK,
        "vintage": settings.CENSUS_GEOCODER_VINTAGE,
        "format": "json",
    }
    if not params["street"]:
        return None
    # Case and spacing do not change where an address is, so they do not change the cache key.
    normalized = "|".join(
        " ".join(params[name].lower().split()) for name in ("street", "city", "state", "zip", "benchmark", "vintage")
    )
    key = "congress:geocode:" + hashlib.sha256(normalized.encode()).hexdigest()
    cached = None
    with contextlib.suppress(Exception):  # a cache that is down only means asking the geocoder
        cached = cache.get(key)
    if cached is not None:
        return None if cached == _NO_MATCH else (cached[0], int(cached[1]))

    if breaker_is_open():
        raise GeocoderError("The Census geocoder failed repeatedly; it is skipped for a while.")
    try:
        payload = _ask(url, params)
        found = district_from_response(payload)
    except GeocoderError as exc:
        _breaker_failure(exc)
        raise
    _breaker_success()
    with contextlib.suppress(Exception):
        cache.set(key, _NO_MATCH if found is None else list(found), settings.CENSUS_GEOCODER_CACHE_SECONDS)
    return found


def _ask(url: str, params: dict) -> object:
    """The geocoder's JSON. requests' timeout is per read (CENSUS_GEOCODER_TIMEOUT of silence), so the
    body is also held to a deadline: an answer that trickled in would otherwise never time out."""
    timeout = settings.CENSUS_GEOCODER_TIMEOUT
    deadline = time.monotonic() + timeout
    try:
        with requests.get(url, params=params, timeout=timeout, stream=True) as response:
            if response.status_code != 200:
                raise GeocoderError(f"Census geocoder answered HTTP {response.status_code}")
            body = bytearray()
            # read1 answers what has arrived; iter_content would wait for a full chunk first.
            while chunk := response.raw.read1(16384, decode_content=True):
                body += chunk
                if time.monotonic() > deadline:
                    raise GeocoderError(f"Census geocoder took longer than {timeout:g} s")
                if len(body) > _MAX_ANSWER_BYTES:
                    raise GeocoderError("Census geocoder answered far more than an answer")
    except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
        # str(exc) names the URL, and the URL holds the street: only the kind of error is kept.
        raise GeocoderError(f"Census geocoder unreachable ({exc.__class__.__name__})") from None
    try:
        return json.loads(body)
    except ValueError:
        raise GeocoderError("Census geocoder answered something that is not JSON") from None


# --- The circuit breaker -------------------------------------------------------------------------


class _LocalBreaker:
    """This process's own count of failures in a row, for when the cache cannot be read or written."""

    def __init__(self):
        self._lock = threading.Lock()
        self.failures = 0
        self.open_until = 0.0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def failure(self, *, threshold: int, seconds: float) -> bool:
        """Count a failure; True when this one opens the breaker."""
        with self._lock:
            self.failures += 1
            if self.failures < threshold or self.is_open():
                return False
            self.open_until = time.monotonic() + seconds
            return True

    def reset(self) -> None:
        with self._lock:
            self.failures = 0
            self.open_until = 0.0


_local_breaker = _LocalBreaker()


def breaker_is_open() -> bool:
    """Whether the geocoder is being skipped (in any web worker's experience, through the cache)."""
    if settings.CENSUS_GEOCODER_BREAKER_FAILURES <= 0:
        return False
    if _local_breaker.is_open():
        return True
    try:
        return cache.get(_BREAKER_OPEN_KEY) is not None
    except Exception:  # noqa: BLE001 - any cache backend's failure: this process's own count decides
        return False


def breaker_reset() -> None:
    """Close the breaker everywhere (tests; or staff, from a shell, once the geocoder is back)."""
    _local_breaker.reset()
    with contextlib.suppress(Exception):  # the cache being down leaves nothing there to reset
        cache.delete_many([_BREAKER_OPEN_KEY, _BREAKER_FAILURES_KEY])


def _breaker_failure(exc: GeocoderError) -> None:
    threshold = settings.CENSUS_GEOCODER_BREAKER_FAILURES
    seconds = settings.CENSUS_GEOCODER_BREAKER_SECONDS
    logger.warning("Census geocoder failed: %s", exc)
    if threshold <= 0:
        return
    opened = _local_breaker.failure(threshold=threshold, seconds=seconds)
    # Any cache backend's failure (not only Redis's): this process's own count then decides alone.
    with contextlib.suppress(Exception):
        # The count outlives the open breaker, so the first failure after it closes opens it again.
        cache.add(_BREAKER_FAILURES_KEY, 0, timeout=seconds * 2)
        if cache.incr(_BREAKER_FAILURES_KEY) >= threshold:
            opened = cache.add(_BREAKER_OPEN_KEY, 1, timeout=seconds) or opened
    if opened:
        logger.warning(
            "Census geocoder failed %s times in a row: skipped for %.0f s, supporters in split ZIPs choose "
            "their district meanwhile",
            threshold,
            seconds,
        )


def _breaker_success() -> None:
    if _local_breaker.failures:
        _local_breaker.reset()
    with contextlib.suppress(Exception):  # a count left behind expires on its own
        cache.delete(_BREAKER_FAILURES_KEY)


def district_from_response(payload: dict) -> tuple[str, int] | None:
    """Read (state, district) from a Census ``geographies`` JSON answer.

    No match, no congressional layer, or matches in different districts (an ambiguous address) all
    give None: the supporter then chooses among the ZIP's candidates."""
    try:
        matches = payload["result"]["addressMatches"]
    except (KeyError, TypeError) as exc:
        raise GeocoderError("Census geocoder answer has no result.addressMatches") from exc
    if not isinstance(matches, list):
        raise GeocoderError("Census geocoder answer has no result.addressMatches list")
    found = set()
    for match in matches:
        geographies = match.get("geographies") if isinstance(match, dict) else None
        district = _district_from_geographies(geographies) if isinstance(geographies, dict) else None
        if district is not None:
            found.add(district)
    if len(found) != 1:
        return None
    return found.pop()


def _district_layer(geographies: dict) -> list | None:
    layers = {}
    for name, features in geographies.items():
        match = _LAYER_RE.match(str(name).strip())
        if match and isinstance(features, list) and features:
            layers[int(match.group(1))] = features
    if not layers:
        return None
    wanted = settings.CONGRESS_NUMBER
    # The geocoder may already carry the next Congress's districts before it is sworn in; the members
    # we hold are the current Congress's, so its layer wins when both are there.
    return layers.get(wanted) or layers[min(layers, key=lambda number: abs(number - wanted))]


def _district_from_geographies(geographies: dict) -> tuple[str, int] | None:
    features = _district_layer(geographies)
    if not features:
        return None
    feature = features[0]
    if not isinstance(feature, dict):
        return None
    geoid = str(feature.get("GEOID") or "")
    state = STATE_BY_FIPS.get(str(feature.get("STATE") or geoid[:2]))
    if state is None:
        return None
    code = next((str(value) for key, value in feature.items() if _CD_FIELD_RE.match(key) and value), None)
    if code is None and len(geoid) == 4:
        code = geoid[2:]
    if code is None:
        basename = str(feature.get("BASENAME") or "")
        if "large" in basename.lower() or "delegate" in basename.lower():
            code = "00"
        elif basename.isdigit():
            code = basename
    if code is None:
        return None
    code = code.strip()
    if code in _AT_LARGE_CODES:
        return state, 0
    if not code.isdigit():
        return None
    return state, int(code)
