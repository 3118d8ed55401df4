"""Consent to updates, double opt-in: a box checked on the form is only a request (anyone can type
anyone's email address); it counts once the mailbox owner follows the link in the letter's
confirmation email and confirms, and the words they were shown are kept with it."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Consent, Supporter

CONSENT_SALT = "advocacy.consent-confirm"
# The link arrives with the confirmation email; a month is plenty to click it, and a request
# nobody confirmed in that time is no request.
CONSENT_LINK_MAX_AGE = 30 * 24 * 3600


def consent_token(consent: Consent) -> str:
    return signing.dumps(consent.pk, salt=CONSENT_SALT)


def consent_confirm_url(consent: Consent, *, language: str | None = None) -> str:
    """The confirm link's path in `language` (by default the language the supporter was asked in)."""
    with translation.override(language or consent.language or consent.letter.language or settings.LANGUAGE_CODE):
        return reverse("advocacy:consent_confirm", kwargs={"token": consent_token(consent)})


def consent_from_token(token: str) -> Consent | None:
    try:
        pk = signing.loads(token, salt=CONSENT_SALT, max_age=CONSENT_LINK_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return Consent.objects.select_related("letter__campaign", "letter__supporter").filter(pk=pk).first()


@transaction.atomic
def consent_confirm(*, consent: Consent) -> Consent:
    """The mailbox owner agrees: the request counts from now (once; a second click changes
    nothing), and the supporter counts as consenting from their first confirmation."""
    now = timezone.now()
    if Consent.objects.filter(pk=consent.pk, confirmed_at__isnull=True).update(confirmed_at=now):
        consent.confirmed_at = now
        Supporter.objects.filter(pk=consent.letter.supporter_id, consented_at__isnull=True).update(consented_at=now)
    else:
        consent.refresh_from_db(fields=["confirmed_at"])
    return consent
