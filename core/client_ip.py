"""The client's address: one policy for every rate limit and for django-axes' login lockout.

Behind a load balancer REMOTE_ADDR is the balancer, so every visitor would share one address and one
rate limit (supporter 21 got "too many letters" behind one proxy). With DJANGO_TRUSTED_PROXY_COUNT=n,
the n-th address from the right of X-Forwarded-For is the one the outermost trusted proxy saw;
anything left of it was written by the client and can be forged, so it is never read.
"""

import ipaddress

from django.conf import settings
from django.utils.crypto import salted_hmac

PSEUDONYM_SALT = "core.client_ip.pseudonym"


def client_ip(request) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "") or ""


def ratelimit_ip_key(group, request) -> str:
    """django-ratelimit's `key=` callable form of client_ip. An IPv6 client counts by its network
    (RATELIMIT_IPV6_MASK, django-ratelimit's own setting: /64): one subscriber is given a whole /64
    and may send each request from another address in it, which made every limit one per request."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return address
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    mask = getattr(settings, "RATELIMIT_IPV6_MASK", 64)
    return str(ipaddress.ip_network(f"{ip}/{mask}", strict=False))


def ip_pseudonym(address: str) -> str:
    """A keyed hash of an address (HMAC-SHA256 with the secret key), written as an IPv6 address in
    fd00::/8 (unique local: never routed, never a real client) so a column typed for addresses
    (django-axes': PostgreSQL inet) holds it. The same address always gives the same pseudonym,
    so counting per address still works; without the secret key nobody can test guesses against it."""
    if not address:
        return address
    digest = salted_hmac(PSEUDONYM_SALT, address, algorithm="sha256").digest()
    return str(ipaddress.IPv6Address(b"\xfd" + digest[:15]))


def client_ip_pseudonym(request) -> str:
    """client_ip as ip_pseudonym: what django-axes stores (AXES_CLIENT_IP_CALLABLE)."""
    return ip_pseudonym(client_ip(request))
