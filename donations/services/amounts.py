"""What a gift costs and which processor takes it: the rules every other donations service reads."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def fee_cover_for(gift_cents: int) -> int:
    """What to add so that, after the processor keeps its percent of the total plus its fixed fee,
    the whole gift arrives. Integer basis points keep this identical to static/js/donations.js."""
    basis_points = round(settings.DONATION_FEE_PERCENT * 100)
    numerator = (gift_cents + settings.DONATION_FEE_FIXED_CENTS) * 10_000
    total = -(-numerator // (10_000 - basis_points))  # ceiling division
    return total - gift_cents


def payments_are_demo() -> bool:
    return not settings.STRIPE_SECRET_KEY


def demo_mode_enabled() -> bool:
    return payments_are_demo() and settings.DEBUG


def require_processor() -> None:
    # The demo processor takes no money, so it must never answer a real donor: with DEBUG off and
    # no Stripe key, giving is refused rather than faked.
    if payments_are_demo() and not settings.DEBUG:
        raise ValidationError(
            _("Online giving is not available right now. Please try again later."), code="payments_unavailable"
        )


def require_demo() -> None:
    if not demo_mode_enabled():
        raise ValidationError(_("Demo mode is only available in development."), code="demo_unavailable")


def absolute_url(path: str) -> str:
    """A link for an email or for Stripe's redirect: the site's public address plus our path."""
    return f"{settings.SITE_URL}{path}"
