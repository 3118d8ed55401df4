"""Whole-page caching of the public story pages for anonymous visitors.

Every cached page is filed under the current *content version*. The services bump that version
after any change to a story or an agenda point commits, so every cached page goes stale at once
without anyone having to know which pages showed what. A scheduled story needs no job either: a
page is never kept past the next scheduled publish time.

Only requests that carry no session and no messages cookie are served from (or stored in) the
cache, so staff, previews and one-off messages are always rendered fresh. A response that sets a
cookie or used a CSRF token is personal and never stored.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

VERSION_KEY = "stories:content-version"
CACHE_HEADER = "X-Camino-Page-Cache"


def content_version() -> str:
    return cache.get_or_set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed_now() -> None:
    """Retire every cached page at once, for a caller that has just committed its change itself."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed_on_commit() -> None:
    """Retire every cached page once the current transaction commits (at once outside one): a
    reader between the write and the commit must not store the old content under the new version."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def _request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or settings.STORIES_PAGE_CACHE_SECONDS <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return False
    return not request.user.is_authenticated


def _page_key(request, version: str) -> str:
    where = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"stories:page:{version}:{language}:{where}"


def _timeout() -> int:
    from .models import Story

    timeout = settings.STORIES_PAGE_CACHE_SECONDS
    next_publish = Story.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    if next_publish is not None:
        timeout = min(timeout, max(1, int((next_publish - timezone.now()).total_seconds())))
    return timeout


def cache_public_page(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _request_is_cacheable(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        key = _page_key(request, content_version())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, headers=headers)
            response[CACHE_HEADER] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):  # e.g. the sitemap's TemplateResponse
                response.render()
            personal = bool(response.cookies) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if response.status_code == 200 and not response.streaming and not personal:
                cache.set(key, (response.content, dict(response.items())), timeout=_timeout())
                response[CACHE_HEADER] = "miss"
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
