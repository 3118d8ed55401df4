from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stories import services
from stories.models import Story

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_story_publish_with_a_future_time_schedules_the_story():
    story = StoryFactory(status=Story.Status.DRAFT)
    later = timezone.now() + timedelta(days=1)
    services.story_publish(story=story, publish_at=later)
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED and story.publish_at == later
    assert not Story.objects.published().exists()
    assert story.history.count() == 2


def test_story_publish_twice_keeps_the_first_publish_time():
    story = StoryFactory(status=Story.Status.DRAFT, publish_at=timezone.now() - timedelta(days=9))
    services.story_publish(story=story)
    first_time = Story.objects.get(pk=story.pk).publish_at
    services.story_publish(story=Story.objects.get(pk=story.pk))
    assert Story.objects.get(pk=story.pk).publish_at == first_time


def test_story_save_refuses_a_photo_without_credit_and_saves_nothing(stored_image):
    story = StoryFactory(title="Before")
    story.title = "After"
    story.image = stored_image
    story.image_alt = "A photo"
    with pytest.raises(ValidationError) as excinfo:
        services.story_save(story=story)
    assert excinfo.value.error_dict["image_credit"][0].code == "credit_required"
    assert Story.objects.get(pk=story.pk).title == "Before"


def test_story_unpublish_returns_a_story_to_draft():
    story = StoryFactory()
    services.story_unpublish(story=story)
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT
    assert not Story.objects.published().exists()
