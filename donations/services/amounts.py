"""What a gift costs and which processor takes it: the rules every other donations service reads."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.money import currency_prefix, minor_unit_exponent


def fee_cover_for(gift_cents: int) -> int:
    """What to add so that, after the processor keeps its percent of the total plus its fixed fee,
    the whole gift arrives. Integer basis points keep this identical to static/js/donations.js."""
    basis_points = round(settings.DONATION_FEE_PERCENT * 100)
    numerator = (gift_cents + settings.DONATION_FEE_FIXED_CENTS) * 10_000
    total = -(-numerator // (10_000 - basis_points))  # ceiling division
    return total - gift_cents


def amount_cents_from_text(text: str, currency: str) -> int | None:
    """An amount a donor typed ("75", "$75", "1,250.50", " 40.5 ") in minor units; None when it is
    not an amount in the currency (letters, a minus sign, more decimals than the currency has).
    static/js/donations.js reads the typed amount with the same rule, so the page's summary and the
    charge agree."""
    exponent = minor_unit_exponent(currency)
    cleaned = re.sub(r"\s", "", text or "")
    prefix = currency_prefix(currency).strip()
    if prefix and cleaned.startswith(prefix):
        cleaned = cleaned[len(prefix) :]
    if "," in cleaned:
        # Only as a thousands separator ("1,250"): "40,50" is a decimal comma, and reading it as
        # 4,050 would charge a hundred times what the donor meant.
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?", cleaned, flags=re.ASCII):
            return None
        cleaned = cleaned.replace(",", "")
    decimals = rf"(?:\.(\d{{0,{exponent}}}))?" if exponent else ""
    match = re.fullmatch(rf"(\d{{0,9}}){decimals}", cleaned, flags=re.ASCII)
    if not match or not (match.group(1) or (exponent and match.group(2))):
        return None
    whole = int(match.group(1) or 0)
    fraction = (match.group(2) or "").ljust(exponent, "0") if exponent else ""
    return whole * 10**exponent + int(fraction or 0)


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


def monthly_suggestion_cents(*, gift_cents: int, presets: list[int]) -> int:
    """The monthly amount the thank-you page suggests to a one-time donor: the largest preset at
    most half the gift (a monthly gift adds up; asking the whole gift again every month asks too
    much), else the smallest preset the gift reached, else the gift itself; within the limits."""
    presets = sorted(cents for cents in presets if isinstance(cents, int) and cents > 0)
    halves = [cents for cents in presets if cents * 2 <= gift_cents]
    reached = [cents for cents in presets if cents <= gift_cents]
    cents = halves[-1] if halves else reached[0] if reached else gift_cents
    return max(settings.DONATION_MIN_CENTS, min(settings.DONATION_MAX_CENTS, cents))
