"""Money as people read it. Amounts are integer minor units (cents) with a currency code, as Stripe
keeps them; this is the one place that turns them into text, so every page, email, export and admin
column agrees.

    format_money(5000, "usd")             -> "$50.00"
    format_money(5000, "usd", trim=True)  -> "$50"      (amount buttons, thermometers)
    format_money(125050, "usd")           -> "$1,250.50"
    format_money(500, "jpy")              -> "¥500"     (a zero-decimal currency: no cents)
    format_money(1200, "chf")             -> "CHF 12.00" (no symbol of its own: the code)
"""

from decimal import Decimal

# Currencies whose minor unit is the unit itself (Stripe's list of zero-decimal currencies).
ZERO_DECIMAL = frozenset(
    ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]
)
# Three-decimal currencies Stripe supports.
THREE_DECIMAL = frozenset(["bhd", "jod", "kwd", "omr", "tnd"])
SYMBOLS = {
    "usd": "$", "cad": "CA$", "aud": "A$", "mxn": "MX$", "eur": "€", "gbp": "£", "jpy": "¥",
}


def minor_unit_exponent(currency: str) -> int:
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def format_money(amount_cents: int, currency: str = "usd", *, trim: bool = False) -> str:
    """`amount_cents` in the currency's minor unit; `trim` drops a zero fraction ("$50", not "$50.00")."""
    code = (currency or "usd").lower()
    exponent = minor_unit_exponent(code)
    amount = Decimal(int(amount_cents)).scaleb(-exponent)
    places = 0 if exponent == 0 or (trim and amount == amount.to_integral_value()) else exponent
    sign = "-" if amount < 0 else ""
    number = f"{abs(amount):,.{places}f}"
    return f"{sign}{currency_prefix(code)}{number}"


def currency_prefix(currency: str) -> str:
    """What format_money writes before the number ("$", "CHF "): for pages that format amounts in
    the browser the same way (static/js/donations.js)."""
    code = (currency or "usd").lower()
    symbol = SYMBOLS.get(code)
    return symbol if symbol else f"{code.upper()} "


def cents_from_decimal(amount: Decimal, currency: str = "usd") -> int:
    """A decimal amount typed by a person ("75", "75.5") in minor units, exactly."""
    return int((Decimal(amount).scaleb(minor_unit_exponent(currency))).to_integral_value())
