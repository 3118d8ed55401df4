"""The admin lists of letters, deliveries and donations with a million rows each (PostgreSQL):
a fixed number of queries per page, none of which reads the whole table; and a million-row
export streamed in constant memory."""

import re
import resource
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.models import Delivery, Letter, Supporter
from donations.models import Donation
from staff.roles import CAMPAIGN_MANAGERS

from . import factories
from .bulk import clone_rows, unique_text, unique_uuid

MILLION = 1_000_000
BIG_TABLES = [Letter._meta.db_table, Delivery._meta.db_table, Donation._meta.db_table]


def fill_a_million_each():
    started = time.monotonic()
    letter = factories.letter()
    delivery = factories.delivery(letter=letter, status=Delivery.Status.SENT)
    clone_rows(delivery, MILLION - 1, {
        "recipient_key": unique_text("bulk:"), "delivery_id": "md5(s.n::text)",
        # A few in each state, as a real table has them.
        "status": "(ARRAY['sent','sent','sent','sent','sent','sent','sent','queued','failed','sending'])"
                  "[1 + mod(s.n, 10)]",
        "sent_at": "now() - (s.n || ' seconds')::interval",
        "created_at": "now() - (s.n || ' seconds')::interval",
        "updated_at": "now() - (s.n || ' seconds')::interval",
        "office_code": "'H' || lpad(mod(s.n, 437)::text, 4, '0')",
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
    return time.monotonic() - started


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


# list, filters as staff use them, queries per page load (session, user, two-factor device check,
# the paginator's estimate or capped count, the page of rows, list filters' choices from small tables)
LISTS = [
    ("admin:advocacy_letter_changelist", {}, None),
    ("admin:advocacy_letter_changelist", {"state": "WA"}, None),
    ("admin:advocacy_delivery_changelist", {}, None),
    ("admin:advocacy_delivery_changelist", {"status__exact": "failed"}, None),
    ("admin:donations_donation_changelist", {}, None),
    ("admin:donations_donation_changelist", {"created_at__gte": "2000-01-01"}, None),
]


def max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


@pytest.mark.django_db
def test_admin_lists_and_exports_stay_fast_with_a_million_rows(
    postgresql_only, client, make_staff, django_assert_num_queries
):
    seconds = fill_a_million_each()
    print(f"\ncreated 3 x {MILLION} rows in {seconds:.0f}s")
    client.force_login(make_staff("boss", superuser=True))
    problems = []
    for url_name, params, expected_queries in LISTS:
        url = reverse(url_name)
        client.get(url, params)  # warm up (sessions, permissions)
        started = time.monotonic()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        elapsed = time.monotonic() - started
        assert response.status_code == 200, url
        assert "?e=1" not in response.request["QUERY_STRING"]
        print(f"{url} {params}: {len(captured)} queries, {elapsed * 1000:.0f} ms")
        if expected_queries is not None:
            assert len(captured) == expected_queries, (url, params, [q["sql"][:120] for q in captured])
        timings = {query["sql"]: query["time"] for query in captured.captured_queries}
        explained = plans(captured.captured_queries)
        for sql, plan in explained:
            print(f"   {timings[sql]}s", sql[:200].replace("\n", " "))
            for table in BIG_TABLES:
                if re.search(rf"Seq Scan on {table}\b", plan):
                    problems.append(f"{url} {params}: full scan of {table}\n{sql}\n{plan}")
        # The page of rows itself is read through an index (LIMIT 100 off the primary key or a
        # filtered index), never by sorting the table.
        page_plans = [plan for sql, plan in explained if "LIMIT 100" in sql]
        assert page_plans, url
        assert all("Index" in plan for plan in page_plans), page_plans
        assert response.context["cl"].result_count >= 1
    assert problems == []

    # The same million deliveries, streamed as the campaign managers' CSV export: the process's peak
    # memory grows by a few megabytes at most (holding the rows would take well over a gigabyte).
    client.force_login(make_staff("marco", CAMPAIGN_MANAGERS))
    before = max_rss_bytes()
    started = time.monotonic()
    response = client.get(reverse("admin:staff_export", args=["deliveries"]))
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    grown = max_rss_bytes() - before
    print(f"exported {lines - 1} rows in {time.monotonic() - started:.0f}s; peak memory grew {grown / 1e6:.1f} MB")
    assert lines - 1 == MILLION
    assert grown < 64_000_000
