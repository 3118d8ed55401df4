"""Anonymous pages come from the cache; any change through the services shows at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stories import services
from stories.caching import CACHE_HEADER
from stories.models import Story

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_served_from_the_cache(client):
    story = StoryFactory(title="Original title")
    assert client.get("/stories/")[CACHE_HEADER] == "miss"
    # A write that bypasses the services is not seen: proof the page came from the cache.
    Story.objects.filter(pk=story.pk).update(title="Changed behind the cache's back")
    response = client.get("/stories/")
    assert response[CACHE_HEADER] == "hit"
    assert "Original title" in response.content.decode()
    assert "Cookie" in response["Vary"]


def test_saving_a_story_through_the_service_refreshes_every_page(client, django_capture_on_commit_callbacks):
    story = StoryFactory(title="Original title")
    for url in ["/", "/stories/", story.get_absolute_url()]:
        client.get(url)
    story.title = "Corrected title"
    with django_capture_on_commit_callbacks(execute=True):
        services.story_save(story=story)
    for url in ["/", "/stories/", story.get_absolute_url()]:
        response = client.get(url)
        assert response[CACHE_HEADER] == "miss", url
        assert "Corrected title" in response.content.decode(), url


def test_unpublishing_removes_the_story_from_cached_pages_at_once(client, django_capture_on_commit_callbacks):
    story = StoryFactory(title="Soon withdrawn")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert "Soon withdrawn" in client.get("/stories/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.story_unpublish(story=story)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Soon withdrawn" not in client.get("/stories/").content.decode()


def test_changing_an_agenda_point_refreshes_the_agenda(client, points, django_capture_on_commit_callbacks):
    point = points[0]
    client.get("/agenda/")
    point.title = "A reworded first point"
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_point_save(point=point)
    assert "A reworded first point" in client.get("/agenda/").content.decode()


def test_staff_are_never_served_cached_pages(client, admin_client):
    story = StoryFactory(title="Original title")
    client.get("/stories/")
    Story.objects.filter(pk=story.pk).update(title="Fresh for staff")
    response = admin_client.get("/stories/")
    assert CACHE_HEADER not in response
    assert "Fresh for staff" in response.content.decode()


def test_visitors_with_messages_are_not_served_cached_pages(client):
    story = StoryFactory(title="Original title")
    client.get("/stories/")
    Story.objects.filter(pk=story.pk).update(title="Fresh with messages")
    client.cookies["messages"] = "anything"
    response = client.get("/stories/")
    assert CACHE_HEADER not in response
    assert "Fresh with messages" in response.content.decode()


def test_a_cached_page_never_outlives_the_next_scheduled_story(client, settings):
    from stories.caching import _timeout

    settings.STORIES_PAGE_CACHE_SECONDS = 3600
    assert _timeout() == 3600
    StoryFactory(publish_at=timezone.now() + timedelta(seconds=90))
    assert 1 <= _timeout() <= 90


def test_page_cache_can_be_turned_off(client, settings):
    settings.STORIES_PAGE_CACHE_SECONDS = 0
    story = StoryFactory(title="Original title")
    client.get("/stories/")
    Story.objects.filter(pk=story.pk).update(title="Uncached")
    assert "Uncached" in client.get("/stories/").content.decode()


def test_the_new_version_applies_only_after_the_commit(client, django_capture_on_commit_callbacks):
    story = StoryFactory(title="Original title")
    client.get("/stories/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.title = "Not yet committed"
        services.story_save(story=story)
        # Until the commit, readers keep the cached page (they could not see the new row anyway).
        assert client.get("/stories/")[CACHE_HEADER] == "hit"
    assert len(callbacks) == 1


@pytest.mark.parametrize("url", ["/stories/feed/", "/sitemap.xml"])
def test_feed_and_sitemap_are_cached_with_their_content_type(client, url):
    first = client.get(url)
    second = client.get(url)
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    assert second["Content-Type"] == first["Content-Type"]
    assert "xml" in second["Content-Type"]
    assert second.content == first.content
