"""Template tags other apps use to show the Tell Congress module (home page, thank-you pages)."""

from django import template

register = template.Library()


@register.inclusion_tag("advocacy/includes/act_module.html")
def act_module(campaign=None):
    return {"campaign": campaign}
