"""Uploaded photos served by the app itself, for a single-machine deploy (MEDIA_SERVE, on unless the
photos live in a bucket). Django's own `static()` helper serves them only with DEBUG on, which left
every photo a 404 in production.

Gunicorn hands the open file to the operating system (sendfile), so this costs a worker little; a
proxy in front may serve MEDIA_ROOT itself instead (MEDIA_SERVE=false, README "Uploaded media").
Only images are served: the uploads are photos, and nothing else under MEDIA_ROOT is meant for the
public."""

import mimetypes

from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

# Upload names are unique and thumbnails are named by their source and size, so a file at a URL
# never changes: browsers and caches may keep it.
CACHE_CONTROL = "public, max-age=2592000, immutable"


@require_safe
def media_serve(request, path, document_root=None):
    content_type, _encoding = mimetypes.guess_type(path)
    if not content_type or not content_type.startswith("image/") or content_type == "image/svg+xml":
        raise Http404
    response = serve(request, path, document_root=document_root)
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response
