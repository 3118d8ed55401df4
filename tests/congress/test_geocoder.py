"""Resolving an address with the Census geocoder (a local server speaking its JSON), and falling back
to the ZIP's candidate districts when it cannot."""

import pytest

from congress.geocoder import GeocoderError, district_from_response, geocode_district
from congress.lookup import lookup_by_address
from congress.models import Legislator, ZipDistrict
from tests.conftest import free_port

PIKE = {"street": "1301 5th Ave", "city": "Seattle", "state": "WA", "zip_code": "98101"}


def test_address_in_a_multi_district_zip_is_resolved_by_the_geocoder(demo_roster, census_geocoder):
    census_geocoder.add_address(**PIKE, district="09")

    found = lookup_by_address(**PIKE)

    assert (found.state, found.district, found.needs_address) == ("WA", 9, False)
    assert [member.last_name for member in found.members] == ["Lindqvist", "Okafor", "Marchetti"]
    sent = census_geocoder.requests[-1]
    assert sent == {"street": "1301 5th Ave", "city": "Seattle", "state": "WA", "zip": "98101",
                    "benchmark": "Public_AR_Current", "vintage": "Current_Current", "format": "json"}


def test_no_match_falls_back_to_the_candidate_districts(demo_roster, census_geocoder):
    found = lookup_by_address(street="1 Nowhere Rd", city="Seattle", state="WA", zip_code="98101")

    assert len(census_geocoder.requests) == 1
    assert found.needs_address is True
    assert found.candidate_districts == (("WA", 7), ("WA", 9))
    assert [member.last_name for member in found.members] == ["Lindqvist", "Okafor"]


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_falls_back_to_the_candidate_districts(demo_roster, census_geocoder, status):
    census_geocoder.add_address(**PIKE, district="09")
    census_geocoder.fail_with(status)

    found = lookup_by_address(**PIKE)

    assert len(census_geocoder.requests) == 1
    assert (found.needs_address, found.candidate_districts) == (True, (("WA", 7), ("WA", 9)))


def test_unreachable_geocoder_falls_back(demo_roster, settings):
    settings.CENSUS_GEOCODER_URL = f"http://127.0.0.1:{free_port()}/geocoder/geographies/address"
    settings.CENSUS_GEOCODER_TIMEOUT = 2

    found = lookup_by_address(**PIKE)

    assert (found.needs_address, found.candidate_districts) == (True, (("WA", 7), ("WA", 9)))


def test_switched_off_geocoder_falls_back_without_asking(demo_roster, census_geocoder, settings):
    settings.CENSUS_GEOCODER_URL = ""

    found = lookup_by_address(**PIKE)

    assert census_geocoder.requests == []
    assert found.needs_address is True


def test_single_district_zip_needs_no_geocoding(demo_roster, census_geocoder):
    found = lookup_by_address(street="400 Broad St", city="Seattle", state="WA", zip_code="98109")

    assert census_geocoder.requests == []
    assert (found.district, found.needs_address) == (7, False)


def test_zip_in_another_state_than_the_address_is_geocoded(demo_roster, census_geocoder):
    census_geocoder.add_address(street="1 Main St", city="Cheyenne", state="WY", zip_code="98109", district="00")

    found = lookup_by_address(street="1 Main St", city="Cheyenne", state="WY", zip_code="98109")

    assert len(census_geocoder.requests) == 1
    assert (found.state, found.district) == ("WY", 0)


def test_unknown_zip_with_a_geocoded_address(demo_roster, census_geocoder):
    census_geocoder.add_address(street="1600 Pennsylvania Ave NW", city="Washington", state="DC",
                                zip_code="20500", district="98")

    found = lookup_by_address(street="1600 Pennsylvania Ave NW", city="Washington", state="DC", zip_code="20500")

    assert (found.state, found.district, found.needs_address) == ("DC", 0, False)
    assert [member.title for member in found.members] == ["Del."]


def test_unknown_zip_and_no_match_asks_again(demo_roster, census_geocoder):
    found = lookup_by_address(street="1 Nowhere Rd", city="Nowhere", state="WA", zip_code="99999")

    assert (found.needs_address, found.candidate_districts, found.seats) == (True, (), ())


def test_answers_are_cached_but_errors_are_not(demo_roster, census_geocoder):
    census_geocoder.add_address(**PIKE, district="07")
    assert lookup_by_address(**PIKE).district == 7
    assert lookup_by_address(**{**PIKE, "street": "  1301  5TH AVE "}).district == 7
    assert len(census_geocoder.requests) == 1

    other = {**PIKE, "street": "2 Other St"}
    census_geocoder.add_address(**other, district="09")
    census_geocoder.fail_with(500)
    assert lookup_by_address(**other).needs_address is True
    census_geocoder.failure = None
    assert lookup_by_address(**other).district == 9
    assert len(census_geocoder.requests) == 3


def test_geocoded_district_that_does_not_exist_falls_back(demo_roster, census_geocoder):
    census_geocoder.add_address(**PIKE, district="42")

    found = lookup_by_address(**PIKE)

    assert (found.needs_address, found.candidate_districts) == (True, (("WA", 7), ("WA", 9)))


def test_geocode_district_raises_on_errors(db, census_geocoder):
    census_geocoder.fail_with(503)

    with pytest.raises(GeocoderError, match="HTTP 503"):
        geocode_district(**PIKE)


def test_geocode_district_on_a_vacant_seat(db, census_geocoder):
    ZipDistrict.objects.create(zip_code="98404", state="WA", district=10)
    census_geocoder.add_address(street="1 Tacoma Ave", city="Tacoma", state="WA", zip_code="98404", district="10")
    assert geocode_district(street="1 Tacoma Ave", city="Tacoma", state="WA", zip_code="98404") == ("WA", 10)


# --- Reading the Census JSON ---------------------------------------------------------------------------


def census_answer(*geographies: dict) -> dict:
    return {"result": {"input": {}, "addressMatches": [{"matchedAddress": "X", "geographies": g}
                                                        for g in geographies]}}


def test_parser_reads_the_cd_field_geoid_or_basename():
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"STATE": "53", "CD119": "07", "GEOID": "5307"}]})) == ("WA", 7)
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"GEOID": "0612", "NAME": "Congressional District 12"}]})) == ("CA", 12)
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"STATE": "56", "BASENAME": "Congressional District (at Large)"}]}
    )) == ("WY", 0)
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"STATE": "11", "CD119": "98", "GEOID": "1198"}]})) == ("DC", 0)


def test_parser_prefers_the_configured_congress_and_survives_a_new_one(settings):
    both = {
        "120th Congressional Districts": [{"STATE": "48", "CD120": "10", "GEOID": "4810"}],
        "119th Congressional Districts": [{"STATE": "48", "CD119": "37", "GEOID": "4837"}],
    }
    assert district_from_response(census_answer(both)) == ("TX", 37)
    settings.CONGRESS_NUMBER = 120
    assert district_from_response(census_answer(both)) == ("TX", 10)
    only_next = {"121st Congressional Districts": [{"STATE": "48", "CD121": "05"}]}
    assert district_from_response(census_answer(only_next)) == ("TX", 5)


def test_parser_gives_none_for_no_layer_water_or_disagreeing_matches():
    assert district_from_response({"result": {"addressMatches": []}}) is None
    assert district_from_response(census_answer({"States": [{"STATE": "53"}]})) is None
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"STATE": "06", "CD119": "ZZ", "GEOID": "06ZZ"}]})) is None
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"STATE": "53", "CD119": "07"}]},
        {"119th Congressional Districts": [{"STATE": "53", "CD119": "09"}]},
    )) is None
    # Two matches in the same district are one answer.
    assert district_from_response(census_answer(
        {"119th Congressional Districts": [{"STATE": "53", "CD119": "07"}]},
        {"119th Congressional Districts": [{"STATE": "53", "CD119": "07"}]},
    )) == ("WA", 7)


@pytest.mark.parametrize("payload", [{}, {"result": None}, {"errors": ["street cannot be empty"]},
                                     {"result": {"addressMatches": "none"}}])
def test_parser_refuses_what_is_not_the_census_format(payload):
    with pytest.raises(GeocoderError):
        district_from_response(payload)


def test_real_roster_through_the_geocoder(db, census_geocoder):
    """The House member the geocoder points to is the one the lookup returns, with their office code."""
    ZipDistrict.objects.bulk_create([ZipDistrict(zip_code="78701", state="TX", district=d) for d in (25, 37)])
    member = Legislator.objects.create(bioguide_id="D000399", first_name="Lloyd", last_name="Doggett",
                                       chamber="house", state="TX", district=37)
    census_geocoder.add_address(street="1100 Congress Ave", city="Austin", state="TX", zip_code="78701",
                                district="37")

    found = lookup_by_address(street="1100 Congress Ave", city="Austin", state="TX", zip_code="78701")

    assert found.members == [member]
    assert [seat.label for seat in found.seats] == ["TX", "TX", "TX-37"]  # senators not loaded: vacant
    assert member.cwc_office_code == "HTX37"
