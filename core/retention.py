"""The retention policy: personal data kept only as long as it is needed (README, "Privacy and
retention"). beat runs `retention_apply` daily (core.tasks.retention_apply_task).

- Sessions past their expiry are deleted (Django's clearsessions): an unsent letter draft holds a
  full name, street address and phone, and nothing else ever removes it.
- A letter's street address, phone and own words (and the copy of those words in each delivery,
  and wherever an office's error answer quoted them) are erased RETENTION_LETTER_DAYS after
  every delivery of it is final, i.e. sent or failed for good (`Delivery.objects.final()`). The
  name, email, city, ZIP, state and district stay: they say who wrote to which office, which the
  campaign's counts and the supporter's own erasure request (`manage.py anonymize_person`) need.
- Spent private links (expired or revoked status links, used or expired manage links) and login
  records older than RETENTION_LOGIN_RECORD_DAYS are deleted.

Each step is one or a few UPDATE/DELETE statements on indexed columns; a second run the same day
finds nothing to do."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from xml.sax.saxutils import escape as xml_escape

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Erased from a letter once it is settled; what stays is described in the module docstring.
LETTER_ERASED_FIELDS = {"street": "", "phone": "", "own_words": ""}


@dataclass
class RetentionReport:
    counts: dict[str, int] = field(default_factory=dict)


def sessions_clear(*, now=None) -> int:
    """Delete expired sessions (what `manage.py clearsessions` does for the database backend)."""
    Session = apps.get_model("sessions", "Session")
    deleted, _by_model = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted


def letters_erase_settled(*, now=None, batch: int = 2000) -> int:
    """Erase street, phone and own words of letters settled RETENTION_LETTER_DAYS ago, `batch`
    letters per transaction (a backlog of a big action day never holds one long lock)."""
    if settings.RETENTION_LETTER_DAYS <= 0:
        return 0
    now = now or timezone.now()
    Letter = apps.get_model("advocacy", "Letter")
    Delivery = apps.get_model("advocacy", "Delivery")
    settled = Letter.objects.settled_before(now - timedelta(days=settings.RETENTION_LETTER_DAYS))
    erased = 0
    while True:
        with transaction.atomic():
            pks = list(settled.order_by("pk").values_list("pk", flat=True)[:batch])
            if not pks:
                return erased
            _quoted_copies_erase(pks)
            # Each delivery carried the supporter's own words to the office; the campaign's text
            # stays. QuerySet.update leaves updated_at alone, so the deliveries' history is unchanged.
            Delivery.objects.filter(letter__in=pks).update(personal="")
            erased += Letter.objects.filter(pk__in=pks).update(personal_erased_at=now, **LETTER_ERASED_FIELDS)


ERASED_MARK = "[erased]"


def _erased_values(street: str, phone: str, own_words: str) -> list[str]:
    """The strings an office's answer may quote: each value as typed, as the XML we sent escapes
    it, and the phone's digits alone; longest first, so a street inside the words goes with them."""
    values = set()
    for value in (street, phone, own_words):
        value = value.strip()
        if len(value) >= 3:
            values.update({value, xml_escape(value)})
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) >= 7:
        values.add(digits)
    return sorted(values, key=len, reverse=True)


def _quoted_copies_erase(letter_pks) -> None:
    """An office's error answer may quote what it refused ("Address1 '12 Pine St' is not valid"):
    the erased values go from each delivery's last error and each attempt's answer too. The rest of
    the text (the office's reason, status codes) stays for staff."""
    Letter = apps.get_model("advocacy", "Letter")
    Delivery = apps.get_model("advocacy", "Delivery")
    DeliveryAttempt = apps.get_model("advocacy", "DeliveryAttempt")
    erased = {
        pk: _erased_values(street, phone, own_words)
        for pk, street, phone, own_words in Letter.objects.filter(pk__in=letter_pks).values_list(
            "pk", "street", "phone", "own_words"
        )
    }

    def scrub(text: str, letter_pk: int) -> str:
        for value in erased.get(letter_pk, ()):
            text = text.replace(value, ERASED_MARK)
        return text

    rows = Delivery.objects.filter(letter__in=letter_pks).exclude(last_error="")
    for pk, letter_pk, text in rows.values_list("pk", "letter_id", "last_error"):
        if (clean := scrub(text, letter_pk)) != text:
            Delivery.objects.filter(pk=pk).update(last_error=clean)
    rows = DeliveryAttempt.objects.filter(delivery__letter__in=letter_pks).exclude(answer="")
    for pk, letter_pk, text in rows.values_list("pk", "delivery__letter_id", "answer"):
        if (clean := scrub(text, letter_pk)) != text:
            DeliveryAttempt.objects.filter(pk=pk).update(answer=clean)


def spent_links_delete(*, now=None) -> int:
    now = now or timezone.now()
    StatusLink = apps.get_model("advocacy", "StatusLink")
    ManageLinkRequest = apps.get_model("donations", "ManageLinkRequest")
    status_links, _by_model = StatusLink.objects.exclude(pk__in=StatusLink.objects.usable(now=now)).delete()
    expired = now - timedelta(seconds=settings.DONATION_MANAGE_LINK_MAX_AGE)
    # Past its link's life the row is of no use, sent or not (the sweeper stops at the same age).
    manage_links, _by_model = ManageLinkRequest.objects.filter(created_at__lt=expired).delete()
    return status_links + manage_links


def login_records_delete(*, now=None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_LOGIN_RECORD_DAYS)
    AccessLog = apps.get_model("axes", "AccessLog")
    deleted, _by_model = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted


def retention_apply(*, now=None) -> RetentionReport:
    now = now or timezone.now()
    report = RetentionReport()
    report.counts["expired sessions"] = sessions_clear(now=now)
    report.counts["letters erased"] = letters_erase_settled(now=now)
    report.counts["spent links"] = spent_links_delete(now=now)
    report.counts["login records"] = login_records_delete(now=now)
    # Counts only: nothing personal reaches the log.
    logger.info("retention: %s", ", ".join(f"{k}={v}" for k, v in report.counts.items()))
    return report
