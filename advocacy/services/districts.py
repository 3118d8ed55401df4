"""The district decision: where a supporter is represented, from the address they typed, and what
they choose from when the address cannot tell.

- The ZIP (or, for a split ZIP, the Census geocoder) names one district in the supporter's state:
  placed there.
- The ZIP's part in the supporter's state lies in one district (a ZIP across two states, such as
  02861 MA-4 / RI-1): placed there too. A list of one is not a choice.
- Several districts: the supporter chooses, each shown with its member.
- The ZIP table has no row for this ZIP in the supporter's state (PO-box ZIPs; rows the upstream
  build lost, such as Colorado's 81120, listed only as NM-3): every district of the state they gave,
  never "you are in another state" with no way forward. An at-large state needs no choice: placed
  when the ZIP is unknown; when the table lists the ZIP in another state the district page asks the
  supporter to confirm their state (a typo there would write to the wrong offices), with no choice.
- A Senate-only campaign needs the state alone.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congress.lookup import DistrictChoice, district_choices, lookup_by_address, lookup_by_zip, state_districts
from congress.states import NON_STATE_CODES

from ..models import Campaign

# Where a supporter unsure of their district can look it up; the district page links it.
HOUSE_LOOKUP_URL = "https://www.house.gov/representatives/find-your-representative"


@dataclass(frozen=True)
class Placement:
    """The supporter's district, or the districts to choose from (at least two), or neither (a
    campaign that needs no district)."""

    district: int | None = None
    candidates: list[tuple[str, int]] = field(default_factory=list)


def _zip_error(message: str, code: str) -> ValidationError:
    return ValidationError({"zip_code": ValidationError(message, code=code)})


def supporter_place(*, campaign: Campaign, data: dict) -> Placement:
    """Where the address in `data` is represented, for `campaign`. Raises ValidationError only when
    nothing at all is known about the supporter's state."""
    state = data["state"]
    if campaign.targets == Campaign.Targets.SENATE and state not in NON_STATE_CODES:
        return Placement()
    lookup = lookup_by_address(street=data["street"], city=data["city"], state=state, zip_code=data["zip_code"])
    if not lookup.needs_address and lookup.state == state:
        return Placement(district=lookup.district)
    in_state = [(s, d) for s, d in lookup.candidate_districts if s == state]
    # The table lists this ZIP, but only in other states: a lost row, or a typo in the state or ZIP.
    listed_elsewhere = bool(lookup.candidate_districts) and not in_state
    if not in_state:
        in_state = list(state_districts(state))
    if len(in_state) == 1 and not listed_elsewhere:
        return Placement(district=in_state[0][1])
    if in_state:
        # One district here is no choice, but the supporter confirms the state the ZIP disagrees with.
        return Placement(candidates=in_state)
    if lookup.candidate_districts:
        message = _("This ZIP code is in %(state)s; please check your state and ZIP code.")
        raise _zip_error(message % {"state": lookup.candidate_districts[0][0]}, "zip_elsewhere")
    raise ValidationError(
        _("We could not find the congressional district for this address. Please check the street and ZIP code."),
        code="no_district",
    )


@dataclass(frozen=True)
class DistrictPage:
    """What the district page shows: the choices with their members, and, when the ZIP table does
    not list the ZIP in the supporter's state, the states it does list (so a typo can be seen)."""

    choices: list[DistrictChoice]
    zip_listed_in: list[str]
    house_lookup_url: str = HOUSE_LOOKUP_URL

    @property
    def confirm_only(self) -> bool:
        """One district: the page asks to confirm the state, it offers no choice."""
        return len(self.choices) == 1


def district_page(*, state: str, zip_code: str, candidates: list[tuple[str, int]]) -> DistrictPage:
    listed = sorted({s for s, _d in lookup_by_zip(zip_code).candidate_districts})
    return DistrictPage(
        choices=district_choices(candidates),
        zip_listed_in=[] if state in listed else listed,
    )
