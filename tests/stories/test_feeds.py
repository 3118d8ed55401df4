import xml.etree.ElementTree as ET

import pytest

from stories.models import Story

from .factories import StoryFactory

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_feed_is_xml_with_published_stories_only(client):
    StoryFactory(title="In the feed & proud", slug="in-the-feed")
    StoryFactory(title="Draft not in feed", status=Story.Status.DRAFT)
    response = client.get("/stories/feed/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["In the feed & proud"]
    assert items[0].findtext("link").endswith("/stories/in-the-feed/")
    assert items[0].findtext("pubDate")


def test_sitemap_is_xml_listing_pages_stories_and_points(client, points):
    StoryFactory(slug="on-the-map")
    StoryFactory(slug="hidden-draft", status=Story.Status.DRAFT)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert "http://testserver/stories/on-the-map/" in locations
    assert "http://testserver/" in locations and "http://testserver/agenda/" in locations
    assert all(f"http://testserver{p.get_absolute_url()}" in locations for p in points)
    assert not any("hidden-draft" in loc for loc in locations)
