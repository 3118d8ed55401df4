"""A campaign's image (issue 13, "no imagery on the action pages"): checked as story photos are, described
for screen readers in English and Spanish, and shown beside the text without pushing the letter form down."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from tests.staff.test_admin_urls import change_form_data, post_change_form
from tests.stories.factories import image_bytes

from .factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads and thumbnails go to a folder of this test's own, so tests can see what was stored."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _stored(media) -> list[str]:
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) if media.exists() else []


def _with_image(**fields):
    campaign = CampaignFactory(**fields)
    campaign.image.save("children.png", ContentFile(image_bytes(size=(1600, 900))), save=True)
    return campaign


def test_a_campaign_image_needs_its_description():
    campaign = CampaignFactory()
    campaign.image.save("children.png", ContentFile(image_bytes()), save=False)
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert refused.value.error_dict["image_alt"][0].code == "alt_required"
    campaign.image_alt_en = "Two children at a shelter window"
    campaign.full_clean()  # described: accepted


def test_the_database_refuses_an_image_without_a_description():
    campaign = _with_image(image_alt_en="Two children at a shelter window")
    campaign.image_alt_en = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        campaign.save()  # without full_clean(), as a careless script would


def test_the_admin_edits_the_image_and_its_description_in_both_languages(admin_client, media):
    page = admin_client.get(reverse("admin:advocacy_campaign_add"))
    lines = [tuple(line.fields) for fieldset in page.context["adminform"] for line in fieldset]
    assert ("image",) in lines and ("image_alt_en", "image_alt_es") in lines

    campaign = CampaignFactory()
    photo = SimpleUploadedFile("kids.png", image_bytes(), content_type="image/png")
    post_change_form(
        admin_client, campaign, image=photo, image_alt_en="Children at a window", image_alt_es="Niños en una ventana"
    )
    campaign.refresh_from_db()
    assert campaign.image.name.startswith("campaigns/")
    assert (campaign.image_alt_en, campaign.image_alt_es) == ("Children at a window", "Niños en una ventana")


@pytest.mark.parametrize(
    ("upload", "alt", "message"),
    [
        (
            lambda: SimpleUploadedFile("kids.png", image_bytes(), content_type="image/png"),
            "",
            "Describe the image for people who cannot see it.",
        ),
        (
            lambda: SimpleUploadedFile("anim.gif", image_bytes(image_format="GIF"), content_type="image/gif"),
            "Animated",
            "GIF images are not accepted",
        ),
        (
            lambda: SimpleUploadedFile("tiny.png", image_bytes(size=(200, 100)), content_type="image/png"),
            "Tiny",
            "it must be at least 600×300",
        ),
        (
            lambda: SimpleUploadedFile("notes.png", b"not an image at all", content_type="image/png"),
            "Notes",
            "Upload a valid image",
        ),  # Django's ImageField answers first
    ],
    ids=["no-description", "gif", "too-small", "not-an-image"],
)
def test_the_admin_refuses_a_bad_campaign_image_and_stores_nothing(admin_client, media, upload, alt, message):
    campaign = CampaignFactory()
    data = change_form_data(admin_client, campaign, image=upload(), image_alt_en=alt)
    response = admin_client.post(reverse("admin:advocacy_campaign_change", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    campaign.refresh_from_db()
    assert not campaign.image
    assert _stored(media) == []


def _img(html: str) -> str:
    found = re.findall(r'<img [^>]*src="/media/cache/[^>]*>', html)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("prefix", "alt"),
    [("", "Two children at a shelter window"), ("/es", "Dos niños en la ventana de un albergue")],
    ids=["english", "spanish"],
)
def test_the_campaign_page_shows_its_image_described_in_the_page_language(client, prefix, alt):
    campaign = _with_image(
        image_alt_en="Two children at a shelter window", image_alt_es="Dos niños en la ventana de un albergue"
    )
    response = client.get(f"{prefix}{campaign.get_absolute_url()}")
    assert response.status_code == 200
    img = _img(response.content.decode())
    assert f'alt="{alt}"' in img
    # Its size is known before it loads (no layout shift), and smaller copies are offered to phones.
    assert re.search(r'width="\d+" height="\d+"', img)
    assert re.search(r'srcset="[^"]* 480w, [^"]* 800w, [^"]* 1200w"', img)
    assert 'loading="lazy"' in img and 'decoding="async"' in img


def test_the_campaign_image_comes_after_the_letter_form_in_the_page():
    """On a phone the columns stack in page order: the image after the form keeps the form in the first screen."""
    from django.test import Client

    campaign = _with_image(image_alt_en="Two children at a shelter window")
    html = Client().get(campaign.get_absolute_url()).content.decode()
    assert html.index("</form>") < html.index('alt="Two children at a shelter window"')


def test_a_campaign_without_an_image_shows_none(client):
    campaign = CampaignFactory()
    html = client.get(campaign.get_absolute_url()).content.decode()
    assert "/media/" not in html


def test_the_campaign_list_and_the_tell_congress_module_show_the_image(client):
    campaign = _with_image(image_alt_en="Two children at a shelter window", image_alt_es="Dos niños en una ventana")
    listing = client.get("/es/act/").content.decode()
    img = _img(listing)
    assert 'alt="Dos niños en una ventana"' in img and 'loading="lazy"' in img
    # After the card's button in the page: on a phone the first campaign's button stays in the first screen.
    assert listing.index("data-primary-action") < listing.index(img)

    from django.template.loader import render_to_string

    from advocacy.templatetags.advocacy_tags import act_module

    with translation.override("en"):
        module = render_to_string("advocacy/includes/act_module.html", act_module(campaign))
    assert 'alt="Two children at a shelter window"' in _img(module)
