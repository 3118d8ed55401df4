import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from core import views as core_views
from core.media import media_serve

urlpatterns = [
    path("", include("core.urls")),
    path("", include("stories.urls")),
    path("", include("donations.urls")),
    path("", include("advocacy.urls")),
    path("admin/", admin.site.urls),
]

if settings.MEDIA_SERVE and settings.MEDIA_URL.startswith("/"):
    # In production too (not only with DEBUG): see core.media and the README's "Uploaded media".
    urlpatterns.insert(
        0,
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media_serve,
                {"document_root": settings.MEDIA_ROOT}, name="media")
    )

handler404 = core_views.page_not_found
handler500 = core_views.server_error
