"""Every write with business meaning in Tell Congress: signing a campaign, sending and retrying
deliveries, sweeping stuck ones, and the campaign actions staff take in the admin."""

import logging
import random
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from congress.lookup import MemberLookup
from congress.models import Legislator

from . import delivery as backends
from .models import Campaign, CampaignDay, CustomTarget, Delivery, Letter, Supporter, render_template_text

logger = logging.getLogger(__name__)

STATUS_SALT = "advocacy.letter-status"


# --- Recipients and the letter each gets ----------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str
    title: str
    legislator: Legislator | None = None
    custom_target: CustomTarget | None = None

    @property
    def label(self) -> str:
        return f"{self.title} {self.name}".strip()

    @property
    def office_code(self) -> str:
        return self.legislator.cwc_office_code if self.legislator else ""

    @property
    def email(self) -> str:
        if self.custom_target:
            return self.custom_target.email
        return self.legislator.email if self.legislator else ""


def _member_recipient(legislator: Legislator) -> Recipient:
    return Recipient(
        key=f"office:{legislator.cwc_office_code or legislator.bioguide_id}",
        name=legislator.display_name,
        title=legislator.title,
        legislator=legislator,
    )


def campaign_recipients(*, campaign: Campaign, lookup: MemberLookup | None) -> list[Recipient]:
    """Who this supporter writes to: their own members as the campaign targets them (House first,
    then the senators), then the campaign's custom targets. Vacant seats get nothing."""
    members = lookup.members if lookup is not None else []
    targets = campaign.targets
    wanted: list[Legislator] = []
    if targets in (Campaign.Targets.HOUSE, Campaign.Targets.BOTH):
        wanted += [m for m in members if m.chamber == Legislator.Chamber.HOUSE]
    if targets in (Campaign.Targets.SENATE, Campaign.Targets.BOTH):
        wanted += [m for m in members if m.chamber == Legislator.Chamber.SENATE]
    if targets == Campaign.Targets.CHOSEN:
        # CWC offices only take mail from their own constituents, so a chosen member hears only
        # from the people they represent.
        chosen = set(campaign.chosen_members.values_list("pk", flat=True))
        wanted += [m for m in sorted(members, key=lambda m: m.chamber) if m.pk in chosen]
    recipients = [_member_recipient(member) for member in wanted]
    recipients += [
        Recipient(key=f"target:{target.pk}", name=target.name, title=target.title, custom_target=target)
        for target in campaign.custom_targets.all()
    ]
    return recipients


def _is_edited(campaign: Campaign, own_words: str) -> bool:
    return " ".join(own_words.split()) != " ".join(campaign.body_template.split())


def letter_texts(*, campaign: Campaign, values: dict[str, str], own_words: str, recipient: Recipient):
    """(subject, campaign text, supporter's text) for one recipient. The campaign's text stays
    apart from the supporter's so CWC can tell a form letter from a personal one."""
    values = {**values, "member_name": recipient.name, "member_title": recipient.title}
    subject = render_template_text(campaign.subject_template, values)
    statement = render_template_text(campaign.body_template, values)
    own_words = (own_words or "").strip()
    personal = ""
    if campaign.editing_policy == Campaign.EditingPolicy.NOTE:
        personal = own_words
    elif campaign.editing_policy == Campaign.EditingPolicy.EDITABLE and own_words and _is_edited(campaign, own_words):
        statement, personal = "", render_template_text(own_words, values)
    return subject, statement, personal


def own_words_check(*, campaign: Campaign, own_words: str) -> None:
    if campaign.editing_policy == Campaign.EditingPolicy.LOCKED:
        return
    length = len((own_words or "").strip())
    if campaign.editing_policy == Campaign.EditingPolicy.NOTE and length == 0 and campaign.min_length == 0:
        return
    if length < campaign.min_length:
        raise ValidationError(
            _("Please write at least %(count)d characters in your own words.") % {"count": campaign.min_length},
            code="too_short",
        )
    if length > campaign.max_length:
        raise ValidationError(
            _("Please keep your words under %(count)d characters.") % {"count": campaign.max_length}, code="too_long"
        )


def backend_for(recipient: Recipient) -> str:
    """Custom targets get email; members get the Congress backend (CWC in production), unless
    their office does not take CWC: then email if we have an address, else the fallback backend."""
    if recipient.custom_target is not None:
        return settings.DELIVERY_BACKEND_CUSTOM
    backend = settings.DELIVERY_BACKEND_CONGRESS
    member = recipient.legislator
    if (backend == Delivery.Backend.CWC and not member.accepts_cwc) or (
        backend == Delivery.Backend.EMAIL and not member.email
    ):
        backend = Delivery.Backend.EMAIL if member.email else settings.DELIVERY_BACKEND_FALLBACK
    return backend


# --- Signing --------------------------------------------------------------------------------


@dataclass
class SignResult:
    letter: Letter
    new_deliveries: list[Delivery]
    already_written: list[Recipient]


@transaction.atomic
def campaign_sign(
    *,
    campaign: Campaign,
    lookup: MemberLookup | None,
    email: str,
    prefix: str,
    first_name: str,
    last_name: str,
    street: str,
    city: str,
    state: str,
    zip_code: str,
    phone: str = "",
    own_words: str = "",
    consent: bool = False,
) -> SignResult:
    """Store the supporter, the letter and one delivery per recipient not yet written, then (after
    commit) queue one send per new delivery and the confirmation email. Writing again to the same
    campaign sends nothing to offices already written."""
    from .tasks import delivery_send_task, letter_confirmation_send_task

    if not campaign.is_open:
        raise ValidationError(_("This campaign is not taking letters right now."), code="campaign_closed")
    needs_district = campaign.targets != Campaign.Targets.SENATE
    if campaign.writes_to_congress and (
        lookup is None or lookup.state != state.upper() or (needs_district and lookup.needs_address)
    ):
        raise ValidationError(_("We could not match your address to your members of Congress."), code="no_district")
    own_words_check(campaign=campaign, own_words=own_words)
    recipients = campaign_recipients(campaign=campaign, lookup=lookup)
    if not recipients:
        raise ValidationError(
            _("None of the offices this campaign writes to represent your address."), code="no_recipients"
        )
    now = timezone.now()
    email = email.strip().lower()
    supporter, created = Supporter.objects.get_or_create(
        email=email,
        defaults={"first_name": first_name, "last_name": last_name, "consented_at": now if consent else None},
    )
    if not created and consent and supporter.consented_at is None:
        supporter.consented_at = now
        supporter.save(update_fields=["consented_at"])
    address = {
        "prefix": prefix,
        "first_name": first_name,
        "last_name": last_name,
        "street": street,
        "city": city,
        "state": state.upper(),
        "zip_code": zip_code,
        "phone": phone,
        "district": lookup.district if lookup is not None else None,
        "own_words": own_words.strip(),
    }
    letter, _created = Letter.objects.get_or_create(campaign=campaign, supporter=supporter, defaults=address)
    written = set(letter.deliveries.values_list("recipient_key", flat=True))
    values = Letter(**address).template_values()
    new = []
    for recipient in recipients:
        if recipient.key in written:
            continue
        subject, statement, personal = letter_texts(
            campaign=campaign, values=values, own_words=own_words, recipient=recipient
        )
        new.append(
            Delivery(
                letter=letter,
                legislator=recipient.legislator,
                custom_target=recipient.custom_target,
                recipient_key=recipient.key,
                recipient_name=recipient.label,
                recipient_email=recipient.email,
                office_code=recipient.office_code,
                subject=subject,
                statement=statement,
                personal=personal,
                backend=backend_for(recipient),
            )
        )
    try:
        with transaction.atomic():
            deliveries = Delivery.objects.bulk_create(new)
    except IntegrityError:
        # The same supporter submitted twice at the same moment; the other request wrote the letters.
        raise ValidationError(_("Your letter is already on its way."), code="duplicate_submission") from None
    for delivery in deliveries:
        delivery_send_task.delay_on_commit(delivery.pk)
    if deliveries:
        letter_confirmation_send_task.delay_on_commit(letter.pk)
    return SignResult(
        letter=letter, new_deliveries=deliveries, already_written=[r for r in recipients if r.key in written]
    )


# --- Delivery -------------------------------------------------------------------------------


def delivery_retry_countdown(*, attempts: int) -> float:
    """Exponential backoff with full jitter, capped: spreads retries after an office outage."""
    ceiling = min(settings.DELIVERY_RETRY_BACKOFF_MAX, settings.DELIVERY_RETRY_BACKOFF * 2 ** max(attempts - 1, 0))
    return random.uniform(ceiling / 2, ceiling)


def _claimable(now):
    stale = now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    return Q(status=Delivery.Status.QUEUED) | Q(status=Delivery.Status.SENDING, updated_at__lt=stale)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery at most once at a time.

    The claim is one conditional UPDATE (queued → sending, attempts + 1), so of two workers given
    the same delivery only one sends; a sent or failed delivery is left alone. A worker killed
    mid-send leaves it `sending`; after DELIVERY_STUCK_AFTER it may be claimed again (at least once:
    the CWC DeliveryId and the email Message-ID stay the same, so offices can drop the copy).

    Returns the resulting status. Raises DeliveryThrottled before claiming when the backend's rate
    limit is used up, and TransientDeliveryError when a retry is due."""
    current = Delivery.objects.filter(pk=delivery_id).values_list("status", "backend", "office_code").first()
    if current is None or current[0] in (Delivery.Status.SENT, Delivery.Status.FAILED):
        return current[0] if current else "missing"
    limit_name = backends.rate_limit_name(backend=current[1], office_code=current[2])
    if not backends.acquire_send_slot(limit_name):
        raise backends.DeliveryThrottled(limit_name)
    now = timezone.now()
    claimed = Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first() or "missing"
    delivery = Delivery.objects.select_related("letter__campaign", "letter__supporter", "legislator").get(
        pk=delivery_id
    )
    try:
        message_id = backends.get_backend(delivery.backend).send(delivery)
    except backends.TransientDeliveryError as exc:
        if delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS:
            _delivery_finish(delivery_id, status=Delivery.Status.FAILED, error=str(exc))
            return Delivery.Status.FAILED
        _delivery_finish(delivery_id, status=Delivery.Status.QUEUED, error=str(exc))
        raise
    except backends.PermanentDeliveryError as exc:
        _delivery_finish(delivery_id, status=Delivery.Status.FAILED, error=str(exc))
        return Delivery.Status.FAILED
    except Exception as exc:
        # A bug, not an outage: fail visibly (staff can retry once fixed) instead of retrying forever.
        logger.exception("delivery %s: unexpected error", delivery_id)
        _delivery_finish(delivery_id, status=Delivery.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}")
        return Delivery.Status.FAILED
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
        backend_message_id=message_id[:255],
        last_error="",
        updated_at=timezone.now(),
    )
    return Delivery.Status.SENT


def _delivery_finish(delivery_id: int, *, status: str, error: str) -> None:
    Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.SENDING).update(
        status=status, last_error=error[:2000], updated_at=timezone.now()
    )


def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Staff give a failed delivery a new round of attempts (same DeliveryId)."""
    from .tasks import delivery_send_task

    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.QUEUED, attempts=0, updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(_("Only failed deliveries can be retried."), code="not_failed")
        delivery_send_task.delay_on_commit(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def deliveries_sweep(*, now=None) -> int:
    """Queue again every delivery queued or sending for longer than DELIVERY_STUCK_AFTER: a lost
    broker message or a killed worker only delays a letter. The send's own claim keeps this safe
    when the original task is still around."""
    from .tasks import delivery_send_task

    now = now or timezone.now()
    stuck = list(
        Delivery.objects.stuck(older_than=now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER))
        .order_by("updated_at")
        .values_list("pk", flat=True)[: settings.DELIVERY_SWEEP_BATCH]
    )
    with transaction.atomic():
        # Touching updated_at keeps the next sweep from queuing them again before a worker gets there.
        Delivery.objects.filter(pk__in=stuck, status=Delivery.Status.QUEUED).update(updated_at=now)
        for pk in stuck:
            delivery_send_task.delay_on_commit(pk)
    if stuck:
        logger.info("delivery sweep queued %d stuck deliveries", len(stuck))
    return len(stuck)


# --- Page views for the funnel ---------------------------------------------------------------

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
        campaign_ids = Campaign.objects.exclude(status=Campaign.Status.DRAFT).filter(
            Q(status=Campaign.Status.LIVE) | Q(updated_at__gte=recent)
        ).values_list("pk", flat=True)
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


# --- The supporter's private status page and confirmation email ------------------------------


def letter_status_token(letter: Letter) -> str:
    return signing.dumps(letter.pk, salt=STATUS_SALT)


def letter_from_status_token(token: str) -> Letter | None:
    try:
        pk = signing.loads(token, salt=STATUS_SALT)
    except signing.BadSignature:
        return None
    return Letter.objects.for_status_page().filter(pk=pk).first()


def letter_confirmation_send(*, letter_id: int) -> bool:
    """Email the supporter what was sent to whom, once per submission that added deliveries.
    Sending twice for the same submission sends nothing the second time."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().select_related("campaign", "supporter").filter(pk=letter_id).first()
        if letter is None:
            return False
        latest = letter.deliveries.aggregate(latest=Max("created_at"))["latest"]
        if latest is None or (letter.confirmation_sent_at and letter.confirmation_sent_at >= latest):
            return False
        letter.confirmation_sent_at = timezone.now()
        letter.save(update_fields=["confirmation_sent_at"])
        context = {
            "letter": letter,
            "campaign": letter.campaign,
            "deliveries": list(letter.deliveries.order_by("created_at")),
            "status_url": settings.SITE_URL + _status_path(letter),
            "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
        }
        message = EmailMultiAlternatives(
            subject=_("Your letter to Congress: %(title)s") % {"title": letter.campaign.title},
            body=render_to_string("emails/advocacy/letter_confirmation.txt", context),
            to=[letter.supporter.email],
        )
        message.attach_alternative(render_to_string("emails/advocacy/letter_confirmation.html", context), "text/html")
        # Sending inside the transaction: if the mail server refuses, the timestamp rolls back and
        # the task's retry sends it later.
        message.send(fail_silently=False)
    return True


def _status_path(letter: Letter) -> str:
    from django.urls import reverse

    return reverse("advocacy:letter_status", kwargs={"token": letter_status_token(letter)})


def letter_status_url(letter: Letter) -> str:
    return _status_path(letter)


# --- Campaign actions (admin) ---------------------------------------------------------------


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
