"""The US Census geocoder: a street address to its congressional district.

The only module that talks to the geocoder. It asks the ``geographies/address`` endpoint (free, no
key) for the address's geographies and reads the "<n>th Congressional Districts" layer. The layer's
name and field names carry the Congress number (``CD119`` for the 119th) and change every two years,
so the parser looks for any such layer and falls back from ``CD<n>`` to ``GEOID`` to ``BASENAME``.

Answers (a district, or "no match") are cached, since a supporter's address is looked up on the
confirmation step and again on submission; errors are never cached.
"""

import hashlib
import logging
import re

import requests
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
    cached = cache.get(key)
    if cached is not None:
        return None if cached == _NO_MATCH else (cached[0], int(cached[1]))

    try:
        response = requests.get(url, params=params, timeout=settings.CENSUS_GEOCODER_TIMEOUT)
    except requests.RequestException as exc:
        logger.warning("Census geocoder unreachable: %s", exc)
        raise GeocoderError(f"Census geocoder unreachable: {exc}") from exc
    if response.status_code != 200:
        logger.warning("Census geocoder answered HTTP %s", response.status_code)
        raise GeocoderError(f"Census geocoder answered HTTP {response.status_code}")
    try:
        payload = response.json()
    except ValueError as exc:
        raise GeocoderError("Census geocoder answered something that is not JSON") from exc

    found = district_from_response(payload)
    cache.set(key, _NO_MATCH if found is None else list(found), settings.CENSUS_GEOCODER_CACHE_SECONDS)
    return found


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
