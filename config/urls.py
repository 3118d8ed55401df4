import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from core import errors
from core import views as core_views
from core.media import media_serve
from donations import views as donation_views

# One address whatever the language (docs/i18n.md): what a third party calls (Stripe's webhook,
# the load balancer's health check, browsers' favicon), the admin (staff's language is their cookie,
# then their browser's) and media. Never move these under i18n_patterns: Stripe keeps the URL it
# was given.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, feeds).
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("stripe/webhook/", donation_views.stripe_webhook, name="stripe_webhook"),
    # The language switcher's form (templates/includes/language_switcher.html). CSRF-exempt on
    # purpose: a token would make every public page personal, so never page-cached, and a forged
    # post can do no more than a link to /es/ does (show the site in the other language).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

# The public pages: English at /..., Spanish at /es/... Unprefixed links (old ones, emails already
# sent: letter status, manage links) keep working in English, or go to /es/ by the stored choice
# (core.middleware.CaminoLocaleMiddleware).
urlpatterns += i18n_patterns(
    path("", include("core.urls")),
    path("", include("stories.urls")),
    path("", include("donations.urls")),
    path("", include("advocacy.urls")),
    prefix_default_language=False,
)

if settings.MEDIA_SERVE and settings.MEDIA_URL.startswith("/"):
    # In production too (not only with DEBUG): see core.media and the README's "Uploaded media".
    urlpatterns.insert(
        0,
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media_serve,
                {"document_root": settings.MEDIA_ROOT}, name="media")
    )

# The site's error pages, or the admin's under /admin/ (core/errors.py).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
