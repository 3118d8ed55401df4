"""{% load money %} {{ gift.amount_cents|money:gift.currency }} and {{ cents|money_trim:"usd" }}."""

from django import template

from core.money import format_money

register = template.Library()


@register.filter
def money(amount_cents, currency="usd"):
    if amount_cents in (None, ""):
        return ""
    return format_money(int(amount_cents), currency or "usd")


@register.filter
def money_trim(amount_cents, currency="usd"):
    if amount_cents in (None, ""):
        return ""
    return format_money(int(amount_cents), currency or "usd", trim=True)
