import io

import pytest

from stories import demo
from stories.models import AgendaPoint, Story

pytestmark = pytest.mark.django_db


def _state(media):
    return (
        list(Story.objects.order_by("pk").values()),
        Story.history.count(),
        list(AgendaPoint.objects.order_by("pk").values()),
        sorted(str(p) for p in media.rglob("*")),
    )


def test_seed_creates_a_hero_and_two_stories_per_point_and_twice_changes_nothing(points, _media_in_tmp):
    demo.seed(stdout=io.StringIO())
    first = _state(_media_in_tmp)
    demo.seed(stdout=io.StringIO())
    assert _state(_media_in_tmp) == first

    assert Story.objects.published().filter(featured=True).count() == 1
    for point in AgendaPoint.objects.all():
        assert Story.objects.filter(primary_point=point).count() >= 2, point
    for story in Story.objects.all():
        assert story.image and story.image_alt and story.image_credit.startswith("© Camino/2026/")
        assert (_media_in_tmp / story.image.name).exists()
