"""Staff two-factor login (django-otp, TOTP).

With STAFF_TWO_FACTOR_REQUIRED (on by default in production), every staff user, superusers
included, must pass an authenticator code: one who has not enrolled yet is sent from the password
straight to enrollment and can open nothing else. With it off (`make run`, tests), staff who
enrolled must use it and the others log in with their password."""

from django.conf import settings
from django_otp import user_has_device


def has_confirmed_device(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def needs_enrolment(request) -> bool:
    """A staff user signed in with the password, who must set up two-factor before anything else."""
    user = request.user
    return (
        settings.STAFF_TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not has_confirmed_device(user)
    )


def two_factor_satisfied(request) -> bool:
    """True when this session passed the second factor, or the user has none to pass and none is
    required.

    Remembered on the request: the admin asks several times per page."""
    cached = getattr(request, "_camino_two_factor_ok", None)
    if cached is None:
        user = request.user
        verified = bool(getattr(user, "is_verified", lambda: False)())
        cached = verified or (not settings.STAFF_TWO_FACTOR_REQUIRED and not has_confirmed_device(user))
        request._camino_two_factor_ok = cached
    return cached
