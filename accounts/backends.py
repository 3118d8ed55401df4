from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied

from .login_limit import login_address_blocked


class LoginAttemptsBackend(AxesStandaloneBackend):
    """The login limits on every login that comes with a request (the admin login form): the
    address's own limit (accounts.login_limit), then django-axes' lockout of a username from an
    address. Either answers with axes' lockout page (429).

    Axes refuses any `authenticate()` call without a request; those come only from our own code
    (Django's test client, a shell), never from a client that could guess passwords, so they pass
    through to the next backend unlimited."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        if login_address_blocked(request):
            # AxesMiddleware turns the flag into the lockout page; authenticate() catches the
            # PermissionDenied and reports the attempt as one more failure.
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        return super().authenticate(request, username=username, password=password, **kwargs)
