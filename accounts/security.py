"""Small request helpers for the login hardening."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address, for login rate limits.

    Behind a load balancer REMOTE_ADDR is the balancer, so every attempt would share one address.
    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of X-Forwarded-For is the one the
    outermost trusted proxy saw; anything left of it was written by the client and can be forged."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
