"""An image's description is required in English, whatever language the admin is used in.

English is every language's fallback (MODELTRANSLATION_FALLBACK_LANGUAGES), so an English description
gives every page one; a description written only in Spanish (a staff user in the Spanish admin)
passed the rule, read in the admin's language, and the English page showed the image with alt=""."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation

from tests.advocacy.factories import CampaignFactory
from tests.staff.factories import appeal
from tests.stories.factories import StoryFactory, ensure_agenda_points, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _campaign():
    return CampaignFactory()


def _appeal():
    return appeal()


def _story():
    return StoryFactory(image_credit="© Camino/2026/Test")


def _agenda_point():
    return ensure_agenda_points()[0]


@pytest.mark.parametrize(
    "make", [_campaign, _appeal, _story, _agenda_point], ids=["campaign", "appeal", "story", "agenda"]
)
def test_an_image_described_only_in_spanish_is_refused_in_the_spanish_admin_too(make):
    with translation.override("es"):
        obj = make()
        obj.image.save("photo.png", ContentFile(image_bytes(size=(1600, 900))), save=False)
        obj.image_alt_en, obj.image_alt_es = "", "Dos niños en una ventana"
        with pytest.raises(ValidationError) as refused:
            obj.full_clean()
        assert "image_alt" in refused.value.error_dict

        obj.image_alt_en = "Two children at a window"  # described in English: every page has it
        obj.full_clean()


def test_the_spanish_admin_asks_for_the_english_description_and_stores_nothing(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.staff.test_admin_urls import change_form_data

    admin_client.cookies["django_language"] = "es"
    campaign = CampaignFactory()
    photo = SimpleUploadedFile("kids.png", image_bytes(), content_type="image/png")
    data = change_form_data(admin_client, campaign, image=photo, image_alt_en="", image_alt_es="Niños en una ventana")

    response = admin_client.post(reverse("admin:advocacy_campaign_change", args=[campaign.pk]), data)

    assert response.status_code == 200
    assert "Describa la imagen para quienes no pueden verla." in response.content.decode()
    campaign.refresh_from_db()
    assert not campaign.image
