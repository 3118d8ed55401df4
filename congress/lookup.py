"""Finding a supporter's members of Congress: from a ZIP code, a street address or a chosen district.

Every function returns a :class:`MemberLookup`. When ``needs_address`` is true the answer is not
complete (the ZIP spans several districts or is unknown, or the address could not be placed): the
caller must ask for the street address, or let the supporter pick one of ``candidate_districts``
and call :func:`lookup_by_district`. Nothing may be delivered on an answer that still needs an
address. Senators are known from the state alone, so they are listed even then when the state is
certain.

A ZIP lookup is two queries (the ZIP rows, then the members of one state) and a district lookup at
most three, so a busy action day does not multiply database work.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from .geocoder import GeocoderError, geocode_district
from .models import Legislator, ZipDistrict
from .states import NON_STATE_CODES, STATE_CODES

__all__ = [
    "DistrictChoice",
    "GeocoderError",
    "MemberLookup",
    "Seat",
    "district_choices",
    "lookup_by_address",
    "lookup_by_district",
    "lookup_by_state",
    "lookup_by_zip",
    "state_districts",
    "normalize_zip",
    "STATE_CODES",
]

# zccd.csv has no rows for four territories (it only covers the states, DC and PR); each has a single
# at-large delegate, so their USPS ZIP ranges are enough to answer without an address.
_TERRITORY_ZIP_RANGES = (
    ("AS", 96799, 96799),
    ("GU", 96910, 96932),
    ("MP", 96950, 96952),
    ("VI", 801, 851),
)

_ZIP_RE = re.compile(r"^\s*(\d{5})(?:[-\s]?\d{4})?\s*$")


@dataclass(frozen=True)
class Seat:
    """One seat the supporter is represented in. ``legislator`` is None when the seat is vacant."""

    chamber: str
    state: str
    district: int | None
    legislator: Legislator | None

    @property
    def is_vacant(self) -> bool:
        return self.legislator is None

    @property
    def label(self) -> str:
        """"WA" for a Senate seat, "WA-7" or "WY-AL" for a House seat."""
        if self.chamber == Legislator.Chamber.SENATE:
            return self.state
        return f"{self.state}-{'AL' if self.district == 0 else self.district}"


@dataclass(frozen=True)
class MemberLookup:
    state: str | None
    district: int | None
    seats: tuple[Seat, ...]
    needs_address: bool
    candidate_districts: tuple[tuple[str, int], ...] = ()

    @property
    def members(self) -> list[Legislator]:
        return [seat.legislator for seat in self.seats if seat.legislator is not None]

    @property
    def vacant_seats(self) -> list[Seat]:
        return [seat for seat in self.seats if seat.legislator is None]


def normalize_zip(zip_code: str) -> str | None:
    """The five-digit ZIP of "98101", "98101-1234" or " 98101 1234 "; None when it is not a ZIP."""
    match = _ZIP_RE.match(zip_code or "")
    return match.group(1) if match else None


def _territory_for_zip(zip5: str) -> str | None:
    number = int(zip5)
    for state, low, high in _TERRITORY_ZIP_RANGES:
        if low <= number <= high:
            return state
    return None


def _seats(state: str, district: int | None) -> tuple[Seat, ...]:
    """Both Senate seats of a state (none for DC and the territories) and, when the district is
    known, its House seat; a seat nobody holds is kept, with no legislator, so the page can say so."""
    want_house = district is not None
    # One query for the whole answer: the senators and the one House member.
    wanted = Q(chamber=Legislator.Chamber.SENATE)
    if want_house:
        wanted |= Q(chamber=Legislator.Chamber.HOUSE, district=district)
    legislators = list(
        Legislator.objects.active().filter(wanted, state=state).order_by("chamber", "senate_class", "pk")
    )
    seats: list[Seat] = []
    if state not in NON_STATE_CODES:
        senators = [member for member in legislators if member.chamber == Legislator.Chamber.SENATE][:2]
        seats.extend(Seat(Legislator.Chamber.SENATE, state, None, member) for member in senators)
        seats.extend(Seat(Legislator.Chamber.SENATE, state, None, None) for _ in range(2 - len(senators)))
    if want_house:
        house = next((member for member in legislators if member.chamber == Legislator.Chamber.HOUSE), None)
        seats.append(Seat(Legislator.Chamber.HOUSE, state, district, house))
    return tuple(seats)


def _unknown() -> MemberLookup:
    return MemberLookup(state=None, district=None, seats=(), needs_address=True, candidate_districts=())


def lookup_by_zip(zip_code: str) -> MemberLookup:
    """Members for a ZIP (ZIP+4 accepted; only the first five digits are used).

    One district: complete. Several districts in one state: the senators, ``needs_address`` and the
    districts as candidates. Several states or an unknown ZIP: no seats, ``needs_address``."""
    zip5 = normalize_zip(zip_code)
    if zip5 is None:
        return _unknown()
    candidates = tuple(
        ZipDistrict.objects.filter(zip_code=zip5).order_by("state", "district").values_list("state", "district")
    )
    if not candidates:
        territory = _territory_for_zip(zip5)
        if territory is None:
            return _unknown()
        candidates = ((territory, 0),)
    if len(candidates) == 1:
        state, district = candidates[0]
        return MemberLookup(
            state=state, district=district, seats=_seats(state, district), needs_address=False,
            candidate_districts=candidates,
        )
    states = {state for state, _district in candidates}
    if len(states) == 1:
        (state,) = states
        return MemberLookup(
            state=state, district=None, seats=_seats(state, None), needs_address=True,
            candidate_districts=candidates,
        )
    return MemberLookup(state=None, district=None, seats=(), needs_address=True, candidate_districts=candidates)


def lookup_by_district(*, state: str, district: int) -> MemberLookup:
    """Members for a known seat, e.g. the district a supporter picked among the candidates.

    A state or district that does not exist gives an incomplete answer (``needs_address``), never an
    error, since the values usually come from a form."""
    state = (state or "").strip().upper()
    try:
        district = int(district)
    except (TypeError, ValueError):
        return _unknown()
    if state not in STATE_CODES or not _district_exists(state, district):
        return _unknown()
    return MemberLookup(
        state=state, district=district, seats=_seats(state, district), needs_address=False,
        candidate_districts=((state, district),),
    )


def _district_exists(state: str, district: int) -> bool:
    if district < 0:
        return False
    if state in NON_STATE_CODES:
        return district == 0
    return (
        ZipDistrict.objects.filter(state=state, district=district).exists()
        or Legislator.objects.filter(chamber=Legislator.Chamber.HOUSE, state=state, district=district).exists()
    )


def lookup_by_address(*, street: str, city: str, state: str, zip_code: str) -> MemberLookup:
    """Members for a street address.

    A ZIP inside one district needs no geocoding. Otherwise the Census geocoder places the address;
    when it cannot (no match, an error, or it is switched off) the ZIP's answer comes back with
    ``needs_address`` and its candidate districts, so the supporter can choose."""
    by_zip = lookup_by_zip(zip_code)
    state = (state or "").strip().upper()
    if not by_zip.needs_address and by_zip.state == state:
        return by_zip
    try:
        found = geocode_district(street=street, city=city, state=state, zip_code=zip_code)
    except GeocoderError:
        found = None
    if found is not None:
        answer = lookup_by_district(state=found[0], district=found[1])
        if not answer.needs_address:
            return answer
    if by_zip.needs_address:
        return by_zip
    # The ZIP named one district but in another state than the address: let the supporter choose.
    return MemberLookup(
        state=None, district=None, seats=(), needs_address=True, candidate_districts=by_zip.candidate_districts
    )


def lookup_by_state(state: str) -> MemberLookup:
    """The senators of a state the supporter gave, when the ZIP cannot say (unknown, or listed in
    another state): enough for a Senate campaign, ``needs_address`` for anything with a House seat."""
    state = (state or "").strip().upper()
    if state not in STATE_CODES:
        return _unknown()
    return MemberLookup(state=state, district=None, seats=_seats(state, None), needs_address=True)


def state_districts(state: str) -> tuple[tuple[str, int], ...]:
    """Every House district of a state, as the ZIP table and the roster know them: the fallback
    when the supporter's ZIP is not in the table for their state (PO-box ZIPs, rows lost upstream)."""
    state = (state or "").strip().upper()
    if state not in STATE_CODES:
        return ()
    if state in NON_STATE_CODES:
        return ((state, 0),)
    districts = set(ZipDistrict.objects.filter(state=state).values_list("district", flat=True).distinct())
    districts |= set(
        Legislator.objects.active()
        .filter(chamber=Legislator.Chamber.HOUSE, state=state)
        .values_list("district", flat=True)
    )
    return tuple((state, district) for district in sorted(districts))


@dataclass(frozen=True)
class DistrictChoice:
    """One district a supporter may pick, with the member who holds it (None: vacant)."""

    state: str
    district: int
    member: Legislator | None

    @property
    def seat_label(self) -> str:
        return f"{self.state}-{'AL' if self.district == 0 else self.district}"


def district_choices(candidates) -> list[DistrictChoice]:
    """The candidates with their House members, in one query, in the candidates' order."""
    candidates = [(state, int(district)) for state, district in candidates]
    if not candidates:
        return []
    wanted = Q()
    for state, district in candidates:
        wanted |= Q(state=state, district=district)
    members = {
        (member.state, member.district): member
        for member in Legislator.objects.active().filter(wanted, chamber=Legislator.Chamber.HOUSE).order_by("pk")
    }
    return [DistrictChoice(state, district, members.get((state, district))) for state, district in candidates]
