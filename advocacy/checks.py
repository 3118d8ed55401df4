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
