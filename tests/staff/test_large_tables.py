"""The admin lists of letters, deliveries and donations with a million rows each (PostgreSQL):
a fixed number of queries per page, none of which reads the whole table; and a million-row
export streamed in constant memory."""

import re
import resource
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Delivery, Letter, Supporter
from congress.models import Legislator
from donations.models import Donation
from staff.paginators import COUNT_CAP
from staff.roles import CAMPAIGN_MANAGERS

from . import factories
from .bulk import clone_rows, unique_text, unique_uuid

MILLION = 1_000_000
BIG_TABLES = [Letter._meta.db_table, Delivery._meta.db_table, Donation._meta.db_table]


def fill_a_million_each() -> tuple[float, str]:
    """(seconds taken, the office code of a member of Congress that has deliveries)"""
    started = time.monotonic()
    # Filters only show (and apply) with a choice to make: two campaigns, two offices.
    factories.campaign(title="Another campaign")
    offices = [
        Legislator.objects.create(bioguide_id=f"T00000{district}", first_name="Test", last_name=f"Member {district}",
                                  chamber=Legislator.Chamber.HOUSE, state="WA", district=district).cwc_office_code
        for district in (7, 9)
    ]
    letter = factories.letter()
    delivery = factories.delivery(letter=letter, status=Delivery.Status.SENT)
    clone_rows(delivery, MILLION - 1, {
        "recipient_key": unique_text("bulk:"), "delivery_id": "md5(s.n::text)",
        # Mostly sent, some waiting, failures rare: as a real table looks.
        "status": "CASE WHEN mod(s.n, 1000) = 0 THEN 'failed' WHEN mod(s.n, 10) = 1 THEN 'queued' "
                  "WHEN mod(s.n, 10) = 2 THEN 'sending' ELSE 'sent' END",
        "sent_at": "now() - (s.n || ' seconds')::interval",
        "created_at": "now() - (s.n || ' seconds')::interval",
        "updated_at": "now() - (s.n || ' seconds')::interval",
        "office_code": f"CASE WHEN mod(s.n, 437) = 0 THEN '{offices[0]}' WHEN mod(s.n, 437) = 1 THEN '{offices[1]}' "
                       "ELSE 'H' || lpad(mod(s.n, 437)::text, 4, '0') END",
    })
    supporter = letter.supporter
    clone_rows(supporter, MILLION - 1, {"email": unique_text("s") + " || '@example.org'"})
    first_clone = Supporter.objects.exclude(pk=supporter.pk).order_by("pk").values_list("pk", flat=True).first()
    clone_rows(letter, MILLION - 1, {
        "supporter_id": f"{first_clone} + s.n - 1",
        "created_at": "now() - (s.n || ' seconds')::interval",
    })
    donation = factories.donation(stripe_payment_intent_id=None)
    clone_rows(donation, MILLION - 1, {
        "reference": unique_uuid(), "email": unique_text("d") + " || '@example.org'",
        "created_at": "now() - (s.n || ' seconds')::interval",
        "paid_at": "now() - (s.n || ' seconds')::interval",
        "status": "(ARRAY['succeeded','succeeded','succeeded','refunded','pending'])[1 + mod(s.n, 5)]",
    })
    for model in (Letter, Delivery, Donation):
        assert model.objects.count() == MILLION
    return time.monotonic() - started, offices[0]


def plans(queries) -> list[tuple[str, str]]:
    """EXPLAIN of every query that touched a big table: (sql, plan)."""
    explained = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(t in sql for t in BIG_TABLES):
                continue
            cursor.execute("EXPLAIN " + sql)
            explained.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return explained


# list, filters as staff use them (indexed ones), queries per page load: session, user, two-factor
# device check, the choices of list filters from small tables (campaigns or appeals; offices), the
# paginator's estimate or capped count, the page of rows.
LISTS = [
    ("admin:advocacy_letter_changelist", {}, 6),
    ("admin:advocacy_letter_changelist", {"campaign__id__exact": "CAMPAIGN"}, 6),
    ("admin:advocacy_delivery_changelist", {}, 7),
    ("admin:advocacy_delivery_changelist", {"status__exact": "failed"}, 7),
    ("admin:advocacy_delivery_changelist", {"office_code": "OFFICE"}, 7),
    ("admin:donations_donation_changelist", {}, 6),
    ("admin:donations_donation_changelist", {"created_at__gte": "MONTH_AGO"}, 6),
]


def full_scans(sql: str, plan: str) -> list[str]:
    """Big tables this plan reads in full. A sequential scan inside a capped count
    (LIMIT COUNT_CAP + 1) that the planner expects to match more than the cap stops early: that
    is reading a prefix, not the table."""
    scans = []
    for table in BIG_TABLES:
        for match in re.finditer(rf"Seq Scan on {table}\b[^\n]*rows=(\d+)", plan):
            stops_early = f"LIMIT {COUNT_CAP + 1}" in sql and int(match.group(1)) > COUNT_CAP
            if not stops_early:
                scans.append(table)
    return scans


def rss_bytes() -> int:
    """The memory this process holds right now (resident set), from /proc."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


@pytest.mark.django_db
def test_admin_lists_and_exports_stay_fast_with_a_million_rows(
    postgresql_only, client, make_staff, django_assert_num_queries
):
    seconds, office = fill_a_million_each()
    print(f"\ncreated 3 x {MILLION} rows in {seconds:.0f}s")
    client.force_login(make_staff("boss", superuser=True))
    problems = []
    campaign_pk = str(Letter.objects.values_list("campaign_id", flat=True).first())
    month_ago = (timezone.now() - timedelta(days=30)).isoformat()
    for url_name, params, expected_queries in LISTS:
        url = reverse(url_name)
        params = {key: {"CAMPAIGN": campaign_pk, "MONTH_AGO": month_ago, "OFFICE": office}.get(value, value)
                  for key, value in params.items()}
        client.get(url, params)  # warm up (sessions, permissions)
        started = time.monotonic()
        with django_assert_num_queries(expected_queries) as captured:
            response = client.get(url, params)
        elapsed = time.monotonic() - started
        assert response.status_code == 200, url
        assert "?e=1" not in response.request["QUERY_STRING"]
        print(f"{url} {params}: {len(captured)} queries, {elapsed * 1000:.0f} ms")
        timings = {query["sql"]: query["time"] for query in captured.captured_queries}
        explained = plans(captured.captured_queries)
        for sql, plan in explained:
            print(f"   {timings[sql]}s", sql[:200].replace("\n", " "))
            # A sequential scan under a LIMIT with nothing sorting in between stops after the limit
            # (the paginator's capped count of a common filter value): that reads 10,001 rows, not
            # a million. Any other sequential scan of a big table reads all of it.
            bounded = "Limit" in plan and "Sort" not in plan
            for table in BIG_TABLES:
                if re.search(rf"Seq Scan on {table}\b", plan) and not bounded:
                    problems.append(f"{url} {params}: full scan of {table}\n{sql}\n{plan}")
        # The page of rows itself is read through an index (LIMIT 100 off the primary key or a
        # filtered index), never by sorting the table.
        page_plans = [plan for sql, plan in explained if re.search(r"LIMIT 100\b", sql)]
        assert page_plans, url
        assert all("Index" in plan for plan in page_plans), page_plans
        changelist = response.context["cl"]
        assert changelist.result_count >= 1
        # Each filter was applied, not dropped: the page shows only matching rows.
        if params:
            assert changelist.queryset.query.where, params
    assert problems == []

    # The same million deliveries, streamed as the campaign managers' CSV export: the memory the
    # process holds, sampled while it streams, grows by a few megabytes at most (holding the rows
    # would take well over a gigabyte).
    client.force_login(make_staff("marco", CAMPAIGN_MANAGERS))
    before = rss_bytes()
    highest = before
    started = time.monotonic()
    response = client.get(reverse("admin:staff_export", args=["deliveries"]))
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        if lines % 20_000 == 0:
            highest = max(highest, rss_bytes())
    grown = highest - before
    print(f"exported {lines - 1} rows in {time.monotonic() - started:.0f}s; memory grew {grown / 1e6:.1f} MB at most")
    assert lines - 1 == MILLION
    assert grown < 32_000_000
