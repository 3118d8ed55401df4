"""The site's URLs plus views that fail on purpose, for tests/core/test_error_pages.py."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug in a view")


def suspicious(request):
    raise SuspiciousOperation("a request Django refuses")


urlpatterns = [
    # Before the site's: the admin's catch-all would answer these addresses first.
    path("admin/broken/", broken),
    path("admin/suspicious/", suspicious),
    *site_urlpatterns,
    *i18n_patterns(path("broken/", broken), path("suspicious/", suspicious), prefix_default_language=False),
]
