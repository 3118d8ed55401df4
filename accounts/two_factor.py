"""Optional two-factor login: staff who enrolled an authenticator must use it; others are not
locked out (enrolment is offered from the admin, not forced)."""

from django_otp import user_has_device


def has_confirmed_device(user) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def two_factor_satisfied(request) -> bool:
    """True when this session passed the second factor, or the user has none to pass.

    Remembered on the request: the admin asks several times per page."""
    cached = getattr(request, "_camino_two_factor_ok", None)
    if cached is None:
        user = request.user
        cached = bool(getattr(user, "is_verified", lambda: False)()) or not has_confirmed_device(user)
        request._camino_two_factor_ok = cached
    return cached
