"""Editors in the admin: uploads checked before anything is stored, actions that call services."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from stories.models import Story

from .factories import StoryFactory, image_bytes

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:stories_story_add")


def _form(points, **overrides):
    now = timezone.localtime()
    data = {
        # The admin edits each text in both languages (title_en, title_es...); Spanish may be empty.
        "title_en": "A new story", "slug": "a-new-story", "summary_en": "One line.", "body_en": "Words.",
        "image_alt_en": "A girl at a window", "image_credit": "© Camino/2026/Editor",
        "primary_point": points[0].pk, "country": "HN", "status": "published",
        "publish_at_0": now.strftime("%Y-%m-%d"), "publish_at_1": now.strftime("%H:%M:%S"),
        "cta_give": "on", "cta_tell_congress": "on",
    }
    data.update(overrides)
    return data


def _stored_files(media: Path) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_editor_adds_a_story_with_a_photo(admin_client, points, _media_in_tmp, django_capture_on_commit_callbacks):
    photo = SimpleUploadedFile("girl.png", image_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD_URL, _form(points, image=photo))
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Story.objects.get(slug="a-new-story")
    assert story.image.name.startswith("stories/")
    assert story.history.count() == 1
    assert admin_client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"this is not an image at all", content_type="image/png"),
         "Upload a valid image"),
        (SimpleUploadedFile("tiny.png", image_bytes(size=(200, 100)), content_type="image/png"),
         "it must be at least 600×300"),
        (SimpleUploadedFile("anim.gif", image_bytes(image_format="GIF"), content_type="image/gif"),
         "GIF images are not accepted"),
        (SimpleUploadedFile("huge.png", image_bytes(size=(8100, 400)), content_type="image/png"),
         "no side may be longer than 8000"),
    ],
    ids=["not-an-image", "too-small", "gif", "too-wide"],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_saved(admin_client, points, _media_in_tmp, upload,
                                                                  message):
    response = admin_client.post(ADD_URL, _form(points, image=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Story.objects.exists()
    assert _stored_files(_media_in_tmp) == []


def test_oversized_upload_is_refused(admin_client, points, _media_in_tmp, settings):
    settings.STORIES_IMAGE_MAX_BYTES = 10_000
    photo = SimpleUploadedFile("big.jpg", image_bytes(image_format="BMP"), content_type="image/jpeg")
    response = admin_client.post(ADD_URL, _form(points, image=photo))
    assert "the limit is" in response.content.decode()
    assert not Story.objects.exists()
    assert _stored_files(_media_in_tmp) == []


def test_a_photo_needs_alt_text_and_a_credit(admin_client, points, _media_in_tmp):
    photo = SimpleUploadedFile("girl.png", image_bytes(), content_type="image/png")
    response = admin_client.post(ADD_URL, _form(points, image=photo, image_alt_en="", image_credit=""))
    html = response.content.decode()
    assert "Describe the photo" in html and "Every photo needs a credit line" in html
    assert not Story.objects.exists()
    assert _stored_files(_media_in_tmp) == []


def test_feed_is_a_reserved_slug(admin_client, points):
    response = admin_client.post(ADD_URL, _form(points, slug="feed"))
    assert "is used by the site itself" in response.content.decode()
    assert not Story.objects.exists()


def test_publish_and_unpublish_actions(admin_client, django_capture_on_commit_callbacks):
    old_draft = StoryFactory(status=Story.Status.DRAFT, publish_at=timezone.now() - timedelta(days=30))
    scheduled = StoryFactory(status=Story.Status.DRAFT, publish_at=timezone.now() + timedelta(days=2))
    changelist = reverse("admin:stories_story_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(changelist, {"action": "publish_selected",
                                                  "_selected_action": [old_draft.pk, scheduled.pk]}, follow=True)
    assert "2 stories published." in response.content.decode()
    old_draft.refresh_from_db()
    scheduled.refresh_from_db()
    assert old_draft.status == scheduled.status == Story.Status.PUBLISHED
    # A draft started long ago goes live now; one scheduled for later keeps its time.
    assert timezone.now() - old_draft.publish_at < timedelta(minutes=1)
    assert scheduled.publish_at > timezone.now() + timedelta(days=1)
    assert list(Story.objects.published()) == [old_draft]

    response = admin_client.post(changelist, {"action": "unpublish_selected", "_selected_action": [old_draft.pk]},
                                 follow=True)
    assert "1 story unpublished." in response.content.decode()
    old_draft.refresh_from_db()
    assert old_draft.status == Story.Status.DRAFT


def test_admin_list_filters_search_and_thumbnail(admin_client, stored_image):
    StoryFactory(title="Findable story", image=stored_image, image_alt="thumb alt", image_credit="© C/1/P",
                 featured=True)
    StoryFactory(title="Other story", status=Story.Status.DRAFT)
    changelist = reverse("admin:stories_story_changelist")
    html = admin_client.get(changelist, {"q": "Findable"}).content.decode()
    assert "Findable story" in html and "Other story" not in html
    assert 'alt="thumb alt"' in html and "/media/cache/" in html
    html = admin_client.get(changelist, {"status__exact": "draft"}).content.decode()
    assert "Other story" in html and "Findable story" not in html
    html = admin_client.get(changelist, {"featured__exact": "1"}).content.decode()
    assert "Findable story" in html and "Other story" not in html


def test_agenda_points_can_be_reordered(admin_client, points, django_capture_on_commit_callbacks):
    changelist = reverse("admin:stories_agendapoint_changelist")
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "6", "_save": "Save"}
    for index, point in enumerate(points):
        data[f"form-{index}-id"] = point.pk
        data[f"form-{index}-position"] = 6 - index
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(changelist, data)
    assert response.status_code == 302
    from stories.models import AgendaPoint

    assert list(AgendaPoint.objects.all()) == list(reversed(points))


def test_admin_list_survives_a_photo_missing_from_storage(admin_client):
    StoryFactory(title="Photo lost", image="stories/gone.png", image_alt="Lost", image_credit="© C/1/P")
    html = admin_client.get(reverse("admin:stories_story_changelist")).content.decode()
    assert "Photo lost" in html and "(missing file)" in html


def test_deleting_selected_stories_goes_through_the_service(admin_client, client, django_capture_on_commit_callbacks):
    # The bulk action must retire the cached pages as deleting one story does.
    stories = [StoryFactory(title="Soon deleted one"), StoryFactory(title="Soon deleted two")]
    assert "Soon deleted one" in client.get("/stories/").content.decode()
    changelist = reverse("admin:stories_story_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(changelist, {"action": "delete_selected", "post": "yes",
                                                  "_selected_action": [s.pk for s in stories]}, follow=True)
    assert response.status_code == 200
    assert not Story.objects.filter(pk__in=[s.pk for s in stories]).exists()
    html = client.get("/stories/").content.decode()
    assert "Soon deleted one" not in html and "Soon deleted two" not in html
