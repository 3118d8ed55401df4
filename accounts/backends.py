from axes.backends import AxesStandaloneBackend


class LoginAttemptsBackend(AxesStandaloneBackend):
    """django-axes' lockout check on every login that comes with a request (the admin login form).

    Axes refuses any `authenticate()` call without a request; those come only from our own code
    (Django's test client, a shell), never from a client that could guess passwords, so they pass
    through to the next backend unlimited."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
