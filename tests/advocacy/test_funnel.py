"""The campaign funnel: page views are counted in the cache (no database write per view), moved to
the database by a beat task exactly once, and shown to staff beside the letters they became."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy import services
from advocacy.models import CampaignDay
from advocacy.tasks import campaign_views_flush_task

from .conftest import sign

pytestmark = pytest.mark.django_db


def views_on(campaign, day=None) -> int:
    row = CampaignDay.objects.filter(campaign=campaign, day=day or timezone.localdate()).first()
    return row.views if row else 0


def test_views_are_counted_without_a_database_write_and_flushed_once(campaign, django_assert_num_queries):
    visitor = Client()
    visitor.get(campaign.get_absolute_url())  # renders and caches the form and the counter
    with django_assert_num_queries(1):  # the campaign only: the view is counted in the cache
        visitor.get(campaign.get_absolute_url())
    visitor.post(campaign.get_absolute_url(), {"zip_code": "nope"})  # a submission is not a view
    assert views_on(campaign) == 0

    assert services.campaign_views_flush() == 2
    assert views_on(campaign) == 2
    assert services.campaign_views_flush() == 0  # nothing counted twice
    assert views_on(campaign) == 2

    Client().get(campaign.get_absolute_url())
    campaign_views_flush_task()  # what beat runs every CAMPAIGN_VIEWS_FLUSH_INTERVAL seconds
    assert views_on(campaign) == 3


def test_crawlers_and_link_previews_are_not_counted_as_views(campaign):
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1)", "facebookexternalhit/1.1", "Slackbot-LinkExpanding 1.0"):
        Client(HTTP_USER_AGENT=agent).get(campaign.get_absolute_url())
    Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0").get(campaign.get_absolute_url())
    assert services.campaign_views_flush() == 1


def test_views_counted_before_midnight_land_on_their_own_day(campaign):
    yesterday = timezone.localdate() - timedelta(days=1)
    for _ in range(4):
        services.campaign_view_record(campaign_id=campaign.pk)
    # The same counts, as the flush after midnight finds them: still in yesterday's key.
    cache.set(f"advocacy:views:{campaign.pk}:{yesterday.isoformat()}", 4)
    cache.delete(f"advocacy:views:{campaign.pk}:{timezone.localdate().isoformat()}")

    services.campaign_views_flush()

    assert views_on(campaign, yesterday) == 4 and views_on(campaign) == 0


def test_a_second_flush_at_the_same_time_does_nothing(campaign):
    services.campaign_view_record(campaign_id=campaign.pk)
    cache.add("advocacy:views-flush-lock", 1, timeout=60)  # another worker is flushing
    assert services.campaign_views_flush() == 0
    cache.delete("advocacy:views-flush-lock")
    assert services.campaign_views_flush() == 1


def test_funnel_pairs_views_with_letters_per_day(seattle, campaign):
    for _ in range(3):
        services.campaign_view_record(campaign_id=campaign.pk)
    services.campaign_views_flush()
    sign(campaign)

    today, yesterday = CampaignDay.objects.funnel(campaign, days=2)

    assert today == {"day": timezone.localdate(), "views": 3, "letters": 1, "conversion": 33.3}
    assert yesterday["views"] == 0 and yesterday["conversion"] is None


def test_staff_see_the_funnel_on_the_campaign_page(admin_client, seattle, campaign):
    for _ in range(4):
        services.campaign_view_record(campaign_id=campaign.pk)
    services.campaign_views_flush()
    sign(campaign)

    response = admin_client.get(reverse("admin:advocacy_campaign_change", args=[campaign.pk]))

    rows = re.findall(r'<tr data-testid="funnel-row">(.*?)</tr>', response.text)
    assert len(rows) == 14
    assert re.findall(r"<td>([^<]*)</td>", rows[0])[1:] == ["4", "1", "25.0%"]


def test_beat_flushes_views_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["campaign-views-flush"]
    assert entry == {"task": "advocacy.tasks.campaign_views_flush_task", "schedule": 60.0}
