"""The other languages of the page being shown: the switcher and the hreflang alternates."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """Every language with this page's address in it: [{code, name, url, current}], or [] when the
    page has no twin in the other language (the admin, an error page whose address resolves to
    nothing): its switcher would land elsewhere, and an alternate must be the same page."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    path = request.get_full_path()
    entries = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        entries.append({"code": code, "name": name, "url": url, "current": code == current})
    if len({entry["url"] for entry in entries}) < len(entries):
        return []
    return entries


@register.simple_tag(takes_context=True)
def absolute_url(context, url):
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url
