"""Staff sessions end STAFF_SESSION_HOURS after the login, and after STAFF_SESSION_IDLE_MINUTES
without a request, whichever comes first (Django's default was 14 days, idle or not).

Only signed-in sessions are concerned: a supporter's letter draft keeps the site's own session
settings."""

import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT = "camino_login_at"
SEEN_AT = "camino_seen_at"
# The idle clock is written at most this often, not on every request (each write is a session save).
SEEN_RESOLUTION_SECONDS = 60


def staff_session_start(sender, request, user, **kwargs):
    """user_logged_in receiver: the session and its cookie last at most the staff maximum."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    request.session.set_expiry(settings.STAFF_SESSION_HOURS * 3600)


class StaffSessionTimeoutMiddleware:
    """Logs out a session past its maximum age or idle too long; the admin then asks for the login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in: skip the session read for most visitors.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(LOGIN_AT)
            seen_at = request.session.get(SEEN_AT, login_at)
            if (
                login_at is None
                or now - login_at >= settings.STAFF_SESSION_HOURS * 3600
                or now - seen_at >= settings.STAFF_SESSION_IDLE_MINUTES * 60
            ):
                # A session from before this rule (no login time) ends too: it may be 14 days old.
                logout(request)
            elif now - seen_at >= SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)
