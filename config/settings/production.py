"""The settings every server process loads (web, worker, beat, manage.py): base, plus what
production needs once DEBUG is off (the default). ``make run`` sets DJANGO_DEBUG=true."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEV_SECRET_KEY, SECRET_KEY
from .environment import DEBUG, env

if not DEBUG:
    # Fail loudly rather than serve production with a guessable key (anyone could forge signed
    # links) or an open Host header.
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
            "when DJANGO_DEBUG=false."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false.")
    # base.py's default prints mail to the console: a deployment that forgot EMAIL_URL would send
    # none of the confirmations and receipts its pages promise, and print each one (name, street,
    # email) into the worker's log. Instead nothing is sent (and stays due), and the check core.E001
    # stops migrate and check. Not an import error: collectstatic must still run before it is set.
    # A console backend said outright (the benchmarks, `make run`) stays possible.
    if not env.str("EMAIL_URL", default=""):
        EMAIL_BACKEND = "core.mail.EmailNotConfiguredBackend"

    # HTTPS only, behind the proxy that terminates TLS (SECURE_PROXY_SSL_HEADER in security.py).
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # The load balancer's health check speaks plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
