"""A limit on failed admin logins per client address, on top of django-axes' lockout of one
username from one address.

Axes alone let one address try 40 usernames with a password each (password spraying): every pair
stayed under its own limit. Here every failed login from an address counts, whatever the username,
in django-ratelimit's fixed windows (its keys are hashed: no address is stored in the clear), and
once LOGIN_RATE_LIMIT_IP is reached the address gets axes' lockout page for the rest of the window,
even with a right password. The address is core.client_ip's, so behind the proxy each client
counts on its own."""

from django.conf import settings
from django_ratelimit.core import get_usage

from core.client_ip import ratelimit_ip_key

GROUP = "accounts-login-failures-ip"


def _usage(request, *, increment: bool):
    return get_usage(request, group=GROUP, key=ratelimit_ip_key, rate=settings.LOGIN_RATE_LIMIT_IP, increment=increment)


def login_address_blocked(request) -> bool:
    """True once the client's address has used up its failed logins for this window."""
    usage = _usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def login_failure_count(sender, credentials=None, request=None, **kwargs) -> None:
    """user_login_failed receiver: one more failure for the request's address."""
    if request is not None:
        _usage(request, increment=True)
