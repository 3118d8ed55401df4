"""Checks on uploaded story images, made with Pillow before anything reaches the storage."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# The formats browsers show everywhere; anything else (TIFF, BMP, SVG with its scripts...) is refused.
ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
RESERVED_SLUGS = {"feed"}  # /stories/feed/ is the feed, so no story may take that address


def validate_story_image(value) -> None:
    """Refuse a new upload that is not a JPEG/PNG/WebP image within the size and dimension limits.

    Files already stored were checked when they were uploaded, so only new uploads are opened.
    """
    if getattr(value, "_committed", True):
        return
    max_bytes = settings.STORIES_IMAGE_MAX_BYTES
    if value.size is not None and value.size > max_bytes:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s. Please upload a smaller file."),
            code="image_too_large",
            params={"size": filesizeformat(value.size), "limit": filesizeformat(max_bytes)},
        )
    upload = value.file
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as image:  # reads the header only
            _check_format_and_dimensions(image.format, *image.size)
            image.verify()  # only then read the whole file: a truncated or corrupt image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP photo."),
            code="image_invalid",
        ) from exc
    finally:
        upload.seek(position)


def _check_format_and_dimensions(image_format: str, width: int, height: int) -> None:
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted. Please upload a JPEG, PNG or WebP photo."),
            code="image_format",
            params={"format": image_format},
        )
    min_width, min_height = settings.STORIES_IMAGE_MIN_DIMENSIONS
    max_side = settings.STORIES_IMAGE_MAX_SIDE
    if width < min_width or height < min_height:
        raise ValidationError(
            _("This image is %(width)s×%(height)s pixels; it must be at least %(min_width)s×%(min_height)s."),
            code="image_too_small",
            params={"width": width, "height": height, "min_width": min_width, "min_height": min_height},
        )
    if width > max_side or height > max_side:
        raise ValidationError(
            _("This image is %(width)s×%(height)s pixels; no side may be longer than %(max_side)s."),
            code="image_too_big",
            params={"width": width, "height": height, "max_side": max_side},
        )


def validate_not_reserved_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is used by the site itself; please choose another slug."),
            code="slug_reserved",
            params={"slug": value},
        )
