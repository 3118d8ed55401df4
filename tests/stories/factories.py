import importlib
import io

import factory
from django.apps import apps
from django.utils import timezone
from PIL import Image

from stories.models import AgendaPoint, Story


def image_bytes(size=(1200, 675), image_format="PNG", color=(11, 61, 92)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


def ensure_agenda_points() -> list[AgendaPoint]:
    """The six points the data migration creates. A transactional test empties the tables when it
    ends, so tests that run after one put the points back the same way the migration does."""
    if AgendaPoint.objects.count() < 6:
        migration = importlib.import_module("stories.migrations.0002_agenda_points")
        migration.create_points(apps, None)
    return list(AgendaPoint.objects.order_by("position"))


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    title = factory.Sequence(lambda n: f"Story number {n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    summary = "A child's journey, told in one sentence."
    body = "Some **words** about the journey."
    primary_point = factory.LazyFunction(lambda: ensure_agenda_points()[0])
    status = Story.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
