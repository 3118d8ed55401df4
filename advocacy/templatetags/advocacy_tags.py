"""Template tags other apps use to show the Tell Congress module (home page, thank-you pages)."""

from django import template
from django.db.models import F

from ..models import Campaign

register = template.Library()


@register.inclusion_tag("advocacy/includes/act_module.html")
def act_module(campaign=None):
    """The newest live campaign with its letter counter: one query, whatever the page."""
    if campaign is None or not hasattr(campaign, "letter_count"):
        queryset = Campaign.objects.live().with_letter_count()
        if campaign is not None:
            queryset = queryset.filter(pk=campaign.pk)
        campaign = queryset.order_by(F("opens_at").desc(nulls_last=True), "-created_at").first()
    percent = campaign.progress_percent(campaign.letter_count) if campaign else 0
    return {"campaign": campaign, "percent": percent}
