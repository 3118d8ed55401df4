"""Responsive story photos: one <img> with a srcset of thumbnails made (once) by sorl-thumbnail."""

from django import template
from django.utils.html import format_html
from sorl.thumbnail import get_thumbnail

register = template.Library()

# Widths offered to the browser; it picks one from `sizes` and the screen's density.
WIDTHS = (480, 800, 1200, 1600)
ASPECT = (16, 9)


@register.simple_tag
def responsive_image(image, alt, *, sizes="100vw", lazy=True, css_class="img-fluid", max_width=1600):
    """An <img> cropped to 16:9 at several widths. `lazy=False` for the photo at the top of a page
    (it is what the visitor sees first); everything further down loads when scrolled to."""
    if not image:
        return ""
    by_width = {}
    for width in (w for w in WIDTHS if w <= max_width):
        height = width * ASPECT[1] // ASPECT[0]
        thumb = get_thumbnail(image, f"{width}x{height}", crop="center", upscale=False, quality=82)
        if not thumb.size:  # sorl logs a source it cannot read (e.g. a file gone from storage)
            return ""
        by_width.setdefault(thumb.width, thumb)  # a small original yields the same size twice
    thumbs = sorted(by_width.values(), key=lambda t: t.width)
    srcset = ", ".join(f"{t.url} {t.width}w" for t in thumbs)
    default = thumbs[min(1, len(thumbs) - 1)]
    loading = "lazy" if lazy else "eager"
    priority = "auto" if lazy else "high"
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" loading="{}" '
        'decoding="async" fetchpriority="{}">',
        default.url, srcset, sizes, default.width, default.height, alt, css_class, loading, priority,
    )


@register.simple_tag
def share_image_url(image, request):
    """An absolute URL of a 1200×630 crop, the size Open Graph and Twitter cards expect."""
    if not image:
        return ""
    thumb = get_thumbnail(image, "1200x630", crop="center", quality=82)
    return request.build_absolute_uri(thumb.url) if thumb.size else ""
