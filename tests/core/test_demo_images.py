"""The demo campaign and the demo appeal have a placeholder photo (issue 13: "no imagery on the action and
donate pages"), described in English and Spanish as what it is; the seed fills only what is empty."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from advocacy import demo as advocacy_demo
from advocacy.demo import DEMO_SLUG
from advocacy.models import Campaign
from donations import demo as donations_demo
from donations.models import Appeal
from tests.stories.factories import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _seed() -> None:
    for module in (donations_demo, advocacy_demo):
        module.seed(stdout=io.StringIO())


def _files(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def _demo_objects():
    return Campaign.objects.get(slug=DEMO_SLUG), Appeal.objects.get(slug="children-on-the-move")


def test_the_demo_campaign_and_appeal_get_a_described_placeholder_photo(media):
    _seed()
    for obj in _demo_objects():
        assert obj.image, obj
        with Image.open(obj.image.path) as photo:
            assert (photo.format, photo.size) == ("JPEG", (1600, 900))
        assert obj.image_alt_en.startswith("Demo placeholder illustration for the ")
        assert obj.image_alt_es.startswith("Ilustración provisional de demostración para ")
        obj.full_clean()  # the rules staff's edits meet: an image needs its description
    assert [name.split("/")[0] for name in _files(media)] == ["appeals", "campaigns"]


def test_a_second_seed_adds_no_file_and_changes_nothing(media):
    _seed()
    before = _files(media)
    images = [(obj.image.name, obj.image_alt_en, obj.image_alt_es, obj.updated_at) for obj in _demo_objects()]
    _seed()
    assert _files(media) == before
    assert [(obj.image.name, obj.image_alt_en, obj.image_alt_es, obj.updated_at) for obj in _demo_objects()] == images


def test_the_seed_keeps_the_photo_and_description_staff_chose(media):
    _seed()
    campaign, appeal = _demo_objects()
    for obj in (campaign, appeal):
        obj.image.save("staff.png", ContentFile(image_bytes()), save=False)
        obj.image_alt_en, obj.image_alt_es = "Staff's photo", ""
        obj.save()
    _seed()
    for obj in _demo_objects():
        assert obj.image.name.endswith("staff.png")
        assert (obj.image_alt_en, obj.image_alt_es) == ("Staff's photo", "")  # not the placeholder's description


def test_a_demo_seeded_before_images_existed_gets_its_photos(media):
    _seed()
    for model in (Campaign, Appeal):
        model.objects.update(image="", image_alt_en="", image_alt_es="")
    _seed()
    for obj in _demo_objects():
        assert obj.image and obj.image_alt_en and obj.image_alt_es


def test_the_demo_pages_show_the_photos(media, client):
    _seed()
    campaign = client.get(f"/es/act/{DEMO_SLUG}/").content.decode()
    assert 'alt="Ilustración provisional de demostración para la campaña' in campaign
    donate = client.get("/donate/").content.decode()
    assert 'alt="Demo placeholder illustration for the appeal' in donate
