"""The public pages run the same number of SQL queries whatever the size of the library."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stories.models import Story

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Measure the views themselves, not the page cache in front of them.
    settings.STORIES_PAGE_CACHE_SECONDS = 0


def _library(count, points, image):
    for n in range(count):
        story = StoryFactory(primary_point=points[n % len(points)], image=image, image_alt="alt",
                             image_credit="© Camino/2026/Test")
        story.other_points.add(points[(n + 1) % len(points)])


def _queries(client, url) -> int:
    client.get(url)  # first view makes the thumbnails; the next ones only look them up
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/stories/", "/stories/?point={point}", "{first_story}", "/agenda/",
                                 "/agenda/{point}/", "/stories/feed/", "/sitemap.xml"])
def test_page_queries_do_not_grow_with_the_library(client, points, stored_image, django_assert_num_queries, url):
    _library(5, points, stored_image)
    first_story = Story.objects.order_by("pk").first().get_absolute_url()
    url = url.format(point=points[1].slug, first_story=first_story)
    small = _queries(client, url)
    _library(195, points, stored_image)
    client.get(url)
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200
