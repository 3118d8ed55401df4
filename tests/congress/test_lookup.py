"""Finding a supporter's members from a ZIP or a chosen district: one district, several districts,
at-large states, DC and the territories, unknown ZIPs and vacant seats."""

from io import StringIO

import pytest
from django.core.management import call_command

from congress.lookup import MemberLookup, Seat, lookup_by_district, lookup_by_zip
from congress.models import Legislator, ZipDistrict


def names(lookup: MemberLookup) -> list[str]:
    return [member.last_name for member in lookup.members]


def labels(lookup: MemberLookup) -> list[str]:
    return [seat.label for seat in lookup.seats]


# --- On the demo roster (small, fast) -------------------------------------------------------------


def test_single_district_zip_gives_two_senators_then_the_representative(demo_roster):
    found = lookup_by_zip(demo_roster.DEMO_SINGLE_DISTRICT_ZIP)

    assert (found.state, found.district, found.needs_address) == ("WA", 7, False)
    assert found.candidate_districts == (("WA", 7),)
    assert [seat.chamber for seat in found.seats] == ["senate", "senate", "house"]
    assert names(found) == ["Lindqvist", "Okafor", "Whitford"]
    assert [member.cwc_office_code for member in found.members] == ["SWA01", "SWA03", "HWA07"]
    assert found.vacant_seats == []


def test_zip_plus_four_and_spaces_are_accepted(demo_roster):
    assert lookup_by_zip(" 98109-4321 ").district == 7
    assert lookup_by_zip("981094321").district == 7


def test_multi_district_zip_asks_for_the_address_and_offers_the_districts(demo_roster):
    found = lookup_by_zip(demo_roster.DEMO_MULTI_DISTRICT_ZIP)

    assert found.needs_address is True
    assert (found.state, found.district) == ("WA", None)
    assert found.candidate_districts == (("WA", 7), ("WA", 9))
    # The senators are certain from the state; the House member is not yet.
    assert labels(found) == ["WA", "WA"]
    assert names(found) == ["Lindqvist", "Okafor"]


def test_choosing_a_candidate_district_completes_the_lookup(demo_roster):
    choice = lookup_by_zip(demo_roster.DEMO_MULTI_DISTRICT_ZIP).candidate_districts[1]

    found = lookup_by_district(state=choice[0], district=choice[1])

    assert (found.state, found.district, found.needs_address) == ("WA", 9, False)
    assert names(found) == ["Lindqvist", "Okafor", "Marchetti"]


def test_at_large_state(demo_roster):
    found = lookup_by_zip(demo_roster.DEMO_AT_LARGE_ZIP)

    assert (found.state, found.district, found.needs_address) == ("WY", 0, False)
    assert labels(found) == ["WY", "WY", "WY-AL"]
    assert [member.cwc_office_code for member in found.members] == ["SWY01", "SWY02", "HWY00"]
    assert found.members[2].title == "Rep."


def test_dc_has_its_delegate_and_no_senators(demo_roster):
    found = lookup_by_zip(demo_roster.DEMO_DC_ZIP)

    assert (found.state, found.district, found.needs_address) == ("DC", 0, False)
    assert found.seats == (Seat(chamber="house", state="DC", district=0, legislator=found.members[0]),)
    assert found.members[0].title == "Del."
    assert found.members[0].cwc_office_code == "HDC00"


def test_vacant_house_seat_is_kept_as_a_seat_without_member(demo_roster):
    found = lookup_by_zip(demo_roster.DEMO_VACANT_SEAT_ZIP)

    assert found.needs_address is False
    assert labels(found) == ["WA", "WA", "WA-10"]
    assert found.seats[2].legislator is None
    assert found.seats[2].is_vacant
    assert found.vacant_seats == [found.seats[2]]
    assert names(found) == ["Lindqvist", "Okafor"]


def test_vacant_senate_seat_is_said_too(demo_roster):
    Legislator.objects.filter(bioguide_id="DEMO000002").update(is_active=False)

    found = lookup_by_zip(demo_roster.DEMO_SINGLE_DISTRICT_ZIP)

    assert [(seat.label, seat.is_vacant) for seat in found.seats] == [
        ("WA", False), ("WA", True), ("WA-7", False)]


@pytest.mark.parametrize("zip_code", ["99999", "00000", "", "ABCDE", "9810", "98109-12"])
def test_unknown_or_invalid_zip_asks_for_the_address(demo_roster, zip_code):
    found = lookup_by_zip(zip_code)

    assert found == MemberLookup(state=None, district=None, seats=(), needs_address=True, candidate_districts=())
    assert found.members == []


def test_zip_across_two_states_names_no_senators(db):
    ZipDistrict.objects.bulk_create([ZipDistrict(zip_code="02861", state="MA", district=4),
                                     ZipDistrict(zip_code="02861", state="RI", district=1)])

    found = lookup_by_zip("02861")

    assert (found.state, found.seats, found.needs_address) == (None, (), True)
    assert found.candidate_districts == (("MA", 4), ("RI", 1))


def test_territories_missing_from_the_zip_table_are_found_by_their_zip_range(db):
    moylan = Legislator.objects.create(bioguide_id="M001219", first_name="James", last_name="Moylan",
                                       chamber="house", state="GU", district=0)

    found = lookup_by_zip("96910")

    assert (found.state, found.district, found.needs_address) == ("GU", 0, False)
    assert found.members == [moylan]
    assert lookup_by_zip("00802").state == "VI"
    assert lookup_by_zip("96799").state == "AS"
    assert lookup_by_zip("96950").state == "MP"


def test_lookup_by_district_refuses_seats_that_do_not_exist(demo_roster):
    assert lookup_by_district(state="WA", district=99).needs_address is True
    assert lookup_by_district(state="ZZ", district=1).needs_address is True
    assert lookup_by_district(state="DC", district=1).needs_address is True
    assert lookup_by_district(state="WA", district="seven").needs_address is True
    assert lookup_by_district(state="wa", district="7").members[2].last_name == "Whitford"


def test_lookup_by_district_knows_territories_without_zip_rows(db):
    found = lookup_by_district(state="AS", district=0)

    assert (found.needs_address, labels(found)) == (False, ["AS-AL"])
    assert found.seats[0].is_vacant  # no member loaded here


def test_inactive_members_are_not_returned(demo_roster):
    Legislator.objects.filter(bioguide_id="DEMO000003").update(is_active=False)

    assert lookup_by_zip(demo_roster.DEMO_SINGLE_DISTRICT_ZIP).seats[2].is_vacant


def test_a_zip_lookup_takes_two_queries(demo_roster, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = lookup_by_zip(demo_roster.DEMO_SINGLE_DISTRICT_ZIP)
        _ = [member.cwc_office_code for member in found.members]


# --- On the real data --------------------------------------------------------------------------------


@pytest.fixture
def real_roster(db, congress_data):
    out = StringIO()
    call_command("load_legislators", "--file", str(congress_data / "legislators-current.yaml"), stdout=out,
                 stderr=StringIO())
    call_command("load_zip_districts", "--file", str(congress_data / "zccd.csv"), stdout=out)


def test_real_data_lookups(real_roster):
    one = lookup_by_zip("94110")  # San Francisco, CA-11
    assert (one.state, one.district, one.needs_address) == ("CA", 11, False)
    assert sorted(names(one)[:2]) == ["Padilla", "Schiff"]
    assert one.members[2].last_name == "Pelosi"

    several = lookup_by_zip("98101")  # downtown Seattle
    assert several.needs_address is True
    assert several.candidate_districts == (("WA", 7), ("WA", 9))
    assert sorted(names(several)) == ["Cantwell", "Murray"]

    wyoming = lookup_by_zip("82001")
    assert wyoming.district == 0
    assert [member.cwc_office_code for member in wyoming.members][2] == "HWY00"
    assert len(wyoming.members) == 3

    assert names(lookup_by_zip("20001")) == ["Norton"]
    puerto_rico = lookup_by_zip("00601")
    assert [(m.cwc_office_code, m.title) for m in puerto_rico.members] == [("HPR00", "Res. Comm.")]
    assert names(lookup_by_zip("96910")) == ["Moylan"]  # Guam: not in zccd.csv, found by its ZIP range

    assert lookup_by_zip("20500").needs_address is True  # the White House: a ZIP with no ZCTA
    assert lookup_by_zip("20500").seats == ()


def test_real_vacant_seat(real_roster):
    found = lookup_by_zip("30250")  # GA-13: no member in this version of the data

    assert (found.district, found.needs_address) == (13, False)
    assert [seat.is_vacant for seat in found.seats] == [False, False, True]
