"""The campaign actions staff take in the admin: open, close, duplicate."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Campaign, CustomTarget


def campaign_open(*, campaign: Campaign) -> Campaign:
    if campaign.status == Campaign.Status.LIVE:
        raise ValidationError(_("The campaign is already live."), code="already_live")
    campaign.status = Campaign.Status.LIVE
    if campaign.closes_at and campaign.closes_at <= timezone.now():
        campaign.closes_at = None
    campaign.full_clean()
    campaign.save(update_fields=["status", "closes_at", "updated_at"])
    return campaign


def campaign_close(*, campaign: Campaign) -> Campaign:
    if campaign.status == Campaign.Status.CLOSED:
        raise ValidationError(_("The campaign is already closed."), code="already_closed")
    campaign.status = Campaign.Status.CLOSED
    campaign.save(update_fields=["status", "updated_at"])
    return campaign


@transaction.atomic
def campaign_duplicate(*, campaign: Campaign) -> Campaign:
    """A draft copy with the same text, targets and custom targets, a new slug and CWC id."""
    base = slugify(f"{campaign.slug}-copy")[:190]
    slug, number = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    chosen = list(campaign.chosen_members.all())
    targets = list(campaign.custom_targets.all())
    copy = Campaign.objects.get(pk=campaign.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.slug = slug
    copy.title = _("Copy of %(title)s") % {"title": campaign.title}
    copy.status = Campaign.Status.DRAFT
    copy.opens_at = copy.closes_at = None
    copy.cwc_campaign_id = Campaign._meta.get_field("cwc_campaign_id").get_default()
    copy.full_clean()
    copy.save()
    copy.chosen_members.set(chosen)
    CustomTarget.objects.bulk_create(
        [CustomTarget(campaign=copy, name=t.name, title=t.title, email=t.email) for t in targets]
    )
    return copy
