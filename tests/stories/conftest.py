import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .factories import ensure_agenda_points, image_bytes


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploads and thumbnails go to a folder of this test's own, so tests can see what was stored."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def stored_image(_media_in_tmp):
    """The name of one photo in the storage, shared by many stories in the query-count tests."""
    return default_storage.save("stories/shared.png", ContentFile(image_bytes()))


@pytest.fixture
def points(db):
    return ensure_agenda_points()
