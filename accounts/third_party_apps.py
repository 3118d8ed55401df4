"""Camino's names for the third-party apps whose models staff see in the admin (issue 14: the
admin's own labels in Spanish). Their own configurations call them "Axes" and "Otp_Totp", in every
language; these subclasses, named in INSTALLED_APPS in their place, keep everything else (axes'
start-up in ready(), the app labels, so tables and migrations do not move).

Lives in its own module, as admin_apps.py does: accounts/apps.py must hold only AccountsConfig."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class LoginLockoutsConfig(AxesConfig):
    verbose_name = _("Login lockouts")


class TwoFactorDevicesConfig(TOTPConfig):
    verbose_name = _("Two-factor login")


# django-axes labels its models, fields and admin with gettext but ships no Spanish. Django looks
# in Camino's catalog (LOCALE_PATHS) before an app's own, so these msgids, axes' own (axes/models.py
# and axes/admin.py) and extracted from here by makemessages, give those labels their Spanish.
# tests/staff/test_admin_spanish.py fails if an axes upgrade changes one of them.
AXES_LABELS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)
