"""The appeal image gets the story photo's checks before anything reaches the storage."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from donations.models import Appeal
from tests.stories.factories import image_bytes

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:donations_appeal_add")


def _padded_to_20_mb() -> bytes:
    """A readable PNG of 20 MB (what follows its end chunk is never decoded)."""
    return image_bytes() + bytes(20 * 1024 * 1024)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _form(**overrides):
    data = {
        # The admin edits each text in both languages (title_en, title_es...); Spanish may be empty.
        "title_en": "Winter appeal",
        "title_es": "Llamado de invierno",  # an active appeal has its Spanish (Appeal.clean)
        "text_es": "Por qué.",
        "slug": "winter",
        "text_en": "Why.",
        "image_alt_en": "Children at a window",
        # The amount buttons' table (an inline formset), sent empty.
        "suggested_amounts-TOTAL_FORMS": "0",
        "suggested_amounts-INITIAL_FORMS": "0",
        "default_frequency": "once",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def _stored(media: Path) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _huge_png() -> bytes:
    """144 megapixels (12,000 × 12,000) in a few kilobytes: a one-bit image compresses to nothing."""
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_good_photo_is_accepted(admin_client, media):
    photo = SimpleUploadedFile("kids.png", image_bytes(), content_type="image/png")
    response = admin_client.post(ADD_URL, _form(image=photo))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Appeal.objects.get(slug="winter").image.name.startswith("appeals/")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("bomb.png", _huge_png(), content_type="image/png"),
            "no side may be longer than 8000",
        ),
        (lambda: SimpleUploadedFile("big.png", _padded_to_20_mb(), content_type="image/png"), "the limit is 8.0"),
        (
            lambda: SimpleUploadedFile("anim.gif", image_bytes(image_format="GIF"), content_type="image/gif"),
            "GIF images are not accepted",
        ),
        (
            lambda: SimpleUploadedFile("tiny.png", image_bytes(size=(200, 100)), content_type="image/png"),
            "it must be at least 600×300",
        ),
    ],
    ids=["144-megapixels", "20-MB", "gif", "too-small"],
)
def test_bad_appeal_images_are_refused_and_nothing_is_stored(admin_client, media, upload, message):
    response = admin_client.post(ADD_URL, _form(image=upload()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Appeal.objects.exists()
    assert _stored(media) == []


def test_an_appeal_image_needs_its_description(admin_client, media):
    photo = SimpleUploadedFile("kids.png", image_bytes(), content_type="image/png")
    response = admin_client.post(ADD_URL, _form(image=photo, image_alt_en=""))
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert not Appeal.objects.exists()
    assert _stored(media) == []


@pytest.mark.parametrize(
    ("prefix", "alt"), [("", "Children at a window"), ("/es", "Niños en una ventana")], ids=["english", "spanish"]
)
def test_the_donate_page_shows_the_appeal_image_described_in_the_page_language(client, media, prefix, alt):
    import re

    from django.core.files.base import ContentFile

    from tests.staff.factories import appeal

    default = appeal(
        is_default=True,
        text="Why.",
        text_es="Por qué.",
        image_alt_en="Children at a window",
        image_alt_es="Niños en una ventana",
    )
    default.image.save("kids.png", ContentFile(image_bytes(size=(1600, 900))), save=True)
    response = client.get(f"{prefix}/donate/")
    assert response.status_code == 200
    [img] = re.findall(r'<img [^>]*src="/media/cache/[^>]*>', response.content.decode())
    assert f'alt="{alt}"' in img
    assert re.search(r'width="\d+" height="\d+"', img)  # no layout shift while it loads
    assert re.search(r'srcset="[^"]* 480w, [^"]* 800w, [^"]* 1200w"', img)
    assert 'loading="lazy"' in img and 'decoding="async"' in img
    html = response.content.decode()
    assert html.index("</form>") < html.index(img)  # after the gift form: a phone's first screen keeps the amounts
