"""load_legislators and load_zip_districts on the real data files, re-imports, removals, malformed
files (refused with the line, nothing changed) and --url downloads from a local HTTP server."""

import json
import shutil
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from congress.models import Legislator, ZipDistrict


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def roster_snapshot() -> list[tuple]:
    return list(Legislator.objects.order_by("bioguide_id").values_list())


def zip_snapshot() -> list[tuple]:
    return list(ZipDistrict.objects.order_by("zip_code", "state", "district").values_list())


# --- Legislators: the real files -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["legislators-current.yaml", "legislators-current.json"])
def test_load_legislators_real_file_loads_every_current_member(congress_data, name):
    out, err = run("load_legislators", "--file", str(congress_data / name))

    assert "537 in the file; 537 created, 0 updated, 0 unchanged, 0 deactivated" in out
    assert Legislator.objects.active().count() == 537
    assert Legislator.objects.filter(chamber=Legislator.Chamber.SENATE).count() == 100
    assert Legislator.objects.filter(chamber=Legislator.Chamber.HOUSE).count() == 437

    cantwell = Legislator.objects.get(bioguide_id="C000127")
    assert (cantwell.chamber, cantwell.state, cantwell.senate_class, cantwell.district) == ("senate", "WA", 1, None)
    assert cantwell.cwc_office_code == "SWA01"
    assert cantwell.last_name == "Cantwell"
    assert cantwell.phone == "202-224-3441"
    assert cantwell.website_url.startswith("https://www.cantwell.senate.gov")

    assert Legislator.objects.get(bioguide_id="P000197").cwc_office_code == "HCA11"  # Pelosi, CA-11
    hageman = Legislator.objects.get(bioguide_id="H001096")  # Wyoming's at-large seat
    assert (hageman.district, hageman.cwc_office_code, hageman.seat_label) == (0, "HWY00", "WY-AL")
    norton = Legislator.objects.get(bioguide_id="N000147")  # DC's delegate
    assert (norton.cwc_office_code, norton.title) == ("HDC00", "Del.")
    assert Legislator.objects.get(bioguide_id="R000600").cwc_office_code == "HAQ00"  # American Samoa
    # A member sworn in days before the data was taken has no official_full name yet.
    gallagher = Legislator.objects.get(bioguide_id="G000607")
    assert gallagher.official_full_name == ""
    assert gallagher.display_name == "James Gallagher"

    # Every state has two senators; DC and the territories none.
    for state in ("WA", "WY", "TX"):
        assert Legislator.objects.senators_for(state).count() == 2
    assert not Legislator.objects.filter(chamber="senate", state__in=["DC", "PR", "GU", "VI", "AS", "MP"]).exists()
    # One real record has a broken contact form link: kept out, and said so.
    assert "F000484" in err and "not a valid URL" in err
    assert Legislator.objects.get(bioguide_id="F000484").contact_form_url == ""


@pytest.mark.django_db
def test_load_legislators_yaml_and_json_give_the_same_roster(congress_data):
    run("load_legislators", "--file", str(congress_data / "legislators-current.yaml"))
    from_yaml = roster_snapshot()

    out, _err = run("load_legislators", "--file", str(congress_data / "legislators-current.json"))

    assert "0 created, 0 updated, 537 unchanged, 0 deactivated" in out
    assert roster_snapshot() == from_yaml


@pytest.mark.django_db
def test_load_legislators_again_changes_nothing(congress_data):
    path = str(congress_data / "legislators-current.yaml")
    run("load_legislators", "--file", path)
    before = roster_snapshot()

    out, _err = run("load_legislators", "--file", path)

    assert "0 created, 0 updated, 537 unchanged, 0 deactivated" in out
    assert roster_snapshot() == before  # not even updated_at moved


@pytest.mark.django_db
def test_member_missing_from_the_next_file_becomes_inactive_and_returns(congress_data, tmp_path):
    full = congress_data / "legislators-current.json"
    run("load_legislators", "--file", str(full))
    records = json.loads(full.read_text())
    without_cantwell = tmp_path / "without-cantwell.json"
    without_cantwell.write_text(json.dumps([r for r in records if r["id"]["bioguide"] != "C000127"]))

    out, _err = run("load_legislators", "--file", str(without_cantwell))

    assert "536 in the file; 0 created, 0 updated, 536 unchanged, 1 deactivated" in out
    cantwell = Legislator.objects.get(bioguide_id="C000127")
    assert cantwell.is_active is False
    assert [s.last_name for s in Legislator.objects.senators_for("WA")] == ["Murray"]

    out, _err = run("load_legislators", "--file", str(full))

    assert "0 created, 1 updated, 536 unchanged, 0 deactivated" in out
    assert Legislator.objects.get(bioguide_id="C000127").is_active is True


@pytest.mark.django_db
def test_load_legislators_keeps_what_staff_set(congress_data):
    path = str(congress_data / "legislators-current.yaml")
    run("load_legislators", "--file", path)
    Legislator.objects.filter(bioguide_id="C000127").update(accepts_cwc=False, email="letters@example.org")

    run("load_legislators", "--file", path)

    cantwell = Legislator.objects.get(bioguide_id="C000127")
    assert (cantwell.accepts_cwc, cantwell.email) == (False, "letters@example.org")


# --- Legislators: small files ------------------------------------------------------------------------


SMALL_YAML = """\
- id:
    bioguide: T000001
  name:
    first: Tess
    last: Tester
  terms:
  - type: rep
    state: WA
    district: 3
    party: Democrat
  - type: sen
    state: WA
    class: 2
    party: Democrat
    phone: 202-224-0000
- id:
    bioguide: T000002
  name:
    first: Otto
    last: Other
    official_full: Otto Q. Other
  terms:
  - type: rep
    state: VT
    district: 0
    party: Independent
"""


@pytest.mark.django_db
def test_load_legislators_uses_the_last_term(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_YAML)

    out, _err = run("load_legislators", "--file", str(path))

    assert "2 in the file; 2 created" in out
    tess = Legislator.objects.get(bioguide_id="T000001")
    assert (tess.chamber, tess.senate_class, tess.district, tess.cwc_office_code) == ("senate", 2, None, "SWA02")
    assert Legislator.objects.get(bioguide_id="T000002").cwc_office_code == "HVT00"


MALFORMED_LEGISLATORS = [
    pytest.param(
        "bad.yaml",
        SMALL_YAML + "- id:\n    bioguide: T000003\n  name: [Unclosed\n  terms: []\n",
        "line 30, column 8: invalid YAML (did not find expected ',' or ']', "
        "while parsing a flow sequence begun on line 29)",
        id="yaml-syntax",
    ),
    pytest.param(
        "bad-record.yaml",
        SMALL_YAML + "- id:\n    bioguide: T000003\n  name:\n    first: Gov\n    last: Nor\n  terms:\n"
        "  - type: gov\n    state: WA\n",
        "record 3 (line 27), bioguide T000003: last term type must be 'rep' or 'sen'",
        id="yaml-record",
    ),
    pytest.param(
        "bad-district.yaml",
        SMALL_YAML.replace("district: 0", "district: at-large"),
        "record 2 (line 16), bioguide T000002: last term district must be a number",
        id="yaml-district",
    ),
    pytest.param(
        "dc-senator.yaml",
        SMALL_YAML.replace("state: VT\n    district: 0", "state: DC\n    class: 1").replace("type: rep\n    state: DC",
                                                                                          "type: sen\n    state: DC"),
        "DC has no senators",
        id="yaml-dc-senator",
    ),
    pytest.param(
        "bad.json",
        '[\n  {"id": {"bioguide": "T000009"},\n   "name": {"first": "A", "last": "B"},\n   "terms": [}\n]\n',
        "line 4",
        id="json-syntax",
    ),
    pytest.param(
        "no-bioguide.json",
        json.dumps([{"id": {"bioguide": "T000008"}, "name": {"first": "A", "last": "B"},
                     "terms": [{"type": "rep", "state": "WA", "district": 1}]},
                    {"id": {}, "name": {"first": "C", "last": "D"}, "terms": []}]),
        "record 2: id.bioguide is missing",
        id="json-record",
    ),
    pytest.param(
        "duplicate.yaml",
        SMALL_YAML + SMALL_YAML.split("- id:\n")[1].join(["- id:\n", ""]),
        "bioguide id T000001 already given in record 1",
        id="duplicate-bioguide",
    ),
    pytest.param("empty.yaml", "", "no legislators", id="empty"),
    pytest.param("mapping.yaml", "legislators: 3\n", "expected a list of legislators", id="not-a-list"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "text", "message"), MALFORMED_LEGISLATORS)
def test_malformed_legislators_file_is_refused_with_its_line_and_changes_nothing(tmp_path, name, text, message):
    good = tmp_path / "good.yaml"
    good.write_text(SMALL_YAML.replace("Tess", "Tessa"))
    run("load_legislators", "--file", str(good))
    Legislator.objects.create(bioguide_id="K000001", first_name="Kept", last_name="Member", chamber="house",
                              state="OR", district=4)
    before = roster_snapshot()
    bad = tmp_path / name
    bad.write_text(text)

    with pytest.raises(CommandError) as refused:
        run("load_legislators", "--file", str(bad))

    assert message in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    assert roster_snapshot() == before
    assert Legislator.objects.get(bioguide_id="K000001").is_active is True


@pytest.mark.django_db
def test_load_legislators_from_url(congress_data, file_server):
    shutil.copy(congress_data / "legislators-current.json", file_server.root / "legislators-current.json")

    out, _err = run("load_legislators", "--url", file_server.url("legislators-current.json"))

    assert "537 in the file; 537 created" in out
    assert Legislator.objects.get(bioguide_id="C000127").cwc_office_code == "SWA01"


@pytest.mark.django_db
def test_load_legislators_default_url_comes_from_settings(tmp_path, file_server, settings):
    (file_server.root / "roster.yaml").write_text(SMALL_YAML)
    settings.LEGISLATORS_URL = file_server.url("roster.yaml")

    out, _err = run("load_legislators")

    assert "2 in the file; 2 created" in out


@pytest.mark.django_db
def test_load_legislators_download_failure_changes_nothing(tmp_path, file_server):
    good = tmp_path / "good.yaml"
    good.write_text(SMALL_YAML)
    run("load_legislators", "--file", str(good))
    before = roster_snapshot()

    with pytest.raises(CommandError, match=r"Cannot download .*missing\.json.*404"):
        run("load_legislators", "--url", file_server.url("missing.json"))

    assert roster_snapshot() == before


@pytest.mark.django_db
def test_load_legislators_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("load_legislators", "--file", str(tmp_path / "nope.yaml"))


# --- ZIP districts -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_zip_districts_real_file_fast_and_complete(congress_data):
    started = time.monotonic()
    out, _err = run("load_zip_districts", "--file", str(congress_data / "zccd.csv"))
    elapsed = time.monotonic() - started

    assert "42033 rows in the file; 42033 created, 0 unchanged, 0 removed" in out
    assert elapsed < 20, f"loading zccd.csv took {elapsed:.1f}s; it must be a bulk load"
    assert ZipDistrict.objects.count() == 42033
    assert ZipDistrict.objects.values("zip_code").distinct().count() == 33774
    # Leading zeros kept: ZIPs are text.
    assert list(ZipDistrict.objects.filter(zip_code="00601").values_list("state", "district")) == [("PR", 0)]
    assert list(ZipDistrict.objects.filter(zip_code="35005").values_list("state", "district")) == [
        ("AL", 6), ("AL", 7)]
    assert list(ZipDistrict.objects.filter(zip_code="02861").values_list("state", "district")) == [
        ("MA", 4), ("RI", 1)]
    assert ZipDistrict.objects.filter(state="CA").values("district").distinct().count() == 52


@pytest.mark.django_db
def test_load_zip_districts_again_changes_nothing(congress_data):
    path = str(congress_data / "zccd.csv")
    run("load_zip_districts", "--file", path)
    before = zip_snapshot()

    out, _err = run("load_zip_districts", "--file", path)

    assert "42033 rows in the file; 0 created, 42033 unchanged, 0 removed" in out
    assert zip_snapshot() == before


SMALL_CSV = "state_fips,state_abbr,zcta,cd\n53,WA,98109,7\n53,WA,98101,7\n53,WA,98101,9\n56,WY,82001,0\n"


@pytest.mark.django_db
def test_load_zip_districts_removes_rows_no_longer_in_the_file(tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(SMALL_CSV)
    run("load_zip_districts", "--file", str(first))
    redistricted = tmp_path / "second.csv"
    redistricted.write_text(SMALL_CSV.replace("53,WA,98101,9\n", "53,WA,98101,8\n"))

    out, _err = run("load_zip_districts", "--file", str(redistricted))

    assert "4 rows in the file; 1 created, 3 unchanged, 1 removed" in out
    assert list(ZipDistrict.objects.filter(zip_code="98101").values_list("district", flat=True)) == [7, 8]


@pytest.mark.django_db
def test_load_zip_districts_accepts_crlf_bom_and_duplicates(tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes(("\ufeff" + SMALL_CSV + "56,WY,82001,0\n").replace("\n", "\r\n").encode())

    out, _err = run("load_zip_districts", "--file", str(path))

    assert "4 rows in the file; 4 created" in out


MALFORMED_CSV = [
    pytest.param(SMALL_CSV + "53,WA,9810,7\n", "line 6: zcta must be five digits", id="short-zip"),
    pytest.param(SMALL_CSV + "53,WA,98102,seven\n", "line 6: cd must be a district number", id="bad-district"),
    pytest.param(SMALL_CSV + "53,XX,98102,7\n", "line 6: state_abbr 'XX'", id="bad-state"),
    pytest.param(SMALL_CSV + "06,WA,98102,7\n", "line 6: state_fips '06' does not belong to WA", id="fips"),
    pytest.param(SMALL_CSV + "53,WA,98102\n", "line 6: expected 4 columns, found 3", id="columns"),
    pytest.param("fips,state,zip,district\n53,WA,98102,7\n", "line 1: the header must name the columns",
                 id="header"),
    pytest.param("state_fips,state_abbr,zcta,cd\n", "no rows", id="header-only"),
    pytest.param("", "the file is empty", id="empty"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "message"), MALFORMED_CSV)
def test_malformed_zip_file_is_refused_with_its_line_and_changes_nothing(tmp_path, text, message):
    good = tmp_path / "good.csv"
    good.write_text("state_fips,state_abbr,zcta,cd\n53,WA,98109,7\n50,VT,05001,0\n")
    run("load_zip_districts", "--file", str(good))
    before = zip_snapshot()
    bad = tmp_path / "bad.csv"
    bad.write_text(text)

    with pytest.raises(CommandError) as refused:
        run("load_zip_districts", "--file", str(bad))

    assert message in str(refused.value)
    assert "Nothing was changed" in str(refused.value)
    # The valid rows before the bad line (98101, 82001...) were not written either.
    assert zip_snapshot() == before


@pytest.mark.django_db
def test_load_zip_districts_from_url(congress_data, file_server):
    shutil.copy(congress_data / "zccd.csv", file_server.root / "zccd.csv")

    out, _err = run("load_zip_districts", "--url", file_server.url("zccd.csv"))

    assert "42033 rows in the file; 42033 created" in out


@pytest.mark.django_db
def test_load_zip_districts_download_failure_changes_nothing(tmp_path, file_server):
    good = tmp_path / "good.csv"
    good.write_text(SMALL_CSV)
    run("load_zip_districts", "--file", str(good))

    with pytest.raises(CommandError, match="Cannot download"):
        run("load_zip_districts", "--url", file_server.url("gone.csv"))

    assert ZipDistrict.objects.count() == 4
