"""Drafts and scheduled stories: invisible to the public everywhere, previewable by staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stories.models import AgendaPoint, Story

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_the_six_agenda_points_exist_in_order():
    titles = list(AgendaPoint.objects.values_list("title", flat=True))
    assert titles == [
        "Protect Displaced Children from Exploitation and Violence",
        "End the Detention of Refugee and Migrant Children",
        "Keep Refugee and Migrant Children Learning and Healthy",
        "Keep Families Together and Protect Unaccompanied Children",
        "Address the Root Causes that Force Children from Home",
        "Combat Xenophobia and Discrimination",
    ]


def test_published_excludes_drafts_and_scheduled_until_their_time():
    live = StoryFactory(title="Live")
    StoryFactory(title="Draft", status=Story.Status.DRAFT)
    scheduled = StoryFactory(title="Later", publish_at=timezone.now() + timedelta(days=2))
    assert list(Story.objects.published()) == [live]
    # No job runs: once the time has come, the same query returns it.
    later = timezone.now() + timedelta(days=3)
    assert set(Story.objects.published(now=later)) == {live, scheduled}


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_anonymous_visitors_get_the_404_page_for_hidden_stories(client, kind):
    if kind == "draft":
        story = StoryFactory(title="Secret draft", status=Story.Status.DRAFT)
    else:
        story = StoryFactory(title="Secret draft", publish_at=timezone.now() + timedelta(hours=5))
    response = client.get(story.get_absolute_url())
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
    for url in ["/", "/stories/", "/agenda/", story.primary_point.get_absolute_url(), "/stories/feed/",
                "/sitemap.xml"]:
        body = client.get(url).content.decode()
        assert "Secret draft" not in body and story.slug not in body, url


def test_staff_preview_a_draft_at_its_address(admin_client):
    story = StoryFactory(title="Work in progress", status=Story.Status.DRAFT)
    response = admin_client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Work in progress" in html
    assert "Preview: this story is a draft" in html
    assert '<meta name="robots" content="noindex">' in html


def test_staff_preview_a_scheduled_story(admin_client):
    story = StoryFactory(title="Coming soon", publish_at=timezone.now() + timedelta(days=1))
    html = admin_client.get(story.get_absolute_url()).content.decode()
    assert "this story is scheduled" in html


def test_non_staff_logged_in_users_cannot_preview(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x-long-password-1")
    client.force_login(user)
    story = StoryFactory(status=Story.Status.DRAFT)
    assert client.get(story.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url", ["/stories/no-such-story/", "/agenda/no-such-point/"])
def test_unknown_slugs_give_the_site_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_list_filters_by_agenda_point_including_secondary_points(client, points):
    first, second = points[0], points[1]
    primary = StoryFactory(title="Primary on second", primary_point=second)
    secondary = StoryFactory(title="Secondary on second", primary_point=first)
    secondary.other_points.add(second)
    StoryFactory(title="Only first", primary_point=first)
    html = client.get("/stories/", {"point": second.slug}).content.decode()
    assert primary.title in html and secondary.title in html
    assert "Only first" not in html
    assert html.count(f">{secondary.title}<") == 1  # no duplicates from the join


def test_list_search_and_unknown_filter(client):
    StoryFactory(title="The freight train")
    StoryFactory(title="A classroom")
    html = client.get("/stories/", {"q": "freight"}).content.decode()
    assert "The freight train" in html and "A classroom" not in html
    response = client.get("/stories/", {"point": "not-a-point"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We couldn't use that filter" in html
    assert "The freight train" in html and "A classroom" in html


def test_list_is_paginated(client, settings):
    settings.STORIES_PER_PAGE = 2
    for n in range(5):
        StoryFactory(title=f"Paged {n}", publish_at=timezone.now() - timedelta(hours=n + 1))
    first = client.get("/stories/").content.decode()
    third = client.get("/stories/", {"page": 3}).content.decode()
    assert "Paged 0" in first and "Paged 1" in first and "Paged 2" not in first
    assert "Paged 4" in third and "Page 3 of 3" in third


def test_story_page_has_sharing_tags_and_related_stories(client, stored_image):
    story = StoryFactory(title="Shared widely", image=stored_image, image_alt="A boy on a train",
                         image_credit="© Camino/2026/Test")
    StoryFactory(title="Related one", primary_point=story.primary_point)
    html = client.get(story.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Shared widely">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'property="og:image" content="http://testserver/media/' in html
    assert "© Camino/2026/Test" in html
    assert "Related one" in html
    assert 'srcset="' in html


def test_home_shows_featured_story_with_credit_figures_and_lead_stories(client, points, stored_image):
    StoryFactory(title="The hero", featured=True, image=stored_image, image_alt="Hero photo",
                 image_credit="© Camino/2026/Hero", primary_point=points[0])
    StoryFactory(title="Newest but not featured", primary_point=points[0])
    StoryFactory(title="Lead for point three", primary_point=points[2])
    html = client.get("/").content.decode()
    assert 'id="featured-title"' in html and "The hero" in html[html.index('id="featured-title"'):][:300]
    assert "© Camino/2026/Hero" in html
    assert "30,000+" in html and "91%" in html
    assert "Lead for point three" in html
    for point in points:
        assert point.title in html
    # The photo at the top loads at once; the cards further down wait for the scroll.
    assert 'loading="eager"' in html
    assert 'give-module' in html and 'act-module' in html


def test_a_photo_missing_from_storage_does_not_break_pages(client):
    story = StoryFactory(title="Photo lost", image="stories/gone.png", image_alt="Lost", image_credit="© C/1/P",
                         featured=True)
    for url in [story.get_absolute_url(), "/", "/stories/", "/agenda/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Photo lost" in response.content.decode()
    assert 'name="twitter:card" content="summary"' in client.get(story.get_absolute_url()).content.decode()


def test_a_draft_preview_is_never_cached(admin_client, client):
    # Found by the issue 12 verification: an editor's preview of a draft went out with no
    # Cache-Control at all, so a shared cache in front of the site could keep it.
    draft = StoryFactory(title="Not yet", status=Story.Status.DRAFT)
    cache_control = admin_client.get(draft.get_absolute_url())["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
    published = StoryFactory(title="Out now")
    assert "no-store" not in client.get(published.get_absolute_url()).get("Cache-Control", "")
