"""The admin index dashboard: right figures for each role, one query per figure, live warnings
that link to the filtered lists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Delivery
from core.models import WorkerPing
from donations.models import Donation, RecurringDonation
from staff import dashboard
from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE

from . import factories

INDEX = reverse("admin:index")


@pytest.fixture
def fresh_worker(db):
    WorkerPing.objects.create(source=WorkerPing.Source.BEAT, answered_at=timezone.now())


def board_html(client, user) -> str:
    client.force_login(user)
    response = client.get(INDEX)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_finance_sees_gifts_today_and_this_month(client, make_staff, fresh_worker):
    today, month = dashboard.day_and_month_start()
    factories.donation(amount_cents=2500, paid_at=timezone.now())
    factories.donation(amount_cents=1000, paid_at=today + timedelta(seconds=1))
    factories.donation(amount_cents=5000, paid_at=month + timedelta(seconds=1))  # today too on the 1st
    factories.donation(amount_cents=7000, paid_at=month - timedelta(days=2))  # last month
    factories.donation(amount_cents=9900, paid_at=None, status=Donation.Status.PENDING)
    factories.recurring(status=RecurringDonation.Status.ACTIVE)
    factories.recurring(status=RecurringDonation.Status.CANCELED)

    figures = dashboard.gifts_figures()
    first_of_month = today == month
    assert figures["today_count"] == (3 if first_of_month else 2)
    assert figures["today_cents"] == (8500 if first_of_month else 3500)
    assert figures["month_count"] == 3
    assert figures["month_cents"] == 8500
    assert dashboard.monthly_donors_count() == 1

    html = board_html(client, make_staff("fin", FINANCE))
    assert 'id="figure-gifts-month"' in html
    assert "$85.00" in html
    assert 'id="figure-monthly-donors"' in html
    assert 'id="figure-letters-today"' not in html  # no letters for Finance
    assert 'id="live-campaigns"' not in html


@pytest.mark.django_db
def test_gift_sums_are_shown_in_the_donation_currency(client, make_staff, fresh_worker, settings):
    # The sums used to be printed with a dollar sign whatever the currency the site takes.
    settings.DONATION_CURRENCY = "eur"
    settings.STAFF_DASHBOARD_CACHE_SECONDS = 0
    factories.donation(amount_cents=125000, currency="eur", paid_at=timezone.now())
    html = board_html(client, make_staff("fin", FINANCE))
    assert "€1,250.00" in html
    assert "$1,250.00" not in html


@pytest.mark.django_db
def test_campaign_managers_see_letters_deliveries_and_live_campaigns(client, make_staff, fresh_worker):
    live = factories.campaign(title="Keep families together", goal=4)
    factories.campaign(title="Old drafts", status="draft")
    letter = factories.letter(campaign=live)
    factories.delivery(letter=letter, status=Delivery.Status.SENT)
    factories.delivery(letter=letter, status=Delivery.Status.FAILED)
    factories.delivery(letter=letter, status=Delivery.Status.QUEUED)
    factories.delivery(letter=letter, status=Delivery.Status.SENDING)
    old_failure = factories.delivery(letter=letter, status=Delivery.Status.FAILED)
    Delivery.objects.filter(pk=old_failure.pk).update(updated_at=timezone.now() - timedelta(days=3))

    assert dashboard.letters_today_count() == 1
    assert dashboard.deliveries_figures() == {"sent": 1, "failed": 1, "waiting": 2}
    campaigns = dashboard.live_campaigns()
    assert [(c["title"], c["letters"], c["percent"]) for c in campaigns] == [("Keep families together", 1, 25)]

    html = board_html(client, make_staff("cm", CAMPAIGN_MANAGERS))
    assert "Keep families together" in html
    assert "Old drafts" not in html
    assert 'value="25"' in html
    assert 'id="figure-deliveries"' in html
    assert 'id="figure-gifts-today"' not in html  # no money for campaign managers


@pytest.mark.django_db
def test_content_editors_see_no_figures(client, make_staff, fresh_worker):
    factories.donation()
    factories.letter()
    html = board_html(client, make_staff("ed", CONTENT_EDITORS))
    assert "staff-figure" not in html
    assert "Needs attention" not in html


@pytest.mark.django_db
def test_each_figure_is_one_query(django_assert_num_queries):
    factories.donation()
    factories.recurring()
    factories.delivery()
    for figure in (dashboard.gifts_figures, dashboard.monthly_donors_count, dashboard.letters_today_count,
                   dashboard.deliveries_figures, dashboard.live_campaigns, dashboard.delivery_warnings):
        with django_assert_num_queries(1):
            figure()


@pytest.mark.django_db
def test_figures_are_cached_between_page_loads(client, make_staff, fresh_worker, django_assert_num_queries,
                                               settings):
    settings.STAFF_DASHBOARD_CACHE_SECONDS = 60
    admin = make_staff("boss", superuser=True)
    client.force_login(admin)
    factories.donation()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(INDEX)
    with CaptureQueriesContext(connection) as second:
        client.get(INDEX)
    # gifts, monthly donors, letters, deliveries, live campaigns: five figures not asked again.
    assert len(first) - len(second) == 5
    factories.donation(amount_cents=100_000)
    assert "$1,025.00" not in client.get(INDEX).content.decode()  # still the cached figure
    settings.STAFF_DASHBOARD_CACHE_SECONDS = 0
    assert "$1,025.00" in client.get(INDEX).content.decode()


def follow_link(client, html: str, text: str):
    """The href of the link whose text is `text`, fetched: it must open a filtered admin list."""
    import re

    match = re.search(r'<a href="([^"]+)">' + re.escape(text) + "</a>", html)
    assert match, text
    url = match.group(1).replace("&amp;", "&")
    response = client.get(url)
    assert response.status_code == 200, url
    assert "?e=1" not in response.request["QUERY_STRING"]
    return response


@pytest.mark.django_db
def test_stuck_and_failing_deliveries_raise_warnings_with_links(client, make_staff, fresh_worker, settings):
    stuck = factories.delivery(status=Delivery.Status.QUEUED, recipient_name="Sen. Stuck Office")
    Delivery.objects.filter(pk=stuck.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 60)
    )
    factories.delivery(status=Delivery.Status.QUEUED, recipient_name="Rep. Fresh Office")
    factories.delivery(status=Delivery.Status.FAILED, recipient_name="Rep. Failed Office")

    user = make_staff("cm", CAMPAIGN_MANAGERS)
    html = board_html(client, user)
    assert "1 deliveries have been waiting too long" in html
    assert "1 deliveries failed in the last hour" in html

    listing = follow_link(client, html, "Stuck deliveries").content.decode()
    assert "Sen. Stuck Office" in listing
    assert "Rep. Fresh Office" not in listing
    listing = follow_link(client, html, "Failed deliveries").content.decode()
    assert "Rep. Failed Office" in listing
    assert "Sen. Stuck Office" not in listing


@pytest.mark.django_db
def test_figure_links_open_filtered_lists(client, make_staff, fresh_worker):
    factories.donation(email="today@example.org")
    factories.delivery(status=Delivery.Status.SENT)
    html = board_html(client, make_staff("boss", superuser=True))
    import re

    for figure in ("figure-gifts-today", "figure-gifts-month", "figure-monthly-donors", "figure-letters-today",
                   "figure-deliveries"):
        block = html.split(f'id="{figure}"', 1)[1].split("</div>\n  </div>", 1)[0]
        for url in re.findall(r'href="([^"]+)"', block):
            response = client.get(url.replace("&amp;", "&"))
            assert response.status_code == 200, url
            assert "?e=1" not in response.request["QUERY_STRING"], url


@pytest.mark.django_db
def test_a_silent_worker_is_a_warning(client, make_staff, settings):
    user = make_staff("ed", CONTENT_EDITORS)
    assert "No worker has answered yet" in board_html(client, user)
    WorkerPing.objects.create(source=WorkerPing.Source.BEAT,
                              answered_at=timezone.now() - timedelta(minutes=settings.STAFF_WORKER_SILENT_MINUTES + 1))
    assert "The worker has been silent since" in board_html(client, user)
    WorkerPing.objects.create(source=WorkerPing.Source.BEAT, answered_at=timezone.now())
    html = board_html(client, user)
    assert "silent" not in html
    assert "Needs attention" not in html


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_a_warning(client, make_staff, fresh_worker, settings):
    # Port 9 (discard) has no listener here: a real connection refusal.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    html = board_html(client, make_staff("ed", CONTENT_EDITORS))
    assert "The task queue (broker) does not answer" in html


@pytest.mark.django_db
def test_failed_stripe_events_warn_finance_only(client, make_staff, fresh_worker):
    from donations.models import StripeEvent

    factories.stripe_event(status=StripeEvent.Status.FAILED)
    assert "Stripe events failed to process" in board_html(client, make_staff("fin", FINANCE))
    client.logout()
    assert "Stripe events failed to process" not in board_html(client, make_staff("cm", CAMPAIGN_MANAGERS))
