"""Template tags other apps use to show the Give Today module (home page, thank-you pages)."""

from django import template

register = template.Library()


@register.inclusion_tag("donations/includes/give_module.html")
def give_module(appeal=None):
    return {"appeal": appeal}
