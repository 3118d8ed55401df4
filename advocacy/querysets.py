"""The reads of Tell Congress: QuerySet methods for campaigns, letters, deliveries and the funnel.

They live apart from the models so that models.py stays fields and rules. A method that needs
another model imports it inside the method: the models module imports this one."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone


def _delivery_status():
    from .models import Delivery

    return Delivery.Status


class CampaignQuerySet(models.QuerySet):
    def live(self, *, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(opens_at__isnull=True) | Q(opens_at__lte=now),
            Q(closes_at__isnull=True) | Q(closes_at__gt=now),
            status=self.model.Status.LIVE,
        )

    def with_letter_count(self):
        # People, not submissions: a supporter who writes again (moved, corrected) counts once.
        return self.annotate(letter_count=Count("letters__supporter", distinct=True))

    def with_counts(self):
        """Letters and deliveries by status in the same query (the admin's list)."""
        status = _delivery_status()

        def deliveries(value):
            return Count("letters__deliveries", filter=Q(letters__deliveries__status=value), distinct=True)

        return self.annotate(
            letter_count=Count("letters", distinct=True),
            queued_count=deliveries(status.QUEUED),
            sending_count=deliveries(status.SENDING),
            waiting_count=deliveries(status.WAITING),
            sent_count=deliveries(status.SENT),
            unconfirmed_count=deliveries(status.UNCONFIRMED),
            failed_count=deliveries(status.FAILED),
        )


class LetterQuerySet(models.QuerySet):
    def settled_before(self, cutoff):
        """Letters whose street, phone and own words are still kept, every delivery of which is
        final and none changed since `cutoff` (the retention policy erases them: core.retention)."""
        from .models import Delivery

        deliveries = Delivery.objects.filter(letter=OuterRef("pk"))
        return (
            self.filter(personal_erased_at__isnull=True, created_at__lt=cutoff)
            .exclude(Exists(deliveries.not_final()))
            .exclude(Exists(deliveries.filter(updated_at__gte=cutoff)))
        )

    def for_status_page(self):
        # The member of each delivery too: a failed one offers the office's own contact form.
        return self.select_related("campaign", "supporter").prefetch_related("deliveries__legislator")

    def confirmation_owed(self, *, written_after=None, written_before=None):
        """Letters with deliveries newer than their last confirmation email (or never confirmed):
        a submission that added deliveries is owed one email. With `written_after` and
        `written_before`, only those whose owed deliveries were written in between (the sweeper
        leaves fresh ones to their task, and reads recent deliveries only)."""
        from .models import Delivery

        deliveries = Delivery.objects.filter(letter=OuterRef("pk"))
        owed = self
        if written_before is not None:
            deliveries = deliveries.filter(created_at__lt=written_before)
        if written_after is not None:
            deliveries = deliveries.filter(created_at__gte=written_after)
            # created_at <= updated_at, so the range holds on the indexed updated_at too: the query
            # reads the recent deliveries, not every letter ever written.
            recent = Delivery.objects.filter(updated_at__gte=written_after, created_at__gte=written_after)
            owed = owed.filter(pk__in=recent.values("letter_id"))
        return owed.filter(
            Q(Exists(deliveries), confirmation_sent_at__isnull=True)
            | Q(Exists(deliveries.filter(created_at__gt=OuterRef("confirmation_sent_at"))))
        )

    def counts_for_progress(self, campaign_ids) -> dict[int, int]:
        """Letters per campaign for the public progress bars, each count at most
        ADVOCACY_PROGRESS_CACHE_SECONDS old. On an action day every visitor of a campaign page asks,
        and counting a campaign's letters reads an index range that grows with each letter; a
        counter a few seconds behind costs the database one count per campaign per interval."""
        campaign_ids = list(campaign_ids)
        seconds = settings.ADVOCACY_PROGRESS_CACHE_SECONDS
        keys = {pk: f"advocacy:letters-for-progress:{pk}" for pk in campaign_ids}
        found = cache.get_many(keys.values()) if seconds else {}
        counts = {pk: found[key] for pk, key in keys.items() if key in found}
        missing = [pk for pk in campaign_ids if pk not in counts]
        if missing:
            counted = dict(
                # People, not submissions: a supporter who writes again counts once.
                self.filter(campaign_id__in=missing)
                .values("campaign_id")
                .annotate(n=Count("supporter", distinct=True))
                .values_list("campaign_id", "n")
            )
            fresh = {pk: counted.get(pk, 0) for pk in missing}
            counts.update(fresh)
            if seconds:
                cache.set_many({keys[pk]: n for pk, n in fresh.items()}, seconds)
        return counts


class CallReportQuerySet(models.QuerySet):
    def office_counts(self, campaign) -> list[dict]:
        """Calls reported per office for one campaign, each outcome counted apart, busiest office
        first: one query whatever the number of calls."""
        outcome = self.model.Outcome
        rows = (
            self.filter(letter__campaign=campaign)
            .values(
                "legislator",
                "legislator__first_name",
                "legislator__last_name",
                "legislator__official_full_name",
                "legislator__chamber",
                "legislator__state",
                "legislator__district",
            )
            .annotate(
                talked=Count("pk", filter=Q(outcome=outcome.TALKED)),
                voicemail=Count("pk", filter=Q(outcome=outcome.VOICEMAIL)),
                no_answer=Count("pk", filter=Q(outcome=outcome.NO_ANSWER)),
                total=Count("pk"),
            )
            .order_by("-total", "legislator")
        )
        return list(rows)


class StatusLinkQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Links that still open their status page: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class DeliveryQuerySet(models.QuerySet):
    def _is_final(self) -> Q:
        """Sent, failed for good, or unconfirmed (posted as often as we may, never answered): an
        outcome that will not change unless staff retry it. Anything queued, being sent or waiting
        for the office is not final (the retention policy keeps a letter's text for it)."""
        return Q(status__in=self.model.FINAL_STATUSES)

    def final(self):
        return self.filter(self._is_final())

    def not_final(self):
        return self.exclude(self._is_final())

    def written_by(self, *, campaign, email: str, recipient_keys):
        """Deliveries this email address has already had written through the campaign to these
        recipients. Callers pass only the recipients of the submission in hand, so what they learn
        is about offices the typed address chose, never the email's other letters."""
        return self.filter(
            letter__campaign=campaign, letter__supporter__email=email, recipient_key__in=list(recipient_keys)
        )

    def due(self, *, now):
        """Waiting for the office, and their next attempt is due."""
        return self.filter(status=self.model.Status.WAITING, next_attempt_at__lte=now)

    def stuck(self, *, older_than, claim_expired_before=None):
        """Queued or being sent since before `older_than` (the broker lost the task or a worker
        died), and with `claim_expired_before` also those whose sender's lease ran out before then
        (a worker died mid-send: taken back long before `older_than`)."""
        status = self.model.Status
        waiting = Q(status__in=[status.QUEUED, status.SENDING], updated_at__lt=older_than)
        if claim_expired_before is not None:
            waiting |= Q(status=status.SENDING, claimed_at__lt=claim_expired_before)
        return self.filter(waiting)

    def office_report(self):
        status = self.model.Status
        return (
            self.values("office_code", "recipient_name")
            .annotate(
                total=Count("pk"),
                sent=Count("pk", filter=Q(status=status.SENT)),
                queued=Count("pk", filter=Q(status__in=[status.QUEUED, status.SENDING])),
                waiting=Count("pk", filter=Q(status=status.WAITING)),
                unconfirmed=Count("pk", filter=Q(status=status.UNCONFIRMED)),
                failed=Count("pk", filter=Q(status=status.FAILED)),
            )
            .order_by("office_code", "recipient_name")
        )


class CampaignDayQuerySet(models.QuerySet):
    def funnel(self, campaign, *, days: int = 14, today=None) -> list[dict]:
        """The campaign's last `days` days, newest first: page views, letters written and the share
        of views that became a letter (None without views). Two queries whatever the traffic."""
        from .models import Letter

        today = today or timezone.localdate()
        first = today - timedelta(days=days - 1)
        views = dict(self.filter(campaign=campaign, day__gte=first).values_list("day", "views"))
        letters = dict(
            Letter.objects.filter(campaign=campaign, created_at__date__gte=first)
            .annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
        rows = []
        for offset in range(days):
            day = today - timedelta(days=offset)
            seen, written = views.get(day, 0), letters.get(day, 0)
            rows.append(
                {
                    "day": day,
                    "views": seen,
                    "letters": written,
                    "conversion": round(100 * written / seen, 1) if seen else None,
                }
            )
        return rows
