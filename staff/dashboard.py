"""The figures on the admin index, each one query (cached briefly) and shown only to the roles
that may see the records behind it; warnings are computed on every load.

Models are looked up by name (`apps.get_model`): the dashboard belongs to no app's models and a
section simply disappears if its app is not installed."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import health
from core.models import WorkerPing

from .exports import exports_for


@dataclass
class Alert:
    message: str
    url: str = ""
    link_text: str = ""


@dataclass
class Dashboard:
    gifts: dict | None = None
    monthly_donors: int | None = None
    letters_today: int | None = None
    deliveries: dict | None = None
    campaigns: list | None = None
    links: dict = field(default_factory=dict)
    has_exports: bool = False
    warnings: list[Alert] = field(default_factory=list)


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _can_view(user, model) -> bool:
    return model is not None and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


def _changelist(model, **params) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _cached(key: str, compute):
    """A figure read at most once per STAFF_DASHBOARD_CACHE_SECONDS by all staff together."""
    seconds = settings.STAFF_DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    full_key = f"staff:dashboard:{key}:{timezone.localdate().isoformat()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, seconds)
    return value


def day_and_month_start(now=None):
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return today, today.replace(day=1)


# --- Figures: one query each -------------------------------------------------------------------


def gifts_figures() -> dict:
    """Paid gifts and their amount today and this month (the site's time zone). Amounts are what
    the gifts left us: refunds and lost disputes out, gifts held for staff not counted
    (DonationQuerySet.counted, the rule every total uses)."""
    Donation = apps.get_model("donations", "Donation")
    today, month = day_and_month_start()
    gifts = Donation.objects.counted().filter(paid_at__gte=month)
    return gifts.aggregate(
        today_count=Count("pk", filter=Q(paid_at__gte=today)),
        today_cents=gifts.net_sum(paid_at__gte=today),
        month_count=Count("pk"),
        month_cents=gifts.net_sum(),
    )


def monthly_donors_count() -> int:
    RecurringDonation = apps.get_model("donations", "RecurringDonation")
    return RecurringDonation.objects.filter(status=RecurringDonation.Status.ACTIVE).count()


def monthly_at_risk_count() -> int:
    RecurringDonation = apps.get_model("donations", "RecurringDonation")
    return RecurringDonation.objects.at_risk().count()


def letters_today_count() -> int:
    Letter = apps.get_model("advocacy", "Letter")
    today, _month = day_and_month_start()
    return Letter.objects.filter(created_at__gte=today).count()


def deliveries_figures() -> dict:
    """Sent and failed today, and waiting (queued, being sent or waiting for the office) now."""
    Delivery = apps.get_model("advocacy", "Delivery")
    today, _month = day_and_month_start()
    waiting = [Delivery.Status.QUEUED, Delivery.Status.SENDING, Delivery.Status.WAITING]
    # Both halves of the filter match the (status, updated_at) index.
    return Delivery.objects.filter(Q(updated_at__gte=today) | Q(status__in=waiting)).aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT, updated_at__gte=today)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED, updated_at__gte=today)),
        waiting=Count("pk", filter=Q(status__in=waiting)),
    )


def live_campaigns(limit: int = 10) -> list[dict]:
    Campaign = apps.get_model("advocacy", "Campaign")
    campaigns = Campaign.objects.live().with_letter_count().order_by("-letter_count")[:limit]
    return [
        {
            "pk": campaign.pk,
            "title": campaign.title,
            "letters": campaign.letter_count,
            "goal": campaign.goal,
            "percent": campaign.progress_percent(campaign.letter_count),
        }
        for campaign in campaigns
    ]


# --- Warnings: live on every load ----------------------------------------------------------------


def delivery_warnings() -> dict:
    """Deliveries stuck (waiting longer than DELIVERY_STUCK_AFTER) and failed in the last hour."""
    Delivery = apps.get_model("advocacy", "Delivery")
    now = timezone.now()
    stuck_before = now - timedelta(seconds=getattr(settings, "DELIVERY_STUCK_AFTER", 900))
    recent = now - timedelta(hours=1)
    waiting = [Delivery.Status.QUEUED, Delivery.Status.SENDING]
    stuck = Q(status__in=waiting, updated_at__lt=stuck_before)
    failed = Q(status=Delivery.Status.FAILED, updated_at__gte=recent)
    counts = Delivery.objects.filter(stuck | failed).aggregate(
        stuck=Count("pk", filter=stuck), failed=Count("pk", filter=failed)
    )
    counts["stuck_before"] = stuck_before
    counts["recent"] = recent
    return counts


def worker_warning() -> Alert | None:
    ping = WorkerPing.objects.latest_answered()
    silent_after = timedelta(minutes=settings.STAFF_WORKER_SILENT_MINUTES)
    url = reverse("admin:core_workerping_changelist")
    if ping is None:
        return Alert(_("No worker has answered yet: letters and receipts are not being sent."), url, _("Worker pings"))
    if timezone.now() - ping.answered_at > silent_after:
        return Alert(
            _("The worker has been silent since %(time)s: letters and receipts are waiting.")
            % {"time": timezone.localtime(ping.answered_at).strftime("%Y-%m-%d %H:%M")},
            url,
            _("Worker pings"),
        )
    return None


def broker_warning() -> Alert | None:
    ok, detail = health.broker_state()
    if ok:
        return None
    return Alert(
        _("The task queue (broker) does not answer (%(detail)s): new letters and gifts are stored, and are sent "
          "once it is back.") % {"detail": detail}
    )


def stripe_warning() -> Alert | None:
    StripeEvent = _model("donations.StripeEvent")
    if StripeEvent is None:
        return None
    since = timezone.now() - timedelta(days=1)
    failed = StripeEvent.objects.filter(status=StripeEvent.Status.FAILED, received_at__gte=since).count()
    if not failed:
        return None
    return Alert(
        _("%(count)d Stripe events failed to process in the last day.") % {"count": failed},
        _changelist(StripeEvent, status__exact=StripeEvent.Status.FAILED),
        _("Failed Stripe events"),
    )


def stripe_unmatched_warning() -> Alert | None:
    """Events that waited their full number of attempts and still match no gift: another product's
    payment on the account, or a gift Camino lost. Each one's result says what it waited for."""
    StripeEvent = _model("donations.StripeEvent")
    # Of the last week: on an account shared with other products their refunds end here for good.
    since = timezone.now() - timedelta(days=7)
    unmatched = StripeEvent.objects.filter(status=StripeEvent.Status.UNMATCHED, received_at__gte=since).count()
    if not unmatched:
        return None
    return Alert(
        _("%(count)d Stripe events of the last week match no gift after every retry: see why on each event, then "
          "process it again or leave it.") % {"count": unmatched},
        _changelist(StripeEvent, status__exact=StripeEvent.Status.UNMATCHED),
        _("Unmatched Stripe events"),
    )


def stripe_version_warning() -> Alert | None:
    """Events sent in another API version than the one Camino is built for (the webhook endpoint's
    version decides the shape of what Stripe sends) in the last week."""
    StripeEvent = _model("donations.StripeEvent")
    since = timezone.now() - timedelta(days=7)
    versions = sorted(
        set(StripeEvent.objects.other_api_versions().filter(received_at__gte=since).values_list(
            "api_version", flat=True)[:1000])
    )
    if not versions:
        return None
    return Alert(
        _("Stripe sends events in API version %(versions)s, but Camino is built for %(expected)s: set the webhook "
          "endpoint's API version to %(expected)s in Stripe's Dashboard.")
        % {"versions": ", ".join(versions[:5]), "expected": settings.STRIPE_API_VERSION},
        _changelist(StripeEvent, api_version=versions[0]),
        _("Events in another version"),
    )


def monthly_at_risk_warning(count: int) -> Alert | None:
    RecurringDonation = _model("donations.RecurringDonation")
    if not count:
        return None
    return Alert(
        _("%(count)d monthly gifts are at risk: their last payment failed (the donor was emailed a link to update "
          "the card).") % {"count": count},
        _changelist(RecurringDonation, at_risk="yes"),
        _("At-risk monthly gifts"),
    )


# --- The whole dashboard, for one user ----------------------------------------------------------


def dashboard_for(user) -> Dashboard:
    board = Dashboard()
    Donation = _model("donations.Donation")
    RecurringDonation = _model("donations.RecurringDonation")
    Letter = _model("advocacy.Letter")
    Delivery = _model("advocacy.Delivery")
    Campaign = _model("advocacy.Campaign")
    today, month = day_and_month_start()

    if _can_view(user, Donation):
        board.gifts = {**_cached("gifts", gifts_figures)}
        # Every gift is taken in the one donation currency, so the sums are in it too.
        board.gifts["currency"] = settings.DONATION_CURRENCY
        board.links["gifts_today"] = _changelist(Donation, paid_at__gte=today.isoformat())
        board.links["gifts_month"] = _changelist(Donation, paid_at__gte=month.isoformat())
    if _can_view(user, RecurringDonation):
        board.monthly_donors = _cached("monthly_donors", monthly_donors_count)
        board.links["monthly_donors"] = _changelist(RecurringDonation, status__exact=RecurringDonation.Status.ACTIVE)
        warning = monthly_at_risk_warning(monthly_at_risk_count())
        if warning:
            board.warnings.append(warning)
    if _can_view(user, Letter):
        board.letters_today = _cached("letters_today", letters_today_count)
        board.links["letters_today"] = _changelist(Letter, created_at__gte=today.isoformat())
    if _can_view(user, Delivery):
        board.deliveries = _cached("deliveries", deliveries_figures)
        board.links["deliveries_sent"] = _changelist(
            Delivery, status__exact=Delivery.Status.SENT, updated_at__gte=today.isoformat()
        )
        board.links["deliveries_failed"] = _changelist(
            Delivery, status__exact=Delivery.Status.FAILED, updated_at__gte=today.isoformat()
        )
        board.links["deliveries_waiting"] = _changelist(
            Delivery, status__in=f"{Delivery.Status.QUEUED},{Delivery.Status.SENDING},{Delivery.Status.WAITING}"
        )
        counts = delivery_warnings()
        if counts["stuck"]:
            board.warnings.append(Alert(
                _("%(count)d deliveries have been waiting too long: the worker may be down or a task was lost.")
                % {"count": counts["stuck"]},
                _changelist(
                    Delivery,
                    status__in=f"{Delivery.Status.QUEUED},{Delivery.Status.SENDING}",
                    updated_at__lt=counts["stuck_before"].isoformat(),
                ),
                _("Stuck deliveries"),
            ))
        if counts["failed"]:
            board.warnings.append(Alert(
                _("%(count)d deliveries failed in the last hour.") % {"count": counts["failed"]},
                _changelist(
                    Delivery, status__exact=Delivery.Status.FAILED, updated_at__gte=counts["recent"].isoformat()
                ),
                _("Failed deliveries"),
            ))
    if _can_view(user, Campaign):
        board.campaigns = _cached("campaigns", live_campaigns)
        board.links["campaign_change"] = reverse(f"admin:{Campaign._meta.app_label}_campaign_changelist")
    if _can_view(user, _model("donations.StripeEvent")):
        for check in (stripe_warning, stripe_unmatched_warning, stripe_version_warning):
            warning = check()
            if warning:
                board.warnings.append(warning)
    board.has_exports = bool(exports_for(user))
    for check in (worker_warning, broker_warning):
        warning = check()
        if warning:
            board.warnings.append(warning)
    return board
