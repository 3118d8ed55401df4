"""The supporter's private status page and the confirmation email that links it."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.claims import SendOnce
from core.mail import templated_email

from ..models import Consent, Letter, StatusLink
from .consent import consent_confirm_url

# The confirmation task normally sends within seconds of the commit; the sweeper takes only what
# has waited longer than this, so it does not race the task it stands in for.
CONFIRMATION_SWEEP_AFTER = timedelta(minutes=1)
# How far back it looks: an outage of beat or the workers longer than this is past confirming.
CONFIRMATION_SWEEP_WINDOW = timedelta(days=2)


def _token_hash(token: str) -> str:
    # A plain SHA-256 is enough: the token is 256 random bits, so no table of guesses can invert it.
    return hashlib.sha256(token.encode()).hexdigest()


def letter_status_link_create(*, letter: Letter) -> str:
    """A new private link to the letter's status page; returns its token, which is stored only as
    a hash (so it is shown once: in the email, or the page, that carries it)."""
    token = secrets.token_urlsafe(32)
    StatusLink.objects.create(
        letter=letter,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.ADVOCACY_STATUS_LINK_DAYS),
    )
    return token


def letter_status_url(letter: Letter, *, language: str | None = None) -> str:
    """The path of a new private status link for the letter (see letter_status_link_create), in
    `language` (by default the letter's): a Spanish letter's link opens /es/..., whatever language
    the caller (a worker, the admin) has active."""
    token = letter_status_link_create(letter=letter)
    with translation.override(language or letter.language or settings.LANGUAGE_CODE):
        return reverse("advocacy:letter_status", kwargs={"token": token})


def letter_from_status_token(token: str) -> Letter | None:
    """The letter a link opens, if the link exists, is not revoked and has not expired (one query)."""
    links = StatusLink.objects.usable().filter(token_hash=_token_hash(token))
    return Letter.objects.for_status_page().filter(pk__in=links.values("letter_id")).first()


def letter_status_links_revoke(*, letter_ids) -> int:
    """Every status link of these letters stops working at once; returns how many were live."""
    return StatusLink.objects.usable().filter(letter_id__in=list(letter_ids)).update(revoked_at=timezone.now())


def _confirmations() -> SendOnce:
    return SendOnce(Letter.objects.confirmation_owed(), claimed_field="confirmation_claimed_at")


def _confirmation_email_send(letter_id: int):
    # In the supporter's language (its links and dates too); what the offices get stays English.
    language = Letter.objects.filter(pk=letter_id).values_list("language", flat=True).get()
    with translation.override(language):
        return _confirmation_email_send_in_language(letter_id)


def _confirmation_email_send_in_language(letter_id: int):
    """Email the letter's deliveries as they stand now; returns when they were read. This email
    goes to the mailbox of the address typed, so it is the one place the status links and the
    list of this email's earlier letters through the campaign are given: never a web page, which
    anyone who typed the address would see."""
    read_at = timezone.now()
    letter = Letter.objects.select_related("campaign", "supporter").get(pk=letter_id)
    earlier = (
        Letter.objects.filter(campaign=letter.campaign, supporter=letter.supporter, pk__lt=letter.pk)
        .prefetch_related("deliveries")
        .order_by("pk")
    )
    consent = Consent.objects.filter(letter=letter, confirmed_at__isnull=True).first()
    context = {
        "letter": letter,
        "campaign": letter.campaign,
        "deliveries": list(letter.deliveries.order_by("created_at")),
        "status_url": settings.SITE_URL + letter_status_url(letter, language=letter.language),
        "earlier": [
            {
                "letter": old,
                "deliveries": sorted(old.deliveries.all(), key=lambda d: d.created_at),
                # In this email's language, which the supporter just used, not the old letter's.
                "status_url": settings.SITE_URL + letter_status_url(old, language=letter.language),
            }
            for old in earlier
        ],
        "consent": consent,
        "consent_url": settings.SITE_URL + consent_confirm_url(consent, language=letter.language) if consent else "",
        "ORGANIZATION_NAME": settings.ORGANIZATION_NAME,
    }
    message = templated_email(
        "emails/advocacy/letter_confirmation",
        context,
        subject=_("Your letter to Congress: %(title)s") % {"title": letter.campaign.title},
        to=[letter.supporter.email],
        language=letter.language,
    )
    message.send(fail_silently=False)
    return read_at


def letter_confirmation_send(*, letter_id: int) -> bool:
    """Email the supporter what was sent to whom, once per submission that added deliveries.
    Claimed, sent, stamped (core.claims): no row lock is held while the mail server talks, a second
    run for the same submission sends nothing, and a failed send gives the claim back for the
    task's retry. The stamp is the time the deliveries were read, so any added after that are
    still owed an email."""
    return _confirmations().run(
        letter_id, _confirmation_email_send, stamp=lambda read_at: {"confirmation_sent_at": read_at}
    )


def letter_confirmations_sweep(*, now=None) -> int:
    """Queue the confirmation of every letter still owed one after CONFIRMATION_SWEEP_AFTER (and
    within CONFIRMATION_SWEEP_WINDOW) and not being sent right now: its task's message was lost, or
    it failed on an error it does not retry. The send's claim makes a duplicate message harmless."""
    from ..tasks import letter_confirmation_send_task

    now = now or timezone.now()
    owed = Letter.objects.confirmation_owed(
        written_after=now - CONFIRMATION_SWEEP_WINDOW, written_before=now - CONFIRMATION_SWEEP_AFTER
    )
    pks = list(
        owed.filter(_confirmations().free(now))
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.DELIVERY_SWEEP_BATCH]
    )
    for pk in pks:
        letter_confirmation_send_task.delay_on_commit(pk)
    return len(pks)
