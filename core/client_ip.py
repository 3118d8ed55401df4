"""The client's address: one policy for every rate limit and for django-axes' login lockout.

Behind a load balancer REMOTE_ADDR is the balancer, so every visitor would share one address and one
rate limit (supporter 21 got "too many letters" behind one proxy). With DJANGO_TRUSTED_PROXY_COUNT=n,
the n-th address from the right of X-Forwarded-For is the one the outermost trusted proxy saw;
anything left of it was written by the client and can be forged, so it is never read.
"""

from django.conf import settings


def client_ip(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or ""


def ratelimit_ip_key(group, request) -> str:
    """django-ratelimit's `key=` callable form of client_ip."""
    return client_ip(request)
