"""The demo roster: seeded twice it changes nothing; after the real roster is loaded it steps aside."""

from io import StringIO

import pytest
from django.core.management import call_command

from congress import demo
from congress.lookup import lookup_by_zip
from congress.models import Legislator, ZipDistrict

pytestmark = pytest.mark.django_db


def test_seed_twice_changes_nothing():
    out = StringIO()
    demo.seed(stdout=out)
    first = list(Legislator.objects.order_by("pk").values_list())
    zips = list(ZipDistrict.objects.order_by("pk").values_list())

    demo.seed(stdout=out)

    assert list(Legislator.objects.order_by("pk").values_list()) == first
    assert list(ZipDistrict.objects.order_by("pk").values_list()) == zips
    assert "8 members (8 created, 0 updated)" in out.getvalue()
    assert "8 members (0 created, 0 updated)" in out.getvalue()


def test_demo_offers_every_kind_of_zip():
    demo.seed(stdout=StringIO())

    assert lookup_by_zip(demo.DEMO_SINGLE_DISTRICT_ZIP).needs_address is False
    assert lookup_by_zip(demo.DEMO_MULTI_DISTRICT_ZIP).needs_address is True
    assert lookup_by_zip(demo.DEMO_AT_LARGE_ZIP).district == 0
    assert [s.chamber for s in lookup_by_zip(demo.DEMO_DC_ZIP).seats] == ["house"]
    assert lookup_by_zip(demo.DEMO_VACANT_SEAT_ZIP).vacant_seats


def test_demo_members_step_aside_for_the_real_roster(congress_data):
    demo.seed(stdout=StringIO())
    call_command("load_legislators", "--file", str(congress_data / "legislators-current.json"),
                 stdout=StringIO(), stderr=StringIO())

    assert not Legislator.objects.active().filter(bioguide_id__startswith="DEMO").exists()

    demo.seed(stdout=StringIO())  # e.g. `make run` seeds again

    assert not Legislator.objects.active().filter(bioguide_id__startswith="DEMO").exists()
    assert sorted(m.last_name for m in lookup_by_zip(demo.DEMO_SINGLE_DISTRICT_ZIP).members[:2]) == [
        "Cantwell", "Murray"]
