"""CSV exports: limited to their roles, consent respected, streamed in constant memory."""

import csv
import io
import re
import time
import tracemalloc

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from advocacy.models import Delivery
from core.exports import csv_cell
from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE

from . import factories
from .bulk import clone_rows, unique_text, unique_uuid


def export_url(name, **params):
    url = reverse("admin:staff_export", args=[name])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def download(client, name, **params):
    response = client.get(export_url(name, **params))
    if response.status_code != 200:
        return response.status_code, None
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return 200, list(csv.reader(io.StringIO(body)))


@pytest.fixture
def people(db):
    consenting = factories.supporter(email="yes@example.org", consented_at=timezone.now())
    silent = factories.supporter(email="no@example.org", consented_at=None)
    return consenting, silent


EXPECTED = {
    # role: (donations, advocates, deliveries)
    CONTENT_EDITORS: (403, 403, 403),
    CAMPAIGN_MANAGERS: (403, 200, 200),
    FINANCE: (200, 403, 403),  # Finance never sees letter-writers (finding 5: it exported them all)
    "superuser": (200, 200, 200),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_exports_are_limited_to_their_roles(client, make_staff, role, people):
    user = make_staff("boss", superuser=True) if role == "superuser" else make_staff("someone", role)
    client.force_login(user)
    factories.donation()
    factories.delivery()
    got = tuple(download(client, name)[0] for name in ("donations", "advocates", "deliveries"))
    assert got == EXPECTED[role]
    page = client.get(reverse("admin:staff_exports")).content.decode()
    for name, status in zip(("donations", "advocates", "deliveries"), EXPECTED[role], strict=True):
        assert (f'id="export-{name}"' in page) is (status == 200)


@pytest.mark.django_db
def test_anonymous_and_unknown_exports_get_nothing(client, make_staff):
    response = client.get(export_url("donations"))
    assert response.status_code == 302  # to the login
    client.force_login(make_staff("boss", superuser=True))
    assert client.get(export_url("passwords")).status_code == 403


@pytest.mark.django_db
def test_advocates_export_lists_only_consenting_people_unless_a_superuser_asks_for_all(client, make_staff, people):
    client.force_login(make_staff("cm", CAMPAIGN_MANAGERS))
    _status, rows = download(client, "advocates")
    assert rows[0] == ["email", "first_name", "last_name", "consented_at", "created_at"]
    assert [row[0] for row in rows[1:]] == ["yes@example.org"]
    _status, rows = download(client, "advocates", all=1)  # not theirs to ask
    assert [row[0] for row in rows[1:]] == ["yes@example.org"]

    client.force_login(make_staff("fin", FINANCE))
    assert download(client, "advocates", all=1) == (403, None)

    client.force_login(make_staff("boss", superuser=True))
    _status, rows = download(client, "advocates")
    assert [row[0] for row in rows[1:]] == ["yes@example.org"]
    _status, rows = download(client, "advocates", all=1)
    assert sorted(row[0] for row in rows[1:]) == ["no@example.org", "yes@example.org"]


@pytest.mark.django_db
def test_deliveries_export_is_sorted_by_office_and_filters_by_campaign(client, make_staff):
    campaign = factories.campaign()
    letter = factories.letter(campaign=campaign)
    factories.delivery(letter=letter, office_code="SWA01", status=Delivery.Status.SENT)
    factories.delivery(letter=letter, office_code="HWA07")
    factories.delivery(office_code="HCA12")  # another campaign
    client.force_login(make_staff("cm", CAMPAIGN_MANAGERS))
    _status, rows = download(client, "deliveries")
    assert [row[0] for row in rows[1:]] == ["HCA12", "HWA07", "SWA01"]
    _status, rows = download(client, "deliveries", campaign=campaign.pk)
    assert [row[0] for row in rows[1:]] == ["HWA07", "SWA01"]
    assert all(row[2] == campaign.slug for row in rows[1:])
    assert "Ana" not in "".join(",".join(row) for row in rows)  # no supporter data in this report
    assert client.get(export_url("deliveries", campaign="abc")).status_code == 400  # not every campaign's rows


@pytest.mark.django_db
def test_donations_export_neutralises_spreadsheet_formulas(client, make_staff):
    factories.donation(name="=HYPERLINK(\"http://evil\")", email="dana@example.org")
    client.force_login(make_staff("fin", FINANCE))
    _status, rows = download(client, "donations")
    assert rows[1][rows[0].index("name")].startswith("'=")


@pytest.mark.django_db
def test_a_formula_after_a_separator_or_a_line_break_is_neutralised_too(client, make_staff):
    """Finding 10: only a cell's first character was checked, so "Dana; =HYPERLINK(...)" ran as a
    formula in a spreadsheet that splits on `;`, and so did a formula on a cell's second line."""
    factories.donation(name='Dana; =HYPERLINK("http://evil")', tribute_name="In memory\n@SUM(1+1)*cmd|' /C calc'!A0",
                       email="dana@example.org")
    client.force_login(make_staff("fin", FINANCE))
    response = client.get(export_url("donations"))
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    header, row = rows[0], rows[1]
    assert row[header.index("name")] == 'Dana; \'=HYPERLINK("http://evil")'
    assert row[header.index("tribute_name")] == "In memory\n'@SUM(1+1)*cmd|' /C calc'!A0"
    # Read with `;` as the separator, as some locales' spreadsheets do, no cell starts a formula.
    for line in body.splitlines():
        for cell in line.split(";"):
            assert cell.lstrip(' "')[:1] not in ("=", "+", "-", "@"), line


FORMULA_AT_A_CELL_START = re.compile(r"(^|[,;\t|\r\n])\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")


@given(st.text(alphabet="=+-@;,|\t\r\n aZ1'\"\uff1d", max_size=40) | st.text(max_size=40))
def test_no_cell_text_can_start_a_formula_anywhere(text):
    cell = csv_cell(text)
    assert FORMULA_AT_A_CELL_START.search(cell) is None, (text, cell)
    assert cell[:1] not in ("\t", "\r")
    # Only apostrophes were added: taking them out gives the text back.
    assert cell.replace("'", "") == text.replace("'", "")


def test_numbers_and_dates_are_written_as_they_are():
    import datetime

    assert csv_cell(-2500) == "-2500"
    assert csv_cell(datetime.date(2026, 12, 2)) == "2026-12-02"
    assert csv_cell(None) == ""
    assert csv_cell("Ana-Maria O'Neil") == "Ana-Maria O'Neil"


def _measure_export(client, url) -> tuple[int, int, float]:
    """(rows, peak bytes allocated while streaming, seconds)."""
    response = client.get(url)
    assert response.streaming
    started = time.monotonic()
    tracemalloc.start()
    try:
        lines = 0
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines - 1, peak, time.monotonic() - started


@pytest.mark.django_db
def test_a_large_export_streams_in_the_memory_of_a_small_one(client, make_staff):
    """100,000 rows take no more memory than 4,000: the database is read 2,000 rows at a time and
    each CSV line leaves as soon as it is written, so only a fetch or two is ever held.
    (tracemalloc slows Python to a few thousand rows a second, hence 100,000 and not a million; the
    PostgreSQL large-table test streams a million without it.)"""
    template = factories.donation(name="Dana Donor", email="dana@example.org", stripe_payment_intent_id=None)
    overrides = {"reference": unique_uuid(), "email": unique_text("donor") + " || '@example.org'"}
    clone_rows(template, 3_999, overrides)
    client.force_login(make_staff("fin", FINANCE))

    small_rows, small_peak, _seconds = _measure_export(client, export_url("donations"))
    assert small_rows == 4_000

    clone_rows(template, 96_000, overrides)
    large_rows, large_peak, seconds = _measure_export(client, export_url("donations"))
    assert large_rows == 100_000
    print(f"export of {large_rows} rows: peak {large_peak / 1e6:.2f} MB in {seconds:.1f}s "
          f"(4,000 rows: {small_peak / 1e6:.2f} MB)")
    assert large_peak < small_peak * 1.25 + 256 * 1024
    # Holding the rows would take well over 50 MB here.
    assert large_peak < 8_000_000
