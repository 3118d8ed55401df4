"""Page views of each campaign for the funnel staff see: counted in the cache, flushed by beat."""

import re
from datetime import timedelta

from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone

from ..models import Campaign, CampaignDay

_VIEWS_FLUSH_LOCK = "advocacy:views-flush-lock"
# Crawlers and link previews (a share on social media fetches the page once per network) are not
# people who might write: the funnel's views leave them out.
_NOT_A_PERSON = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|curl|wget|python-requests", re.IGNORECASE
)


def _views_key(campaign_id: int, day) -> str:
    return f"advocacy:views:{campaign_id}:{day.isoformat()}"


def campaign_view_record(*, campaign_id: int, user_agent: str = "") -> None:
    """Count one view of a campaign's page by a person in the shared cache (INCR is atomic on Redis
    and on core.cache.FileCache); `campaign_views_flush` moves the counts to the database."""
    if _NOT_A_PERSON.search(user_agent):
        return
    key = _views_key(campaign_id, timezone.localdate())
    cache.add(key, 0, timeout=3 * 24 * 3600)  # outlives a missed flush or two
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=3 * 24 * 3600)


def campaign_views_flush(*, today=None) -> int:
    """Add the views counted in the cache to each campaign's day row (today and yesterday, for
    the views counted just before midnight). Returns how many views were moved. One flush at a time:
    a second one started meanwhile does nothing. A count is taken out of the cache before it is
    written, so a failure can lose a few views but never counts one twice."""
    if not cache.add(_VIEWS_FLUSH_LOCK, 1, timeout=120):
        return 0
    try:
        today = today or timezone.localdate()
        days = [today, today - timedelta(days=1)]
        recent = timezone.now() - timedelta(days=2)
        campaign_ids = (
            Campaign.objects.exclude(status=Campaign.Status.DRAFT)
            .filter(Q(status=Campaign.Status.LIVE) | Q(updated_at__gte=recent))
            .values_list("pk", flat=True)
        )
        keys = {_views_key(pk, day): (pk, day) for pk in campaign_ids for day in days}
        moved = 0
        for key, count in cache.get_many(list(keys)).items():
            if not count:
                continue
            cache.decr(key, count)
            campaign_id, day = keys[key]
            row, _created = CampaignDay.objects.get_or_create(campaign_id=campaign_id, day=day)
            CampaignDay.objects.filter(pk=row.pk).update(views=F("views") + count)
            moved += count
        return moved
    finally:
        cache.delete(_VIEWS_FLUSH_LOCK)
