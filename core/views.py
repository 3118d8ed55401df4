from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from stories import views as stories_views

from . import health
from .models import WorkerPing


def home(request):
    # The home page is the story library's front page: the stories app builds (and caches) it.
    return stories_views.home(request)


@require_GET
def favicon(request):
    # Resolved per request, not at URLconf import: the hashed name exists only
    # after collectstatic, and `check --deploy` imports the URLconf before that.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """For load balancers and uptime checks: 200 when the database and broker answer, else 503."""
    db_ok, db_detail = health.database_state()
    broker_ok, broker_detail = health.broker_state()
    last_seen = None
    if db_ok:
        ping = WorkerPing.objects.latest_answered()
        last_seen = ping.answered_at.isoformat() if ping else None
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "unavailable",
        "database": db_detail,
        "broker": broker_detail,
        "worker_last_seen": last_seen,
    }
    return JsonResponse(body, status=200 if ok else 503)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or queries: the database may be what failed.
    return render(request, "500.html", status=500)
