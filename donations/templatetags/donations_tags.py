"""Template tags other apps use to show the Give Today module (home page, thank-you pages)."""

from django import template
from django.conf import settings

from core.money import format_money

from ..models import Appeal

register = template.Library()


@register.inclusion_tag("donations/includes/give_module.html")
def give_module(appeal=None):
    """The given appeal, or the default active one, with its thermometer: one query either way."""
    if appeal is None or not hasattr(appeal, "raised_cents"):
        appeals = Appeal.objects.active().with_raised()
        appeal = appeals.filter(pk=appeal.pk).first() if appeal is not None else appeals.default_first().first()
    return {"appeal": appeal, **thermometer_context(appeal)}


def thermometer_context(appeal) -> dict:
    """The figures of the one thermometer (includes/thermometer.html), from the one sum
    (`Appeal.objects.with_raised()`): an appeal without it is read again rather than shown as 0."""
    if appeal is None or not appeal.goal_cents:
        return {}
    if not hasattr(appeal, "raised_cents"):
        appeal = Appeal.objects.with_raised().get(pk=appeal.pk)
    if not appeal.progress_shown:
        return {}  # below the staff's threshold: no thermometer at all (the template shows nothing)
    # Every gift is taken in the one donation currency, so an appeal's sums are in it too.
    currency = settings.DONATION_CURRENCY
    return {"raised": format_money(appeal.raised_cents, currency, trim=True),
            "goal": format_money(appeal.goal_cents, currency, trim=True), "percent": appeal.progress_percent}


@register.inclusion_tag("donations/includes/thermometer.html")
def thermometer(appeal):
    """The appeal's progress, wherever a page shows it (give_module includes the same template)."""
    return {"appeal": appeal, **thermometer_context(appeal)}
