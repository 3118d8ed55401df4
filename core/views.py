from django.conf import settings
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
def privacy(request):
    """What the site keeps about supporters, for how long and why, in the numbers it really uses."""
    context = {
        "letter_days": settings.RETENTION_LETTER_DAYS,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "status_link_days": settings.ADVOCACY_STATUS_LINK_DAYS,
        "manage_link_hours": settings.DONATION_MANAGE_LINK_MAX_AGE // 3600,
        "login_record_days": settings.RETENTION_LOGIN_RECORD_DAYS,
        "privacy_contact": settings.PRIVACY_CONTACT_EMAIL,
    }
    return render(request, "core/privacy.html", context)


@require_GET
def favicon(request):
    # Resolved per request, not at URLconf import: the hashed name exists only
    # after collectstatic, and `check --deploy` imports the URLconf before that.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
@require_GET
def healthz(request):
    """For load balancers and uptime checks: 200 when the database and broker answer, else 503,
    within HEALTHZ_TIMEOUT seconds whatever hangs (core.health). The cache is reported but never
    makes it 503: pages and letters work without it, and one shared cache failing must not take
    every web server out of the load balancer."""
    timeout = settings.HEALTHZ_TIMEOUT
    results = health.run_checks(
        {
            "database": _database_and_worker_state,
            # A little under the total, so a refused or frozen broker is reported as what it is.
            "broker": lambda: health.broker_state(timeout=timeout * 0.75),
            "cache": health.cache_state,
        },
        timeout=timeout,
    )
    db_ok, db_detail, *rest = results["database"]
    broker_ok, broker_detail = results["broker"]
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "unavailable",
        "database": db_detail,
        "broker": broker_detail,
        "cache": results["cache"][1],
        "worker_last_seen": rest[0] if rest else None,
    }
    return JsonResponse(body, status=200 if ok else 503)


def _database_and_worker_state() -> tuple:
    ok, detail = health.database_state()
    if not ok:
        return ok, detail
    ping = WorkerPing.objects.latest_answered()
    return ok, detail, ping.answered_at.isoformat() if ping else None
