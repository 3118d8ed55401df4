"""load_senate_cwc_offices: the Senate's list of offices that take CWC decides which senators'
letters go through CWC; a malformed or empty list is refused and changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from congress.models import Legislator
from tests.advocacy.factories import LegislatorFactory
from tests.fakes.cwc_server import CWCServerFake

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_senate_cwc_offices", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def senators():
    return {
        "SWA01": LegislatorFactory(senator=True, state="WA", senate_class=1, accepts_cwc=False),
        "SWA03": LegislatorFactory(senator=True, state="WA", senate_class=3),
        "SCA03": LegislatorFactory(senator=True, state="CA", senate_class=3),
        "house": LegislatorFactory(state="WA", district=7, accepts_cwc=True),
    }


def accepts() -> dict[str, bool]:
    return dict(Legislator.objects.values_list("cwc_office_code", "accepts_cwc"))


def offices_file(tmp_path, records) -> str:
    path = tmp_path / "active_offices.json"
    path.write_text(records if isinstance(records, str) else json.dumps(records, indent=2))
    return str(path)


def test_listed_senators_take_cwc_and_the_others_do_not(tmp_path, senators):
    path = offices_file(tmp_path, [
        {"name": "Senator One [bioguide_id: X000001]", "office_code": "SWA01"},
        {"name": "Senator Two [bioguide_id: X000002]", "office_code": "SCA03"},
        {"name": "Someone not loaded [bioguide_id: X000003]", "office_code": "STX02"},
    ])

    out = run("--file", path)

    assert accepts() == {"SWA01": True, "SWA03": False, "SCA03": True, "HWA07": True}
    assert "3 in the file; 2 current senators take CWC, 1 do not; 2 changed." in out
    assert "STX02" in out  # said, not silently dropped
    assert "0 changed." in run("--file", path)  # running it again changes nothing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "lists no offices"),
        ('{"office_code": "SWA01"}', "expected a list of offices"),
        ('[\n  {"office_code": "SWA01"},\n  {"office_code": "HWA07"}\n]', "office 2 (line 3): office_code must be"),
        ('[\n  {"office_code": "SWA01"},\n  {"name": "no code"}\n]', "office 2 (line 3): office_code must be"),
        ('[{"office_code": "SWA01"', "invalid YAML"),
    ],
)
def test_a_malformed_list_is_refused_and_changes_nothing(tmp_path, senators, text, message):
    before = accepts()
    with pytest.raises(CommandError, match="Nothing was changed") as refused:
        run("--file", offices_file(tmp_path, text))
    assert message in str(refused.value)
    assert accepts() == before


def test_the_list_is_downloaded_from_the_senate_url_in_settings(senators, settings):
    fake = CWCServerFake(senate_offices=[("SWA03", "X000002")])
    fake.start()
    try:
        settings.CWC_SENATE_ACTIVE_OFFICES_URL = fake.base_url + "/api/active_offices.json"
        out = run()
    finally:
        fake.stop()
    assert accepts() == {"SWA01": False, "SWA03": True, "SCA03": False, "HWA07": True}
    assert "1 in the file" in out
