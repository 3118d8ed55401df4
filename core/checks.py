"""Start-up checks for settings the whole site depends on."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def email_configured_check(app_configs, **kwargs):
    """Production without EMAIL_URL sends no confirmation, receipt or manage link (core.mail)."""
    if settings.EMAIL_BACKEND == "core.mail.EmailNotConfiguredBackend":
        return [
            Error(
                "EMAIL_URL must be set when DJANGO_DEBUG=false (e.g. smtp+tls://user:pass@smtp.example.org:587); "
                "until it is, no mail is sent.",
                hint="A console backend said outright (EMAIL_URL=consolemail://) prints mail, personal data "
                "included, to the log.",
                id="core.E001",
            )
        ]
    return []
