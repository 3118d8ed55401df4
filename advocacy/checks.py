"""Start-up checks for the settings Tell Congress depends on."""

from django.conf import settings
from django.core.checks import Error, register

# Time to spare beyond the longest send: stamping it, a slow database.
LEASE_MARGIN_SECONDS = 10


@register()
def delivery_claim_lease_check(app_configs, **kwargs):
    """A lease shorter than a send lets a second worker take a delivery still being sent."""
    longest = max(settings.CWC_CONNECT_TIMEOUT + settings.CWC_TIMEOUT, settings.EMAIL_TIMEOUT)
    if longest + LEASE_MARGIN_SECONDS > settings.DELIVERY_CLAIM_LEASE:
        return [
            Error(
                f"DELIVERY_CLAIM_LEASE ({settings.DELIVERY_CLAIM_LEASE} s) must exceed the longest send "
                f"(CWC_CONNECT_TIMEOUT + CWC_TIMEOUT, EMAIL_TIMEOUT: {longest} s) "
                f"by at least {LEASE_MARGIN_SECONDS} s.",
                id="advocacy.E001",
            )
        ]
    return []


@register()
def cwc_settings_check(app_configs, **kwargs):
    """The delivery agent, its contact and the organization go into every CWC message: a value CWC
    refuses (a phone not written XXX-XXX-XXXX, a contact name under 6 characters) fails every
    letter for good, so it stops start-up instead."""
    if settings.DELIVERY_BACKEND_CONGRESS != "cwc":
        return []
    from .delivery.cwc import settings_errors

    return [
        Error(f"A CWC setting CWC refuses: {error}.", hint="See the CWC_* rows of the README.", id="advocacy.E002")
        for error in settings_errors()
    ]
